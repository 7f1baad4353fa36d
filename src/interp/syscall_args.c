/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_args.c: the script's expressions as live arguments of system
 * calls (integers, addresses, buffers, iovecs, msghdrs and their cmsgs),
 * and the hooks that keep the socket table (socket.h) up to date. */
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

/* ---------------------------------------------------------------- *
 * expressions
 * ---------------------------------------------------------------- */

const char *expr_type_name(const struct ast_expr *e)
{
	switch (e->kind) {
	case EXPR_ELLIPSIS:	return "ellipsis";
	case EXPR_INTEGER:	return "integer";
	case EXPR_WORD:		return "symbol";
	case EXPR_STRING:	return "string";
	case EXPR_BINARY:	return "binary_expression";
	case EXPR_ASSIGN:	return "assignment";
	case EXPR_ARRAY:	return "list";
	case EXPR_STRUCT:	return "struct";
	case EXPR_CALL:		return "function_call";
	case EXPR_MPLS:		return "mpls_stack";
	case EXPR_GRE:		return "gre";
	case EXPR_PSP:		return "psp";
	}
	return "unknown";
}

int bad_type(const struct ast_expr *e, const char *expected,
	     char **error)
{
	return fail(error, "Bad type; actual: %s expected: %s",
		    expr_type_name(e), expected);
}

int syscall_eval_int(const struct ast_expr *e, int64_t *value, char **error)
{
	int64_t a, b;

	switch (e->kind) {
	case EXPR_INTEGER:
		*value = e->u.integer.value;
		return 0;
	case EXPR_WORD:
		if (!strcmp(e->u.word.name, "NULL")) {
			*value = 0;
			return 0;
		}
		if (symbol_lookup(e->u.word.name, value))
			return 0;
		return fail(error, "unknown symbol '%s'", e->u.word.name);
	case EXPR_BINARY:
		if (e->u.binary.op != '|')
			break;
		if (syscall_eval_int(e->u.binary.lhs, &a, error) ||
		    syscall_eval_int(e->u.binary.rhs, &b, error))
			return -1;
		*value = a | b;
		return 0;
	case EXPR_CALL:
		if (e->u.call.args && !e->u.call.args->next &&
		    (!strcmp(e->u.call.name, "htons") ||
		     !strcmp(e->u.call.name, "htonl"))) {
			if (syscall_eval_int(e->u.call.args->expr, &a, error))
				return -1;
			*value = e->u.call.name[4] == 's' ?
				 (int64_t)htons((uint16_t)a) :
				 (int64_t)htonl((uint32_t)a);
			return 0;
		}
		break;
	default:
		break;
	}
	return bad_type(e, "integer", error);
}

/* packetdrill's get_s32(): range check to 32 bits. */
int eval_s32(const struct ast_expr *e, int64_t *value, char **error)
{
	if (syscall_eval_int(e, value, error))
		return -1;
	if (*value > (int64_t)UINT_MAX || *value < (int64_t)INT_MIN) {
		return fail(error,
			    "Value out of range for 32-bit integer: %lld",
			    (long long)*value);
	}
	return 0;
}

int arg_s32(struct call *c, int i, int64_t *value, char **error)
{
	return eval_s32(c->arg[i], value, error);
}

bool is_ellipsis(const struct ast_expr *e)
{
	return e->kind == EXPR_ELLIPSIS;
}

int ellipsis_arg(struct call *c, int i, char **error)
{
	if (is_ellipsis(c->arg[i]))
		return 0;
	return bad_type(c->arg[i], "ellipsis", error);
}

/* [N]: a list holding one integer. */
int bracketed_s32(const struct ast_expr *e, int64_t *value,
		  char **error)
{
	if (e->kind != EXPR_ARRAY)
		return bad_type(e, "list", error);
	if (!e->u.list || e->u.list->next) {
		return fail(error,
			    "Expected [<element>] but got multiple elements");
	}
	return eval_s32(e->u.list->expr, value, error);
}

