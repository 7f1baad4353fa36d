/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_poll.c: poll, epoll_create, epoll_create1, epoll_ctl and
 * epoll_wait. */
#include "syscall_priv.h"

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

/* poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, timeout) */
static int prep_poll(struct run *run, struct call *c, char **error)
{
	const struct ast_expr_list *l;
	int64_t nfds, v;
	int i = 0;

	if (check_nargs(c, 3, error))
		return -1;
	if (c->arg[0]->kind != EXPR_ARRAY)
		return bad_type(c->arg[0], "list", error);
	for (l = c->arg[0]->u.list; l; l = l->next)
		c->nfds++;
	c->pfds = calloc(c->nfds ? c->nfds : 1, sizeof(struct pollfd));
	if (!c->pfds)
		abort();
	for (l = c->arg[0]->u.list; l; l = l->next, i++) {
		const struct ast_expr *fd = field(l->expr, "fd", 0);
		const struct ast_expr *ev = field(l->expr, "events", 1);
		const struct ast_expr *rev = field(l->expr, "revents", 2);

		if (!fd || !ev || !rev)
			return bad_type(l->expr, "pollfd", error);
		if (eval_s32(fd, &v, error) ||
		    to_live_fd(run, v, &c->pfds[i].fd, error))
			return -1;
		if (eval_s32(ev, &v, error))
			return -1;
		c->pfds[i].events = (short)v;
		if (eval_s32(rev, &v, error))
			return -1;
	}
	if (arg_s32(c, 1, &nfds, error) || arg_s32(c, 2, &c->i1, error))
		return -1;
	if (nfds != c->nfds) {
		return fail(error,
			    "nfds %d does not match %d-element pollfd array",
			    (int)nfds, c->nfds);
	}
	return 0;
}

static int64_t inv_poll(struct run *run, struct call *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		c->pfds[i].revents = 0;
	return run->sut->ops->poll(run->sut, c->pfds, (nfds_t)c->nfds,
				   (int)c->i1, &c->wait);
}

static const struct {
	int bit;
	const char *name;
} poll_names[] = {
	{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" }, { POLLOUT, "POLLOUT" },
	{ POLLERR, "POLLERR" }, { POLLHUP, "POLLHUP" },
	{ POLLNVAL, "POLLNVAL" }, { POLLRDNORM, "POLLRDNORM" },
	{ POLLRDBAND, "POLLRDBAND" }, { POLLWRNORM, "POLLWRNORM" },
	{ POLLWRBAND, "POLLWRBAND" }, { POLLMSG, "POLLMSG" },
	{ POLLRDHUP, "POLLRDHUP" },
};

/* "POLLIN|POLLOUT", packetdrill's flags_to_string(). */
static char *poll_string(int flags)
{
	char buf[256] = "";
	size_t i;

	for (i = 0; i < sizeof(poll_names) / sizeof(poll_names[0]); i++) {
		if (flags & poll_names[i].bit) {
			if (buf[0])
				strcat(buf, "|");
			strcat(buf, poll_names[i].name);
			flags &= ~poll_names[i].bit;
		}
	}
	if (flags) {
		if (buf[0])
			strcat(buf, "|");
		sprintf(buf + strlen(buf), "0x%x", (unsigned)flags);
	}
	if (!buf[0])
		strcpy(buf, "0");
	return strdup_printf("%s", buf);
}

static int chk_poll(struct run *run, struct call *c, int64_t result,
		    char **error)
{
	const struct ast_expr_list *l;
	int i = 0;

	if (result < 0)
		return 0;
	for (l = c->arg[0]->u.list; l; l = l->next, i++) {
		int64_t want;

		if (eval_s32(field(l->expr, "revents", 2), &want, error))
			return -1;
		if (c->pfds[i].revents != (short)want) {
			char *w = poll_string((int)want);
			char *g = poll_string(c->pfds[i].revents);

			*error = strdup_printf(
				"Expected revents of %s but got %s for "
				"pollfd %d", w, g, i);
			free(w);
			free(g);
			return -1;
		}
	}
	return 0;
}

static int prep_epoll_create(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 1, error))
		return -1;
	return arg_s32(c, 0, &c->i1, error);
}

static int64_t inv_epoll_create(struct run *run, struct call *c)
{
	/* epoll_create(size) takes no flags; size must be > 0 */
	if (!strcmp(c->sc->name, "epoll_create")) {
		if (c->i1 <= 0)
			return -EINVAL;
		return run->sut->ops->epoll_create(run->sut, 0);
	}
	return run->sut->ops->epoll_create(run->sut, (int)c->i1);
}

static int chk_epoll_create(struct run *run, struct call *c, int64_t result,
			    char **error)
{
	int64_t script_fd;

	if (result < 0)
		return 0;
	return eval_s32(c->sc->result, &script_fd, error) ||
	       add_fd(run, (int)script_fd, (int)result, error) ? -1 : 0;
}

