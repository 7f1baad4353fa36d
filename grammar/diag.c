/* SPDX-License-Identifier: GPL-2.0-only */
/* diag.c: error messages with the source line and a caret under the
 * offending token (jq's locfile_locate style). */
#include "diag.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Lines longer than this are shown as a window around the column. */
#define DIAG_LINE_WINDOW 160

void diag_print(FILE *out, const struct script *script,
		const struct ast_loc *loc, const char *kind, const char *msg)
{
	if (out == NULL)
		return;
	const char *name = script ? script->name : "(script)";
	if (loc == NULL || loc->line <= 0) {
		fprintf(out, "%s: %s: %s\n", name, kind, msg);
		return;
	}
	fprintf(out, "%s:%d:%d: %s: %s\n", loc->file ? loc->file : name,
		loc->line, loc->column, kind, msg);
	if (script == NULL || loc->line > script->nlines)
		return;
	const char *line = script->text + script->line_starts[loc->line - 1];
	const char *end = script->text + script->len;
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t len = (size_t)((nl ? nl : end) - line);
	if (len > 0 && line[len - 1] == '\r')
		len--;
	size_t col = loc->column > 0 ? (size_t)loc->column - 1 : 0;
	if (col > len)
		col = len;
	size_t start = 0;
	if (len > DIAG_LINE_WINDOW) {
		start = col > DIAG_LINE_WINDOW / 2 ? col - DIAG_LINE_WINDOW / 2 : 0;
		if (start + DIAG_LINE_WINDOW > len)
			start = len - DIAG_LINE_WINDOW;
		len = start + DIAG_LINE_WINDOW;
	}
	char buf[DIAG_LINE_WINDOW + 2];
	size_t n = 0;
	for (size_t i = start; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		buf[n++] = (c == '\t' || isprint(c)) ? (char)c : '?';
	}
	buf[n] = '\0';
	fprintf(out, "%s\n", buf);
	/* The caret line keeps the source's tabs so it lines up. */
	n = 0;
	for (size_t i = start; i < col; i++)
		buf[n++] = line[i] == '\t' ? '\t' : ' ';
	buf[n] = '\0';
	fprintf(out, "%s^\n", buf);
}

void diag_verror(struct diag *diag, const struct ast_loc *loc,
		 const char *fmt, va_list ap)
{
	diag->nerrors++;
	if (diag->nerrors == 1) {
		va_list aq;

		va_copy(aq, ap);
		vsnprintf(diag->first, sizeof(diag->first), fmt, aq);
		va_end(aq);
		if (loc)
			diag->first_loc = *loc;
	}
	if (diag->out == NULL || diag->nerrors > DIAG_MAX_ERRORS + 1)
		return;
	if (diag->nerrors == DIAG_MAX_ERRORS + 1) {
		fprintf(diag->out, "%s: error: too many errors, giving up "
			"reporting\n", diag->script ? diag->script->name :
			"(script)");
		return;
	}
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_print(diag->out, diag->script, loc, "error", msg);
}

void diag_error(struct diag *diag, const struct ast_loc *loc,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(diag, loc, fmt, ap);
	va_end(ap);
}
