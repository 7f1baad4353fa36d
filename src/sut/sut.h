/* SPDX-License-Identifier: GPL-2.0-only */
/* sut.h: the seam between the interpreter and the system under test.
 *
 * This is the only thing src/ knows about what it tests. A back end (the
 * embedded stack, the host kernel over TUN, later a user-space stack in a
 * shared object) is a table of these functions plus its private state,
 * like packetdrill's netdev_ops and its packetdrill_interface.
 *
 * Conventions, for every function below:
 *  - Return values follow Linux system calls, but errors are returned as
 *    negative errno values (-EAGAIN), never through errno.
 *  - Pointers passed in are borrowed for the duration of the call; the
 *    back end copies what it keeps.
 *  - Times are microseconds on the back end's clock, which starts at 0
 *    when the back end is created (virtual for the embedded stack, real
 *    monotonic time since start for the kernel).
 */
#ifndef NETDRILL_SUT_H
#define NETDRILL_SUT_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "config.h"

/* Returned (negated) by a blocking call that cannot complete yet on a
 * back end with a virtual clock: the interpreter keeps the call parked and
 * calls it again, with the same struct sut_wait, after every inbound packet
 * and every step of the clock, until it returns anything else. Outside the
 * errno range on purpose. */
#define SUT_EBLOCKED 100000
/* recvmsg flag: read as splice(2) from the socket (NDS_MSG_SPLICE); a
 * back end with real descriptors uses splice(2) itself. */
#define SUT_MSG_SPLICE 0x10000000

/* State of one parked blocking call. The interpreter zeroes it before the
 * first attempt and passes the same object on every retry; the back end
 * owns its contents (e.g. bytes already copied by a blocking write, when
 * the call started, its timeout). */
struct sut_wait {
	int started;		/* set by the back end on the first attempt */
	int64_t start_time;	/* when the call was first made */
	int64_t deadline;	/* give up at this time; INT64_MAX if never.
				 * The interpreter steps the clock to it. */
	size_t progress;	/* e.g. bytes already queued by a write */
	long scratch[4];	/* back-end private */
};

/* A snapshot of one socket's TCP state, for error messages and -v. */
struct sut_sock_state {
	char state[16];		/* "ESTABLISHED", "SYN_SENT", ... */
	uint32_t snd_una, snd_nxt, rcv_nxt;	/* absolute sequence numbers */
	uint32_t snd_cwnd, snd_ssthresh;	/* packets */
	uint32_t packets_out, retrans_out, sacked_out, lost_out;
	uint32_t write_queue_bytes;	/* unsent + unacked bytes */
	uint32_t recv_queue_bytes;	/* readable bytes */
	uint32_t rto_us, srtt_us;
};

/* One record of a back end's own trace (src/interp/trace.h); the same
 * layout as the embedded stack's struct nds_trace_record. name is a
 * static string (kept as is); text is only valid during the call. */
enum sut_trace_kind {
	SUT_TRACE_NOTE = 0,	/* text: a note */
	SUT_TRACE_CALL,		/* entering function name at depth */
	SUT_TRACE_DECISION,	/* values at a decision point in name */
	SUT_TRACE_STATE,	/* socket field name: old -> value */
	SUT_TRACE_TIMER,	/* timer name: text armed/fired/cancelled */
	SUT_TRACE_COUNTER,	/* MIB counter name: old -> value */
};

struct sut_trace_record {
	enum sut_trace_kind kind;
	int64_t t_us;
	int fd;
	int depth;
	const char *name;
	const char *text;
	int64_t value, old;
};

typedef void (*sut_trace_fn)(void *ctx, const struct sut_trace_record *rec);
#define SUT_TRACE_WANT_CALLS	1
#define SUT_TRACE_WANT_DETAIL	2

struct sut;

/* Called by the back end for every packet it sends (an IP datagram,
 * IPv4 or IPv6), at the back end's time t_us. */
typedef void (*sut_output_fn)(void *ctx, const uint8_t *packet, size_t len,
			      int64_t t_us);

/* What a back end can do, for the interpreter to ask instead of telling
 * back ends apart by name (sut_ops.caps). */
enum {
	/* The clock is virtual: it moves only when advance() is called, so
	 * the interpreter steps it to each event; without this the clock is
	 * real time and advance() sleeps. */
	SUT_CAP_VIRTUAL_CLOCK = 1 << 0,
	/* The back end's sysctls are its own, not the host's: backquoted
	 * commands run in netdrill's sandbox against the sysctls it lists
	 * (sysctl_name), with the in-process tools (src/commands/). Without
	 * this a command runs as it is, in the back end's network
	 * namespace. */
	SUT_CAP_OWN_SYSCTLS = 1 << 1,
};

struct sut_ops {
	const char *name;	/* for messages only: never tested by src/ */
	unsigned caps;		/* SUT_CAP_* */

