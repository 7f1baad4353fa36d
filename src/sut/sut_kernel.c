/* SPDX-License-Identifier: GPL-2.0-only */
/* sut_kernel.c: the host kernel as the system under test, over tun0 in a
 * network namespace of netdrill's own (see sut_kernel.h for the model).
 *
 * Threads: the main thread runs the interpreter and is the only one that
 * calls the output hook. A reader thread reads tun0 as soon as the kernel
 * writes to it, so packets get their real send time even while the main
 * thread is busy (a shell command, a code block); it queues them and
 * wakes the main thread through a pipe. Each system call that may block
 * runs on a short-lived thread of its own, which signals completion
 * through the same pipe. */
#include "sut_kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <linux/virtio_net.h>

#include "netns.h"
#include "util.h"

/* How often the interpreter looks again while it waits on the kernel
 * (next_event() is always this far ahead): the granularity at which a
 * finished blocking call is noticed. Packet times do not depend on it. */
#define KERNEL_POLL_USECS 250
/* How long a call that may block gets before it is reported as blocked:
 * enough for one that does not block to finish on its thread. */
#define KERNEL_QUICK_USECS 2000
/* How often a call's thread is looked at in that time (asleep: blocked) */
#define KERNEL_SLEEP_CHECK_USECS 50

#define FRAME_MAX (sizeof(struct virtio_net_hdr) + 65536)

struct frame {
	struct frame *next;
	int64_t t_us;
	size_t len;
	uint8_t data[];
};

enum job_op {
	JOB_ACCEPT, JOB_CONNECT, JOB_SENDMSG, JOB_RECVMSG, JOB_CLOSE,
	JOB_POLL, JOB_EPOLL_WAIT, JOB_SPLICE_READ,
};

/* One possibly blocking system call on its own thread. The pointers are
 * the interpreter's, which keeps them alive until the call completes. */
struct job {
	struct job *next;
	struct kernel *k;
	pthread_t thread;
	enum job_op op;
	int fd, flags, count, timeout_ms;
	const struct sockaddr *addr;
	struct sockaddr *addr_out;
	socklen_t addrlen, *addrlen_out;
	const struct msghdr *cmsg;
	struct msghdr *msg;
	struct pollfd *pfds;
	struct epoll_event *events;
	void *owned;		/* freed with the job */
	/* The thread writes out-parameters here, not into the caller's,
	 * which the interpreter resets before every retry; job_run copies
	 * them back when the call is collected. */
	struct sockaddr_storage own_addr;
	socklen_t own_addrlen;
	ssize_t already;	/* sendmsg: bytes a first try already sent */
	atomic_int done;
	atomic_int tid;			/* the thread's kernel id, 0 until set */
	int64_t result;
};

/* The initial sequence numbers of a connection, seen on the wire, so
 * that sock_state can give absolute sequence numbers (TCP_INFO only has
 * byte counts). */
struct conn_isn {
	uint16_t lport, rport;
	bool have_local, have_remote;
	uint32_t local_isn, remote_isn;
};

#define MAX_CONNS 64

struct kernel {
	struct sut sut;
	struct timespec start;	/* time 0 (see clock_begin) */
	bool clock_started;
	int64_t realtime_start_ns;	/* CLOCK_REALTIME at time 0 */
	int tun_fd;
	int mtu;
	int mss;		/* --mss: gso_size of injected TCP packets */
	int events[2];		/* reader and jobs -> main: "look" */
	int stop[2];		/* main -> reader: "exit" */
	pthread_t reader;
	bool reader_started;

	pthread_mutex_t lock;	/* guards queue */
	struct frame *queue, **queue_tail;

	sut_output_fn output;
	void *output_ctx;

	struct job *jobs;	/* running or not yet collected */
	int *fds;		/* sockets and epoll fds the script opened */
	int nfds, capfds;

	struct conn_isn conns[MAX_CONNS];
	int nconns;

	int splice_pipe[2];	/* recvmsg(SUT_MSG_SPLICE): splice(2) goes
				 * through it ({-1, -1} until first used) */
};

static struct kernel *kernel_of(struct sut *sut)
{
	return sut->priv;
}

static int64_t clock_us(const struct kernel *k)
{
	struct timespec ts;
	int64_t t;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (int64_t)(ts.tv_sec - k->start.tv_sec) * 1000000 +
	    (ts.tv_nsec - k->start.tv_nsec) / 1000;
	return t < 0 ? 0 : t;
}

static int64_t ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

/* Time 0 is now, on both clocks the kernel reports times on. */
static void set_start(struct kernel *k)
{
	struct timespec rt;

	clock_gettime(CLOCK_MONOTONIC, &k->start);
	clock_gettime(CLOCK_REALTIME, &rt);
	k->realtime_start_ns = ns_of(&rt);
}

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Wait until a quarter of a millisecond after a kernel tick, as
 * packetdrill does before its first event. Scripts put events on
 * millisecond boundaries; the kernel's jiffy timers (a delayed ACK due
 * "at the next tick", RTO rounding) then fire at the same point of the
 * script on every run, not anywhere within a tick (4 ms at HZ=250,
 * equal to the default tolerance). times() moves right after a tick;
 * two moves are waited for (at most 20 ms at USER_HZ=100), with a bound
 * in case the clock does not move at all. */
