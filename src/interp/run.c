/* SPDX-License-Identifier: GPL-2.0-only */
/* run.c: the event loop (packetdrill's run.c) on the back end's clock.
 *
 * Events run one at a time in script order. Before an inbound packet, a
 * system call, a command or a code block at script time T, the clock moves
 * to T, stepping through the back end's timers in time order and giving a
 * parked blocking call the chance to finish after every step. An outbound
 * packet is looked for straight away (packetdrill sniffs without waiting);
 * while none is there the clock steps to the next timer. Times and the
 * tolerance rule are packetdrill's: a relative time is added to the live
 * time when the event starts (or to the previous inbound packet's script
 * time between two inbound packets), and an event may be off by
 * max(--tolerance_usecs, --tolerance_percent of the time since the
 * previous event). */
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "run_command.h"
#include "run_syscall.h"
#include "script.h"
#include "trace.h"

#include "run_packet.h"
#include "socket.h"
#include "util.h"

/* How far past an outbound packet's latest allowed time the clock may run
 * looking for it, so that a late packet is reported with its real time
 * (as packetdrill would) but a silent stack does not spin forever. */
#define OUTBOUND_GRACE_USECS (3600LL * 1000000)

char *run_msg(const struct run *run, int line, const char *fmt, ...)
{
	va_list ap;
	char *body, *s;

	va_start(ap, fmt);
	body = vstrdup_printf(fmt, ap);
	va_end(ap);
	s = strdup_printf("%s:%d: %s", run->config->script_path, line, body);
	free(body);
	return s;
}

int run_fail(struct run *run, bool non_fatal, char *msg, char **error)
{
	run->failures++;
	if (non_fatal) {
		fprintf(stderr, "%s\n", msg);
		free(msg);
		return 0;
	}
	*error = msg;
	return -1;
}

int64_t run_now(const struct run *run)
{
	return run->sut->ops->now(run->sut);
}

int run_fd_under_test(const struct run *run)
{
	if (run->sockets)
		return sockets_fd_under_test(run->sockets);
	return -1;
}

static double secs(int64_t usecs)
{
	return (double)usecs / 1000000.0;
}

int run_verify_time(const struct run *run, enum ast_time_kind kind,
		    int64_t script_usecs, int64_t script_usecs_end,
		    int64_t live, int64_t last_event_usecs, int64_t offset,
		    const char *what, char **error)
{
	int64_t tolerance = run->config->tolerance_usecs;

	if (kind == TIME_ANY || kind == TIME_NONE)
		return 0;
	if (last_event_usecs >= 0) {
		int64_t dyn = (int64_t)(run->config->tolerance_percent /
					100.0 *
					(double)(script_usecs -
						 last_event_usecs));
		if (dyn > tolerance)
			tolerance = dyn;
	}
	if (kind == TIME_ABSOLUTE_RANGE || kind == TIME_RELATIVE_RANGE) {
		if (live >= script_usecs - tolerance &&
		    live <= script_usecs_end + tolerance)
			return 0;
		if (kind == TIME_ABSOLUTE_RANGE)
			*error = strdup_printf(
				"timing error: expected %s in time range "
				"%.6f~%.6f sec but happened at %.6f sec",
				what, secs(script_usecs),
				secs(script_usecs_end), secs(live));
		else
			return fail(error,
				"timing error: expected %s in relative time "
				"range +%.6f~+%.6f sec but happened at %+.6f "
				"sec", what, secs(script_usecs - offset),
				secs(script_usecs_end - offset),
				secs(live - offset));
	}
	if (live >= script_usecs - tolerance &&
	    live <= script_usecs + tolerance)
		return 0;
	return fail(error,
		"timing error: expected %s at %.6f sec but happened at %.6f "
		"sec; tolerance %.6f sec", what, secs(script_usecs),
		secs(live), secs(tolerance));
}

int run_retry_parked(struct run *run, char **error)
{
	return syscalls_retry(run, error);
}

