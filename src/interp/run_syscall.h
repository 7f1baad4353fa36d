/* SPDX-License-Identifier: GPL-2.0-only */
/* run_syscall.h: system call events (packetdrill's run_system_call.c):
 * evaluate the script's argument expressions into real C arguments, call
 * the system under test, check the return value, errno and out-parameters
 * with packetdrill's wording, and keep at most one blocking call parked
 * while later events run.
 *
 * Calls: socket bind listen accept accept4 connect read readv recv
 * recvfrom recvmsg write writev send sendto sendmsg close shutdown
 * setsockopt getsockopt fcntl ioctl poll epoll_create epoll_create1
 * epoll_ctl epoll_wait on the system under test; open, pipe, sendfile and
 * splice with host files and pipes on one side. Any other call fails with
 * "file:line: error: system call 'X' is not supported by the embedded
 * stack". Script fds map to live fds (CHECK_FD calls accept any live fd
 * for a script fd >= 0, as packetdrill). */
#ifndef NETDRILL_RUN_SYSCALL_H
#define NETDRILL_RUN_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"

struct run;
struct syscalls;

struct syscalls *syscalls_new(struct run *run);
void syscalls_free(struct syscalls *syscalls);

/* Run one system call event at the current time (the loop has already
 * moved the clock to the event's time). A call that blocks and whose
 * script line gives an end time ("0...0.2 accept(...)") is parked and the
 * function returns 0; a call that blocks without one runs the clock
 * forward until it completes, as a blocked process would. 0 or -1 with
 * *error (a full "file:line: ..." message). */
int run_syscall_event(struct run *run, const struct ast_event *event,
		      char **error);

/* Try the parked call again; if it completes, check it. 0 (still parked,
 * or completed as the script says) or -1 with *error. */
int syscalls_retry(struct run *run, char **error);

/* Is a blocking call parked? Its deadline (from a timeout) or INT64_MAX. */
bool syscalls_parked(const struct run *run);
int64_t syscalls_parked_deadline(const struct run *run);
/* Line of the parked call (for messages), 0 if none. */
int syscalls_parked_line(const struct run *run);
/* The event of the parked call, or NULL. */
const struct ast_event *syscalls_parked_event(const struct run *run);

/* The live fd for a script fd, or -1. */
int syscalls_live_fd(const struct run *run, int script_fd);

/* Evaluate an integer-valued expression: numbers, symbols (SOL_SOCKET),
 * a | b, htons(n), htonl(n). 0 or -1 with *error (no file:line). */
int syscall_eval_int(const struct ast_expr *expr, int64_t *value,
		     char **error);

#endif /* NETDRILL_RUN_SYSCALL_H */
