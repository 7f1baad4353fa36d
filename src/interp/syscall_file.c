/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_file.c: open, sendfile, pipe and splice: host files and pipes
 * on one side, the system under test on the other. */
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
#include "run_command.h"
#include "socket.h"
#include "symbols.h"
#include "sut.h"
#include "util.h"

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
	/* /tmp is the run's own when its commands have one */
	char *own = run->commands ? commands_tmp_path(run->commands, c->path) :
		    NULL;
	int fd = open(own ? own : c->path, (int)c->i1 | O_CLOEXEC);
	int e = errno;

	free(own);
	return fd < 0 ? -e : fd;
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
		return fail(error,
			m ? "sendfile from script fd %d: only files open()ed "
			"by the script are supported" :
			"unable to find socket with script fd %d",
			(int)in);
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
			return -ENOMEM;	/* as Linux, out of memory */
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
		return fail(error, "pipe needs [read_fd, write_fd]");
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
		return fail(error, "unable to find socket with script "
			    "fd %d", (int)(in ? fd_out : fd_in));
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
		return fail(error,
			"splice between two %s is not supported by the "
			"embedded stack", in->host ? "host files" : "sockets");
	}
	c->fd = in->host ? out->live_fd : in->live_fd;	/* the socket */
	c->in_fd = in->host ? in->live_fd : out->live_fd;	/* the pipe */
	c->i2 = in->host;	/* 1: pipe -> socket */
	c->len = len > 0 ? (size_t)len : 0;
	c->buf = script_buffer(c->len, error);
	if (!c->buf)
		return -1;
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
	/* socket -> pipe: tcp_splice_read's rules (the urgent mark) */
	r = run->sut->ops->recvmsg(run->sut, c->fd, &c->msg,
				   flags | SUT_MSG_SPLICE, &c->wait);
	if (r > 0 && write(c->in_fd, c->iov[0].iov_base, (size_t)r) != r)
		return -EIO;
	return r;
}

const struct syscall_entry syscalls_file[] = {
	{ "open", prep_open, inv_open, chk_open, CHECK_FD },
	{ "sendfile", prep_sendfile, inv_sendfile, NULL, CHECK_EXACT },
	{ "pipe", prep_pipe, inv_pipe, chk_pipe, CHECK_EXACT },
	{ "splice", prep_splice, inv_splice, NULL, CHECK_EXACT },
	{ NULL, NULL, NULL, NULL, CHECK_EXACT },
};
