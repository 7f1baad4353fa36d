/* SPDX-License-Identifier: GPL-2.0-only */
/* code.h: %{ ... }% blocks (packetdrill's code.c). At each block's time the
 * socket under test's TCP_INFO is snapshotted; at the end of the run the
 * blocks run in order, sharing their variables, each seeing the tcpi_*
 * values of its own snapshot, as packetdrill's generated Python does.
 *
 * netdrill evaluates the Python subset that such blocks use natively
 * (assert, print, assignments and augmented assignments, arithmetic,
 * bitwise and chained comparisons, and/or/not, '%' formatting, tuples and
 * strings: pysubset.h); only when a script's blocks need more does it
 * write the same Python file packetdrill writes and run --code_command on
 * it (python3.c). */
#ifndef NETDRILL_CODE_H
#define NETDRILL_CODE_H

#include "ast.h"

struct config;
struct sut;
struct code_state;

/* The blocks of one run against sut. NULL when out of memory. */
struct code_state *code_new(const struct config *config, struct sut *sut);
void code_free(struct code_state *code);

/* At a code event: snapshot socket fd (the socket under test, -1 if
 * none) and keep the block's text. 0, or -1 with *error ("file:line:
 * runtime error in code: ..."). */
int code_collect(struct code_state *code, int fd,
		 const struct ast_event *event, char **error);

/* --dry_run: the checks of a code event's text alone (a tcpi_ or
 * SK_MEMINFO_ name that is none, at its line). 0, or -1 with *error
 * (path is the script as messages name it). */
int code_check(const char *path, const struct ast_event *event,
	       char **error);

/* At the end of the run: evaluate the blocks. 0, or -1 with *error, a
 * full message (e.g. "file:12: error in Python code: AssertionError: 9"). */
int code_execute(struct code_state *code, char **error);

#endif /* NETDRILL_CODE_H */