static void align_to_tick(void)
{
	clock_t last = times(NULL);
	int64_t t0 = mono_us(), until;
	int moves = 0;

	while (moves < 2 && mono_us() - t0 < 50000) {
		clock_t now = times(NULL);

		if (now != last) {
			moves++;
			last = now;
		}
	}
	until = mono_us() + 250;
	while (mono_us() < until)
		;
}

/* Time 0 is when the interpreter first asks the clock, i.e. when the
 * script's events begin: the init command before them (a shell, often
 * dozens of sysctl writes) takes real time that packetdrill does not
 * count either. */
static void clock_begin(struct kernel *k)
{
	if (!k->clock_started) {
		align_to_tick();
		/* The reader thread timestamps under the lock. */
		pthread_mutex_lock(&k->lock);
		set_start(k);
		pthread_mutex_unlock(&k->lock);
		k->clock_started = true;
	}
}

static void poke(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) < 0 && errno != EAGAIN) {
		/* nothing to do: the pipe only wakes the main thread */
	}
}

/* ---- packets ---- */

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* With checksum offload the kernel leaves only the pseudo-header sum in
 * the transport checksum field; finish it as a NIC would. */
static void finish_checksum(const struct virtio_net_hdr *vh, uint8_t *pkt,
			    size_t len)
{
	size_t start = vh->csum_start, at = start + vh->csum_offset;
	uint32_t sum;

	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || start >= len ||
	    at + 2 > len)
		return;
	sum = sum16(pkt + start, len - start, 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	pkt[at] = (uint8_t)(sum >> 8);
	pkt[at + 1] = (uint8_t)sum;
}

/* Packets the kernel sends on its own that no script expects: IPv6
 * neighbour discovery and MLD, IGMP. */
static bool is_chatter(const uint8_t *p, size_t len)
{
	if (len >= 20 && p[0] >> 4 == 4)
		return p[9] == 2;			/* IGMP */
	if (len >= 40 && p[0] >> 4 == 6) {
		if (p[6] == 0)				/* hop-by-hop: MLD */
			return true;
		if (p[6] == 58 && len >= 41)		/* ICMPv6 */
			return (p[40] >= 130 && p[40] <= 137) ||
			       p[40] == 143;
	}
	return false;
}

static void *reader_main(void *arg)
{
	struct kernel *k = arg;
	uint8_t *buf = malloc(FRAME_MAX);
	struct sched_param sp = { .sched_priority = 1 };

	if (!buf)
		return NULL;
	/* Timestamps are taken here: on a busy machine this thread must run
	 * as soon as the kernel sends, so it gets a real-time priority when
	 * allowed (it only reads and queues; nothing here can spin). */
	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = k->tun_fd, .events = POLLIN },
			{ .fd = k->stop[0], .events = POLLIN },
		};
		bool any = false;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		for (;;) {
			ssize_t n = read(k->tun_fd, buf, FRAME_MAX);
			size_t hl = sizeof(struct virtio_net_hdr);
			struct virtio_net_hdr vh;
			struct frame *f;

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= (ssize_t)hl)
				break;
			memcpy(&vh, buf, hl);
			if (is_chatter(buf + hl, (size_t)n - hl))
				continue;
			f = malloc(sizeof(*f) + (size_t)n - hl);
			if (!f)
				break;
			f->next = NULL;
			f->len = (size_t)n - hl;
			memcpy(f->data, buf + hl, f->len);
			finish_checksum(&vh, f->data, f->len);
			pthread_mutex_lock(&k->lock);
			f->t_us = clock_us(k);
			*k->queue_tail = f;
			k->queue_tail = &f->next;
			pthread_mutex_unlock(&k->lock);
			any = true;
		}
		if (any)
			poke(k->events[1]);
	}
	free(buf);
	return NULL;
}

/* Note the ISN of a SYN going out (outbound) or coming in. */
static void note_isn(struct kernel *k, const uint8_t *p, size_t len,
		     bool outbound)
{
	size_t ihl;
	const uint8_t *t;
	uint16_t sport, dport, lport, rport;
	uint32_t seq;
	struct conn_isn *c = NULL;
	int i;

	if (len >= 20 && p[0] >> 4 == 4 && p[9] == IPPROTO_TCP)
		ihl = (size_t)(p[0] & 15) * 4;
	else if (len >= 40 && p[0] >> 4 == 6 && p[6] == IPPROTO_TCP)
		ihl = 40;
	else
		return;
	if (len < ihl + 20)
		return;
	t = p + ihl;
	if (!(t[13] & 0x02))			/* SYN */
		return;
	sport = (uint16_t)(t[0] << 8 | t[1]);
	dport = (uint16_t)(t[2] << 8 | t[3]);
	seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 |
	      (uint32_t)t[6] << 8 | t[7];
	lport = outbound ? sport : dport;
	rport = outbound ? dport : sport;
	for (i = 0; i < k->nconns; i++)
		if (k->conns[i].lport == lport && k->conns[i].rport == rport)
			c = &k->conns[i];
	if (!c) {
		if (k->nconns == MAX_CONNS)
			return;
		c = &k->conns[k->nconns++];
		memset(c, 0, sizeof(*c));
		c->lport = lport;
		c->rport = rport;
	}
	/* A new SYN from the peer on a known port pair is a new
	 * connection; retransmitted SYNs carry the same ISN anyway. */
	if (outbound) {
		c->local_isn = seq;
		c->have_local = true;
	} else {
		c->remote_isn = seq;
		c->have_remote = true;
	}
}

