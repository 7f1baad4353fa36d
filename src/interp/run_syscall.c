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
#include "run_syscall.h"
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
#include "symbols.h"
#include "sut.h"

#if __has_include("socket.h")
#include "socket.h"
#define HAVE_SOCKET_TABLE 1
#else
#define HAVE_SOCKET_TABLE 0
#endif

enum check_mode {
	CHECK_EXACT,	/* the result must equal the script's */
	CHECK_FD,	/* a script fd >= 0 only needs a live fd >= 0 */
};

struct fd_map {
	int script_fd;
	int live_fd;		/* the back end's fd, or a host fd if host */
	bool host;		/* a file open()ed on the host (for sendfile) */
	struct fd_map *next;
};

struct call;
typedef int (*prepare_fn)(struct run *run, struct call *c, char **error);
typedef int64_t (*invoke_fn)(struct run *run, struct call *c);
typedef int (*check_fn)(struct run *run, struct call *c, int64_t result,
			char **error);

struct syscall_entry {
	const char *name;
	prepare_fn prepare;
	invoke_fn invoke;
	check_fn check;		/* NULL: nothing beyond result and errno */
	enum check_mode mode;
};

/* One call, with everything a retry needs. */
struct call {
	const struct ast_event *event;
	const struct ast_syscall *sc;
	const struct syscall_entry *entry;
	struct sut_wait wait;
	bool blocking;		/* the script gave an end time */
	int64_t end_time;	/* absolute script time it must return at */
	int64_t start_time;	/* absolute script time it started at */
	bool connect_noted;	/* sockets_on_connect() called */

	int nargs;
	const struct ast_expr *arg[8];

	int script_fd, fd;	/* the first argument, script and live */
	bool fd_host;		/* fd is a host file (open()) */
	int in_fd;		/* sendfile: the host file */
	char *path;		/* open */
	bool has_offset;	/* sendfile: [offset] given */
	int64_t offset;
	int pipefd[2];		/* pipe: the host pipe */
	int64_t i1, i2, i3;	/* integer arguments, per call */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	bool has_addr;
	char *buf;
	size_t len;
	struct iovec *iov;
	int iovcnt;
	struct msghdr msg;
	struct msghdr expect_msg;	/* recvmsg: the script's msghdr */
	void *optval;
	socklen_t optlen;
	int optint;
	struct linger linger;
	struct pollfd *pfds;
	int nfds;
	struct epoll_event ev;
	struct epoll_event *evs;
	int ev_data;		/* 0 none, 1 fd, 2 ptr, 3 u32, 4 u64 */
};

/* A buffer the kernel may still read: MSG_ZEROCOPY pins the pages of a
 * send until the data is acknowledged, so freeing (and reusing) them when
 * the call returns would change the bytes still to be transmitted. */
struct kept_buf {
	struct kept_buf *next;
	void *p;
};

struct syscalls {
	struct fd_map *fds;
	struct call *parked;
	struct kept_buf *kept;	/* freed with the run */
};

static void call_free(struct call *c)
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

static const struct fd_map *find_fd(const struct run *run, int script_fd)
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

static int to_live_fd(struct run *run, int64_t script_fd, int *live,
		      char **error)
{
	const struct fd_map *m = find_fd(run, (int)script_fd);

	if (m && m->host) {
		*error = run_strdup_printf(
			"script fd %d is a file on the host, not a socket of "
			"the embedded stack", (int)script_fd);
		return -1;
	}
	*live = m ? m->live_fd : -1;
	if (*live < 0) {
		*error = run_strdup_printf(
			"unable to find socket with script fd %d",
			(int)script_fd);
		return -1;
	}
	return 0;
}

static int add_fd_kind(struct run *run, int script_fd, int live_fd,
		       bool host, bool shadow, char **error);

static int add_fd(struct run *run, int script_fd, int live_fd, char **error)
{
	return add_fd_kind(run, script_fd, live_fd, false, false, error);
}

