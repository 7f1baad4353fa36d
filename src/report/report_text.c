/* SPDX-License-Identifier: GPL-2.0-only */
/* report_text.c: suite mode's text report (see report_text.h). */
#include "report_text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct text_report {
	FILE *f;
	bool verbose;
	bool live;		/* progress line at the bottom */
	bool colour;
	bool progress_shown;	/* a progress line is on screen */
	int done, total;
	double start;
	double drawn;		/* when the progress line was last drawn */
};

static double now_secs(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

struct text_report *text_report_new(FILE *f, bool verbose)
{
	struct text_report *t = calloc(1, sizeof(*t));
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");

	if (!t)
		abort();
	t->f = f;
	t->verbose = verbose;
	t->live = isatty(fileno(f)) && !(term && !strcmp(term, "dumb")) &&
		  !(nc && *nc);
	t->colour = t->live;
	t->start = now_secs();
	return t;
}

bool text_report_live(const struct text_report *t)
{
	return t->live;
}

static const char *colour_of(enum suite_outcome o)
{
	switch (o) {
	case SUITE_PASS: return "\033[32m";		/* green */
	case SUITE_UNSUPPORTED: return "\033[33m";	/* yellow */
	case SUITE_FAIL: return "\033[31m";		/* red */
	default: return "\033[1;31m";			/* bold red */
	}
}

/* Take the progress line off the screen before printing over it. */
static void clear_progress(struct text_report *t)
{
	if (t->progress_shown)
		fputs("\r\033[K", t->f);
	t->progress_shown = false;
}

static void draw_progress(struct text_report *t)
{
	if (!t->live || t->done >= t->total)
		return;
	fprintf(t->f, "\r[%d/%d] %.1f s\033[K", t->done, t->total,
		now_secs() - t->start);
	t->progress_shown = true;
	t->drawn = now_secs();
	fflush(t->f);
}

void text_report_progress(struct text_report *t, int done, int total)
{
	if (!t || (t->progress_shown && done == t->done &&
		   now_secs() - t->drawn < 0.25))
		return;
	t->done = done;
	t->total = total;
	draw_progress(t);
}

void text_report_result(struct text_report *t, const struct suite_result *r,
			int done, int total)
{
	const char *word = suite_outcome_word(r->outcome);
	int pad = 7 - (int)strlen(word);
	const char *p;

	clear_progress(t);
	if (t->colour)
		fprintf(t->f, "%s%s\033[0m", colour_of(r->outcome), word);
	else
		fputs(word, t->f);
	fprintf(t->f, "%*s %-16s %s (%.3f s", pad > 0 ? pad : 0, "",
		suite_version_name(r->version), r->script, r->wall_secs);
	if (r->script_secs >= 0)
		fprintf(t->f, ", script %.3f s", r->script_secs);
	if (r->pcap_path)
		fprintf(t->f, ", %ld packets in %s", r->packets, r->pcap_path);
	fputs(")\n", t->f);
	if (r->outcome != SUITE_PASS || t->verbose) {
		for (p = r->output; p && *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);

			fprintf(t->f, "    | %.*s\n", len, p);
			p = nl ? nl + 1 : NULL;
		}
		/* What the run could not say itself. */
		if (r->outcome == SUITE_CRASH || r->outcome == SUITE_TIMEOUT ||
		    (r->outcome == SUITE_ERROR && r->line == 0 &&
		     r->message && (!r->output ||
				    !strstr(r->output, r->message))))
			fprintf(t->f, "    | %s\n", r->message);
	}
	t->done = done;
	t->total = total;
	draw_progress(t);
	fflush(t->f);
}

void text_report_summary(struct text_report *t, int passed, int failed,
			 int unsupported)
{
	clear_progress(t);
	fprintf(t->f, "%d passed, %d failed", passed, failed);
	if (unsupported)
		fprintf(t->f, " (%d not supported)", unsupported);
	fputc('\n', t->f);
	fflush(t->f);
}

void text_report_free(struct text_report *t)
{
	free(t);
}
