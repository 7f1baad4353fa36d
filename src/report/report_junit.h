/* SPDX-License-Identifier: GPL-2.0-only */
/* report_junit.h: JUnit XML results of a suite run (--junit=FILE), as CI
 * servers read them: a <testsuite> per script folder, a <testcase> per
 * script and IP version. A case's classname is its folder relative to
 * the working directory (or to the parent of the folder given, when that
 * is not below it), components joined by '.' ("gtests.net.tcp.sack");
 * time is wall-clock seconds, the script's own virtual time is the
 * property script_time. A script that failed is a <failure type="fail">,
 * one that needs what the back end does not model a <failure
 * type="unsupported">, a setup error, crash or time-out an <error>; the
 * message is the run's own verdict ("x.pkt:12: error handling packet:
 * ..."), the text its whole report. With --shard each testsuite has the
 * property shard="K/N". */
#ifndef NETDRILL_REPORT_JUNIT_H
#define NETDRILL_REPORT_JUNIT_H

#include "suite.h"

/* Write results[0..n) (in input order) to path. 0, or -1 with errno. */
int junit_write(const char *path, struct suite_result *const *results,
		int n, double wall_secs, const struct suite_params *p);

#endif /* NETDRILL_REPORT_JUNIT_H */
