/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_data.c: read, readv, recv, recvfrom, recvmsg (with its cmsg
 * checks), write, writev, send, sendto and sendmsg. */
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
		return fail(error,
			"iov_count %d does not match %d-element iovec array",
			(int)n, c->iovcnt);
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
		return fail(error, "sendmsg ignores msg_flags field in msghdr");
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
		*error = strdup_printf("Bad " what " in extended err %d: " \
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
			return fail(error,
				    "Bad timestamp %d in scm_timestamping %d: "
				    "expected=%lld (%lld) actual=%lld (%lld) "
				    "start=0", k, i, w, w, g, g);
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
		return fail(error, "Expected msg_flags 0x%08X but got 0x%08X",
			    (unsigned)c->expect_msg.msg_flags,
			    (unsigned)c->msg.msg_flags);
	}
	if (!c->expect_msg.msg_control)
		return 0;
	for (a = c->msg.msg_controllen ? CMSG_FIRSTHDR(&c->msg) : NULL,
	     e = CMSG_FIRSTHDR(&c->expect_msg);
	     a && e && a->cmsg_len && e->cmsg_len;
	     a = CMSG_NXTHDR(&c->msg, a),
	     e = CMSG_NXTHDR(&c->expect_msg, e), i++) {
		if (a->cmsg_level != e->cmsg_level) {
			return fail(error,
				"Bad level in cmsg %d: expected=%d actual=%d",
				i, e->cmsg_level, a->cmsg_level);
		}
		if (a->cmsg_type != e->cmsg_type) {
			return fail(error,
				"Bad type in cmsg %d: expected=%d actual=%d",
				i, e->cmsg_type, a->cmsg_type);
		}
		if (a->cmsg_len != e->cmsg_len) {
			return fail(error,
				"Bad len in cmsg %d: expected=%lu actual=%lu",
				i, (unsigned long)e->cmsg_len,
				(unsigned long)a->cmsg_len);
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
			return fail(error,
				"Bad data in cmsg %d: expected=%d actual=%d",
				i, *(int *)CMSG_DATA(e), *(int *)CMSG_DATA(a));
		}
	}
	if (a && a->cmsg_len && !(e && e->cmsg_len)) {
		return fail(error, "received more than %d cmsgs", i);
	}
	if (e && e->cmsg_len && !(a && a->cmsg_len)) {
		return fail(error, "received only %d cmsgs", i);
	}
	return 0;
}

const struct syscall_entry syscalls_data[] = {
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
	{ NULL, NULL, NULL, NULL, CHECK_EXACT },
};
