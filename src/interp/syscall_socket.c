/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_socket.c: socket, bind, listen, accept, accept4, connect,
 * close, shutdown, setsockopt, getsockopt, fcntl and ioctl. */
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

static int prep_socket(struct run *run, struct call *c, char **error)
{
	int64_t v;

	if (check_nargs(c, 3, error))
		return -1;
	c->i1 = run->config->socket_domain;
	if (!is_ellipsis(c->arg[0])) {
		if (arg_s32(c, 0, &v, error))
			return -1;
		c->i1 = v;
	}
	return arg_s32(c, 1, &c->i2, error) || arg_s32(c, 2, &c->i3, error) ?
	       -1 : 0;
}

static int64_t inv_socket(struct run *run, struct call *c)
{
	return run->sut->ops->socket(run->sut, (int)c->i1, (int)c->i2,
				     (int)c->i3);
}

static int chk_socket(struct run *run, struct call *c, int64_t result,
		      char **error)
{
	int64_t script_fd;

	if (result < 0)
		return 0;
	if (run->config->socket_domain == AF_INET6 &&
	    run->config->wire_protocol == AF_INET) {
		int off = 0;	/* IPv4-mapped IPv6: accept v4 peers */

		run->sut->ops->setsockopt(run->sut, (int)result, IPPROTO_IPV6,
					  IPV6_V6ONLY, &off, sizeof(off));
	}
	if (eval_s32(c->sc->result, &script_fd, error) ||
	    add_fd(run, (int)script_fd, (int)result, error))
		return -1;
	note_socket(run, (int)result, (int)c->i1, (int)c->i2, (int)c->i3);
	return 0;
}

static int prep_bind(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 3, error) || fd_arg(run, c, 0, error))
		return -1;
	if (is_ellipsis(c->arg[1])) {
		config_sockaddr(run->config, &run->config->live_local_ip,
				run->config->live_bind_port, &c->addr,
				&c->addrlen);
	} else if (sockaddr_from_expr(c->arg[1], &c->addr, &c->addrlen,
				      error)) {
		return -1;
	}
	if (!is_ellipsis(c->arg[2])) {
		int64_t v;

		if (arg_s32(c, 2, &v, error))
			return -1;
		c->addrlen = (socklen_t)v;
	}
	return 0;
}

static int64_t inv_bind(struct run *run, struct call *c)
{
	return run->sut->ops->bind(run->sut, c->fd,
				   (struct sockaddr *)&c->addr, c->addrlen);
}

static int chk_bind(struct run *run, struct call *c, int64_t result,
		    char **error)
{
	if (result == 0)
		note_bind(run, c->fd, (struct sockaddr *)&c->addr, c->addrlen);
	return 0;
}

/* listen(fd, backlog) and shutdown(fd, how): a socket and one int. */
static int prep_fd_int(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 2, error) || fd_arg(run, c, 0, error))
		return -1;
	return arg_s32(c, 1, &c->i1, error);
}

static int64_t inv_listen(struct run *run, struct call *c)
{
	return run->sut->ops->listen(run->sut, c->fd, (int)c->i1);
}

static int chk_listen(struct run *run, struct call *c, int64_t result,
		      char **error)
{
	if (result == 0)
		note_listen(run, c->fd);
	return 0;
}

static int prep_accept(struct run *run, struct call *c, char **error)
{
	bool four = !strcmp(c->sc->name, "accept4");

	if (check_nargs(c, four ? 4 : 3, error) || fd_arg(run, c, 0, error))
		return -1;
	if (ellipsis_arg(c, 1, error) || ellipsis_arg(c, 2, error))
		return -1;
	c->i1 = 0;
	if (four && arg_s32(c, 3, &c->i1, error))
		return -1;
	c->addrlen = sizeof(c->addr);
	return 0;
}

static int64_t inv_accept(struct run *run, struct call *c)
{
	c->addrlen = sizeof(c->addr);
	return run->sut->ops->accept(run->sut, c->fd,
				     (struct sockaddr *)&c->addr, &c->addrlen,
				     (int)c->i1, &c->wait);
}