	void (*destroy)(struct sut *sut);
	/* Optional (NULL: nothing to do): the script's events are over, all
	 * run or one failed; what the back end does from here on (during the
	 * failure report, the cleanup command, destroy) is not the
	 * script's. */
	void (*events_done)(struct sut *sut);

	/* --- the clock --- */
	int64_t (*now)(struct sut *sut);
	/* Earliest time the back end will act on its own (a timer), or
	 * INT64_MAX if none. */
	int64_t (*next_event)(struct sut *sut);
	/* Move the clock forward to t (>= now), running due timers in time
	 * order; for a real clock, sleep until t. */
	void (*advance)(struct sut *sut, int64_t t);

	/* --- packets --- */
	/* Deliver an IP datagram from the remote side. Returns 0 or -errno
	 * (-EINVAL for a packet the back end could not take at all). */
	int (*inject)(struct sut *sut, const uint8_t *packet, size_t len);
	/* Set the function that receives every outbound packet. */
	void (*set_output)(struct sut *sut, sut_output_fn fn, void *ctx);

	/* --- system calls (-errno on failure) --- */
	int (*socket)(struct sut *sut, int domain, int type, int protocol);
	int (*bind)(struct sut *sut, int fd, const struct sockaddr *addr,
		    socklen_t len);
	int (*listen)(struct sut *sut, int fd, int backlog);
	int (*accept)(struct sut *sut, int fd, struct sockaddr *addr,
		      socklen_t *len, int flags, struct sut_wait *wait);
	int (*connect)(struct sut *sut, int fd, const struct sockaddr *addr,
		       socklen_t len, struct sut_wait *wait);
	ssize_t (*sendmsg)(struct sut *sut, int fd, const struct msghdr *msg,
			   int flags, struct sut_wait *wait);
	ssize_t (*recvmsg)(struct sut *sut, int fd, struct msghdr *msg,
			   int flags, struct sut_wait *wait);
	int (*close)(struct sut *sut, int fd, struct sut_wait *wait);
	int (*shutdown)(struct sut *sut, int fd, int how);
	int (*setsockopt)(struct sut *sut, int fd, int level, int name,
			  const void *val, socklen_t len);
	int (*getsockopt)(struct sut *sut, int fd, int level, int name,
			  void *val, socklen_t *len);
	int (*fcntl)(struct sut *sut, int fd, int cmd, long arg);
	int (*ioctl)(struct sut *sut, int fd, unsigned long request,
		     void *arg);
	int (*poll)(struct sut *sut, struct pollfd *fds, nfds_t nfds,
		    int timeout_ms, struct sut_wait *wait);
	int (*epoll_create)(struct sut *sut, int flags);
	int (*epoll_ctl)(struct sut *sut, int epfd, int op, int fd,
			 struct epoll_event *event);
	int (*epoll_wait)(struct sut *sut, int epfd, struct epoll_event *events,
			  int maxevents, int timeout_ms, struct sut_wait *wait);

	/* --- configuration and introspection --- */
	/* Set or read a sysctl by its /proc/sys path below /proc/sys/,
	 * e.g. "net/ipv4/tcp_rmem", value as text ("4096 540000 15728640").
	 * -ENOENT for a sysctl the back end does not model. */
	int (*sysctl_write)(struct sut *sut, const char *path,
			    const char *value);
	int (*sysctl_read)(struct sut *sut, const char *path, char *buf,
			   size_t len);
	/* The i-th sysctl the back end models (0, 1, ...), as a path
	 * sysctl_read takes; NULL past the last. NULL (the function) for a
	 * back end without SUT_CAP_OWN_SYSCTLS. */
	const char *(*sysctl_name)(struct sut *sut, int i);
	/* Describe the TCP state of socket fd; -EBADF if none. */
	int (*sock_state)(struct sut *sut, int fd, struct sut_sock_state *st);

	/* --- trace (optional: NULL on a back end without one) --- */
	/* Send the back end's trace records to fn (NULL: stop). want:
	 * SUT_TRACE_WANT_CALLS, the call path and decision values too;
	 * SUT_TRACE_WANT_DETAIL, notes, timers armed and cancelled, and state
	 * after every packet and timer (else only when synced). */
	void (*set_trace)(struct sut *sut, sut_trace_fn fn, void *ctx,
			  int want);
	/* Report the state that changed since the last sync. */
	void (*trace_sync)(struct sut *sut);
};

struct sut {
	const struct sut_ops *ops;
	void *priv;			/* the back end's own state */
};

/* Create the embedded-stack back end for a run configured by config.
 * Returns NULL and sets *error (caller frees) on failure. */
struct sut *sut_embedded_new(const struct config *config, char **error);

/* Create the back end config->stack names (src/sut.c): the embedded
 * stack, the host kernel over TUN in a namespace of its own
 * (src/sut_kernel.h), or both for --stack=compare (src/compare.h).
 * Returns NULL and sets *error (caller frees) on failure. */
struct sut *sut_new(const struct config *config, char **error);

#endif /* NETDRILL_SUT_H */
