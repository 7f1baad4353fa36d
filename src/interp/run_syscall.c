/* SPDX-License-Identifier: GPL-2.0-only */
/* run_syscall.c: system call events, packetdrill's run_system_call.c
 * semantics on the seam of src/sut.h.
 *
 * Each supported call has three steps: prepare (turn the script's
 * expressions into live arguments: `...` means packetdrill's default, e.g.
 * the configured local address and --bind_port for bind()), invoke (call
 * the back end; may report SUT_EBLOCKED) and check (out-parameters after
 * the return value and errno matched). A call that blocks keeps its
 * prepared arguments in a struct call so it can be retried until it
 * completes. Error texts follow packetdrill's, which users grep for. */
#include "syscall_priv.h"
#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/errqueue.h>
#include <time.h>

#include "run.h"
#include "socket.h"
#include "symbols.h"
#include "sut.h"
#include "util.h"

void call_free(struct call *c)
{
	int i;

	if (!c)
		return;
	free(c->buf);
	if (c->iov) {
		for (i = 0; i < c->iovcnt; i++)
			free(c->iov[i].iov_base);
		free(c->iov);
	}
	free(c->path);
	free(c->msg.msg_name);
	free(c->msg.msg_control);
	free(c->expect_msg.msg_control);
	free(c->optval);
	free(c->pfds);
	free(c->evs);
	free(c);
}

struct syscalls *syscalls_new(struct run *run)
{
	return calloc(1, sizeof(struct syscalls));
}

void syscalls_free(struct syscalls *s)
{
	struct fd_map *m, *next;

	if (!s)
		return;
	for (m = s->fds; m; m = next) {
		next = m->next;
		if (m->host)
			close(m->live_fd);
		free(m);
	}
	call_free(s->parked);
	while (s->kept) {
		struct kept_buf *k = s->kept;

		s->kept = k->next;
		free(k->p);
		free(k);
	}
	free(s);
}

/* ---------------------------------------------------------------- *
 * file descriptors: script numbers to live numbers
 * ---------------------------------------------------------------- */

const struct fd_map *find_fd(const struct run *run, int script_fd)
{
	const struct fd_map *m;

	for (m = run->syscalls->fds; m; m = m->next)
		if (m->script_fd == script_fd)
			return m;
	return NULL;
}

int syscalls_live_fd(const struct run *run, int script_fd)
{
	const struct fd_map *m = find_fd(run, script_fd);

	return m && !m->host ? m->live_fd : -1;
}

int to_live_fd(struct run *run, int64_t script_fd, int *live,
	       char **error)
{
	const struct fd_map *m = find_fd(run, (int)script_fd);

	if (m && m->host) {
		return fail(error,
			"script fd %d is a file on the host, not a socket of "
			"the embedded stack", (int)script_fd);
	}
	*live = m ? m->live_fd : -1;
	if (*live < 0) {
		return fail(error, "unable to find socket with script fd %d",
			    (int)script_fd);
	}
	return 0;
}

int add_fd_kind(struct run *run, int script_fd, int live_fd,
		bool host, bool shadow, char **error);

int add_fd(struct run *run, int script_fd, int live_fd, char **error)
{
	return add_fd_kind(run, script_fd, live_fd, false, false, error);
}