/* Hand queued packets to the output hook, oldest first; how many. */
static int deliver(struct kernel *k)
{
	struct frame *f, *next;
	int n = 0;

	if (!k->output)
		return 0;
	pthread_mutex_lock(&k->lock);
	f = k->queue;
	k->queue = NULL;
	k->queue_tail = &k->queue;
	pthread_mutex_unlock(&k->lock);
	for (; f; f = next) {
		next = f->next;
		note_isn(k, f->data, f->len, true);
		k->output(k->output_ctx, f->data, f->len, f->t_us);
		free(f);
		n++;
	}
	return n;
}

/* Deliver packets until time `until`, or until `job` is done. */
static void pump(struct kernel *k, int64_t until, struct job *job)
{
	for (;;) {
		struct pollfd pfd = { .fd = k->events[0], .events = POLLIN };
		struct timespec ts;
		int64_t now, left;
		char drain[64];

		deliver(k);
		if (job && atomic_load(&job->done))
			return;
		now = clock_us(k);
		if (now >= until)
			return;
		left = until - now;
		ts.tv_sec = left / 1000000;
		ts.tv_nsec = (left % 1000000) * 1000;
		if (ppoll(&pfd, 1, &ts, NULL) > 0)
			while (read(k->events[0], drain, sizeof(drain)) > 0)
				;
	}
}

/* ---- bookkeeping of the script's fds ---- */

static void fd_add(struct kernel *k, int fd)
{
	if (k->nfds == k->capfds) {
		k->capfds = k->capfds ? 2 * k->capfds : 16;
		k->fds = realloc(k->fds, sizeof(int) * (size_t)k->capfds);
		if (!k->fds)
			abort();
	}
	k->fds[k->nfds++] = fd;
}

static void fd_remove(struct kernel *k, int fd)
{
	int i;

	for (i = 0; i < k->nfds; i++)
		if (k->fds[i] == fd) {
			k->fds[i] = k->fds[--k->nfds];
			return;
		}
}

static int neg(long r)
{
	return r < 0 ? -errno : (int)r;
}

/* ---- possibly blocking calls ---- */

/* recvmsg(SUT_MSG_SPLICE): splice(2) from socket fd into a pipe of our
 * own, then the bytes into msg, so that the kernel's own splice rules
 * (tcp_splice_read: it stops at the urgent mark, where recvmsg would skip
 * the urgent byte and block) decide what the script's splice() gets.
 * flags: MSG_DONTWAIT for SPLICE_F_NONBLOCK. A result or -errno. */
static int64_t splice_read(struct kernel *k, int fd, struct msghdr *msg,
			   int flags)
{
	size_t len = 0;
	ssize_t n, got;
	size_t i;

	for (i = 0; i < msg->msg_iovlen; i++)
		len += msg->msg_iov[i].iov_len;
	n = splice(fd, NULL, k->splice_pipe[1], NULL, len,
		   (flags & MSG_DONTWAIT) ? SPLICE_F_NONBLOCK : 0);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	got = readv(k->splice_pipe[0], msg->msg_iov, (int)msg->msg_iovlen);
	return got < 0 ? -errno : got;
}


static void *job_main(void *arg)
{
	struct job *j = arg;
	long r = -1;

	pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, NULL);
	atomic_store(&j->tid, (int)syscall(SYS_gettid));
	switch (j->op) {
	case JOB_ACCEPT:
		r = accept4(j->fd, (struct sockaddr *)&j->own_addr,
			    &j->own_addrlen, j->flags);
		break;
	case JOB_CONNECT:
		r = connect(j->fd, j->addr, j->addrlen);
		break;
	case JOB_SENDMSG:
		r = sendmsg(j->fd, j->cmsg, j->flags | MSG_NOSIGNAL);
		break;
	case JOB_RECVMSG:
		r = recvmsg(j->fd, j->msg, j->flags);
		break;
	case JOB_SPLICE_READ:
		r = splice_read(j->k, j->fd, j->msg, j->flags);
		errno = r < 0 ? (int)-r : 0;
		r = r < 0 ? -1 : r;
		break;
	case JOB_CLOSE:
		r = close(j->fd);
		break;
	case JOB_POLL:
		r = poll(j->pfds, (nfds_t)j->count, j->timeout_ms);
		break;
	case JOB_EPOLL_WAIT:
		r = epoll_wait(j->fd, j->events, j->count, j->timeout_ms);
		break;
	}
	j->result = r < 0 ? -errno : r;
	/* A blocking send that had sent part before blocking returns what
	 * it sent in all, as one blocking call would. */
	if (j->already > 0)
		j->result = j->already + (r > 0 ? r : 0);
	atomic_store(&j->done, 1);
	poke(j->k->events[1]);
	return NULL;
}

static void job_unlink(struct kernel *k, struct job *j)
{
	struct job **p;

	for (p = &k->jobs; *p; p = &(*p)->next)
		if (*p == j) {
			*p = j->next;
			return;
		}
}

/* Hand a finished call's out-parameters to the caller of this attempt. */
static void job_copy_out(const struct job *j, const struct job *to,
			 int64_t r)
{
	int i;

	switch (j->op) {
	case JOB_ACCEPT:
		if (r >= 0 && to->addr_out && to->addrlen_out) {
			socklen_t n = j->own_addrlen;

			if (n > *to->addrlen_out)
				n = *to->addrlen_out;
			memcpy(to->addr_out, &j->own_addr, n);
			*to->addrlen_out = j->own_addrlen;
		}
		break;
	case JOB_POLL:
		for (i = 0; i < j->count; i++)
			to->pfds[i].revents = j->pfds[i].revents;
		break;
	case JOB_EPOLL_WAIT:
		if (r > 0)
			memcpy(to->events, j->events,
			       sizeof(struct epoll_event) * (size_t)r);
		break;
	default:
		break;
	}
}