static int chk_accept(struct run *run, struct call *c, int64_t result,
		      char **error)
{
	int64_t script_fd;

	if (result < 0)
		return 0;
	/* Unlike socket(), packetdrill lets an accepted socket take a
	 * script fd that an older, unclosed socket still has: the newest
	 * one answers to it from then on. */
	if (eval_s32(c->sc->result, &script_fd, error) ||
	    add_fd_kind(run, (int)script_fd, (int)result, false, true,
			error))
		return -1;
	note_accept(run, c->fd, (int)result);
	return 0;
}

/* The remote address for connect(), sendto() and sendmsg(): `...` means
 * the configured remote address and --connect_port; an integer is a bare
 * sa_family (AF_UNSPEC disconnects). */
int connect_addr(struct run *run, struct call *c,
		 const struct ast_expr *e, char **error)
{
	int64_t fam;

	c->has_addr = true;
	if (!e || is_ellipsis(e)) {
		config_sockaddr(run->config, &run->config->live_remote_ip,
				run->config->live_connect_port, &c->addr,
				&c->addrlen);
		return 0;
	}
	if (e->kind == EXPR_STRUCT)
		return sockaddr_from_expr(e, &c->addr, &c->addrlen, error);
	if (eval_s32(e, &fam, error))
		return -1;
	memset(&c->addr, 0, sizeof(c->addr));
	c->addr.ss_family = (sa_family_t)fam;
	c->addrlen = sizeof(struct sockaddr);
	return 0;
}

static int prep_connect(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 3, error) || fd_arg(run, c, 0, error))
		return -1;
	if (connect_addr(run, c, c->arg[1], error))
		return -1;
	return ellipsis_arg(c, 2, error);
}

static int64_t inv_connect(struct run *run, struct call *c)
{
	int64_t r = run->sut->ops->connect(run->sut, c->fd,
					   (struct sockaddr *)&c->addr,
					   c->addrlen, &c->wait);

	if (c->addr.ss_family != AF_UNSPEC &&
	    (r >= 0 || r == -SUT_EBLOCKED || r == -EINPROGRESS ||
	     r == -EALREADY))
		note_connect(run, c);
	else if (c->addr.ss_family == AF_UNSPEC && r == 0)
		note_disconnect(run, c->fd);
	return r;
}

static int prep_close(struct run *run, struct call *c, char **error)
{
	const struct fd_map *m;
	int64_t v;

	if (check_nargs(c, 1, error) || arg_s32(c, 0, &v, error))
		return -1;
	m = find_fd(run, (int)v);
	if (m && m->host) {
		c->script_fd = (int)v;
		c->fd = m->live_fd;
		c->fd_host = true;
		return 0;
	}
	return fd_arg(run, c, 0, error);
}

static int64_t inv_close(struct run *run, struct call *c)
{
	if (c->fd_host)
		return close(c->fd) ? -errno : 0;
	return run->sut->ops->close(run->sut, c->fd, &c->wait);
}

static int chk_close(struct run *run, struct call *c, int64_t result,
		     char **error)
{
	if (result == 0) {
		if (!c->fd_host)
			note_close(run, c->fd);
		remove_fd(run, c->script_fd);
	}
	return 0;
}


static int64_t inv_shutdown(struct run *run, struct call *c)
{
	return run->sut->ops->shutdown(run->sut, c->fd, (int)c->i1);
}

