/* SPDX-License-Identifier: GPL-2.0-only */
/* diag.h: script diagnostics in the form
 *     file:line:col: error: message
 *     <source line>
 *     <spaces>^
 * (jq's locfile style), printed to a caller-chosen FILE. */
#ifndef NETDRILL_DIAG_H
#define NETDRILL_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "ast.h"

/* Cap on the errors printed for one script; after that one line
 * "too many errors" is printed and the rest are only counted. */
#define DIAG_MAX_ERRORS 50

struct diag {
	FILE *out;			/* where messages go (may be NULL) */
	const struct script *script;	/* source lines for the caret */
	int nerrors;			/* errors reported so far */
	struct ast_loc first_loc;	/* where the first error is (line 0:
					 * no position) */
	char first[256];		/* its message, "" while none */
};

/* Report an error at loc (loc may be NULL: no position, no caret). */
void diag_error(struct diag *diag, const struct ast_loc *loc,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_verror(struct diag *diag, const struct ast_loc *loc,
		 const char *fmt, va_list ap);

/* Print "file:line:col: error: message", the source line and a caret to
 * out, for a script the caller holds (the interpreter may use this for
 * its own script errors). Counts nothing. */
void diag_print(FILE *out, const struct script *script,
		const struct ast_loc *loc, const char *kind, const char *msg);

#endif /* NETDRILL_DIAG_H */