/* Is the job's thread asleep in the kernel (state S in
 * /proc/self/task/TID/stat), that is blocked in its call? packetdrill
 * asks the same of its system call thread. */
static bool job_sleeping(struct job *j)
{
	char path[64], buf[256], *p;
	int tid = atomic_load(&j->tid), fd;
	ssize_t n;

	if (!tid)
		return false;
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Give a call just started up to KERNEL_QUICK_USECS to finish, but report
 * it blocked as soon as its thread sleeps in the kernel: the script's
 * next relative time counts from here, as in packetdrill, which notices
 * a blocked call within microseconds. */
static void job_quick_wait(struct kernel *k, struct job *j)
{
	int64_t until = clock_us(k) + KERNEL_QUICK_USECS;

	while (!atomic_load(&j->done) && clock_us(k) < until) {
		int64_t next = clock_us(k) + KERNEL_SLEEP_CHECK_USECS;

		pump(k, next < until ? next : until, j);
		if (!atomic_load(&j->done) && job_sleeping(j)) {
			/* settled: not a call that was only preempted */
			pump(k, clock_us(k) + KERNEL_SLEEP_CHECK_USECS, j);
			if (job_sleeping(j))
				return;
		}
	}
}

/* Run the call described by tmpl: first attempt starts it and gives it
 * KERNEL_QUICK_USECS (less once it sleeps); later attempts collect it once
 * it is done. */
static int64_t job_run(struct kernel *k, const struct job *tmpl,
		       struct sut_wait *wait)
{
	struct job *j;
	int64_t r;

	deliver(k);
	if (!wait || !wait->started) {
		j = malloc(sizeof(*j));
		if (!j) {
			free(tmpl->owned);
			return -ENOMEM;
		}
		*j = *tmpl;
		j->k = k;
		atomic_init(&j->done, 0);
		atomic_init(&j->tid, 0);
		j->own_addrlen = sizeof(j->own_addr);
		if (j->op == JOB_POLL || j->op == JOB_EPOLL_WAIT) {
			size_t size = j->op == JOB_POLL ?
				sizeof(struct pollfd) * (size_t)j->count :
				sizeof(struct epoll_event) *
				(size_t)(j->count > 0 ? j->count : 1);

			/* (tmpl->owned is only set for sends.) */
			j->owned = malloc(size);
			if (!j->owned) {
				free(j);
				return -ENOMEM;
			}
			if (j->op == JOB_POLL) {
				memcpy(j->owned, tmpl->pfds, size);
				j->pfds = j->owned;
			} else {
				j->events = j->owned;
			}
		}
		if (pthread_create(&j->thread, NULL, job_main, j)) {
			free(j->owned);
			free(j);
			return -EAGAIN;
		}
		j->next = k->jobs;
		k->jobs = j;
		if (wait) {
			wait->started = 1;
			wait->start_time = clock_us(k);
			wait->scratch[0] = (long)(intptr_t)j;
		}
		if (wait && j->op != JOB_POLL && j->op != JOB_EPOLL_WAIT)
			job_quick_wait(k, j);
		else
			pump(k, clock_us(k) + KERNEL_QUICK_USECS, j);
		if (!wait) {
			while (!atomic_load(&j->done))
				pump(k, clock_us(k) + 1000000, j);
		}
	} else {
		j = (struct job *)(intptr_t)wait->scratch[0];
		deliver(k);
	}
	if (!atomic_load(&j->done))
		return -SUT_EBLOCKED;
	pthread_join(j->thread, NULL);
	job_unlink(k, j);
	r = j->result;
	job_copy_out(j, tmpl, r);
	free(j->owned);
	free(j);
	/* The call may have made the kernel send something (a SYN, an
	 * ACK): hand it over while we are here. */
	deliver(k);
	return r;
}

/* ---- struct sut_ops ---- */

static void k_destroy(struct sut *sut)
{
	struct kernel *k = kernel_of(sut);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct frame *f;
	int i;

	/* Calls still blocked are abandoned: cancel and reap them first. */
	while (k->jobs) {
		struct job *j = k->jobs;

		k->jobs = j->next;
		if (!atomic_load(&j->done))
			pthread_cancel(j->thread);
		pthread_join(j->thread, NULL);
		free(j->owned);
		free(j);
	}
	/* Reset every live connection (packetdrill does the same) so that
	 * nothing retransmits once we are gone. */
	for (i = 0; i < k->nfds; i++) {
		setsockopt(k->fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(k->fds[i]);
	}
	free(k->fds);
	if (k->reader_started) {
		poke(k->stop[1]);
		pthread_join(k->reader, NULL);
	}
	while ((f = k->queue)) {
		k->queue = f->next;
		free(f);
	}
	for (i = 0; i < 2; i++) {
		if (k->splice_pipe[i] >= 0)
			close(k->splice_pipe[i]);
		if (k->events[i] >= 0)
			close(k->events[i]);
		if (k->stop[i] >= 0)
			close(k->stop[i]);
	}
	if (k->tun_fd >= 0)
		close(k->tun_fd);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

static int64_t k_now(struct sut *sut)
{
	clock_begin(kernel_of(sut));
	return clock_us(kernel_of(sut));
}

static int64_t k_next_event(struct sut *sut)
{
	struct kernel *k = kernel_of(sut);

	clock_begin(k);
	/* Packets just handed over: let the interpreter look at them now. */
	if (deliver(k))
		return clock_us(k);
	return clock_us(k) + KERNEL_POLL_USECS;
}

static void k_advance(struct sut *sut, int64_t t)
{
	clock_begin(kernel_of(sut));
	pump(kernel_of(sut), t, NULL);
}

static int k_inject(struct sut *sut, const uint8_t *packet, size_t len)
{
	struct kernel *k = kernel_of(sut);
	struct virtio_net_hdr vh;
	struct iovec iov[2];
	size_t ihl = 0;
	int proto = -1;
	ssize_t n;

	memset(&vh, 0, sizeof(vh));
	if (len >= 20 && packet[0] >> 4 == 4) {
		ihl = (size_t)(packet[0] & 15) * 4;
		proto = packet[9];
	} else if (len >= 40 && packet[0] >> 4 == 6) {
		ihl = 40;
		proto = packet[6];
	}
	/* As packetdrill writes to tun (linux_tun_write): with --mss every
	 * TCP packet goes in with that gso_size and hdr_len 0 (the kernel
	 * treats one no longer than gso_size as a plain packet); without
	 * it every packet is plain, one larger than the MTU too (one
	 * segment, not GRO's). hdr_len 0 matters: tun then puts a packet of
	 * a page or more whole in page frags and its truesize has no head
	 * (12544 instead of 13120 for 9000 bytes on 6.18), which the
	 * receive window shows (ksft tcp_ooo_rcv_mss); a plain one longer
	 * than rcv_mss re-measures the scaling ratio. */
	if (proto == IPPROTO_TCP && k->mss > 0 && len >= ihl + 20) {
		vh.gso_type = packet[0] >> 4 == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 :
			      VIRTIO_NET_HDR_GSO_TCPV6;
		vh.gso_size = (uint16_t)k->mss;
	}
	note_isn(k, packet, len, false);
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	iov[1].iov_base = (void *)packet;
	iov[1].iov_len = len;
	n = writev(k->tun_fd, iov, 2);
	deliver(k);
	return n < 0 ? -errno : 0;
}

static void k_set_output(struct sut *sut, sut_output_fn fn, void *ctx)
{
	struct kernel *k = kernel_of(sut);

	k->output = fn;
	k->output_ctx = ctx;
	deliver(k);
}

static int k_socket(struct sut *sut, int domain, int type, int protocol)
{
	struct kernel *k = kernel_of(sut);
	int fd = socket(domain, type, protocol);

	if (fd < 0)
		return -errno;
	fd_add(k, fd);
	return fd;
}

static int k_bind(struct sut *sut, int fd, const struct sockaddr *addr,
		  socklen_t len)
{
	deliver(kernel_of(sut));
	return neg(bind(fd, addr, len));
}

static int k_listen(struct sut *sut, int fd, int backlog)
{
	deliver(kernel_of(sut));
	return neg(listen(fd, backlog));
}

/* Fast paths: a call that cannot block (non-blocking fd, MSG_DONTWAIT,
 * something already ready) runs here directly, with the same result it
 * would have on a thread; only calls that may really block get one. */
static bool first_attempt(const struct sut_wait *wait)
{
	return !wait || !wait->started;
}

static bool nonblocking(int fd, int flags)
{
	int fl;

	if (flags & MSG_DONTWAIT)
		return true;
	fl = fcntl(fd, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK);
}

static bool ready(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) > 0;
}

/* A TCP socket that sends without connecting first (ESTABLISHED or
 * CLOSE_WAIT; not, e.g., one with TCP_FASTOPEN_CONNECT, whose first
 * write sends the SYN). */
static bool established(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return false;
	return ti.tcpi_state == 1 || ti.tcpi_state == 8;
}

static int64_t direct(struct kernel *k, long r)
{
	int64_t v = r < 0 ? -errno : r;

	deliver(k);
	return v;
}

static int k_accept(struct sut *sut, int fd, struct sockaddr *addr,
		    socklen_t *len, int flags, struct sut_wait *wait)
{
	struct kernel *k = kernel_of(sut);
	struct job t = { .op = JOB_ACCEPT, .fd = fd, .addr_out = addr,
			 .addrlen_out = len, .flags = flags };
	int64_t r;

	deliver(k);
	if (first_attempt(wait) && (nonblocking(fd, 0) || ready(fd, POLLIN)))
		r = direct(k, accept4(fd, addr, len, flags));
	else
		r = job_run(k, &t, wait);
	if (r >= 0)
		fd_add(k, (int)r);
	return (int)r;
}

static int k_connect(struct sut *sut, int fd, const struct sockaddr *addr,
		     socklen_t len, struct sut_wait *wait)
{
	struct kernel *k = kernel_of(sut);
	struct job t = { .op = JOB_CONNECT, .fd = fd, .addr = addr,
			 .addrlen = len };

	if (first_attempt(wait) && nonblocking(fd, 0))
		return (int)direct(k, connect(fd, addr, len));
	return (int)job_run(k, &t, wait);
}

static ssize_t k_sendmsg(struct sut *sut, int fd, const struct msghdr *msg,
			 int flags, struct sut_wait *wait)
{
	struct kernel *k = kernel_of(sut);
	struct job t = { .op = JOB_SENDMSG, .fd = fd, .cmsg = msg,
			 .flags = flags };
	size_t total = 0, skip;
	ssize_t n;
	int i;

	if (!first_attempt(wait))
		return (ssize_t)job_run(k, &t, wait);
	if (nonblocking(fd, flags))
		return (ssize_t)direct(k, sendmsg(fd, msg, flags |
						  MSG_NOSIGNAL));
	/* A plain send on a connected socket: try without blocking first;
	 * what did not fit goes on a thread. (Not for sends that connect,
	 * e.g. MSG_FASTOPEN, where a second try would be a second call.) */
	if (msg->msg_name || (flags & (MSG_FASTOPEN | MSG_ZEROCOPY)) ||
	    msg->msg_controllen || !established(fd))
		return (ssize_t)job_run(k, &t, wait);
	for (i = 0; i < (int)msg->msg_iovlen; i++)
		total += msg->msg_iov[i].iov_len;
	n = sendmsg(fd, msg, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN)
		return (ssize_t)direct(k, n);
	if (n >= 0 && (size_t)n == total)
		return (ssize_t)direct(k, n);
	if (n > 0) {
		/* The rest, on a thread: copy of the header and iovecs. */
		struct msghdr *rest = calloc(1, sizeof(*rest) +
					     sizeof(struct iovec) *
					     msg->msg_iovlen);
		struct iovec *iov = (struct iovec *)(rest + 1);
		int m = 0;

		if (!rest)
			return -ENOMEM;
		skip = (size_t)n;
		for (i = 0; i < (int)msg->msg_iovlen; i++) {
			struct iovec v = msg->msg_iov[i];

			if (skip >= v.iov_len) {
				skip -= v.iov_len;
				continue;
			}
			v.iov_base = (char *)v.iov_base + skip;
			v.iov_len -= skip;
			skip = 0;
			iov[m++] = v;
		}
		rest->msg_iov = iov;
		rest->msg_iovlen = (size_t)m;
		t.cmsg = rest;
		t.owned = rest;
		t.already = n;
	}
	return (ssize_t)job_run(k, &t, wait);
}

/* The kernel reports socket timestamps (SO_TIMESTAMP*, SCM_TIMESTAMPING)
 * in CLOCK_REALTIME; the interpreter compares them with script times, on
 * this back end's clock. Convert them in place. */
static void timespec_to_clock(const struct kernel *k, struct timespec *ts)
{
	int64_t ns;

	if (!ts->tv_sec && !ts->tv_nsec)
		return;			/* "not reported" stays 0 */
	ns = ns_of(ts) - k->realtime_start_ns;
	if (ns < 0)
		ns = 0;
	ts->tv_sec = ns / 1000000000;
	ts->tv_nsec = ns % 1000000000;
}

static void timestamps_to_clock(const struct kernel *k, struct msghdr *msg)
{
	struct cmsghdr *c;

	if (!msg->msg_control || !msg->msg_controllen)
		return;
	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		unsigned char *d = CMSG_DATA(c);
		size_t len = c->cmsg_len - CMSG_LEN(0);

		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SO_TIMESTAMPING_OLD &&
		    len >= 3 * sizeof(struct timespec)) {
			struct timespec ts[3];
			int i;

			memcpy(ts, d, sizeof(ts));
			for (i = 0; i < 3; i++)
				timespec_to_clock(k, &ts[i]);
			memcpy(d, ts, sizeof(ts));
		} else if (c->cmsg_type == SO_TIMESTAMPNS_OLD &&
			   len >= sizeof(struct timespec)) {
			struct timespec ts;

			memcpy(&ts, d, sizeof(ts));
			timespec_to_clock(k, &ts);
			memcpy(d, &ts, sizeof(ts));
		} else if (c->cmsg_type == SO_TIMESTAMP_OLD &&
			   len >= sizeof(struct timeval)) {
			struct timeval tv;
			struct timespec ts;

			memcpy(&tv, d, sizeof(tv));
			ts.tv_sec = tv.tv_sec;
			ts.tv_nsec = tv.tv_usec * 1000;
			timespec_to_clock(k, &ts);
			tv.tv_sec = ts.tv_sec;
			tv.tv_usec = ts.tv_nsec / 1000;
			memcpy(d, &tv, sizeof(tv));
		}
	}
}

