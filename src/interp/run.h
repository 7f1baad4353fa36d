/* SPDX-License-Identifier: GPL-2.0-only */
/* run.h: run a parsed script against the system under test on its clock
 * (packetdrill's run.c): the event loop, script-time bookkeeping, the
 * timing tolerance rule, and the state the interpreter's parts share
 * (run_syscall.c, run_command.c, code.c).
 *
 * Ownership: every char **error filled here is malloc'd and the caller
 * frees it. A struct run borrows its config and script. */
#ifndef NETDRILL_RUN_H
#define NETDRILL_RUN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "config.h"
#include "sut.h"
#include "util.h"

/* Run the script (option lines already applied to config) against the
 * back end config->stack names. Returns 0 if the script passed, 1 if it
 * failed (*error holds the first failure, packetdrill's wording, e.g.
 * "script.pkt:12: runtime error in write call: ..."), 2 for a setup error
 * (*error says why). Warnings of --non_fatal runs and -v output go to
 * stderr/stdout as they happen. RUN_UNSUPPORTED: the script stopped at a
 * line that needs what the back end does not model (*error:
 * "script.pkt:12: error: not supported by the embedded stack: ..."). */
#define RUN_UNSUPPORTED 3
int run_script(struct config *config, struct script *script, char **error);

/* ---- shared by the interpreter's parts ---- */

struct socket_table;
struct packet_ctx;
struct syscalls;
struct commands;
struct code_state;
struct trace;

struct run {
	struct config *config;
	struct script *script;
	struct sut *sut;
	struct socket_table *sockets;	/* PACKETS' socket table, or NULL */
	struct packet_ctx *packets;	/* PACKETS' packet context, or NULL */
	struct syscalls *syscalls;	/* run_syscall.c */
	struct commands *commands;	/* run_command.c */
	struct code_state *code;	/* code.c */
	struct trace *trace;		/* src/interp/trace.c: the timeline */

	const struct ast_event *event;	/* the event being run */
	int64_t event_time;		/* its script time, absolute (usecs) */
	int64_t event_time_end;		/* end of a time range, absolute */
	int64_t event_offset;		/* what a relative time was added to */
	const struct ast_event *last_event;
	int64_t last_event_time;	/* absolute script time of last_event */
	/* Events are loaded from the script one at a time
	 * (script_event_load) and freed when nothing needs them; these
	 * are kept to the end of the run: code blocks (they run then) and
	 * calls that were still parked when they stopped being last. */
	const struct ast_event **held;
	int nheld, held_cap;
	int num_events;			/* events run so far */
	int failures;			/* non-fatal failures reported */
	bool unsupported;		/* stopped at what the back end does
					 * not model (RUN_UNSUPPORTED) */
};

/* "file:line: " + printf, as a malloc'd string. */
char *run_msg(const struct run *run, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The former name of util.h's strdup_printf, for code not yet renamed. */
#define run_strdup_printf strdup_printf

/* The back end's clock, usecs since the run started. */
int64_t run_now(const struct run *run);

/* Move the clock forward to t, running the back end's timers in time
 * order and retrying the parked blocking call after every step. Returns 0,
 * or -1 with *error set when the parked call finished and failed. */
int run_advance_to(struct run *run, int64_t t, char **error);

/* Give a parked blocking call the chance to complete now (after an
 * inbound packet or another event). 0 or -1 with *error. */
int run_retry_parked(struct run *run, char **error);

/* packetdrill's verify_time(): is live time `live` within the tolerance
 * of the script's time (script_usecs, or the range script_usecs ..
 * script_usecs_end)? last_event_usecs is the script time the tolerance
 * percentage is taken from (-1: none). 0 if fine, else -1 and *error set
 * to "timing error: expected <what> at ... sec but happened at ... sec;
 * tolerance ... sec". */
int run_verify_time(const struct run *run, enum ast_time_kind kind,
		    int64_t script_usecs, int64_t script_usecs_end,
		    int64_t live, int64_t last_event_usecs, int64_t offset,
		    const char *what, char **error);

/* Report a failure. With non_fatal set (--non_fatal=syscall/packet) the
 * message is printed as a warning and the run continues (returns 0);
 * otherwise the message is handed back (returns -1, *error = msg). */
int run_fail(struct run *run, bool non_fatal, char *msg, char **error);

/* The fd of the socket under test for code blocks, -1 if none. */
int run_fd_under_test(const struct run *run);

#endif /* NETDRILL_RUN_H */