/* A member of {a=1, b=2} by name, or by position for {x, y}. */
const struct ast_expr *field(const struct ast_expr *st,
			     const char *name, int position)
{
	const struct ast_expr_list *l;
	int i = 0;

	if (st->kind != EXPR_STRUCT)
		return NULL;
	for (l = st->u.list; l; l = l->next, i++) {
		const struct ast_expr *e = l->expr;

		if (e->kind == EXPR_ASSIGN) {
			const struct ast_expr *lhs = e->u.binary.lhs;
			const char *n = lhs->kind == EXPR_WORD ?
					lhs->u.word.name :
					lhs->kind == EXPR_CALL ?
					lhs->u.call.name : "";
			if (!strcmp(n, name))
				return e->u.binary.rhs;
		} else if (i == position) {
			return e;
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------- *
 * addresses
 * ---------------------------------------------------------------- */

/* The socket-side form of a configured address: for ipv4-mapped-ipv6
 * sockets an IPv4 address becomes ::ffff:a.b.c.d. */
void config_sockaddr(const struct config *config,
		     const struct ip_address *ip, uint16_t port,
		     struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (config->socket_domain == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (ip->family == AF_INET6) {
			sin6->sin6_addr = ip->u.v6;
		} else {
			sin6->sin6_addr.s6_addr[10] = 0xff;
			sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12], &ip->u.v4, 4);
		}
		*len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = ip->u.v4;
		*len = sizeof(*sin);
	}
}

/* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("..")} or
 * the IPv6 form with sin6_port / sin6_addr=inet6_addr(".."). */
int sockaddr_from_expr(const struct ast_expr *e,
		       struct sockaddr_storage *ss, socklen_t *len,
		       char **error)
{
	const struct ast_expr *fam = field(e, "sa_family", 0);
	const struct ast_expr *port, *addr;
	int64_t family = 0, p = 0;

	if (e->kind != EXPR_STRUCT || !fam)
		return bad_type(e, "sockaddr", error);
	if (syscall_eval_int(fam, &family, error))
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		port = field(e, "sin_port", 1);
		addr = field(e, "sin_addr", 2);
		if (port && syscall_eval_int(port, &p, error))
			return -1;
		sin->sin_port = (uint16_t)p;
		if (addr && addr->kind == EXPR_CALL && addr->u.call.args &&
		    addr->u.call.args->expr->kind == EXPR_STRING &&
		    inet_pton(AF_INET, addr->u.call.args->expr->u.string.bytes,
			      &sin->sin_addr) != 1) {
			return fail(error, "bad IPv4 address");
		}
		*len = sizeof(*sin);
	} else if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		port = field(e, "sin6_port", 1);
		addr = field(e, "sin6_addr", 2);
		if (port && syscall_eval_int(port, &p, error))
			return -1;
		sin6->sin6_port = (uint16_t)p;
		if (addr && addr->kind == EXPR_CALL && addr->u.call.args &&
		    addr->u.call.args->expr->kind == EXPR_STRING &&
		    inet_pton(AF_INET6,
			      addr->u.call.args->expr->u.string.bytes,
			      &sin6->sin6_addr) != 1) {
			return fail(error, "bad IPv6 address");
		}
		*len = sizeof(*sin6);
	} else {
		ss->ss_family = (sa_family_t)family;
		*len = sizeof(struct sockaddr);
	}
	return 0;
}

/* ---------------------------------------------------------------- *
 * socket-table hooks (PACKETS' src/socket.h)
 * ---------------------------------------------------------------- */

void note_socket(struct run *run, int fd, int domain, int type,
		 int protocol)
{
	if (run->sockets)
		sockets_on_socket(run->sockets, fd, domain, type, protocol);
}

void note_bind(struct run *run, int fd, const struct sockaddr *a,
	       socklen_t len)
{
	if (run->sockets)
		sockets_on_bind(run->sockets, fd, a, len);
}

void note_listen(struct run *run, int fd)
{
	if (run->sockets)
		sockets_on_listen(run->sockets, fd);
}