/* {events=EPOLLIN, fd=4} / ptr= / u32= / u64= */
static int epoll_event_from_expr(struct run *run, const struct ast_expr *e,
				 struct epoll_event *ev, int *kind,
				 int script_fd, int live_fd, char **error)
{
	const struct ast_expr *events = field(e, "events", 0), *d;
	int64_t v;

	if (e->kind != EXPR_STRUCT || !events)
		return bad_type(e, "epoll_event", error);
	memset(ev, 0, sizeof(*ev));
	if (eval_s32(events, &v, error))
		return -1;
	ev->events = (uint32_t)v;
	if ((d = field(e, "ptr", -1))) {
		if (syscall_eval_int(d, &v, error))
			return -1;
		ev->data.u64 = (uint64_t)v;
		*kind = 2;
	} else if ((d = field(e, "fd", 1))) {
		if (eval_s32(d, &v, error))
			return -1;
		if (script_fd == -1) {
			if (to_live_fd(run, v, &live_fd, error))
				return -1;
		} else if (v != script_fd) {
			return fail(error, "wrong fd specified in epoll_event");
		}
		ev->data.fd = live_fd;
		*kind = 1;
	} else if ((d = field(e, "u32", -1))) {
		if (syscall_eval_int(d, &v, error))
			return -1;
		ev->data.u32 = (uint32_t)v;
		*kind = 3;
	} else if ((d = field(e, "u64", -1))) {
		if (syscall_eval_int(d, &v, error))
			return -1;
		ev->data.u64 = (uint64_t)v;
		*kind = 4;
	} else {
		return fail(error, "epoll_event specified incorrectly");
	}
	return 0;
}

static int prep_epoll_ctl(struct run *run, struct call *c, char **error)
{
	int64_t fd;
	int live;

	if (check_nargs(c, 4, error) || fd_arg(run, c, 0, error) ||
	    arg_s32(c, 1, &c->i1, error) || arg_s32(c, 2, &fd, error) ||
	    to_live_fd(run, fd, &live, error))
		return -1;
	c->i2 = live;
	return epoll_event_from_expr(run, c->arg[3], &c->ev, &c->ev_data,
				     (int)fd, live, error);
}

static int64_t inv_epoll_ctl(struct run *run, struct call *c)
{
	struct epoll_event ev = c->ev;

	return run->sut->ops->epoll_ctl(run->sut, c->fd, (int)c->i1,
					(int)c->i2, &ev);
}

static int prep_epoll_wait(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 4, error) || fd_arg(run, c, 0, error) ||
	    epoll_event_from_expr(run, c->arg[1], &c->ev, &c->ev_data, -1, -1,
				  error) ||
	    arg_s32(c, 2, &c->i1, error) || arg_s32(c, 3, &c->i2, error))
		return -1;
	c->evs = calloc(c->i1 > 0 ? (size_t)c->i1 : 1,
			sizeof(struct epoll_event));
	if (!c->evs)
		abort();
	return 0;
}

static int64_t inv_epoll_wait(struct run *run, struct call *c)
{
	return run->sut->ops->epoll_wait(run->sut, c->fd, c->evs, (int)c->i1,
					 (int)c->i2, &c->wait);
}

static int chk_epoll_wait(struct run *run, struct call *c, int64_t result,
			  char **error)
{
	const struct epoll_event *want = &c->ev, *got = &c->evs[0];

	if (result < 0)
		return 0;
	if (want->events != got->events) {
		return fail(error, "epoll_event->events does not match script: "
			    "expected: 0x%x actual: 0x%x",
			    want->events, got->events);
	}
	switch (c->ev_data) {
	case 1:
		if (want->data.fd != got->data.fd) {
			return fail(error,
				    "epoll_event->data does not match script: "
				    "expected: %d actual: %d",
				    want->data.fd, got->data.fd);
		}
		break;
	case 3:
		if (want->data.u32 != got->data.u32) {
			return fail(error,
				    "epoll_event->data does not match script: "
				    "expected: %u actual: %u",
				    want->data.u32, got->data.u32);
		}
		break;
	default:
		if (want->data.u64 != got->data.u64) {
			return fail(error,
				    "epoll_event->data does not match script: "
				    "expected: %llu actual: %llu",
				    (unsigned long long)want->data.u64,
				    (unsigned long long)got->data.u64);
		}
		break;
	}
	return 0;
}

const struct syscall_entry syscalls_poll[] = {
	{ "poll", prep_poll, inv_poll, chk_poll, CHECK_EXACT },
	{ "epoll_create", prep_epoll_create, inv_epoll_create,
	  chk_epoll_create, CHECK_FD },
	{ "epoll_create1", prep_epoll_create, inv_epoll_create,
	  chk_epoll_create, CHECK_FD },
	{ "epoll_ctl", prep_epoll_ctl, inv_epoll_ctl, NULL, CHECK_EXACT },
	{ "epoll_wait", prep_epoll_wait, inv_epoll_wait, chk_epoll_wait,
	  CHECK_EXACT },
	{ NULL, NULL, NULL, NULL, CHECK_EXACT },
};
