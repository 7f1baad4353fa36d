/* SPDX-License-Identifier: GPL-2.0-only */
/* syscall_priv.h: what the system-call files of src/interp/ share (not
 * for use outside this folder).
 *
 *  run_syscall.c     the generic part (run_syscall.h): the calls' table,
 *                    script fds to live fds, result and errno, blocking
 *                    and parked calls, timing
 *  syscall_args.c    the script's expressions as C arguments: integers,
 *                    addresses, buffers, iovecs, msghdrs and cmsgs; the
 *                    socket table's hooks
 *  syscall_socket.c  socket, bind, listen, accept, connect, close,
 *                    shutdown, setsockopt, getsockopt, fcntl, ioctl
 *  syscall_data.c    read, write and the send and recv families
 *  syscall_file.c    open, sendfile, pipe, splice (host files and pipes)
 *  syscall_poll.c    poll and epoll
 *
 * A new call goes in its family's file: prepare, invoke, check functions
 * and a row in that file's table. */
#ifndef NETDRILL_SYSCALL_PRIV_H
#define NETDRILL_SYSCALL_PRIV_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "ast.h"
#include "run_syscall.h"
#include "sut.h"

struct config;

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

/* One system call: what it does at each step (see run_syscall.c). */
struct syscall_entry {
	const char *name;		/* NULL ends a table */
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

/* Room for the cmsgs of a recvmsg (and of the script's expected ones). */
#define MSGHDR_MAX_CONTROLLEN 1024

/* The families' tables, each ended by a row with a NULL name. */
extern const struct syscall_entry syscalls_socket[], syscalls_data[],
	syscalls_file[], syscalls_poll[];

/* --- run_syscall.c --- */
void call_free(struct call *c);

/* file descriptors: script numbers to live numbers */
const struct fd_map *find_fd(const struct run *run, int script_fd);

int to_live_fd(struct run *run, int64_t script_fd, int *live,
	       char **error);

int add_fd(struct run *run, int script_fd, int live_fd, char **error);

int add_fd_kind(struct run *run, int script_fd, int live_fd,
		bool host, bool shadow, char **error);

void remove_fd(struct run *run, int script_fd);

/* --- syscall_args.c --- */
/* expressions */
const char *expr_type_name(const struct ast_expr *e);

/* A zeroed buffer of len + 1 bytes whose size the script's own numbers
 * give (a count, an iov_len, an optlen): NULL with *error saying the
 * script asks for more than netdrill can allocate (never an abort). */
void *script_buffer(size_t len, char **error);

int bad_type(const struct ast_expr *e, const char *expected,
	     char **error);

/* packetdrill's get_s32(): range check to 32 bits. */
int eval_s32(const struct ast_expr *e, int64_t *value, char **error);

int arg_s32(struct call *c, int i, int64_t *value, char **error);

bool is_ellipsis(const struct ast_expr *e);

int ellipsis_arg(struct call *c, int i, char **error);

/* [N]: a list holding one integer. */
int bracketed_s32(const struct ast_expr *e, int64_t *value,
		  char **error);

/* A member of {a=1, b=2} by name, or by position for {x, y}. */
const struct ast_expr *field(const struct ast_expr *st,
			     const char *name, int position);

/* The socket-side form of a configured address: for ipv4-mapped-ipv6
 * sockets an IPv4 address becomes ::ffff:a.b.c.d. */
void config_sockaddr(const struct config *config,
		     const struct ip_address *ip, uint16_t port,
		     struct sockaddr_storage *ss, socklen_t *len);

/* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("..")} or
 * the IPv6 form with sin6_port / sin6_addr=inet6_addr(".."). */
int sockaddr_from_expr(const struct ast_expr *e,
		       struct sockaddr_storage *ss, socklen_t *len,
		       char **error);

/* socket-table hooks (PACKETS' src/socket.h) */
void note_socket(struct run *run, int fd, int domain, int type,
		 int protocol);

void note_bind(struct run *run, int fd, const struct sockaddr *a,
	       socklen_t len);

void note_listen(struct run *run, int fd);

void note_connect(struct run *run, struct call *c);

void note_disconnect(struct run *run, int fd);
void note_accept(struct run *run, int listen_fd, int fd);

void note_close(struct run *run, int fd);

/* argument helpers shared by several calls */
int check_nargs(struct call *c, int expected, char **error);

int fd_arg(struct run *run, struct call *c, int i, char **error);

/* A buffer argument: `...` (or NULL) and a count. */
int buffer_args(struct call *c, int buf_i, int count_i, char **error);

/* [{..., 100}, {iov_base=..., iov_len=200}] */
int iovec_from_expr(const struct ast_expr *e, struct iovec **iov,
		    int *iovcnt, char **error);

/* {msg_name(...)=..., msg_iov(1)=[{...,1000}], msg_control=[..],
 *  msg_flags=0} */
int msghdr_from_expr(const struct ast_expr *e, struct call *c,
		     struct msghdr *msg, char **error);

void msg_single(struct call *c);

/* --- syscall_socket.c --- */
/* The remote address for connect(), sendto() and sendmsg(): `...` means
 * the configured remote address and --connect_port; an integer is a bare
 * sa_family (AF_UNSPEC disconnects). */
int connect_addr(struct run *run, struct call *c,
		 const struct ast_expr *e, char **error);

#endif /* NETDRILL_SYSCALL_PRIV_H */