void note_connect(struct run *run, struct call *c)
{
	if (c->connect_noted)
		return;
	c->connect_noted = true;
	/* Like packetdrill, only a socket that is new (not connected, not
	 * accepted) starts an active open; sendmsg/sendto with an address
	 * on a connected socket changes nothing. */
	{
		struct socket *s = run->sockets ?
				   socket_find_fd(run->sockets, c->fd) : NULL;

		if (s && s->state != SOCKET_NEW)
			return;
	}
	if (run->sockets)
		sockets_on_connect(run->sockets, c->fd,
				   (const struct sockaddr *)&c->addr,
				   c->addrlen);
}

/* connect(AF_UNSPEC) succeeded: the socket is new again, and a later
 * connect() starts an active open (packetdrill's SOCKET_NEW reset). */
void note_disconnect(struct run *run, int fd)
{
	if (run->sockets)
		sockets_on_disconnect(run->sockets, fd);
}

void note_accept(struct run *run, int listen_fd, int fd)
{
	if (run->sockets)
		sockets_on_accept(run->sockets, listen_fd, fd);
}

void note_close(struct run *run, int fd)
{
	if (run->sockets)
		sockets_on_close(run->sockets, fd);
}

/* ---------------------------------------------------------------- *
 * argument helpers shared by several calls
 * ---------------------------------------------------------------- */

int check_nargs(struct call *c, int expected, char **error)
{
	if (c->nargs != expected) {
		return fail(error, "Expected %d args but got %d",
			    expected, c->nargs);
	}
	return 0;
}

int fd_arg(struct run *run, struct call *c, int i, char **error)
{
	int64_t v;

	if (arg_s32(c, i, &v, error))
		return -1;
	c->script_fd = (int)v;
	return to_live_fd(run, v, &c->fd, error);
}

/* A buffer argument: `...` (or NULL) and a count. */
int buffer_args(struct call *c, int buf_i, int count_i, char **error)
{
	int64_t count;
	bool is_null = false;

	if (c->arg[buf_i]->kind == EXPR_WORD &&
	    !strcmp(c->arg[buf_i]->u.word.name, "NULL"))
		is_null = true;
	else if (c->arg[buf_i]->kind == EXPR_INTEGER &&
		 c->arg[buf_i]->u.integer.value == 0)
		is_null = true;
	else if (!is_ellipsis(c->arg[buf_i]))
		return bad_type(c->arg[buf_i], "ellipsis", error);
	if (arg_s32(c, count_i, &count, error))
		return -1;
	if (count < 0)
		count = 0;
	c->len = (size_t)count;
	if (!is_null && !(c->buf = script_buffer(c->len, error)))
		return -1;
	return 0;
}

void *script_buffer(size_t len, char **error)
{
	void *p = calloc(1, len + 1);

	if (!p)
		*error = run_strdup_printf("the script asks for a buffer of %zu "
					   "bytes, more than netdrill can "
					   "allocate (out of memory)", len);
	return p;
}

/* [{..., 100}, {iov_base=..., iov_len=200}] */
int iovec_from_expr(const struct ast_expr *e, struct iovec **iov,
		    int *iovcnt, char **error)
{
	const struct ast_expr_list *l;
	int n = 0, i = 0;

	if (e->kind != EXPR_ARRAY)
		return bad_type(e, "list", error);
	for (l = e->u.list; l; l = l->next)
		n++;
	*iov = calloc(n ? n : 1, sizeof(struct iovec));
	if (!*iov)
		abort();
	*iovcnt = n;
	for (l = e->u.list; l; l = l->next, i++) {
		const struct ast_expr *len = field(l->expr, "iov_len", 1);
		int64_t v;

		if (l->expr->kind != EXPR_STRUCT || !len)
			return bad_type(l->expr, "iovec", error);
		if (eval_s32(len, &v, error))
			return -1;
		(*iov)[i].iov_len = v > 0 ? (size_t)v : 0;
		(*iov)[i].iov_base = script_buffer((*iov)[i].iov_len, error);
		if (!(*iov)[i].iov_base)
			return -1;
	}
	return 0;
}