/* shadow: the script fd may already be mapped; the new one wins. */
static int add_fd_kind(struct run *run, int script_fd, int live_fd,
		       bool host, bool shadow, char **error)
{
	struct fd_map *m;

	if (script_fd < 0) {
		*error = run_strdup_printf("invalid socket fd %d in script",
					   script_fd);
		return -1;
	}
	if (!shadow && find_fd(run, script_fd)) {
		*error = run_strdup_printf("duplicate socket fd %d in script",
					   script_fd);
		return -1;
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

static void remove_fd(struct run *run, int script_fd)
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
 * expressions
 * ---------------------------------------------------------------- */

static const char *expr_type_name(const struct ast_expr *e)
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

static int bad_type(const struct ast_expr *e, const char *expected,
		    char **error)
{
	*error = run_strdup_printf("Bad type; actual: %s expected: %s",
				   expr_type_name(e), expected);
	return -1;
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
		*error = run_strdup_printf("unknown symbol '%s'",
					   e->u.word.name);
		return -1;
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
static int eval_s32(const struct ast_expr *e, int64_t *value, char **error)
{
	if (syscall_eval_int(e, value, error))
		return -1;
	if (*value > (int64_t)UINT_MAX || *value < (int64_t)INT_MIN) {
		*error = run_strdup_printf(
			"Value out of range for 32-bit integer: %lld",
			(long long)*value);
		return -1;
	}
	return 0;
}

static int arg_s32(struct call *c, int i, int64_t *value, char **error)
{
	return eval_s32(c->arg[i], value, error);
}

static bool is_ellipsis(const struct ast_expr *e)
{
	return e->kind == EXPR_ELLIPSIS;
}

static int ellipsis_arg(struct call *c, int i, char **error)
{
	if (is_ellipsis(c->arg[i]))
		return 0;
	return bad_type(c->arg[i], "ellipsis", error);
}

/* [N]: a list holding one integer. */
static int bracketed_s32(const struct ast_expr *e, int64_t *value,
			 char **error)
{
	if (e->kind != EXPR_ARRAY)
		return bad_type(e, "list", error);
	if (!e->u.list || e->u.list->next) {
		*error = run_strdup_printf(
			"Expected [<element>] but got multiple elements");
		return -1;
	}
	return eval_s32(e->u.list->expr, value, error);
}

/* A member of {a=1, b=2} by name, or by position for {x, y}. */
static const struct ast_expr *field(const struct ast_expr *st,
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
static void config_sockaddr(const struct config *config,
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
static int sockaddr_from_expr(const struct ast_expr *e,
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
			*error = run_strdup_printf("bad IPv4 address");
			return -1;
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
			*error = run_strdup_printf("bad IPv6 address");
			return -1;
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

static void note_socket(struct run *run, int fd, int domain, int type,
			int protocol)
{
#if HAVE_SOCKET_TABLE
	if (run->sockets)
		sockets_on_socket(run->sockets, fd, domain, type, protocol);
#endif
}

static void note_bind(struct run *run, int fd, const struct sockaddr *a,
		      socklen_t len)
{
#if HAVE_SOCKET_TABLE
	if (run->sockets)
		sockets_on_bind(run->sockets, fd, a, len);
#endif
}

static void note_listen(struct run *run, int fd)
{
#if HAVE_SOCKET_TABLE
	if (run->sockets)
		sockets_on_listen(run->sockets, fd);
#endif
}

static void note_connect(struct run *run, struct call *c)
{
	if (c->connect_noted)
		return;
	c->connect_noted = true;
#if HAVE_SOCKET_TABLE
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
#endif
}

static void note_accept(struct run *run, int listen_fd, int fd)
{
#if HAVE_SOCKET_TABLE
	if (run->sockets)
		sockets_on_accept(run->sockets, listen_fd, fd);
#endif
}

static void note_close(struct run *run, int fd)
{
#if HAVE_SOCKET_TABLE
	if (run->sockets)
		sockets_on_close(run->sockets, fd);
#endif
}

/* ---------------------------------------------------------------- *
 * argument helpers shared by several calls
 * ---------------------------------------------------------------- */

static int check_nargs(struct call *c, int expected, char **error)
{
	if (c->nargs != expected) {
		*error = run_strdup_printf("Expected %d args but got %d",
					   expected, c->nargs);
		return -1;
	}
	return 0;
}

static int fd_arg(struct run *run, struct call *c, int i, char **error)
{
	int64_t v;

	if (arg_s32(c, i, &v, error))
		return -1;
	c->script_fd = (int)v;
	return to_live_fd(run, v, &c->fd, error);
}

/* A buffer argument: `...` (or NULL) and a count. */
static int buffer_args(struct call *c, int buf_i, int count_i, char **error)
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
	if (!is_null) {
		c->buf = calloc(1, c->len + 1);
		if (!c->buf)
			abort();
	}
	return 0;
}

/* [{..., 100}, {iov_base=..., iov_len=200}] */
static int iovec_from_expr(const struct ast_expr *e, struct iovec **iov,
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
		(*iov)[i].iov_base = calloc(1, (*iov)[i].iov_len + 1);
		if (!(*iov)[i].iov_base)
			abort();
	}
	return 0;
}

#define MSGHDR_MAX_CONTROLLEN 1024

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
			*error = run_strdup_printf("sock_extended_err needs "
						   "%s", names[i]);
			return -1;
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
		*error = run_strdup_printf("msg_control too long");
		return -1;
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
		size_t room = MSGHDR_MAX_CONTROLLEN - sum - CMSG_LEN(0), len;
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
			*error = run_strdup_printf(
				"cmsg_data of type %s is not supported by the "
				"embedded stack", expr_type_name(data));
			return -1;
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
static int msghdr_from_expr(const struct ast_expr *e, struct call *c,
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
				*error = run_strdup_printf("duplicate msg_iov");
				return -1;
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
			*error = run_strdup_printf("unknown msghdr field '%s'",
						   name);
			return -1;
		}
	}
	msg->msg_iov = c->iov;
	msg->msg_iovlen = (size_t)c->iovcnt;
	if (iovlen >= 0 && iovlen != c->iovcnt) {
		*error = run_strdup_printf(
			"msg_iovlen %d does not match %d-element iovec array",
			(int)iovlen, c->iovcnt);
		return -1;
	}
	return 0;
}

static void msg_single(struct call *c)
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

/* ---------------------------------------------------------------- *
 * the calls
 * ---------------------------------------------------------------- */

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

static int prep_listen(struct run *run, struct call *c, char **error)
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
static int connect_addr(struct run *run, struct call *c,
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
	return r;
}

/* read(fd, ..., n), recv(fd, ..., n, flags),
 * recvfrom(fd, ..., n, flags, ..., ...) */
static int prep_recv(struct run *run, struct call *c, char **error)
{
	const char *n = c->sc->name;
	int want = !strcmp(n, "read") ? 3 : !strcmp(n, "recv") ? 4 : 6;

	if (check_nargs(c, want, error) || fd_arg(run, c, 0, error) ||
	    buffer_args(c, 1, 2, error))
		return -1;
	c->i1 = 0;
	if (want >= 4 && arg_s32(c, 3, &c->i1, error))
		return -1;
	if (want == 6 && (ellipsis_arg(c, 4, error) ||
			  ellipsis_arg(c, 5, error)))
		return -1;
	msg_single(c);
	if (want == 6) {
		c->msg.msg_name = calloc(1, sizeof(struct sockaddr_storage));
		if (!c->msg.msg_name)
			abort();
		c->msg.msg_namelen = sizeof(struct sockaddr_storage);
	}
	return 0;
}

static int64_t inv_recvmsg(struct run *run, struct call *c)
{
	return run->sut->ops->recvmsg(run->sut, c->fd, &c->msg, (int)c->i1,
				      &c->wait);
}

/* readv(fd, iov, n) */
static int prep_readv(struct run *run, struct call *c, char **error)
{
	int64_t n;

	if (check_nargs(c, 3, error) || fd_arg(run, c, 0, error) ||
	    iovec_from_expr(c->arg[1], &c->iov, &c->iovcnt, error) ||
	    arg_s32(c, 2, &n, error))
		return -1;
	if (n != c->iovcnt) {
		*error = run_strdup_printf(
			"iov_count %d does not match %d-element iovec array",
			(int)n, c->iovcnt);
		return -1;
	}
	c->msg.msg_iov = c->iov;
	c->msg.msg_iovlen = (size_t)c->iovcnt;
	c->i1 = 0;
	return 0;
}

/* write(fd, ..., n), send(fd, ..., n, flags),
 * sendto(fd, ..., n, flags, addr, len) */
static int prep_send(struct run *run, struct call *c, char **error)
{
	const char *n = c->sc->name;
	int want = !strcmp(n, "write") ? 3 : !strcmp(n, "send") ? 4 : 6;

	if (check_nargs(c, want, error) || fd_arg(run, c, 0, error) ||
	    buffer_args(c, 1, 2, error))
		return -1;
	c->i1 = 0;
	if (want >= 4 && arg_s32(c, 3, &c->i1, error))
		return -1;
	if (want == 6) {
		if (connect_addr(run, c, c->arg[4], error) ||
		    ellipsis_arg(c, 5, error))
			return -1;
	}
	if (!c->buf && c->len) {
		/* NULL buffer: let the stack see a bad address */
		memset(&c->msg, 0, sizeof(c->msg));
		c->iov = calloc(1, sizeof(struct iovec));
		if (!c->iov)
			abort();
		c->iov[0].iov_base = NULL;
		c->iov[0].iov_len = c->len;
		c->iovcnt = 1;
		c->msg.msg_iov = c->iov;
		c->msg.msg_iovlen = 1;
	} else {
		msg_single(c);
	}
	if (c->has_addr) {
		c->msg.msg_name = malloc(sizeof(c->addr));
		if (!c->msg.msg_name)
			abort();
		memcpy(c->msg.msg_name, &c->addr, sizeof(c->addr));
		c->msg.msg_namelen = c->addrlen;
	}
	return 0;
}

/* A MSG_ZEROCOPY send to the host kernel returned: its buffers now
 * belong to the run, which frees them at its end. */
static void keep_zerocopy_bufs(struct run *run, struct call *c)
{
	int i;

	for (i = 0; i < c->iovcnt; i++) {
		struct kept_buf *k;

		if (!c->iov[i].iov_base)
			continue;
		k = malloc(sizeof(*k));
		if (!k)
			abort();
		k->p = c->iov[i].iov_base;
		k->next = run->syscalls->kept;
		run->syscalls->kept = k;
		c->iov[i].iov_base = NULL;	/* call_free leaves it */
	}
}

static int64_t inv_sendmsg(struct run *run, struct call *c)
{
	int64_t r = run->sut->ops->sendmsg(run->sut, c->fd, &c->msg,
					   (int)c->i1, &c->wait);

	if (r > 0 && (c->i1 & MSG_ZEROCOPY) &&
	    run->config->stack != STACK_EMBEDDED)
		keep_zerocopy_bufs(run, c);
	if (c->has_addr && c->addr.ss_family != AF_UNSPEC &&
	    (r >= 0 || r == -SUT_EBLOCKED || r == -EINPROGRESS ||
	     r == -EALREADY))
		note_connect(run, c);
	return r;
}

/* writev(fd, iov, n) */
static int prep_writev(struct run *run, struct call *c, char **error)
{
	if (prep_readv(run, c, error))
		return -1;
	return 0;
}

/* sendmsg(fd, msghdr, flags) */
static int prep_sendmsg(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 3, error) || fd_arg(run, c, 0, error) ||
	    msghdr_from_expr(c->arg[1], c, &c->msg, error) ||
	    arg_s32(c, 2, &c->i1, error))
		return -1;
	if (c->msg.msg_name) {
		if (connect_addr(run, c, NULL, error))
			return -1;
		memcpy(c->msg.msg_name, &c->addr, sizeof(c->addr));
		c->msg.msg_namelen = c->addrlen;
	}
	if (c->msg.msg_flags != 0) {
		*error = run_strdup_printf(
			"sendmsg ignores msg_flags field in msghdr");
		return -1;
	}
	return 0;
}

