/* SPDX-License-Identifier: GPL-2.0-only */
/* pysubset.h: the subset of Python that %{ }% blocks use, evaluated
 * in-process (code.c runs python3 only for blocks outside it).
 *
 * The subset: statements separated by newlines or `;` (with `\` line
 * continuations and # comments): assert EXPR[, MSG], pass, an expression
 * (a call of print(...), say), NAME = EXPR and the augmented assignments
 * (+= -= *= /= //= %= **= &= |= ^= <<= >>=); expressions with Python's
 * precedence: or, and, not, chained comparisons (< <= > >= == !=), | ^ &,
 * << >>, + -, * / // %, unary + - ~, **, parentheses, tuples, and calls
 * of print, int, float, abs, min, max, str and hex; values int (128 bits),
 * float, str, bool, None, tuple; str % formatting. Anything else (if,
 * for, def, import, in, is, lists, other functions...) is "outside the
 * subset", told apart from a syntax error so that the caller can hand
 * such code to python3 instead.
 *
 * May include: util.h only (a leaf module). */
#ifndef NETDRILL_PYSUBSET_H
#define NETDRILL_PYSUBSET_H

#include <stdio.h>

/* One interpreter: its variables live until py_free, across py_run
 * calls (packetdrill's blocks share theirs). */
struct py;

struct py *py_new(void);
void py_free(struct py *py);

/* Bind a variable (a new value replaces the old one). */
void py_set_int(struct py *py, const char *name, long long value);
void py_set_uint(struct py *py, const char *name, unsigned long long value);

/* Parse text only: 0, -1 for a syntax error, -2 for code outside the
 * subset; *error (malloc'd) says why. */
int py_check(struct py *py, const char *text, char **error);

/* Run text: print() writes to out (NULL: as before, stdout at first).
 * 0; -1 for an error Python would raise (*error as Python's last line:
 * "AssertionError: 9", "NameError: name 'x' is not defined", or a syntax
 * error); -2 for code outside the subset (*error says what). */
int py_run(struct py *py, const char *text, FILE *out, char **error);

#endif /* NETDRILL_PYSUBSET_H */
