/* SPDX-License-Identifier: GPL-2.0-only */
/* lex.h: the scanner interface that parser.y and lexer.l share. Declared
 * here rather than through flex's --header-file, which does not sit well
 * with automake's ylwrap. Include after parser.h (for the token types). */
#ifndef NETDRILL_LEX_H
#define NETDRILL_LEX_H

#include <stddef.h>

typedef void *yyscan_t;

union NDYYSTYPE;
struct NDYYLTYPE;

/* The flex scanner (prefix ndlex_): the next token, its value and span. */
int ndlex_lex(union NDYYSTYPE *lval, struct NDYYLTYPE *lloc, yyscan_t scanner);

/* The keyword token for a word, or 0 if it is not a keyword. */
int lex_keyword(const char *word, size_t len);

#endif /* NETDRILL_LEX_H */