static int prep_setsockopt(struct run *run, struct call *c, char **error)
{
	const struct ast_expr *v;
	int64_t n;

	if (check_nargs(c, 5, error) || fd_arg(run, c, 0, error) ||
	    arg_s32(c, 1, &c->i1, error) || arg_s32(c, 2, &c->i2, error) ||
	    arg_s32(c, 4, &n, error))
		return -1;
	c->optlen = (socklen_t)n;
	v = c->arg[3];
	if (v->kind == EXPR_ARRAY) {
		if (bracketed_s32(v, &n, error))
			return -1;
		c->optint = (int)n;
		c->optval = script_buffer(sizeof(int) > c->optlen ?
					  sizeof(int) : c->optlen, error);
		if (!c->optval)
			return -1;
		memcpy(c->optval, &c->optint, sizeof(int));
	} else if (v->kind == EXPR_STRING) {
		size_t len = v->u.string.len + 1 > c->optlen ?
			     v->u.string.len + 1 : c->optlen;

		c->optval = script_buffer(len, error);
		if (!c->optval)
			return -1;
		memcpy(c->optval, v->u.string.bytes, v->u.string.len);
	} else if (v->kind == EXPR_STRUCT && field(v, "l_onoff", 0) &&
		   field(v, "l_linger", 1)) {
		if (eval_s32(field(v, "l_onoff", 0), &n, error))
			return -1;
		c->linger.l_onoff = (int)n;
		if (eval_s32(field(v, "l_linger", 1), &n, error))
			return -1;
		c->linger.l_linger = (int)n;
		c->optval = malloc(sizeof(c->linger));
		if (!c->optval)
			abort();
		memcpy(c->optval, &c->linger, sizeof(c->linger));
	} else if (v->kind == EXPR_STRUCT && field(v, "onoff", 0) &&
		   field(v, "linger", 1)) {
		if (eval_s32(field(v, "onoff", 0), &n, error))
			return -1;
		c->linger.l_onoff = (int)n;
		if (eval_s32(field(v, "linger", 1), &n, error))
			return -1;
		c->linger.l_linger = (int)n;
		c->optval = malloc(sizeof(c->linger));
		if (!c->optval)
			abort();
		memcpy(c->optval, &c->linger, sizeof(c->linger));
	} else if (v->kind == EXPR_WORD && !strcmp(v->u.word.name, "NULL")) {
		c->optval = NULL;
	} else {
		return fail(error, "unsupported setsockopt value type: %s",
			    expr_type_name(v));
	}
	return 0;
}

static int64_t inv_setsockopt(struct run *run, struct call *c)
{
	return run->sut->ops->setsockopt(run->sut, c->fd, (int)c->i1,
					 (int)c->i2, c->optval, c->optlen);
}

static int prep_getsockopt(struct run *run, struct call *c, char **error)
{
	int64_t n;

	if (check_nargs(c, 5, error) || fd_arg(run, c, 0, error) ||
	    arg_s32(c, 1, &c->i1, error) || arg_s32(c, 2, &c->i2, error) ||
	    bracketed_s32(c->arg[4], &n, error))
		return -1;
	c->i3 = n;		/* the script's optlen */
	c->optlen = (socklen_t)n;
	c->optval = script_buffer(n > 0 ? (size_t)n : 0, error);
	return c->optval ? 0 : -1;
}

static int64_t inv_getsockopt(struct run *run, struct call *c)
{
	c->optlen = (socklen_t)c->i3;
	return run->sut->ops->getsockopt(run->sut, c->fd, (int)c->i1,
					 (int)c->i2, c->optval, &c->optlen);
}

static char *printable(const char *s, size_t len)
{
	char *out = malloc(len * 4 + 1), *p = out;
	size_t i;

	if (!out)
		abort();
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 32 && ch < 127)
			*p++ = (char)ch;
		else
			p += sprintf(p, "\\x%02x", ch);
	}
	*p = 0;
	return out;
}

static int chk_getsockopt(struct run *run, struct call *c, int64_t result,
			  char **error)
{
	const struct ast_expr *v = c->arg[3];
	int64_t n;

	if (result < 0)
		return 0;
	if ((int)c->optlen != (int)c->i3) {
		return fail(error,
			    "Bad getsockopt optlen: expected: %d actual: %d",
			    (int)c->i3, (int)c->optlen);
	}
	if (is_ellipsis(v))
		return 0;
	if (v->kind == EXPR_STRING) {
		char *want = printable(v->u.string.bytes, v->u.string.len);
		char *got = printable(c->optval, c->optlen);
		int rc = 0;

		if ((size_t)c->i3 != v->u.string.len) {
			*error = strdup_printf(
				"Bad getsockopt optval: expected optlen (%d "
				"bytes) does not match length of expected "
				"optval string '%s' (%d bytes)", (int)c->i3,
				want, (int)v->u.string.len);
			rc = -1;
		} else if (memcmp(c->optval, v->u.string.bytes, c->i3)) {
			*error = strdup_printf(
				"Bad getsockopt optval: expected: '%s' "
				"actual: '%s'", want, got);
			rc = -1;
		}
		free(want);
		free(got);
		return rc;
	}
	if (v->kind == EXPR_ARRAY) {
		int actual;

		if (c->i3 != 4) {
			return fail(error, "Unsupported getsockopt optlen: %d",
				    (int)c->i3);
		}
		if (bracketed_s32(v, &n, error))
			return -1;
		memcpy(&actual, c->optval, sizeof(actual));
		if (actual != (int)n) {
			return fail(error,
				    "Bad getsockopt optval: expected: %d "
				    "actual: %d", (int)n, actual);
		}
		return 0;
	}
	if (v->kind == EXPR_STRUCT && (size_t)c->i3 ==
	    sizeof(struct linger)) {
		struct linger l;
		const struct ast_expr *on = field(v, "l_onoff", 0);
		const struct ast_expr *ln = field(v, "l_linger", 1);
		int64_t eon, eln;

		if (!on)
			on = field(v, "onoff", 0);
		if (!ln)
			ln = field(v, "linger", 1);
		if (!on || !ln || eval_s32(on, &eon, error) ||
		    eval_s32(ln, &eln, error))
			return on && ln ? -1 : bad_type(v, "linger", error);
		memcpy(&l, c->optval, sizeof(l));
		if (l.l_onoff != eon || l.l_linger != eln) {
			return fail(error, "Bad getsockopt optval: expected: "
				    "{l_onoff=%d, l_linger=%d} actual: "
				    "{l_onoff=%d, l_linger=%d}", (int)eon,
				    (int)eln, l.l_onoff, l.l_linger);
		}
		return 0;
	}
	return fail(error, "unsupported getsockopt value type: %s",
		    expr_type_name(v));
}