/* recvmsg(fd, msghdr, flags) */
static int prep_recvmsg(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 3, error) || fd_arg(run, c, 0, error) ||
	    msghdr_from_expr(c->arg[1], c, &c->msg, error) ||
	    arg_s32(c, 2, &c->i1, error))
		return -1;
	/* Keep the script's expectations apart from the live buffers. */
	c->expect_msg = c->msg;
	c->expect_msg.msg_name = NULL;
	c->expect_msg.msg_iov = NULL;
	if (c->msg.msg_control) {
		c->msg.msg_control = calloc(1, MSGHDR_MAX_CONTROLLEN);
		if (!c->msg.msg_control)
			abort();
		c->msg.msg_controllen = MSGHDR_MAX_CONTROLLEN;
	} else {
		c->msg.msg_controllen = 0;
	}
	c->msg.msg_flags = 0;
	return 0;
}

static int extended_err_check(const struct cmsghdr *e,
			      const struct cmsghdr *a, int i, char **error)
{
	struct sock_extended_err want, got;

	memcpy(&want, CMSG_DATA(e), sizeof(want));
	memcpy(&got, CMSG_DATA(a), sizeof(got));
#define EE_CHECK(f, what)						\
	if (want.f != got.f) {						\
		*error = run_strdup_printf("Bad " what " in extended err %d: " \
					   "expected=%u actual=%u", i,	\
					   (unsigned)want.f,		\
					   (unsigned)got.f);		\
		return -1;						\
	}
	EE_CHECK(ee_errno, "errno")
	EE_CHECK(ee_origin, "origin")
	EE_CHECK(ee_type, "type")
	EE_CHECK(ee_code, "code")
	EE_CHECK(ee_info, "info")
	EE_CHECK(ee_data, "data")
#undef EE_CHECK
	return 0;
}

