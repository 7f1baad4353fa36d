/* SPDX-License-Identifier: GPL-2.0-only */
/* trace.h: --trace, --trace-file, --trace-format and the records behind
 * --report and the failure tail: a timeline in the back end's time of
 * every packet (both directions, scripted or not), system call, command
 * and code block, and what the back end reports through sut.h's trace
 * hook (the embedded stack: call path with decision values, state deltas
 * with Linux's field names, timers, MIB counters; the kernel: TCP_INFO
 * deltas after each event).
 *
 * Records are kept in memory and written when the run ends (so an
 * outbound packet can say whether a script line matched it); without
 * --trace or --report only the last few hundred are kept, for the failure
 * tail. Ownership: a struct trace owns its records; the caller keeps the
 * config and script alive while the trace lives. */
#ifndef NETDRILL_TRACE_H
#define NETDRILL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "sut.h"

enum trace_kind {
	TR_PACKET, TR_SYSCALL, TR_COMMAND, TR_CODE, TR_NOTE,
	TR_CALL, TR_DECISION, TR_STATE, TR_TIMER, TR_COUNTER,
};

struct trace_rec {
	enum trace_kind kind;
	int64_t t_us;
	int fd;			/* -1 if none or not known */
	int depth;		/* call nesting (TR_CALL, TR_DECISION) */
	int line;		/* script line, 0 if none */
	const char *name;	/* function, field, timer, counter */
	char *name_owned;	/* name when the trace made it (else the
				 * back end's static string) */
	char *text;		/* decision/note text, call source, state text */
	int64_t value, old;
	/* TR_PACKET */
	bool inbound;
	int scripted;		/* 0 not matched by a line, 1 matched,
				 * 2 the line failed on it */
	long ordinal;		/* outbound: capture order */
	uint8_t *pkt;		/* the IP datagram (its first caplen bytes) */
	size_t len, caplen;
	uint32_t rel_seq, rel_ack;	/* sequence numbers from each ISN */
};

struct trace;
struct run;

/* A trace for a run configured by config (--trace, --trace-file,
 * --trace-format, --report); never NULL (aborts when out of memory). */
struct trace *trace_new(const struct config *config);
void trace_free(struct trace *tr);

/* Hook the back end and the packet observer (run_packet.h); undone by
 * trace_detach() before the back end goes away. */
void trace_attach(struct trace *tr, struct run *run);
void trace_detach(struct trace *tr);

/* Script events, as the interpreter runs them. */
void trace_syscall(struct trace *tr, int line, int fd, const char *source,
		   const char *result);
void trace_command(struct trace *tr, int line, const char *text);
void trace_code(struct trace *tr, int line);
/* After an event: the back end's state deltas (or a TCP_INFO snapshot of
 * the socket under test on a back end without the hook). */
void trace_event_done(struct trace *tr);

/* The --report writer (src/report/report_html.c's report_html_write),
 * set by the program's rooms above interp (src/cli/main.c) so that the
 * trace, which interp feeds, never includes report/; NULL in programs
 * without reports, where --report is an error. */
struct script;
typedef int (*trace_report_fn)(const char *path, const struct trace *tr,
			       const struct script *script,
			       const struct config *config, int status,
			       const char *error, char **werror);
extern trace_report_fn trace_report_writer;

/* The run ended (status as run_script's, error its message or NULL):
 * write --trace and --report (through trace_report_writer). Returns 0, or -1 and *error when a file
 * cannot be written. */
int trace_finish(struct trace *tr, int status, const char *error,
		 char **werror);

/* The last n records about socket fd (packets and events of any socket
 * too), as text lines with a heading, for a failure message (caller
 * frees); NULL if there are none. */
char *trace_tail(struct trace *tr, int fd, int n);

/* All records, in order (for the HTML report). */
const struct trace_rec *trace_records(const struct trace *tr, size_t *n);

/* One record as a line of text / a JSON object, no newline (caller
 * frees). */
char *trace_rec_text(const struct trace *tr, const struct trace_rec *r);
char *trace_rec_json(const struct trace *tr, const struct trace_rec *r);

/* Does the back end give call paths (the embedded stack)? */
bool trace_has_calls(const struct trace *tr);

#endif /* NETDRILL_TRACE_H */
