/* report_tap.c: TAP version 13 writer (see report_tap.h). */
#include "report_tap.h"

#include <string.h>

void tap_begin(FILE *f, int total)
{
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

void tap_add(FILE *f, int number, const struct suite_result *r)
{
	fprintf(f, "%s %d - ", r->outcome == SUITE_PASS ? "ok" : "not ok",
		number);
	put_description(f, r->script);
	fprintf(f, " (%s)\n", suite_version_name(r->version));
	if (r->outcome != SUITE_PASS) {
		if (r->message && (!r->output || !strstr(r->output, r->message)))
			put_diagnostics(f, r->message);
		if (r->output)
			put_diagnostics(f, r->output);
	}
	if (r->pcap_path)
		fprintf(f, "# capture: %s: %ld packets\n", r->pcap_path,
			r->packets);
	fflush(f);
}

void tap_end(FILE *f, int passed, int failed)
{
	fprintf(f, "# %d passed, %d failed\n", passed, failed);
	fflush(f);
}