static ssize_t k_recvmsg(struct sut *sut, int fd, struct msghdr *msg,
			 int flags, struct sut_wait *wait)
{
	struct kernel *k = kernel_of(sut);
	struct job t = { .op = JOB_RECVMSG, .fd = fd, .msg = msg,
			 .flags = flags };

	int64_t r;

	deliver(k);
	if (flags & SUT_MSG_SPLICE) {
		t.op = JOB_SPLICE_READ;
		t.flags = flags &= ~SUT_MSG_SPLICE;
		if (k->splice_pipe[0] < 0 &&
		    pipe2(k->splice_pipe, O_CLOEXEC | O_NONBLOCK))
			return -errno;
		if (first_attempt(wait) &&
		    (nonblocking(fd, flags) || ready(fd, POLLIN))) {
			r = splice_read(k, fd, msg, flags);
			deliver(k);
			return (ssize_t)r;
		}
		return (ssize_t)job_run(k, &t, wait);
	}
	if (first_attempt(wait) &&
	    (nonblocking(fd, flags) || (flags & MSG_ERRQUEUE) ||
	     (!(flags & MSG_WAITALL) && ready(fd, POLLIN))))
		r = direct(k, recvmsg(fd, msg, flags));
	else
		r = job_run(k, &t, wait);
	if (r >= 0)
		timestamps_to_clock(k, msg);
	return (ssize_t)r;
}