int run_advance_to(struct run *run, int64_t t, char **error)
{
	struct sut *sut = run->sut;
	int same = 0;
	int64_t last = -1;

	for (;;) {
		int64_t now = sut->ops->now(sut);
		int64_t next = sut->ops->next_event(sut);
		int64_t dl = syscalls_parked_deadline(run);

		if (dl < next)
			next = dl;
		if (next == INT64_MAX || next > t)
			break;
		if (next < now)
			next = now;
		/* A timer that stays due without the clock moving would
		 * loop forever; let the stack have a few goes, then move on
		 * (it is a stack bug, not the script's). */
		if (next == last && ++same > 1000)
			break;
		if (next != last)
			same = 0;
		last = next;
		sut->ops->advance(sut, next);
		if (syscalls_retry(run, error))
			return -1;
	}
	if (t > sut->ops->now(sut))
		sut->ops->advance(sut, t);
	return syscalls_retry(run, error);
}

static const char *event_description(const struct ast_event *ev)
{
	switch (ev->kind) {
	case EVENT_PACKET:
		return ev->u.packet->direction == DIR_INBOUND ?
		       "inbound packet" : "outbound packet";
	case EVENT_SYSCALL:
		return "system call start";
	case EVENT_COMMAND:
		return "command";
	case EVENT_CODE:
		return "data collection for code";
	}
	return "invalid event";
}

static bool is_inbound_packet(const struct ast_event *ev)
{
	return ev && ev->kind == EVENT_PACKET &&
	       ev->u.packet->direction == DIR_INBOUND;
}

static bool is_absolute(const struct ast_event *ev)
{
	return ev->time.kind == TIME_ABSOLUTE ||
	       ev->time.kind == TIME_ABSOLUTE_RANGE;
}

/* Fix the event's absolute script time (packetdrill's
 * adjust_relative_event_times()). */
static void event_times(struct run *run, const struct ast_event *ev)
{
	const struct ast_time *t = &ev->time;
	int64_t offset = 0;

	run->event_time = t->usecs;
	run->event_time_end = t->end_usecs;
	if (t->kind == TIME_RELATIVE || t->kind == TIME_RELATIVE_RANGE ||
	    t->kind == TIME_ANY) {
		if (run->last_event && is_inbound_packet(run->last_event) &&
		    is_inbound_packet(ev))
			offset = run->last_event_time;
		else
			offset = run_now(run);
		if (t->kind == TIME_ANY)
			run->event_time = offset;
		else
			run->event_time += offset;
		if (t->kind == TIME_RELATIVE_RANGE)
			run->event_time_end += offset;
	}
	run->event_offset = offset;
}

/* packetdrill's wait_for_event(): move to the event's time, then check
 * that we are not late. */
static int wait_for_event(struct run *run, const struct ast_event *ev,
			  char **error)
{
	char *why = NULL;

	if (run_advance_to(run, run->event_time, error))
		return -1;
	if (run->num_events > 0 &&
	    run_verify_time(run, ev->time.kind, run->event_time,
			    run->event_time_end, run_now(run),
			    run->last_event ? run->last_event_time : -1,
			    run->event_offset, event_description(ev), &why)) {
		char *msg = run_msg(run, ev->loc.line, "%s", why);

		free(why);
		return run_fail(run, false, msg, error);
	}
	return 0;
}

static int run_inbound(struct run *run, const struct ast_event *ev,
		       char **error)
{
	char *why = NULL;

	if (wait_for_event(run, ev, error))
		return -1;
	if (run_packet_inbound(run->packets, ev, &why)) {
		if (run_fail(run, run->config->non_fatal_packet, why, error))
			return -1;
	}
	return run_retry_parked(run, error);
}