/* Expected timestamps are script times (0 = ignore); the back end's clock
 * is the live one, with the same start. */
static int timestamping_check(struct run *run, const struct cmsghdr *e,
			      const struct cmsghdr *a, int i, char **error)
{
	struct timespec want[3], got[3];
	int k;

	memcpy(want, CMSG_DATA(e), sizeof(want));
	memcpy(got, CMSG_DATA(a), sizeof(got));
	for (k = 0; k < 3; k++) {
		long long w = (long long)want[k].tv_sec * 1000000 +
			      want[k].tv_nsec / 1000;
		long long g = (long long)got[k].tv_sec * 1000000 +
			      got[k].tv_nsec / 1000;

		if (!want[k].tv_sec && !want[k].tv_nsec)
			continue;
		if (llabs(w - g) > run->config->tolerance_usecs) {
			*error = run_strdup_printf(
				"Bad timestamp %d in scm_timestamping %d: "
				"expected=%lld (%lld) actual=%lld (%lld) "
				"start=0", k, i, w, w, g, g);
			return -1;
		}
	}
	return 0;
}

static int chk_recvmsg(struct run *run, struct call *c, int64_t result,
		       char **error)
{
	struct cmsghdr *a, *e;
	int i = 0;

	if (result < 0)
		return 0;
	if (c->msg.msg_flags != c->expect_msg.msg_flags) {
		*error = run_strdup_printf(
			"Expected msg_flags 0x%08X but got 0x%08X",
			(unsigned)c->expect_msg.msg_flags,
			(unsigned)c->msg.msg_flags);
		return -1;
	}
	if (!c->expect_msg.msg_control)
		return 0;
	for (a = c->msg.msg_controllen ? CMSG_FIRSTHDR(&c->msg) : NULL,
	     e = CMSG_FIRSTHDR(&c->expect_msg);
	     a && e && a->cmsg_len && e->cmsg_len;
	     a = CMSG_NXTHDR(&c->msg, a),
	     e = CMSG_NXTHDR(&c->expect_msg, e), i++) {
		if (a->cmsg_level != e->cmsg_level) {
			*error = run_strdup_printf(
				"Bad level in cmsg %d: expected=%d actual=%d",
				i, e->cmsg_level, a->cmsg_level);
			return -1;
		}
		if (a->cmsg_type != e->cmsg_type) {
			*error = run_strdup_printf(
				"Bad type in cmsg %d: expected=%d actual=%d",
				i, e->cmsg_type, a->cmsg_type);
			return -1;
		}
		if (a->cmsg_len != e->cmsg_len) {
			*error = run_strdup_printf(
				"Bad len in cmsg %d: expected=%lu actual=%lu",
				i, (unsigned long)e->cmsg_len,
				(unsigned long)a->cmsg_len);
			return -1;
		}
		if ((a->cmsg_level == SOL_IP && a->cmsg_type == IP_RECVERR) ||
		    (a->cmsg_level == SOL_IPV6 &&
		     a->cmsg_type == IPV6_RECVERR)) {
			if (extended_err_check(e, a, i, error))
				return -1;
			continue;
		}
		if (a->cmsg_level == SOL_SOCKET &&
		    a->cmsg_type == SO_TIMESTAMPING) {
			if (timestamping_check(run, e, a, i, error))
				return -1;
			continue;
		}
		if (memcmp(CMSG_DATA(a), CMSG_DATA(e),
			   e->cmsg_len - CMSG_LEN(0))) {
			*error = run_strdup_printf(
				"Bad data in cmsg %d: expected=%d actual=%d",
				i, *(int *)CMSG_DATA(e), *(int *)CMSG_DATA(a));
			return -1;
		}
	}
	if (a && a->cmsg_len && !(e && e->cmsg_len)) {
		*error = run_strdup_printf("received more than %d cmsgs", i);
		return -1;
	}
	if (e && e->cmsg_len && !(a && a->cmsg_len)) {
		*error = run_strdup_printf("received only %d cmsgs", i);
		return -1;
	}
	return 0;
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

/* open("path", flags): a file on the host, for sendfile(). */
static int prep_open(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 2, error))
		return -1;
	if (c->arg[0]->kind != EXPR_STRING)
		return bad_type(c->arg[0], "string", error);
	c->path = strdup(c->arg[0]->u.string.bytes);
	if (!c->path)
		abort();
	return arg_s32(c, 1, &c->i1, error);
}