static int k_close(struct sut *sut, int fd, struct sut_wait *wait)
{
	struct kernel *k = kernel_of(sut);
	struct job t = { .op = JOB_CLOSE, .fd = fd };
	struct linger lg = { 0, 0 };
	socklen_t len = sizeof(lg);
	int64_t r;

	/* close() itself only blocks for SO_LINGER with a timeout. */
	if (first_attempt(wait) &&
	    (getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) ||
	     !lg.l_onoff || lg.l_linger == 0))
		r = direct(k, close(fd));
	else
		r = job_run(k, &t, wait);
	if (r == 0)
		fd_remove(k, fd);
	return (int)r;
}

static int k_shutdown(struct sut *sut, int fd, int how)
{
	struct kernel *k = kernel_of(sut);
	int r = neg(shutdown(fd, how));

	deliver(k);
	return r;
}

static int k_setsockopt(struct sut *sut, int fd, int level, int name,
			const void *val, socklen_t len)
{
	struct kernel *k = kernel_of(sut);
	int r = neg(setsockopt(fd, level, name, val, len));

	deliver(k);
	return r;
}

static int k_getsockopt(struct sut *sut, int fd, int level, int name,
			void *val, socklen_t *len)
{
	deliver(kernel_of(sut));
	return neg(getsockopt(fd, level, name, val, len));
}

