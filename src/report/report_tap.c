/* SPDX-License-Identifier: GPL-2.0-only */
/* report_tap.c: TAP version 13 writer (see report_tap.h). */
#include "report_tap.h"

#include <string.h>

void tap_begin(FILE *f, int total)
{
	/* an empty --shard slice: a plan that harnesses read as skipped */
	if (total == 0)
		fputs("TAP version 13\n1..0 # SKIP no runs in this slice\n", f);
	else
		fprintf(f, "TAP version 13\n1..%d\n", total);
	fflush(f);
}

/* A description may not contain '#' (it starts a directive). */
static void put_description(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' ? '_' : *s == '\n' ? ' ' : *s, f);
}

/* Each line of text as a "# " diagnostic line. */
static void put_diagnostics(FILE *f, const char *text)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		fprintf(f, "# %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		p = nl ? nl + 1 : NULL;
	}
}

/* A YAML single-quoted scalar: '' for ', control characters as '?'. */
static void put_yaml_string(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\'')
			fputs("''", f);
		else
			fputc(c < 0x20 ? '?' : c, f);
	}
	fputc('\'', f);
}

static const char *yaml_outcome(enum suite_outcome o)
{
	switch (o) {
	case SUITE_PASS: return "pass";
	case SUITE_FAIL: return "fail";
	case SUITE_UNSUPPORTED: return "not supported";
	case SUITE_ERROR: return "error";
	case SUITE_CRASH: return "crash";
	case SUITE_TIMEOUT: return "timeout";
	}
	return "error";
}

void tap_add(FILE *f, int number, const struct suite_result *r)
{
	fprintf(f, "%s %d - ", r->outcome == SUITE_PASS ? "ok" : "not ok",
		number);
	put_description(f, r->script);
	fprintf(f, " (%s)\n", suite_version_name(r->version));
	if (r->outcome != SUITE_PASS) {
		/* TAP 13's YAML block: what the run said about itself. */
		fprintf(f, "  ---\n  verdict: %s\n",
			yaml_outcome(r->outcome));
		fputs("  script: ", f);
		put_yaml_string(f, r->script);
		if (r->line > 0)
			fprintf(f, "\n  line: %d", r->line);
		fputs("\n  message: ", f);
		put_yaml_string(f, r->message);
		fputs("\n  ...\n", f);
		if (r->output)
			put_diagnostics(f, r->output);
	}
	if (r->pcap_path)
		fprintf(f, "# capture: %s: %ld packets\n", r->pcap_path,
			r->packets);
	fflush(f);
}

void tap_end(FILE *f, int passed, int failed, int unsupported)
{
	fprintf(f, "# %d passed, %d failed", passed, failed);
	if (unsupported)
		fprintf(f, " (%d not supported)", unsupported);
	fputc('\n', f);
	fflush(f);
}
