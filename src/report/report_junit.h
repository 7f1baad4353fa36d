/* report_junit.h: JUnit XML results of a suite run (--junit=FILE), as CI
 * servers read them: a <testsuite> per script folder, a <testcase> per
 * script and IP version (time = wall-clock seconds; the script's own
 * virtual time as the property script_time), a <failure> (script failed)
 * or <error> (setup error, crash, time-out) with the run's first error
 * line as message and its output as text. */
#ifndef NETDRILL_REPORT_JUNIT_H
#define NETDRILL_REPORT_JUNIT_H

#include "suite.h"

/* Write results[0..n) (in input order) to path. 0, or -1 with errno. */
int junit_write(const char *path, struct suite_result *const *results,
		int n, double wall_secs);

#endif /* NETDRILL_REPORT_JUNIT_H */