static int64_t inv_open(struct run *run, struct call *c)
{
	int fd = open(c->path, (int)c->i1 | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int chk_open(struct run *run, struct call *c, int64_t result,
		    char **error)
{
	int64_t script_fd;

	if (result < 0)
		return 0;
	if (eval_s32(c->sc->result, &script_fd, error) ||
	    add_fd_kind(run, (int)script_fd, (int)result, true, false,
			error)) {
		close((int)result);
		return -1;
	}
	return 0;
}

/* sendfile(socket, file, [offset] or NULL, count): read the bytes from
 * the host file, then send them on the embedded stack's socket. */
static int prep_sendfile(struct run *run, struct call *c, char **error)
{
	const struct fd_map *m;
	int64_t in, count;

	if (check_nargs(c, 4, error) || fd_arg(run, c, 0, error) ||
	    arg_s32(c, 1, &in, error))
		return -1;
	m = find_fd(run, (int)in);
	if (!m || !m->host) {
		*error = run_strdup_printf(
			m ? "sendfile from script fd %d: only files open()ed "
			    "by the script are supported" :
			    "unable to find socket with script fd %d",
			(int)in);
		return -1;
	}
	c->in_fd = m->live_fd;
	if (c->arg[2]->kind == EXPR_ARRAY) {
		if (bracketed_s32(c->arg[2], &c->offset, error))
			return -1;
		c->has_offset = true;
	}
	if (arg_s32(c, 3, &count, error))
		return -1;
	c->len = count > 0 ? (size_t)count : 0;
	return 0;
}

static int64_t inv_sendfile(struct run *run, struct call *c)
{
	int64_t r;

	if (!c->wait.started && !c->iov) {
		ssize_t n;

		c->buf = malloc(c->len + 1);
		if (!c->buf)
			abort();
		n = c->has_offset ? pread(c->in_fd, c->buf, c->len,
					  (off_t)c->offset) :
				    read(c->in_fd, c->buf, c->len);
		if (n < 0)
			return -errno;
		c->len = (size_t)n;
		msg_single(c);
		if (n == 0)
			return 0;
	}
	r = run->sut->ops->sendmsg(run->sut, c->fd, &c->msg, 0, &c->wait);
	if (r > 0 && !c->has_offset && (size_t)r < c->iov[0].iov_len)
		lseek(c->in_fd, (off_t)r - (off_t)c->iov[0].iov_len,
		      SEEK_CUR);	/* give back what was not sent */
	return r;
}

static int prep_shutdown(struct run *run, struct call *c, char **error)
{
	if (check_nargs(c, 2, error) || fd_arg(run, c, 0, error))
		return -1;
	return arg_s32(c, 1, &c->i1, error);
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
		c->optval = malloc(sizeof(int) > c->optlen ? sizeof(int) :
				   c->optlen);
		if (!c->optval)
			abort();
		memset(c->optval, 0, c->optlen > sizeof(int) ? c->optlen :
		       sizeof(int));
		memcpy(c->optval, &c->optint, sizeof(int));
	} else if (v->kind == EXPR_STRING) {
		size_t len = v->u.string.len + 1 > c->optlen ?
			     v->u.string.len + 1 : c->optlen;

		c->optval = calloc(1, len);
		if (!c->optval)
			abort();
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
		*error = run_strdup_printf(
			"unsupported setsockopt value type: %s",
			expr_type_name(v));
		return -1;
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
	c->optval = calloc(1, (size_t)n + 1);
	if (!c->optval)
		abort();
	return 0;
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
		*error = run_strdup_printf(
			"Bad getsockopt optlen: expected: %d actual: %d",
			(int)c->i3, (int)c->optlen);
		return -1;
	}
	if (is_ellipsis(v))
		return 0;
	if (v->kind == EXPR_STRING) {
		char *want = printable(v->u.string.bytes, v->u.string.len);
		char *got = printable(c->optval, c->optlen);
		int rc = 0;

		if ((size_t)c->i3 != v->u.string.len) {
			*error = run_strdup_printf(
				"Bad getsockopt optval: expected optlen (%d "
				"bytes) does not match length of expected "
				"optval string '%s' (%d bytes)", (int)c->i3,
				want, (int)v->u.string.len);
			rc = -1;
		} else if (memcmp(c->optval, v->u.string.bytes, c->i3)) {
			*error = run_strdup_printf(
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
			*error = run_strdup_printf(
				"Unsupported getsockopt optlen: %d",
				(int)c->i3);
			return -1;
		}
		if (bracketed_s32(v, &n, error))
			return -1;
		memcpy(&actual, c->optval, sizeof(actual));
		if (actual != (int)n) {
			*error = run_strdup_printf(
				"Bad getsockopt optval: expected: %d "
				"actual: %d", (int)n, actual);
			return -1;
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
			*error = run_strdup_printf(
				"Bad getsockopt optval: expected: "
				"{l_onoff=%d, l_linger=%d} actual: "
				"{l_onoff=%d, l_linger=%d}", (int)eon,
				(int)eln, l.l_onoff, l.l_linger);
			return -1;
		}
		return 0;
	}
	*error = run_strdup_printf("unsupported getsockopt value type: %s",
				   expr_type_name(v));
	return -1;
}

static int prep_fcntl(struct run *run, struct call *c, char **error)
{
	if (c->nargs != 2 && c->nargs != 3) {
		*error = run_strdup_printf("fcntl expected 2-3 args but got %d",
					   c->nargs);
		return -1;
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
		*error = run_strdup_printf("ioctl expected 2-3 args but got %d",
					   c->nargs);
		return -1;
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
		*error = run_strdup_printf(
			"Bad ioctl optval: expected: %d actual: %d",
			(int)c->i2, c->optint);
		return -1;
	}
	return 0;
}

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
		*error = run_strdup_printf(
			"nfds %d does not match %d-element pollfd array",
			(int)nfds, c->nfds);
		return -1;
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
	return run_strdup_printf("%s", buf);
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

			*error = run_strdup_printf(
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
			*error = run_strdup_printf(
				"wrong fd specified in epoll_event");
			return -1;
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
		*error = run_strdup_printf("epoll_event specified incorrectly");
		return -1;
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
		*error = run_strdup_printf(
			"epoll_event->events does not match script: "
			"expected: 0x%x actual: 0x%x",
			want->events, got->events);
		return -1;
	}
	switch (c->ev_data) {
	case 1:
		if (want->data.fd != got->data.fd) {
			*error = run_strdup_printf(
				"epoll_event->data does not match script: "
				"expected: %d actual: %d",
				want->data.fd, got->data.fd);
			return -1;
		}
		break;
	case 3:
		if (want->data.u32 != got->data.u32) {
			*error = run_strdup_printf(
				"epoll_event->data does not match script: "
				"expected: %u actual: %u",
				want->data.u32, got->data.u32);
			return -1;
		}
		break;
	default:
		if (want->data.u64 != got->data.u64) {
			*error = run_strdup_printf(
				"epoll_event->data does not match script: "
				"expected: %llu actual: %llu",
				(unsigned long long)want->data.u64,
				(unsigned long long)got->data.u64);
			return -1;
		}
		break;
	}
	return 0;
}

/* pipe([r, w]): a host pipe, for splice(). */
static int prep_pipe(struct run *run, struct call *c, char **error)
{
	const struct ast_expr *e;
	int64_t v;

	if (check_nargs(c, 1, error))
		return -1;
	e = c->arg[0];
	if (e->kind != EXPR_ARRAY || !e->u.list || !e->u.list->next ||
	    e->u.list->next->next) {
		*error = run_strdup_printf("pipe needs [read_fd, write_fd]");
		return -1;
	}
	if (eval_s32(e->u.list->expr, &v, error))
		return -1;
	c->i1 = v;
	if (eval_s32(e->u.list->next->expr, &v, error))
		return -1;
	c->i2 = v;
	return 0;
}

static int64_t inv_pipe(struct run *run, struct call *c)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	c->pipefd[0] = fds[0];
	c->pipefd[1] = fds[1];
	return 0;
}

