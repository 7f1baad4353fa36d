/* SPDX-License-Identifier: GPL-2.0-only */
/* report_tap.h: TAP version 13 results of a suite run (--tap): one test
 * point per script and IP version. A point that did not pass is "not ok",
 * followed by a TAP 13 YAML block (verdict: fail, not supported, error,
 * crash or timeout; script; line; message) and the run's output as "# "
 * diagnostics. Read by Automake's tap-driver.sh and by prove. */
#ifndef NETDRILL_REPORT_TAP_H
#define NETDRILL_REPORT_TAP_H

#include <stdio.h>

#include "suite.h"

/* Start the stream: version line and plan (total test points). */
void tap_begin(FILE *f, int total);

/* One test point; number counts from 1 in the order points are added. */
void tap_add(FILE *f, int number, const struct suite_result *r);

/* The closing comment, "# N passed, M failed" (failed counts the
 * unsupported runs, named " (K not supported)" when there are some). */
void tap_end(FILE *f, int passed, int failed, int unsupported);

#endif /* NETDRILL_REPORT_TAP_H */