static int run_outbound(struct run *run, const struct ast_event *ev,
			char **error)
{
	int64_t latest, limit, t_us = 0;
	bool real_clock;
	char *why = NULL;
	int stuck = 0;

	if (ev->time.kind == TIME_ANY)
		latest = INT64_MAX;
	else if (ev->time.kind == TIME_ABSOLUTE_RANGE ||
		 ev->time.kind == TIME_RELATIVE_RANGE)
		latest = run->event_time_end + run->config->tolerance_usecs;
	else
		latest = run->event_time + run->config->tolerance_usecs;
	/* A real clock waits as packetdrill's sniffer does
	 * (sniff_outbound_live_packet): from now, the whole seconds of the
	 * event's offset from the previous event plus 2 s, so that a late
	 * packet is reported with its time ("timing error: ... but happened
	 * at") and recorded, as packetdrill reports it; only a packet that
	 * never comes times out. */
	real_clock = !(run->sut->ops->caps & SUT_CAP_VIRTUAL_CLOCK);
	if (real_clock && latest != INT64_MAX) {
		int64_t base = run->last_event ? run->last_event_time : 0;
		int64_t span = run->event_time - base;

		if ((ev->time.kind == TIME_ABSOLUTE_RANGE ||
		     ev->time.kind == TIME_RELATIVE_RANGE) &&
		    run->event_time_end - base > span)
			span = run->event_time_end - base;
		if (span < 0)
			span = 0;
		limit = run_now(run) + (span / 1000000 + 2) * 1000000;
	} else {
		limit = latest == INT64_MAX ? INT64_MAX :
			latest + OUTBOUND_GRACE_USECS;
	}

	for (;;) {
		int rc = run_packet_outbound(run->packets, ev, &t_us, &why);
		int64_t next, dl;

		if (rc == RUN_PACKET_MATCHED)
			break;
		if (rc == RUN_PACKET_ERROR)
			return run_fail(run, run->config->non_fatal_packet,
					why, error);
		next = run->sut->ops->next_event(run->sut);
		dl = syscalls_parked_deadline(run);
		if (dl < next)
			next = dl;
		if (next == INT64_MAX || next > limit) {
			char *msg = run_msg(run, ev->loc.line,
					    "error handling packet: Timed out "
					    "waiting for packet (nothing sent "
					    "by %.6f sec)",
					    secs(next == INT64_MAX ?
						 run_now(run) : limit));

			return run_fail(run, run->config->non_fatal_packet,
					msg, error);
		}
		/* A timer that stays due without the clock moving is a
		 * back-end bug; say so instead of spinning. */
		if (next <= run_now(run) && ++stuck > 1000) {
			*error = run_msg(run, ev->loc.line,
					 "error handling packet: the system "
					 "under test's timer at %.6f sec does "
					 "not advance", secs(next));
			return -1;
		}
		if (run_advance_to(run, next, error))
			return -1;
	}
	if (run_verify_time(run, ev->time.kind, run->event_time,
			    run->event_time_end, t_us,
			    run->last_event ? run->last_event_time : -1,
			    run->event_offset, "outbound packet", &why)) {
		char *msg = run_msg(run, ev->loc.line,
				    "error handling packet: %s", why);

		free(why);
		run_packet_add_matched(run->packets, &msg);
		return run_fail(run, run->config->non_fatal_packet, msg,
				error);
	}
	return 0;
}

static int run_packet_event(struct run *run, const struct ast_event *ev,
			    char **error)
{
	packet_ctx_set_event_time(run->packets, run->event_time);
	if (ev->u.packet->direction == DIR_INBOUND)
		return run_inbound(run, ev, error);
	return run_outbound(run, ev, error);
}

static int run_syscall(struct run *run, const struct ast_event *ev,
		       char **error)
{
	/* One blocking call at a time: packetdrill waits up to a second for
	 * the previous one to finish before starting the next call. */
	if (syscalls_parked(run)) {
		int64_t until = run_now(run) + 1000000;
		int stuck = 0;

		if (run->event_time > run_now(run) &&
		    run_advance_to(run, run->event_time, error))
			return -1;
		while (syscalls_parked(run)) {
			int64_t next = run->sut->ops->next_event(run->sut);
			int64_t dl = syscalls_parked_deadline(run);

			if (dl < next)
				next = dl;
			if (next == INT64_MAX || next > until ||
			    (next <= run_now(run) && ++stuck > 1000))
				break;
			if (run_advance_to(run, next, error))
				return -1;
		}
		if (syscalls_parked(run) && ev->time.has_block_end) {
			*error = run_msg(run, ev->loc.line,
					 "runtime error in %s call: blocking "
					 "system call while another blocking "
					 "system call is already in progress",
					 ev->u.syscall->name);
			return -1;
		}
	}
	if (wait_for_event(run, ev, error))
		return -1;
	if (run_syscall_event(run, ev, error))
		return -1;
	return run_retry_parked(run, error);
}