static int k_fcntl(struct sut *sut, int fd, int cmd, long arg)
{
	deliver(kernel_of(sut));
	return neg(fcntl(fd, cmd, arg));
}

static int k_ioctl(struct sut *sut, int fd, unsigned long request,
		   void *arg)
{
	deliver(kernel_of(sut));
	return neg(ioctl(fd, request, arg));
}

static int k_poll(struct sut *sut, struct pollfd *fds, nfds_t nfds,
		  int timeout_ms, struct sut_wait *wait)
{
	struct job t = { .op = JOB_POLL, .pfds = fds, .count = (int)nfds,
			 .timeout_ms = timeout_ms };
	struct kernel *k = kernel_of(sut);

	deliver(k);
	if (first_attempt(wait)) {
		int r = poll(fds, nfds, 0);

		if (r != 0 || timeout_ms == 0)
			return (int)direct(k, r);
	}
	return (int)job_run(k, &t, wait);
}

static int k_epoll_create(struct sut *sut, int flags)
{
	struct kernel *k = kernel_of(sut);
	int fd = epoll_create1(flags);

	if (fd < 0)
		return -errno;
	fd_add(k, fd);
	return fd;
}

static int k_epoll_ctl(struct sut *sut, int epfd, int op, int fd,
		       struct epoll_event *event)
{
	deliver(kernel_of(sut));
	return neg(epoll_ctl(epfd, op, fd, event));
}

static int k_epoll_wait(struct sut *sut, int epfd, struct epoll_event *events,
			int maxevents, int timeout_ms, struct sut_wait *wait)
{
	struct job t = { .op = JOB_EPOLL_WAIT, .fd = epfd, .events = events,
			 .count = maxevents, .timeout_ms = timeout_ms };
	struct kernel *k = kernel_of(sut);

	deliver(k);
	if (first_attempt(wait)) {
		int r = epoll_wait(epfd, events, maxevents, 0);

		if (r != 0 || timeout_ms == 0)
			return (int)direct(k, r);
	}
	return (int)job_run(k, &t, wait);
}

/* "net/ipv4/tcp_rmem" -> /proc/sys/net/ipv4/tcp_rmem; module/... lives
 * below /sys (the namespace's own sysfs). NULL for a path that tries to
 * leave the tree. */
static char *sysctl_file(const char *path)
{
	char *file;

	if (!*path || path[0] == '/' || strstr(path, ".."))
		return NULL;
	if (asprintf(&file, "%s/%s",
		     strncmp(path, "module/", 7) ? "/proc/sys" : "/sys",
		     path) < 0)
		return NULL;
	return file;
}

static int k_sysctl_write(struct sut *sut, const char *path,
			  const char *value)
{
	char *file = sysctl_file(path), *text;
	int fd, rc = 0;
	ssize_t n;

	if (!file)
		return -EINVAL;
	fd = open(file, O_WRONLY | O_CLOEXEC);
	free(file);
	if (fd < 0)
		return -errno;
	if (asprintf(&text, "%s\n", value) < 0) {
		close(fd);
		return -ENOMEM;
	}
	n = write(fd, text, strlen(text));
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != strlen(text))
		rc = -EIO;
	free(text);
	close(fd);
	return rc;
}

