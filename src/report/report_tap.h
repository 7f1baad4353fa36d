/* report_tap.h: TAP version 13 results of a suite run (--tap): one test
 * point per script and IP version, the run's output as diagnostics of a
 * failed point. Read by Automake's tap-driver.sh and by prove. */
#ifndef NETDRILL_REPORT_TAP_H
#define NETDRILL_REPORT_TAP_H

#include <stdio.h>

#include "suite.h"

/* Start the stream: version line and plan (total test points). */
void tap_begin(FILE *f, int total);

/* One test point; number counts from 1 in the order points are added. */
void tap_add(FILE *f, int number, const struct suite_result *r);

/* The closing comment, "# N passed, M failed". */
void tap_end(FILE *f, int passed, int failed);

#endif /* NETDRILL_REPORT_TAP_H */