static int run_command(struct run *run, const struct ast_event *ev,
		       char **error)
{
	char *why = NULL;
	int r;

	if (wait_for_event(run, ev, error))
		return -1;
	if (run->config->verbose > 0) {
		printf("command: %9.6f `%s`\n", secs(run_now(run)),
		       ev->u.command->text);
		fflush(stdout);
	}
	trace_command(run->trace, ev->loc.line, ev->u.command->text);
	r = command_run(run->commands, ev->u.command->text, ev->loc.line,
			&why);
	if (r == COMMAND_UNSUPPORTED) {
		/* never non-fatal: what follows would fail for another
		 * reason, far from the cause */
		run->unsupported = true;
		*error = run_msg(run, ev->loc.line, "error: %s", why);
		free(why);
		return -1;
	}
	if (r) {
		char *msg = run_msg(run, ev->loc.line,
				    "error executing `%s` command: %s",
				    ev->u.command->text, why);

		free(why);
		return run_fail(run, false, msg, error);
	}
	return run_retry_parked(run, error);
}

static int run_code(struct run *run, const struct ast_event *ev,
		    char **error)
{
	if (wait_for_event(run, ev, error))
		return -1;
	if (run->config->verbose > 0)
		printf("code: %9.6f tcp_info of fd %d kept for the block at "
		       "line %d\n", secs(run_now(run)), run_fd_under_test(run),
		       ev->loc.line);
	trace_code(run->trace, ev->loc.line);
	return code_collect(run->code, run_fd_under_test(run), ev, error);
}

/* ev is no longer the last event: free it, unless the run still needs
 * it (a code block's text runs at the end; a parked call reads its
 * event when it completes). */
static void event_let_go(struct run *run, const struct ast_event *ev)
{
	if (!ev)
		return;
	if (ev->kind != EVENT_CODE && ev != syscalls_parked_event(run)) {
		ast_event_free(ev);
		return;
	}
	if (run->nheld == run->held_cap) {
		int cap = run->held_cap ? 2 * run->held_cap : 8;
		const struct ast_event **h = realloc(run->held,
						     (size_t)cap * sizeof(*h));

		if (!h)
			abort();
		run->held = h;
		run->held_cap = cap;
	}
	run->held[run->nheld++] = ev;
}

/* At the end of the run: every event still loaded. */
static void events_free(struct run *run)
{
	int i;

	if (run->event != run->last_event)
		ast_event_free(run->event);
	ast_event_free(run->last_event);
	for (i = 0; i < run->nheld; i++)
		ast_event_free(run->held[i]);
	free(run->held);
	run->event = run->last_event = NULL;
	run->held = NULL;
	run->nheld = run->held_cap = 0;
}