static int k_sysctl_read(struct sut *sut, const char *path, char *buf,
			 size_t len)
{
	char *file = sysctl_file(path);
	int fd;
	ssize_t n;

	if (!file)
		return -EINVAL;
	if (len == 0) {
		free(file);
		return -EINVAL;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	free(file);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

static const char *const tcp_state_names[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
	"LISTEN", "CLOSING", "NEW_SYN_RECV",
};

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

/* From the real TCP_INFO. Sequence numbers: the ISNs seen on the wire
 * plus TCP_INFO's byte counts (0 when the handshake was not seen). */
static int k_sock_state(struct sut *sut, int fd, struct sut_sock_state *st)
{
	struct kernel *k = kernel_of(sut);
	struct tcp_info ti;
	struct sockaddr_storage me, peer;
	socklen_t len = sizeof(ti), ml = sizeof(me), pl = sizeof(peer);
	int n, nsd, i;

	memset(st, 0, sizeof(*st));
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -errno;
	snprintf(st->state, sizeof(st->state), "%s",
		 ti.tcpi_state < sizeof(tcp_state_names) /
				 sizeof(tcp_state_names[0]) ?
		 tcp_state_names[ti.tcpi_state] : "?");
	st->snd_cwnd = ti.tcpi_snd_cwnd;
	st->snd_ssthresh = ti.tcpi_snd_ssthresh;
	st->packets_out = ti.tcpi_unacked;
	st->retrans_out = ti.tcpi_retrans;
	st->sacked_out = ti.tcpi_sacked;
	st->lost_out = ti.tcpi_lost;
	st->rto_us = ti.tcpi_rto;
	st->srtt_us = ti.tcpi_rtt;
	if (ioctl(fd, SIOCOUTQ, &n) == 0 && n >= 0)
		st->write_queue_bytes = (uint32_t)n;
	else
		n = 0;
	if (ioctl(fd, SIOCOUTQNSD, &nsd) != 0 || nsd < 0 || nsd > n)
		nsd = n;
	if (ti.tcpi_state != 10) {
		int in;

		if (ioctl(fd, SIOCINQ, &in) == 0 && in >= 0)
			st->recv_queue_bytes = (uint32_t)in;
	}
	if (getsockname(fd, (struct sockaddr *)&me, &ml) ||
	    getpeername(fd, (struct sockaddr *)&peer, &pl))
		return 0;
	for (i = 0; i < k->nconns; i++) {
		struct conn_isn *c = &k->conns[i];

		if (c->lport != port_of(&me) || c->rport != port_of(&peer))
			continue;
		if (c->have_local) {
			st->snd_una = c->local_isn + 1 +
				      (uint32_t)ti.tcpi_bytes_acked;
			st->snd_nxt = st->snd_una + (uint32_t)(n - nsd);
		}
		if (c->have_remote)
			st->rcv_nxt = c->remote_isn + 1 +
				      (uint32_t)ti.tcpi_bytes_received;
	}
	return 0;
}

static const struct sut_ops kernel_ops = {
	.name = "kernel",
	.caps = 0,	/* a real clock; the host's sysctls, in our namespace */
	.destroy = k_destroy,
	.now = k_now,
	.next_event = k_next_event,
	.advance = k_advance,
	.inject = k_inject,
	.set_output = k_set_output,
	.socket = k_socket,
	.bind = k_bind,
	.listen = k_listen,
	.accept = k_accept,
	.connect = k_connect,
	.sendmsg = k_sendmsg,
	.recvmsg = k_recvmsg,
	.close = k_close,
	.shutdown = k_shutdown,
	.setsockopt = k_setsockopt,
	.getsockopt = k_getsockopt,
	.fcntl = k_fcntl,
	.ioctl = k_ioctl,
	.poll = k_poll,
	.epoll_create = k_epoll_create,
	.epoll_ctl = k_epoll_ctl,
	.epoll_wait = k_epoll_wait,
	.sysctl_write = k_sysctl_write,
	.sysctl_read = k_sysctl_read,
	.sock_state = k_sock_state,
};

/* Script timing is real time here: on a busy machine the interpreter
 * should not wait behind other work. The lowest real-time priority for
 * this thread and the threads it starts (they all sleep in poll or a
 * system call between events; the kernel's RT throttling bounds them
 * anyway), else a higher CFS weight (nice -10), when allowed; children
 * (shell commands, code blocks) are reset to normal on fork. */
static void raise_priority(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) == 0)
		return;
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
	setpriority(PRIO_PROCESS, 0, -10);
}

struct sut *sut_kernel_new(const struct config *config, char **error)
{
	struct kernel *k;

	*error = NULL;
	if (netns_enter(error))
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		abort();
	k->events[0] = k->events[1] = k->stop[0] = k->stop[1] = -1;
	k->splice_pipe[0] = k->splice_pipe[1] = -1;
	k->queue_tail = &k->queue;
	k->mtu = config->mtu > 0 ? config->mtu : 1500;
	k->mss = config->mss > 0 ? config->mss : 0;
	pthread_mutex_init(&k->lock, NULL);
	k->sut.ops = &kernel_ops;
	k->sut.priv = k;
	k->tun_fd = netns_tun_up(config, error);
	if (k->tun_fd < 0)
		goto fail;
	if (pipe2(k->events, O_CLOEXEC | O_NONBLOCK) ||
	    pipe2(k->stop, O_CLOEXEC | O_NONBLOCK)) {
		fail(error, "cannot create a pipe: %s", strerror(errno));
		goto fail;
	}
	set_start(k);
	raise_priority();
	if (pthread_create(&k->reader, NULL, reader_main, k)) {
		fail(error, "cannot start the TUN reader thread");
		goto fail;
	}
	k->reader_started = true;
	return &k->sut;
fail:
	k_destroy(&k->sut);
	return NULL;
}