static int chk_pipe(struct run *run, struct call *c, int64_t result,
		    char **error)
{
	int r = c->pipefd[0], w = c->pipefd[1];

	if (result < 0)
		return 0;
	if (add_fd_kind(run, (int)c->i1, r, true, false, error)) {
		close(r);
		close(w);
		return -1;
	}
	return add_fd_kind(run, (int)c->i2, w, true, false, error);
}

/* splice(in, NULL, out, NULL, len, flags) between an embedded-stack
 * socket and a host pipe, either way: the bytes go through a buffer. */
static int prep_splice(struct run *run, struct call *c, char **error)
{
	const struct fd_map *in, *out;
	int64_t fd_in, fd_out, len;

	if (check_nargs(c, 6, error) || arg_s32(c, 0, &fd_in, error) ||
	    arg_s32(c, 2, &fd_out, error) || arg_s32(c, 4, &len, error) ||
	    arg_s32(c, 5, &c->i1, error))
		return -1;
	in = find_fd(run, (int)fd_in);
	out = find_fd(run, (int)fd_out);
	if (!in || !out) {
		*error = run_strdup_printf("unable to find socket with script "
					   "fd %d", (int)(in ? fd_out : fd_in));
		return -1;
	}
	if (run->config->stack == STACK_KERNEL) {
		/* Kernel sockets are real descriptors: the real splice(2),
		 * whose corner cases (urgent data, ...) an emulation would
		 * miss. It blocks the script as it blocks packetdrill. */
		c->fd = in->live_fd;
		c->in_fd = out->live_fd;
		c->i2 = 2;
		c->len = len > 0 ? (size_t)len : 0;
		return 0;
	}
	if (in->host == out->host) {
		*error = run_strdup_printf(
			"splice between two %s is not supported by the "
			"embedded stack", in->host ? "host files" : "sockets");
		return -1;
	}
	c->fd = in->host ? out->live_fd : in->live_fd;	/* the socket */
	c->in_fd = in->host ? in->live_fd : out->live_fd;	/* the pipe */
	c->i2 = in->host;	/* 1: pipe -> socket */
	c->len = len > 0 ? (size_t)len : 0;
	c->buf = malloc(c->len + 1);
	if (!c->buf)
		abort();
	msg_single(c);
	return 0;
}

