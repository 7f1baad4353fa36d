/* SPDX-License-Identifier: GPL-2.0-only */
/* report_junit.c: JUnit XML writer (see report_junit.h). */
#include "report_junit.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Text or attribute value, escaped; control characters XML 1.0 cannot
 * hold become '?'. */
static void put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\t': fputs("&#9;", f); break;
		default:
			fputc(c < 0x20 ? '?' : c, f);
		}
	}
}

/* Text content: newlines kept as they are. */
static void put_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\t')
			fputc(c, f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else
			fputc(c < 0x20 ? '?' : c, f);
	}
}

/* A script that failed, or needs what the back end does not model, is a
 * <failure> (type "fail" or "unsupported"); a setup error, a crash or a
 * time-out is an <error>. */
static bool failed(const struct suite_result *r)
{
	return r->outcome == SUITE_FAIL || r->outcome == SUITE_UNSUPPORTED;
}

static bool errored(const struct suite_result *r)
{
	return r->outcome != SUITE_PASS && !failed(r);
}

static const char *failure_type(enum suite_outcome o)
{
	switch (o) {
	case SUITE_FAIL: return "fail";
	case SUITE_UNSUPPORTED: return "unsupported";
	case SUITE_TIMEOUT: return "timeout";
	case SUITE_CRASH: return "crash";
	default: return "error";
	}
}

static void put_case(FILE *f, const struct suite_result *r)
{
	fputs("    <testcase classname=\"", f);
	put_escaped(f, r->classname);
	fputs("\" name=\"", f);
	put_escaped(f, r->base);
	fprintf(f, " (%s)\" time=\"%.3f\">\n", suite_version_name(r->version),
		r->wall_secs);
	fputs("      <properties>\n", f);
	if (r->script_secs >= 0)
		fprintf(f, "        <property name=\"script_time\" "
			"value=\"%.6f\"/>\n", r->script_secs);
	fprintf(f, "        <property name=\"wall_time\" value=\"%.3f\"/>\n",
		r->wall_secs);
	fprintf(f, "        <property name=\"ip_version\" value=\"%s\"/>\n",
		suite_version_name(r->version));
	fputs("        <property name=\"script\" value=\"", f);
	put_escaped(f, r->script);
	fputs("\"/>\n", f);
	if (r->line > 0)
		fprintf(f, "        <property name=\"line\" value=\"%d\"/>\n",
			r->line);
	if (r->pcap_path) {
		fputs("        <property name=\"pcap\" value=\"", f);
		put_escaped(f, r->pcap_path);
		fprintf(f, "\"/>\n        <property name=\"packets\" "
			"value=\"%ld\"/>\n", r->packets);
	}
	fputs("      </properties>\n", f);
	if (failed(r) || errored(r)) {
		const char *tag = failed(r) ? "failure" : "error";

		fprintf(f, "      <%s message=\"", tag);
		put_escaped(f, r->message ? r->message : "failed");
		fprintf(f, "\" type=\"%s\">", failure_type(r->outcome));
		/* The whole report: the run's output, and what it could not
		 * say itself (a crash, a time-out). */
		put_text(f, r->output);
		if (r->outcome == SUITE_CRASH || r->outcome == SUITE_TIMEOUT) {
			put_text(f, r->message);
			put_text(f, "\n");
		}
		fprintf(f, "</%s>\n", tag);
	} else if (r->output && *r->output) {
		fputs("      <system-out>", f);
		put_text(f, r->output);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

int junit_write(const char *path, struct suite_result *const *results,
		int n, double wall_secs, const struct suite_params *p)
{
	FILE *f = fopen(path, "w");
	int i, j, nfail = 0, nerr = 0;
	bool *done;

	if (!f)
		return -1;
	for (i = 0; i < n; i++) {
		nfail += failed(results[i]);
		nerr += errored(results[i]);
	}
	done = calloc((size_t)n + 1, sizeof(*done));
	if (!done)
		abort();
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"netdrill\" tests=\"%d\" failures=\"%d\" "
		"errors=\"%d\" time=\"%.3f\">\n", n, nfail, nerr, wall_secs);
	if (n == 0)	/* an empty shard: still a valid report */
		fputs("  <testsuite name=\"netdrill\" tests=\"0\" failures=\"0\""
		      " errors=\"0\" skipped=\"0\" time=\"0.000\">\n"
		      "  </testsuite>\n", f);
	/* One testsuite per folder, folders in order of first appearance. */
	for (i = 0; i < n; i++) {
		int tests = 0, fails = 0, errs = 0;
		double t = 0, st = 0;

		if (done[i])
			continue;
		for (j = i; j < n; j++) {
			if (strcmp(results[j]->classname, results[i]->classname))
				continue;
			tests++;
			fails += failed(results[j]);
			errs += errored(results[j]);
			t += results[j]->wall_secs;
			if (results[j]->script_secs > 0)
				st += results[j]->script_secs;
		}
		fputs("  <testsuite name=\"", f);
		put_escaped(f, results[i]->classname);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
			"skipped=\"0\" time=\"%.3f\">\n", tests, fails, errs, t);
		fprintf(f, "    <properties>\n      <property name=\"script_time\""
			" value=\"%.6f\"/>\n", st);
		fputs("      <property name=\"folder\" value=\"", f);
		put_escaped(f, results[i]->folder);
		fputs("\"/>\n", f);
		if (p && p->nshards > 1)
			fprintf(f, "      <property name=\"shard\" "
				"value=\"%d/%d\"/>\n", p->shard, p->nshards);
		fputs("    </properties>\n", f);
		for (j = i; j < n; j++) {
			if (strcmp(results[j]->classname, results[i]->classname))
				continue;
			done[j] = true;
			put_case(f, results[j]);
		}
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	free(done);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		errno = e ? e : EIO;
		return -1;
	}
	return fclose(f);
}
