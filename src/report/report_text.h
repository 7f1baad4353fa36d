/* SPDX-License-Identifier: GPL-2.0-only */
/* report_text.h: suite mode's text report on stdout: one line per run
 * ("ok      ipv4             tcp/x.pkt (0.012 s, script 1.200 s)"), the
 * output of a run that did not pass indented below it, and the summary
 * "N passed, M failed" (" (K not supported)" when some were).
 *
 * On a terminal (and TERM is not "dumb") a progress line "[n/N] 12.3 s"
 * is kept at the bottom and updated in place, and the verdict words are
 * coloured. NO_COLOR set to a non-empty value (https://no-color.org)
 * turns off both, as does a stdout that is not a terminal: the report
 * is then plain lines. */
#ifndef NETDRILL_REPORT_TEXT_H
#define NETDRILL_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "suite.h"

struct text_report;

/* verbose: show the output of passed runs too (-v). */
struct text_report *text_report_new(FILE *f, bool verbose);
/* Does it keep a live progress line (then call text_report_progress)? */
bool text_report_live(const struct text_report *t);
/* A run ended; done of total runs have ended. */
void text_report_result(struct text_report *t, const struct suite_result *r,
			int done, int total);
void text_report_progress(struct text_report *t, int done, int total);
/* The last line; unsupported runs are counted in failed too. */
void text_report_summary(struct text_report *t, int passed, int failed,
			 int unsupported);
void text_report_free(struct text_report *t);

#endif /* NETDRILL_REPORT_TEXT_H */