static int64_t inv_splice(struct run *run, struct call *c)
{
	int flags = (c->i1 & SPLICE_F_NONBLOCK) ? MSG_DONTWAIT : 0;
	int64_t r;

	if (c->i2 == 2) {	/* kernel mode: fd -> in_fd, really */
		ssize_t n = splice(c->fd, NULL, c->in_fd, NULL, c->len,
				   (unsigned int)c->i1);

		return n < 0 ? -errno : n;
	}
	if (c->i2) {	/* pipe -> socket */
		if (!c->wait.started) {
			ssize_t n = read(c->in_fd, c->iov[0].iov_base,
					 c->len);

			if (n < 0)
				return errno == EAGAIN ? 0 : -errno;
			c->iov[0].iov_len = (size_t)n;
			if (n == 0)
				return 0;
		}
		return run->sut->ops->sendmsg(run->sut, c->fd, &c->msg, flags,
					      &c->wait);
	}
	r = run->sut->ops->recvmsg(run->sut, c->fd, &c->msg, flags, &c->wait);
	if (r > 0 && write(c->in_fd, c->iov[0].iov_base, (size_t)r) != r)
		return -EIO;
	return r;
}

static const struct syscall_entry syscall_table[] = {
	{ "socket", prep_socket, inv_socket, chk_socket, CHECK_FD },
	{ "bind", prep_bind, inv_bind, chk_bind, CHECK_EXACT },
	{ "listen", prep_listen, inv_listen, chk_listen, CHECK_EXACT },
	{ "accept", prep_accept, inv_accept, chk_accept, CHECK_FD },
	{ "accept4", prep_accept, inv_accept, chk_accept, CHECK_FD },
	{ "connect", prep_connect, inv_connect, NULL, CHECK_EXACT },
	{ "read", prep_recv, inv_recvmsg, NULL, CHECK_EXACT },
	{ "readv", prep_readv, inv_recvmsg, NULL, CHECK_EXACT },
	{ "recv", prep_recv, inv_recvmsg, NULL, CHECK_EXACT },
	{ "recvfrom", prep_recv, inv_recvmsg, NULL, CHECK_EXACT },
	{ "recvmsg", prep_recvmsg, inv_recvmsg, chk_recvmsg, CHECK_EXACT },
	{ "write", prep_send, inv_sendmsg, NULL, CHECK_EXACT },
	{ "writev", prep_writev, inv_sendmsg, NULL, CHECK_EXACT },
	{ "send", prep_send, inv_sendmsg, NULL, CHECK_EXACT },
	{ "sendto", prep_send, inv_sendmsg, NULL, CHECK_EXACT },
	{ "sendmsg", prep_sendmsg, inv_sendmsg, NULL, CHECK_EXACT },
	{ "close", prep_close, inv_close, chk_close, CHECK_EXACT },
	{ "open", prep_open, inv_open, chk_open, CHECK_FD },
	{ "sendfile", prep_sendfile, inv_sendfile, NULL, CHECK_EXACT },
	{ "pipe", prep_pipe, inv_pipe, chk_pipe, CHECK_EXACT },
	{ "splice", prep_splice, inv_splice, NULL, CHECK_EXACT },
	{ "shutdown", prep_shutdown, inv_shutdown, NULL, CHECK_EXACT },
	{ "setsockopt", prep_setsockopt, inv_setsockopt, NULL, CHECK_EXACT },
	{ "getsockopt", prep_getsockopt, inv_getsockopt, chk_getsockopt,
	  CHECK_EXACT },
	{ "fcntl", prep_fcntl, inv_fcntl, NULL, CHECK_EXACT },
	{ "ioctl", prep_ioctl, inv_ioctl, chk_ioctl, CHECK_EXACT },
	{ "poll", prep_poll, inv_poll, chk_poll, CHECK_EXACT },
	{ "epoll_create", prep_epoll_create, inv_epoll_create,
	  chk_epoll_create, CHECK_FD },
	{ "epoll_create1", prep_epoll_create, inv_epoll_create,
	  chk_epoll_create, CHECK_FD },
	{ "epoll_ctl", prep_epoll_ctl, inv_epoll_ctl, NULL, CHECK_EXACT },
	{ "epoll_wait", prep_epoll_wait, inv_epoll_wait, chk_epoll_wait,
	  CHECK_EXACT },
};

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
			*error = run_strdup_printf(
				"Expected non-negative result but got %d with "
				"errno %d (%s)", actual, actual_errno,
				strerror(actual_errno));
			return -1;
		}
	} else if (actual != (int)expected) {
		if (actual < 0)
			*error = run_strdup_printf(
				"Expected result %d but got %d with errno %d "
				"(%s)", (int)expected, actual, actual_errno,
				strerror(actual_errno));
		else
			*error = run_strdup_printf(
				"Expected result %d but got %d",
				(int)expected, actual);
		return -1;
	}
	if (c->sc->errno_name) {
		int64_t want;

		if (!symbol_lookup(c->sc->errno_name, &want)) {
			*error = run_strdup_printf("unknown errno symbol '%s'",
						   c->sc->errno_name);
			return -1;
		}
		if (actual_errno != want) {
			*error = run_strdup_printf(
				"Expected errno %d (%s) but got %d (%s)",
				(int)want, strerror((int)want), actual_errno,
				strerror(actual_errno));
			return -1;
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
#if HAVE_SOCKET_TABLE
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
#endif
	out = run_strdup_printf(
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
		char *src = run_strdup_printf("%.*s", (int)(end - p), p);
		char *r = run_strdup_printf("%s%s", what, res);

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
	size_t i;

	for (i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (!strcmp(syscall_table[i].name, name))
			return &syscall_table[i];
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

int run_syscall_event(struct run *run, const struct ast_event *event,
		      char **error)
{
	const struct ast_syscall *sc = event->u.syscall;
	const struct syscall_entry *entry = find_entry(sc->name);
	const struct ast_expr_list *l;
	struct call *c;
	char *why = NULL;
	int64_t r;
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
		why = run_strdup_printf("too many arguments (%d)", c->nargs);
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
	while (r == -SUT_EBLOCKED) {
		int64_t next = run->sut->ops->next_event(run->sut);
		int64_t dl = c->wait.deadline > 0 ? c->wait.deadline :
			     INT64_MAX;

		if (dl < next)
			next = dl;
		if (next <= run_now(run) && ++stuck > 1000) {
			why = run_strdup_printf(
				"the system under test's timer at %.6f sec "
				"does not advance", next / 1000000.0);
			goto fail;
		}
		if (next == INT64_MAX) {
			why = run_strdup_printf(
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