/* The events, in order. 0, or -1 with *error. */
static int run_events(struct run *run, char **error)
{
	const struct ast_event *ev;
	int rc = 0, i;

	for (i = 0; i < run->script->nevents; i++) {
		ev = script_event_load(run->script, i);
		if (!ev) {
			*error = run_msg(run, run->script->events[i].line,
					 "error: cannot load this event (out "
					 "of memory)");
			return -1;
		}
		if (!run->last_event && ev->time.usecs != 0 &&
		    ev->time.kind != TIME_ANY) {
			*error = run_msg(run, ev->loc.line,
					 "first event should be at time 0");
			ast_event_free(ev);
			return -1;
		}
		if (run->last_event && is_absolute(run->last_event) &&
		    is_absolute(ev) && ev->time.usecs < run->last_event_time) {
			*error = run_msg(run, ev->loc.line,
					 "time goes backward in script from "
					 "%" PRId64 " usec to %" PRId64
					 " usec", run->last_event_time,
					 ev->time.usecs);
			ast_event_free(ev);
			return -1;
		}
		run->event = ev;
		event_times(run, ev);
		switch (ev->kind) {
		case EVENT_PACKET:
			rc = run_packet_event(run, ev, error);
			break;
		case EVENT_SYSCALL:
			rc = run_syscall(run, ev, error);
			break;
		case EVENT_COMMAND:
			rc = run_command(run, ev, error);
			break;
		case EVENT_CODE:
			rc = run_code(run, ev, error);
			break;
		}
		trace_event_done(run->trace);
		if (rc)
			return -1;
		event_let_go(run, run->last_event);
		run->last_event = ev;
		run->last_event_time = run->event_time;
		run->num_events++;
	}

	/* packetdrill gives a blocking call that is still running up to a
	 * second to finish before it exits (await_idle_thread), and goes on
	 * as soon as it has: the clock stops where the call ended. */
	if (syscalls_parked(run)) {
		int line = syscalls_parked_line(run);
		int64_t until = run_now(run) + 1000000;
		int stuck = 0;

		while (syscalls_parked(run) && run_now(run) < until) {
			int64_t next = run->sut->ops->next_event(run->sut);
			int64_t dl = syscalls_parked_deadline(run);

			if (dl < next)
				next = dl;
			if (next > until ||
			    (next <= run_now(run) && ++stuck > 1000))
				next = until;
			if (run_advance_to(run, next, error))
				return -1;
		}
		if (syscalls_parked(run)) {
			*error = run_msg(run, line, "runtime error: exiting "
					 "while a blocking system call is in "
					 "progress");
			return -1;
		}
	}
	return 0;
}

/* --init_scripts: comma-separated shell scripts run before the script's
 * own init command, with the same sysctl redirection. */
static int run_init_scripts(struct run *run, char **error)
{
	char *list, *p, *save = NULL;
	int rc = 0;

	if (!run->config->init_scripts || !*run->config->init_scripts)
		return 0;
	list = strdup(run->config->init_scripts);
	if (!list)
		abort();
	for (p = strtok_r(list, ",", &save); p && !rc;
	     p = strtok_r(NULL, ",", &save)) {
		char *why = NULL;

		if (command_run(run->commands, p, 0, &why)) {
			*error = strdup_printf(
				"%s: error executing init script '%s': %s",
				run->config->script_path, p, why);
			free(why);
			rc = -1;
		}
	}
	free(list);
	return rc;
}

/* The i-th socket of the run's table, for /proc/net/tcp (command_sock_fn). */
static bool run_socket_at(void *ctx, int i, struct command_sock *out)
{
	const struct run *run = ctx;
	const struct socket *sk;

	for (sk = run->sockets ? run->sockets->sockets : NULL; sk && i > 0;
	     sk = sk->next)
		i--;
	if (!sk)
		return false;
	out->fd = sk->fd;
	out->domain = sk->domain;
	out->protocol = sk->protocol;
	out->local.family = sk->live.local.family;
	memcpy(out->local.ip, sk->live.local.ip, sizeof(out->local.ip));
	out->local.port = sk->live.local.port;
	out->remote.family = sk->live.remote.family;
	memcpy(out->remote.ip, sk->live.remote.ip, sizeof(out->remote.ip));
	out->remote.port = sk->live.remote.port;
	return true;
}

/* The untimed command before the first event: 0, or the run's status
 * (1, RUN_UNSUPPORTED) with *error. */
static int run_init_command(struct run *run, const struct ast_command *cmd,
			    char **error)
{
	char *err = NULL;
	int r = command_run(run->commands, cmd->text, cmd->loc.line, &err);

	if (r == COMMAND_UNSUPPORTED)
		*error = strdup_printf("%s:%d: error: %s",
				       run->config->script_path,
				       cmd->loc.line, err);
	else if (r)
		*error = strdup_printf("%s: error executing init command: "
				       "%s", run->config->script_path, err);
	free(err);
	return r == COMMAND_UNSUPPORTED ? RUN_UNSUPPORTED : r ? 1 : 0;
}

