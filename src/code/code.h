/* code.h: %{ ... }% blocks (packetdrill's code.c). At each block's time the
 * socket under test's TCP_INFO is snapshotted; at the end of the run the
 * blocks run in order, sharing their variables, each seeing the tcpi_*
 * values of its own snapshot, as packetdrill's generated Python does.
 *
 * netdrill evaluates the Python subset that such blocks use natively
 * (assert, print, assignments and augmented assignments, arithmetic,
 * bitwise and chained comparisons, and/or/not, '%' formatting, tuples and
 * strings); only when a script's blocks need more does it write the same
 * Python file packetdrill writes and run --code_command on it. */
#ifndef NETDRILL_CODE_H
#define NETDRILL_CODE_H

#include <stdbool.h>

#include "ast.h"

struct run;
struct code_state;

struct code_state *code_new(struct run *run);
void code_free(struct code_state *code);

/* At a code event: snapshot the socket under test and keep the text.
 * 0, or -1 with *error ("file:line: runtime error in code: ..."). */
int code_collect(struct run *run, const struct ast_event *event,
		 char **error);

/* At the end of the run: evaluate the blocks. 0, or -1 with *error, a
 * full message (e.g. "file:12: error in Python code: AssertionError: 9"). */
int code_execute(struct run *run, char **error);

/* For tests: evaluate one program text with the given tcpi values already
 * bound (names/values arrays of n entries). Output of print() goes to out.
 * Returns 0 ok, -1 runtime failure (*error = "AssertionError: ..."), -2
 * outside the native subset (*error says what). */
struct code_interp;
struct code_interp *code_interp_new(void);
void code_interp_free(struct code_interp *ci);
int code_interp_set(struct code_interp *ci, const char *name, long long v);
int code_interp_run(struct code_interp *ci, const char *text, void *out,
		    char **error);

#endif /* NETDRILL_CODE_H */
