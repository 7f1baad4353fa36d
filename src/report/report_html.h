/* SPDX-License-Identifier: GPL-2.0-only */
/* report_html.h: --report=FILE.html, one run as a self-contained HTML
 * page (no external resources; SVG drawn here, a little inline script for
 * hover and zoom): the script with each line passed / failed / not
 * reached, a ladder diagram of every packet, a time-sequence graph, plots
 * of snd_cwnd, snd_ssthresh, packets in flight, sk_wmem_queued with
 * sk_sndbuf and the receive window, and the call-path trace folded per
 * event. Built from the run's trace records (src/interp/trace.h). */
#ifndef NETDRILL_REPORT_HTML_H
#define NETDRILL_REPORT_HTML_H

#include <stdio.h>

#include "ast.h"
#include "config.h"

struct trace;

/* Write the report of one run to path. status: run_script's (0 passed,
 * 1 failed, 2 setup error); error its message (NULL if it passed).
 * 0, or -1 and *werror (caller frees) if the file cannot be written. */
int report_html_write(const char *path, const struct trace *tr,
		      const struct script *script,
		      const struct config *config, int status,
		      const char *error, char **werror);

/* For report_index.c: text escaped for HTML, and the pages' style. */
void report_html_esc(FILE *f, const char *s, size_t n);
extern const char *const report_html_css;

/* Suite mode, --report=DIR/: DIR/index.html with one row per run
 * (script, IP version, verdict, wall and script time, first error, link
 * to the run's page). 0, or -1 after a message on stderr. */
struct suite_result;
int report_html_index(const char *dir, struct suite_result *const *runs,
		      int n, double wall_secs);

#endif /* NETDRILL_REPORT_HTML_H */