static int prep_fcntl(struct run *run, struct call *c, char **error)
{
	if (c->nargs != 2 && c->nargs != 3) {
		return fail(error, "fcntl expected 2-3 args but got %d",
			    c->nargs);
	}
	if (fd_arg(run, c, 0, error) || arg_s32(c, 1, &c->i1, error))
		return -1;
	c->i2 = 0;
	return c->nargs == 3 ? arg_s32(c, 2, &c->i2, error) : 0;
}

static int64_t inv_fcntl(struct run *run, struct call *c)
{
	return run->sut->ops->fcntl(run->sut, c->fd, (int)c->i1, (long)c->i2);
}

static int prep_ioctl(struct run *run, struct call *c, char **error)
{
	if (c->nargs != 2 && c->nargs != 3) {
		return fail(error, "ioctl expected 2-3 args but got %d",
			    c->nargs);
	}
	if (fd_arg(run, c, 0, error) || arg_s32(c, 1, &c->i1, error))
		return -1;
	c->i2 = 0;
	if (c->nargs == 3 && bracketed_s32(c->arg[2], &c->i2, error))
		return -1;
	c->optint = (int)c->i2;	/* FIONBIO reads it */
	return 0;
}

static int64_t inv_ioctl(struct run *run, struct call *c)
{
	c->optint = (int)c->i2;
	return run->sut->ops->ioctl(run->sut, c->fd, (unsigned long)c->i1,
				    &c->optint);
}

static int chk_ioctl(struct run *run, struct call *c, int64_t result,
		     char **error)
{
	if (c->nargs != 3 || result < 0)
		return 0;
	if (c->optint != (int)c->i2) {
		return fail(error, "Bad ioctl optval: expected: %d actual: %d",
			    (int)c->i2, c->optint);
	}
	return 0;
}

const struct syscall_entry syscalls_socket[] = {
	{ "socket", prep_socket, inv_socket, chk_socket, CHECK_FD },
	{ "bind", prep_bind, inv_bind, chk_bind, CHECK_EXACT },
	{ "listen", prep_fd_int, inv_listen, chk_listen, CHECK_EXACT },
	{ "accept", prep_accept, inv_accept, chk_accept, CHECK_FD },
	{ "accept4", prep_accept, inv_accept, chk_accept, CHECK_FD },
	{ "connect", prep_connect, inv_connect, NULL, CHECK_EXACT },
	{ "close", prep_close, inv_close, chk_close, CHECK_EXACT },
	{ "shutdown", prep_fd_int, inv_shutdown, NULL, CHECK_EXACT },
	{ "setsockopt", prep_setsockopt, inv_setsockopt, NULL, CHECK_EXACT },
	{ "getsockopt", prep_getsockopt, inv_getsockopt, chk_getsockopt,
	  CHECK_EXACT },
	{ "fcntl", prep_fcntl, inv_fcntl, NULL, CHECK_EXACT },
	{ "ioctl", prep_ioctl, inv_ioctl, chk_ioctl, CHECK_EXACT },
	{ NULL, NULL, NULL, NULL, CHECK_EXACT },
};