/* shadow: the script fd may already be mapped; the new one wins. */
int add_fd_kind(struct run *run, int script_fd, int live_fd,
		bool host, bool shadow, char **error)
{
	struct fd_map *m;

	if (script_fd < 0) {
		return fail(error, "invalid socket fd %d in script", script_fd);
	}
	if (!shadow && find_fd(run, script_fd)) {
		return fail(error, "duplicate socket fd %d in script",
			    script_fd);
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		abort();
	m->script_fd = script_fd;
	m->live_fd = live_fd;
	m->host = host;
	m->next = run->syscalls->fds;
	run->syscalls->fds = m;
	return 0;
}

void remove_fd(struct run *run, int script_fd)
{
	struct fd_map **p, *m;

	for (p = &run->syscalls->fds; (m = *p); p = &m->next) {
		if (m->script_fd == script_fd) {
			*p = m->next;
			free(m);
			return;
		}
	}
}

/* ---------------------------------------------------------------- *
 * the generic part: result, errno, blocking, timing
 * ---------------------------------------------------------------- */

/* packetdrill's end_syscall(): compare the return value and errno. */
static int check_result(struct call *c, int64_t result, char **error)
{
	int actual = result < 0 ? -1 : (int)result;
	int actual_errno = result < 0 ? (int)-result : 0;
	int64_t expected;

	if (eval_s32(c->sc->result, &expected, error))
		return -1;
	if (c->entry->mode == CHECK_FD && expected >= 0) {
		if (actual < 0) {
			return fail(error,
				"Expected non-negative result but got %d with "
				"errno %d (%s)", actual, actual_errno,
				strerror(actual_errno));
		}
	} else if (actual != (int)expected) {
		if (actual < 0)
			return fail(error, "Expected result %d but got %d "
				    "with errno %d (%s)", (int)expected,
				    actual, actual_errno,
				    strerror(actual_errno));
		return fail(error, "Expected result %d but got %d",
			    (int)expected, actual);
	}
	if (c->sc->errno_name) {
		int64_t want;

		if (!symbol_lookup(c->sc->errno_name, &want)) {
			return fail(error, "unknown errno symbol '%s'",
				    c->sc->errno_name);
		}
		if (actual_errno != want) {
			return fail(error,
				"Expected errno %d (%s) but got %d (%s)",
				(int)want, strerror((int)want), actual_errno,
				strerror(actual_errno));
		}
	}
	return 0;
}

/* After a failed call on a socket, say what the stack was doing, in the
 * same form as packet errors (script-relative sequence numbers where the
 * socket table knows the ISNs). Returns msg, extended. */
static char *add_stack_state(struct run *run, const struct call *c,
			     char *msg)
{
	struct sut_sock_state st;
	uint32_t loc = 0, rem = 0;
	char *out;

	if (c->fd < 0 || c->fd_host || !run->sut->ops->sock_state ||
	    run->sut->ops->sock_state(run->sut, c->fd, &st) < 0)
		return msg;
	{
		const struct socket *sk = run->sockets ?
			socket_find_fd(run->sockets, c->fd) : NULL;

		if (sk && sk->state != SOCKET_NEW &&
		    sk->state != SOCKET_ACTIVE_CONNECTING &&
		    sk->state != SOCKET_PASSIVE_LISTENING) {
			loc = sk->live.local_isn;
			rem = sk->live.remote_isn;
		}
	}
	out = strdup_printf(
		"%s\nstack state (fd %d): %s snd_una %u snd_nxt %u rcv_nxt %u "
		"(script-relative) snd_cwnd %u snd_ssthresh %u"
		"\nstack state (fd %d): packets_out %u retrans_out %u "
		"sacked_out %u lost_out %u write_queue %u bytes recv_queue %u "
		"bytes rto %u us srtt %u us", msg, c->fd, st.state,
		st.snd_una - loc, st.snd_nxt - loc, st.rcv_nxt - rem,
		st.snd_cwnd, st.snd_ssthresh, c->fd, st.packets_out,
		st.retrans_out, st.sacked_out, st.lost_out,
		st.write_queue_bytes, st.recv_queue_bytes, st.rto_us,
		st.srtt_us);
	free(msg);
	return out;
}

/* -v: one line per call, its source text and what happened, at the
 * back end's time (like the packet lines of -v). */
static void trace_call(struct run *run, const struct call *c,
		       const char *what, int64_t result)
{
	const struct script *sc = run->script;
	const struct ast_loc *loc = &c->sc->loc;
	const char *p, *end;
	char res[64];

	if (!sc->line_starts || loc->line < 1 || loc->line > sc->nlines)
		return;
	p = sc->text + sc->line_starts[loc->line - 1] + loc->column - 1;
	end = p;
	while (end < sc->text + sc->len && *end != '\n' &&
	       (end[0] != '/' || end[1] != '/'))
		end++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (result == -SUT_EBLOCKED)
		snprintf(res, sizeof(res), "blocked");
	else if (result < 0)
		snprintf(res, sizeof(res), "returned -1 errno %d (%s)",
			 (int)-result, strerror((int)-result));
	else
		snprintf(res, sizeof(res), "returned %lld", (long long)result);
	if (run->trace) {
		char *src = strdup_printf("%.*s", (int)(end - p), p);
		char *r = strdup_printf("%s%s", what, res);

		trace_syscall(run->trace, loc->line, c->fd, src, r);
		free(src);
		free(r);
	}
	if (run->config->verbose <= 0)
		return;
	printf("system call: %9.6f %.*s [%s%s]\n", run_now(run) / 1000000.0,
	       (int)(end - p), p, what, res);
	fflush(stdout);
}

/* The call returned `result`: check it, and for a call the script marked
 * blocking check when it returned. Frees nothing. */
static int complete_call(struct run *run, struct call *c, int64_t result,
			 char **error)
{
	char *why = NULL;
	bool non_fatal = run->config->non_fatal_syscall;

	trace_call(run, c, "", result);
	if (check_result(c, result, &why) ||
	    (c->entry->check && c->entry->check(run, c, result, &why))) {
		char *msg = run_msg(run, c->event->loc.line,
				    "runtime error in %s call: %s",
				    c->sc->name, why);
		free(why);
		msg = add_stack_state(run, c, msg);
		return run_fail(run, non_fatal, msg, error);
	}
	if (c->blocking) {
		if (run_verify_time(run, c->event->time.kind, c->end_time, 0,
				    run_now(run), c->start_time, 0,
				    "system call return", &why)) {
			char *msg = run_msg(run, c->event->loc.line, "%s", why);

			free(why);
			msg = add_stack_state(run, c, msg);
			return run_fail(run, non_fatal, msg, error);
		}
	}
	return 0;
}

static const struct syscall_entry *find_entry(const char *name)
{
	static const struct syscall_entry *const tables[] = {
		syscalls_socket, syscalls_data, syscalls_file, syscalls_poll,
	};
	const struct syscall_entry *e;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (e = tables[i]; e->name; e++)
			if (!strcmp(e->name, name))
				return e;
	return NULL;
}

bool syscalls_parked(const struct run *run)
{
	return run->syscalls && run->syscalls->parked;
}

int64_t syscalls_parked_deadline(const struct run *run)
{
	if (!syscalls_parked(run))
		return INT64_MAX;
	return run->syscalls->parked->wait.deadline > 0 ?
	       run->syscalls->parked->wait.deadline : INT64_MAX;
}

const struct ast_event *syscalls_parked_event(const struct run *run)
{
	return syscalls_parked(run) ? run->syscalls->parked->event : NULL;
}

int syscalls_parked_line(const struct run *run)
{
	return syscalls_parked(run) ? run->syscalls->parked->event->loc.line :
	       0;
}

int syscalls_retry(struct run *run, char **error)
{
	struct call *c = run->syscalls->parked;
	int64_t r;
	int rc;

	if (!c)
		return 0;
	r = c->entry->invoke(run, c);
	if (r == -SUT_EBLOCKED)
		return 0;
	run->syscalls->parked = NULL;
	rc = complete_call(run, c, r, error);
	call_free(c);
	return rc;
}

static void add_blocked_note(char **error, const char *name, int64_t from,
			     int64_t to)
{
	char *first = *error, *nl = strchr(first, '\n');
	char *note = run_strdup_printf(
		" (the call blocked the script from %.6f to %.6f sec, and the "
		"lines after it never ran; a call meant to block needs an "
		"end time, e.g. \"+0...1 %s(...)\")", from / 1e6, to / 1e6,
		name);

	/* after the message's first line, before the stack state */
	*error = run_strdup_printf("%.*s%s%s", nl ? (int)(nl - first) :
				   (int)strlen(first), first, note,
				   nl ? nl : "");
	free(first);
	free(note);
}

int run_syscall_event(struct run *run, const struct ast_event *event,
		      char **error)
{
	const struct ast_syscall *sc = event->u.syscall;
	const struct syscall_entry *entry = find_entry(sc->name);
	const struct ast_expr_list *l;
	struct call *c;
	char *why = NULL;
	int64_t r, blocked_at = -1;
	int stuck = 0;

	if (!entry) {
		*error = run_msg(run, event->loc.line,
				 "error: system call '%s' is not supported by "
				 "the embedded stack", sc->name);
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->event = event;
	c->sc = sc;
	c->entry = entry;
	c->script_fd = -1;
	c->fd = -1;
	c->wait.deadline = INT64_MAX;
	c->start_time = run->event_time;
	c->blocking = event->time.has_block_end;
	if (c->blocking)
		c->end_time = event->time.block_end_usecs +
			(event->time.kind == TIME_RELATIVE ?
			 run->event_offset : 0);
	for (l = sc->args; l; l = l->next) {
		if (c->nargs < 8)
			c->arg[c->nargs] = l->expr;
		c->nargs++;
	}
	if (c->nargs > 8) {
		why = strdup_printf("too many arguments (%d)", c->nargs);
		goto fail;
	}
	if (entry->prepare(run, c, &why))
		goto fail;

	r = entry->invoke(run, c);
	if (r == -SUT_EBLOCKED && c->blocking) {
		trace_call(run, c, "", r);
		run->syscalls->parked = c;
		return 0;
	}
	/* A call the script did not mark as blocking blocks the whole
	 * script, as it would block packetdrill's main thread: only the
	 * back end's own timers can complete it. */
	if (r == -SUT_EBLOCKED)
		blocked_at = run_now(run);
	while (r == -SUT_EBLOCKED) {
		int64_t next = run->sut->ops->next_event(run->sut);
		int64_t dl = c->wait.deadline > 0 ? c->wait.deadline :
			     INT64_MAX;

		if (dl < next)
			next = dl;
		if (next <= run_now(run) && ++stuck > 1000) {
			why = strdup_printf(
				"the system under test's timer at %.6f sec "
				"does not advance", next / 1000000.0);
			goto fail;
		}
		if (next == INT64_MAX) {
			why = strdup_printf(
				"the call blocks and nothing can complete it "
				"(give it an end time, e.g. \"0...0.1 %s\", if "
				"it is meant to block)", sc->name);
			goto fail;
		}
		if (next < run_now(run))
			next = run_now(run);
		run->sut->ops->advance(run->sut, next);
		r = entry->invoke(run, c);
	}
	{
		int rc = complete_call(run, c, r, error);

		/* It blocked the script, as in packetdrill, until only the
		 * stack's timers ended it: say so, since the lines after it
		 * (the ACKs it may have waited for) never ran. */
		if (rc && blocked_at >= 0 && *error)
			add_blocked_note(error, sc->name, blocked_at,
					 run_now(run));
		call_free(c);
		return rc;
	}
fail:
	call_free(c);
	{
		char *msg = run_msg(run, event->loc.line,
				    "runtime error in %s call: %s", sc->name,
				    why);

		free(why);
		return run_fail(run, run->config->non_fatal_syscall, msg,
				error);
	}
}
