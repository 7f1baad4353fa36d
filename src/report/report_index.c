/* SPDX-License-Identifier: GPL-2.0-only */
/* report_index.c: suite mode's --report=DIR/index.html (report_html.h),
 * one row per run with a link to its page. */
#include "report_html.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite.h"

static void report_html_escs(FILE *f, const char *s)
{
	report_html_esc(f, s ? s : "", s ? strlen(s) : 0);
}

int report_html_index(const char *dir, struct suite_result *const *runs,
		      int n, double wall_secs)
{
	char cwd[PATH_MAX], *absdir, *path;
	size_t dlen;
	int i, pass = 0;
	FILE *f;

	if (dir[0] == '/') {
		absdir = strdup(dir);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, ".");
		if (asprintf(&absdir, "%s/%s", cwd, dir) < 0)
			absdir = NULL;
	}
	if (!absdir)
		abort();
	dlen = strlen(absdir);
	while (dlen > 1 && absdir[dlen - 1] == '/')
		absdir[--dlen] = 0;
	if (asprintf(&path, "%s/index.html", absdir) < 0)
		abort();
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "netdrill: cannot write %s: %s\n", path,
			strerror(errno));
		free(path);
		free(absdir);
		return -1;
	}
	for (i = 0; i < n; i++)
		pass += runs[i]->outcome == SUITE_PASS;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		"charset=\"utf-8\"><title>netdrill reports</title><style>%s"
		"table{border-collapse:collapse}td,th{border:1px solid #ccc;"
		"padding:3px 8px;font:13px monospace;text-align:left}"
		"tr.FAIL td.v,tr.ERROR td.v,tr.CRASH td.v,tr.TIMEOUT td.v"
		"{color:#b22;font-weight:bold}tr.ok td.v{color:#2a7d2a}"
		"</style></head><body>\n<h1>netdrill reports</h1>\n"
		"<p>%d runs, %d passed, %d did not; %.1f s.</p>\n"
		"<table id=\"runs\"><tr><th>script</th><th>version</th>"
		"<th>verdict</th><th>wall s</th><th>script s</th>"
		"<th>first error</th><th>report</th></tr>\n", report_html_css, n, pass,
		n - pass, wall_secs);
	for (i = 0; i < n; i++) {
		const struct suite_result *r = runs[i];
		const char *word = suite_outcome_word(r->outcome);
		const char *link = r->report_path;

		if (link && !strncmp(link, absdir, dlen) && link[dlen] == '/')
			link += dlen + 1;
		fprintf(f, "<tr class=\"%s\"><td>", word);
		report_html_escs(f, r->script);
		fprintf(f, "</td><td>%s</td><td class=\"v\">%s</td>"
			"<td>%.3f</td><td>", suite_version_name(r->version),
			word, r->wall_secs);
		if (r->script_secs >= 0)
			fprintf(f, "%.6f", r->script_secs);
		fputs("</td><td>", f);
		if (r->message) {
			const char *nl = strchr(r->message, '\n');

			report_html_esc(f, r->message, nl ? (size_t)(nl - r->message) :
			    strlen(r->message));
		}
		fputs("</td><td>", f);
		if (link && r->outcome != SUITE_ERROR) {
			fputs("<a href=\"", f);
			report_html_escs(f, link);
			fputs("\">report</a>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table></body></html>\n", f);
	i = fclose(f);
	if (i)
		fprintf(stderr, "netdrill: cannot write %s: %s\n", path,
			strerror(errno));
	free(path);
	free(absdir);
	return i ? -1 : 0;
}