/* cmsg_data={ee_errno=.., ee_origin=.., ee_type=.., ee_code=..,
 * ee_info=.., ee_data=..}: a struct sock_extended_err followed by the
 * offender's address, as ip(v6)_recv_error() lays it out. */
static int extended_err_from_expr(const struct ast_expr *e, int level,
				  void *data, size_t room, size_t *len,
				  char **error)
{
	static const char *const names[] = { "ee_errno", "ee_origin",
		"ee_type", "ee_code", "ee_info", "ee_data" };
	struct sock_extended_err ee;
	int64_t v[6];
	int i;

	for (i = 0; i < 6; i++) {
		const struct ast_expr *f = field(e, names[i], i);

		if (!f) {
			return fail(error, "sock_extended_err needs "
				    "%s", names[i]);
		}
		if (eval_s32(f, &v[i], error))
			return -1;
	}
	memset(&ee, 0, sizeof(ee));
	ee.ee_errno = (uint32_t)v[0];
	ee.ee_origin = (uint8_t)v[1];
	ee.ee_type = (uint8_t)v[2];
	ee.ee_code = (uint8_t)v[3];
	ee.ee_info = (uint32_t)v[4];
	ee.ee_data = (uint32_t)v[5];
	*len = sizeof(ee) + (level == SOL_IP ? sizeof(struct sockaddr_in) :
			     sizeof(struct sockaddr_in6));
	if (*len > room) {
		return fail(error, "msg_control too long");
	}
	memset(data, 0, *len);
	memcpy(data, &ee, sizeof(ee));
	return 0;
}

/* msg_control=[{cmsg_level=L, cmsg_type=T, cmsg_data=V}, ...] with V an
 * integer, {scm_sec=S, scm_nsec=N} (struct scm_timestamping, first
 * timespec) or a sock_extended_err; timestamping statistics (lists) are
 * not supported yet. */
static int cmsgs_from_expr(const struct ast_expr *e, struct msghdr *msg,
			   char **error)
{
	const struct ast_expr_list *l;
	struct cmsghdr *cm;
	size_t sum = 0;

	if (e->kind != EXPR_ARRAY)
		return bad_type(e, "list", error);
	msg->msg_control = calloc(1, MSGHDR_MAX_CONTROLLEN);
	if (!msg->msg_control)
		abort();
	msg->msg_controllen = MSGHDR_MAX_CONTROLLEN;
	cm = CMSG_FIRSTHDR(msg);
	for (l = e->u.list; l && cm; l = l->next) {
		const struct ast_expr *lv = field(l->expr, "cmsg_level", 1);
		const struct ast_expr *ty = field(l->expr, "cmsg_type", 2);
		const struct ast_expr *data = field(l->expr, "cmsg_data", 3);
		size_t room = MSGHDR_MAX_CONTROLLEN - sum - CMSG_LEN(0);
		size_t len = 0;
		int64_t v;

		if (!lv || !ty || !data)
			return bad_type(l->expr, "cmsg", error);
		if (eval_s32(lv, &v, error))
			return -1;
		cm->cmsg_level = (int)v;
		if (eval_s32(ty, &v, error))
			return -1;
		cm->cmsg_type = (int)v;
		if (data->kind == EXPR_STRUCT && field(data, "scm_sec", -1)) {
			struct scm_ts { struct timespec ts[3]; } sts;
			const struct ast_expr *ns = field(data, "scm_nsec", -1);
			int64_t sec, nsec = 0;

			if (syscall_eval_int(field(data, "scm_sec", -1), &sec,
					     error) ||
			    (ns && syscall_eval_int(ns, &nsec, error)))
				return -1;
			memset(&sts, 0, sizeof(sts));
			sts.ts[0].tv_sec = (time_t)sec;
			sts.ts[0].tv_nsec = (long)nsec;
			len = sizeof(sts);
			memcpy(CMSG_DATA(cm), &sts, len);
		} else if (data->kind == EXPR_STRUCT &&
			   field(data, "ee_errno", -1)) {
			if (extended_err_from_expr(data, cm->cmsg_level,
						   CMSG_DATA(cm), room, &len,
						   error))
				return -1;
		} else if (data->kind == EXPR_INTEGER ||
			   data->kind == EXPR_WORD ||
			   data->kind == EXPR_BINARY) {
			if (eval_s32(data, &v, error))
				return -1;
			len = sizeof(int);
			*(int *)CMSG_DATA(cm) = (int)v;
		} else {
			return fail(error,
				"cmsg_data of type %s is not supported by the "
				"embedded stack", expr_type_name(data));
		}
		cm->cmsg_len = CMSG_LEN(len);
		sum += CMSG_SPACE(len);
		/* CMSG_NXTHDR needs room for the next header */
		msg->msg_controllen = MSGHDR_MAX_CONTROLLEN;
		cm = CMSG_NXTHDR(msg, cm);
	}
	msg->msg_controllen = sum;
	if (!sum) {
		free(msg->msg_control);
		msg->msg_control = NULL;
	}
	return 0;
}