int run_script(struct config *config, struct script *script, char **error)
{
	struct run run;
	char *err = NULL;
	int status = 0, rc_events;
	bool init_ran = false;

	*error = NULL;
	memset(&run, 0, sizeof(run));
	run.config = config;
	run.script = script;
	run.last_event_time = -1;
	if (!config->script_path)
		config->script_path = script->name;

	run.sut = sut_new(config, &err);
	if (!run.sut) {
		*error = strdup_printf("%s: error: %s", config->script_path,
				       err ? err : "cannot start the stack");
		free(err);
		return 2;
	}
	run.sockets = socket_table_new(config);
	run.packets = packet_ctx_new(config, run.sut, run.sockets);
	run.sut->ops->set_output(run.sut, packet_ctx_capture, run.packets);
	run.trace = trace_new(config);
	trace_attach(run.trace, &run);
	run.syscalls = syscalls_new(&run);
	run.code = code_new(config, run.sut);
	run.commands = commands_new(run.sut, config, &err);
	if (run.commands)
		commands_set_sockets(run.commands, run_socket_at, &run);
	if (!run.commands || !run.syscalls || !run.code) {
		*error = strdup_printf("%s: error: %s", config->script_path,
				       err ? err : "out of memory");
		free(err);
		status = 2;
		goto out;
	}

	if (run_init_scripts(&run, error)) {
		status = 1;
		goto out;
	}
	if (script->init_command) {
		status = run_init_command(&run, script->init_command, error);
		if (status)
			goto out;
		init_ran = true;
	}

	trace_event_done(run.trace);	/* what the init command did */
	commands_set_timed(run.commands, true);
	rc_events = run_events(&run, &err);
	commands_set_timed(run.commands, false);
	if (run.sut->ops->events_done)
		run.sut->ops->events_done(run.sut);
	if (rc_events) {
		char *tail = trace_tail(run.trace, run_fd_under_test(&run),
					12);

		/* the error report ends with what led to it */
		if (tail) {
			*error = strdup_printf("%s\n%s", err, tail);
			free(err);
			free(tail);
		} else {
			*error = err;
		}
		err = NULL;
		status = run.unsupported ? RUN_UNSUPPORTED : 1;
	}

	/* The cleanup command runs whether the events passed or not
	 * (packetdrill runs it from die() too), once the init command ran. */
	if (script->cleanup_command && init_ran) {
		if (command_run(run.commands, script->cleanup_command->text,
				script->cleanup_command->loc.line, &err)) {
			char *msg = strdup_printf(
				"%s: error executing cleanup command: %s",
				config->script_path, err);

			free(err);
			err = NULL;
			if (status == 0) {
				*error = msg;
				status = 1;
			} else {
				fprintf(stderr, "%s\n", msg);
				free(msg);
			}
		}
	}

	/* code_execute's message is complete (packetdrill's wording). */
	if (status == 0 && code_execute(run.code, &err)) {
		*error = err;
		err = NULL;
		status = 1;
	}

	if (status == 0 && config->verbose > 0)
		printf("%s: pass (%d events, %.6f sec virtual time%s)\n",
		       config->script_path, run.num_events,
		       secs(run_now(&run)),
		       run.failures ? ", with non-fatal failures" : "");
out:
	if (run.trace) {
		char *werr = NULL;

		trace_event_done(run.trace);
		trace_detach(run.trace);
		if (status != 2 && trace_finish(run.trace, status, *error,
						&werr)) {
			fprintf(stderr, "%s: error: %s\n", config->script_path,
				werr ? werr : "cannot write the trace");
			if (status == 0)
				status = 2;
		}
		free(werr);
	}
	if (run_packet_observer) {
		run_packet_observer->end_us = run_now(&run);
		run_packet_observer->num_events = run.num_events;
	}
	commands_free(run.commands);
	code_free(run.code);
	syscalls_free(run.syscalls);
	events_free(&run);
	packet_ctx_free(run.packets);
	socket_table_free(run.sockets);
	trace_free(run.trace);
	run.sut->ops->destroy(run.sut);
	return status;
}