/* {msg_name(...)=..., msg_iov(1)=[{...,1000}], msg_control=[..],
 *  msg_flags=0} */
int msghdr_from_expr(const struct ast_expr *e, struct call *c,
		     struct msghdr *msg, char **error)
{
	const struct ast_expr_list *l;
	int64_t iovlen = -1;

	if (e->kind != EXPR_STRUCT)
		return bad_type(e, "msghdr", error);
	memset(msg, 0, sizeof(*msg));
	for (l = e->u.list; l; l = l->next) {
		const struct ast_expr *a = l->expr, *lhs, *rhs;
		const char *name;
		int64_t v;

		if (a->kind != EXPR_ASSIGN)
			return bad_type(a, "msghdr field", error);
		lhs = a->u.binary.lhs;
		rhs = a->u.binary.rhs;
		name = lhs->kind == EXPR_CALL ? lhs->u.call.name :
		       lhs->kind == EXPR_WORD ? lhs->u.word.name : "";
		if (!strcmp(name, "msg_name")) {
			msg->msg_name = calloc(1,
					sizeof(struct sockaddr_storage));
			if (!msg->msg_name)
				abort();
			msg->msg_namelen = sizeof(struct sockaddr_storage);
		} else if (!strcmp(name, "msg_namelen")) {
			msg->msg_namelen = sizeof(struct sockaddr_storage);
		} else if (!strcmp(name, "msg_iov")) {
			if (lhs->kind == EXPR_CALL && lhs->u.call.args &&
			    eval_s32(lhs->u.call.args->expr, &iovlen, error))
				return -1;
			if (c->iov) {
				return fail(error, "duplicate msg_iov");
			}
			if (iovec_from_expr(rhs, &c->iov, &c->iovcnt, error))
				return -1;
		} else if (!strcmp(name, "msg_iovlen")) {
			if (eval_s32(rhs, &iovlen, error))
				return -1;
		} else if (!strcmp(name, "msg_control")) {
			if (cmsgs_from_expr(rhs, msg, error))
				return -1;
		} else if (!strcmp(name, "msg_controllen")) {
			/* derived from msg_control */
		} else if (!strcmp(name, "msg_flags")) {
			if (eval_s32(rhs, &v, error))
				return -1;
			msg->msg_flags = (int)v;
		} else {
			return fail(error, "unknown msghdr field '%s'", name);
		}
	}
	msg->msg_iov = c->iov;
	msg->msg_iovlen = (size_t)c->iovcnt;
	if (iovlen >= 0 && iovlen != c->iovcnt) {
		return fail(error,
			"msg_iovlen %d does not match %d-element iovec array",
			(int)iovlen, c->iovcnt);
	}
	return 0;
}

void msg_single(struct call *c)
{
	memset(&c->msg, 0, sizeof(c->msg));
	c->iov = calloc(1, sizeof(struct iovec));
	if (!c->iov)
		abort();
	c->iov[0].iov_base = c->buf;
	c->iov[0].iov_len = c->len;
	c->buf = NULL;		/* now owned by iov */
	c->iovcnt = 1;
	c->msg.msg_iov = c->iov;
	c->msg.msg_iovlen = 1;
}
