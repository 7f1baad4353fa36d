/* SPDX-License-Identifier: GPL-2.0-only */
/* sock.c: the socket layer: fd table, system-call entry points, SOL_SOCKET
 * and IP-level options, buffers and wake-ups, poll and epoll, skb queues.
 *
 * nds_socket/bind/listen/... -> sockfd_lookup -> tcp_* (tcp.c) or udp_*
 * (udp.c); nds_poll / nds_epoll_wait -> sock_poll_mask (tcp_poll).
 */
#include "stack.h"
#include "nds_priv.h"
#include "tcp_priv.h"
#include "trace_priv.h"
#include "udp_priv.h"
#include "sock_errqueue.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define SOCK_MIN_SNDBUF 4608	/* 2 * (2048 + struct sk_buff), roughly */
#define SOCK_MIN_RCVBUF 2304

/* ------------------------------------------------------------ skb queues */

struct sk_buff *skb_alloc(uint32_t cap)
{
	struct sk_buff *skb = calloc(1, sizeof(*skb));

	if (!skb)
		return NULL;
	if (cap) {
		skb->data = malloc(cap);
		if (!skb->data) {
			free(skb);
			return NULL;
		}
		skb->cap = cap;
	}
	return skb;
}

void skb_free(struct sk_buff *skb)
{
	if (!skb)
		return;
	skb_zcopy_clear(skb);
	free(skb->data);
	free(skb);
}

int skb_reserve_more(struct sk_buff *skb, uint32_t cap)
{
	uint8_t *d;

	if (cap <= skb->cap)
		return 0;
	d = realloc(skb->data, cap);
	if (!d)
		return -ENOMEM;
	skb->data = d;
	skb->cap = cap;
	return 0;
}

void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb)
{
	skb->next = NULL;
	skb->prev = q->tail;
	if (q->tail)
		q->tail->next = skb;
	else
		q->head = skb;
	q->tail = skb;
	q->qlen++;
}

void skb_insert_before(struct sk_buff_head *q, struct sk_buff *at,
		       struct sk_buff *skb)
{
	if (!at) {
		skb_queue_tail(q, skb);
		return;
	}
	skb->next = at;
	skb->prev = at->prev;
	if (at->prev)
		at->prev->next = skb;
	else
		q->head = skb;
	at->prev = skb;
	q->qlen++;
}

void skb_insert_after(struct sk_buff_head *q, struct sk_buff *at,
		      struct sk_buff *skb)
{
	skb_insert_before(q, at->next, skb);
}

void skb_unlink(struct sk_buff_head *q, struct sk_buff *skb)
{
	if (skb->prev)
		skb->prev->next = skb->next;
	else
		q->head = skb->next;
	if (skb->next)
		skb->next->prev = skb->prev;
	else
		q->tail = skb->prev;
	skb->next = skb->prev = NULL;
	q->qlen--;
}

void skb_queue_purge(struct sk_buff_head *q)
{
	while (q->head) {
		struct sk_buff *skb = q->head;
		skb_unlink(q, skb);
		skb_free(skb);
	}
}

/* ------------------------------------------------------------ sockets */

struct sock *sk_alloc(struct nds *ns, int family, int type, int protocol)
{
	struct sock *sk = calloc(1, sizeof(*sk));

	if (!sk)
		return NULL;
	sk->ns = ns;
	sk->fd = -1;
	sk->family = family;
	sk->type = type;
	sk->protocol = protocol;
	sk->state = NDS_TCP_CLOSE;
	sk->wire_v4 = family == AF_INET;
	sk->tos = -1;
	sk->ttl = -1;
	sk->sk_rcvlowat = 1;
	sk->sk_max_pacing_rate = UINT64_MAX;	/* sock_init_data */
	sk->sk_pacing_rate = UINT64_MAX;
	sk->sk_pacing_shift = 10;
	sk->sk_gso_max_size = GSO_MAX_SIZE;
	sk->next = ns->socks;
	ns->socks = sk;
	if (type == SOCK_STREAM)
		tcp_init_sock(sk);
	else {
		sk->sk_sndbuf = ns->sysctl.wmem_default;
		sk->sk_rcvbuf = ns->sysctl.rmem_default;
	}
	return sk;
}

void sk_free(struct sock *sk)
{
	struct nds *ns = sk->ns;
	struct sock **pp;

	for (pp = &ns->socks; *pp; pp = &(*pp)->next) {
		if (*pp == sk) {
			*pp = sk->next;
			break;
		}
	}
	if (sk->type == SOCK_STREAM) {
		nds_timer_unregister(ns, &sk->rtx_timer);
		nds_timer_unregister(ns, &sk->delack_timer);
		nds_timer_unregister(ns, &sk->keepalive_timer);
		nds_timer_unregister(ns, &sk->pacing_timer);
		nds_timer_unregister(ns, &sk->tsq_timer);
	}
	fq_sock_gone(ns, sk);
	skb_queue_purge(&sk->write_queue);
	skb_queue_purge(&sk->rtx_queue);
	skb_queue_purge(&sk->ofo);
	while (sk->udp_q) {
		struct udp_dgram *d = sk->udp_q;
		sk->udp_q = d->next;
		free(d);
	}
	/* Unaccepted children die with their listener. */
	for (struct sock *c = ns->socks; c; c = c->next)
		if (c->parent == sk)
			c->parent = NULL;
	sock_errqueue_destroy(sk);
	free(sk->rbuf);
	free(sk);
}

/* Free sockets that are closed by the application and by TCP. */
void nds_reap(struct nds *ns)
{
	struct sock *sk, *next;

	for (sk = ns->socks; sk; sk = next) {
		next = sk->next;
		if (sk->dead)
			sk_free(sk);
	}
}

void sk_destroy_if_done(struct sock *sk)
{
	if (sk->fd < 0 && !sk->parent && sk->state == NDS_TCP_CLOSE)
		sk->dead = true;
}

void sk_wake(struct sock *sk)
{
	sk->wake_seq++;
}

int sk_fd_install(struct nds *ns, struct sock *sk)
{
	for (int fd = 3; fd < NDS_MAX_FDS; fd++) {
		if (ns->files[fd].kind == 0) {
			ns->files[fd].kind = 1;
			ns->files[fd].sk = sk;
			ns->files[fd].cloexec = false;
			sk->fd = fd;
			return fd;
		}
	}
	return -EMFILE;
}

struct sock *sockfd_lookup(struct nds *ns, int fd, int *err)
{
	if (fd < 0 || fd >= NDS_MAX_FDS || ns->files[fd].kind == 0) {
		*err = -EBADF;
		return NULL;
	}
	if (ns->files[fd].kind != 1) {
		*err = -ENOTSOCK;
		return NULL;
	}
	return ns->files[fd].sk;
}

/* sk_stream_memory_free: room for a new skb (sndbuf and notsent_lowat). */
bool sk_stream_memory_free(const struct sock *sk)
{
	if (sk->sk_wmem_queued >= sk->sk_sndbuf)
		return false;
	return tcp_stream_memory_free(sk, 0);
}

/* __sk_stream_is_writeable: a third of the buffer free, and lowat. */
bool sk_stream_is_writeable(const struct sock *sk)
{
	int wspace = sk->sk_sndbuf - sk->sk_wmem_queued;

	return wspace >= sk->sk_wmem_queued / 2 &&
	       sk->sk_wmem_queued < sk->sk_sndbuf &&
	       tcp_stream_memory_free(sk, 1);
}

/* sk_stream_write_space: wake writers once the socket became writable. */
void sk_stream_write_space(struct sock *sk)
{
	TRACE_CALL(sk);
	TRACE_VALUES(sk, "sk_stream_wspace=%d sk_stream_min_wspace=%d "
		     "sk_wmem_queued=%d sk_sndbuf=%d; %s",
		     sk->sk_sndbuf - sk->sk_wmem_queued,
		     sk->sk_wmem_queued >> 1, sk->sk_wmem_queued,
		     sk->sk_sndbuf, sk_stream_is_writeable(sk) ?
		     "sk_stream_wspace >= sk_stream_min_wspace: wake the "
		     "writer (EPOLLOUT)" :
		     "sk_stream_wspace < sk_stream_min_wspace: writer "
		     "stays asleep");
	if (sk_stream_is_writeable(sk)) {
		sk->nospace = false;
		sk_wake(sk);
	}
}

/* tcp_poll / udp_poll */
unsigned int sock_poll_mask(struct sock *sk)
{
	unsigned int mask = 0;

	if (sk->type == SOCK_DGRAM)
		return udp_poll(sk) | sock_errqueue_poll(sk);
	if (sk->state == NDS_TCP_LISTEN)
		return sk->accept_q ? (POLLIN | POLLRDNORM) : 0;
	if (sk->shutdown == (RCV_SHUTDOWN | SEND_SHUTDOWN) ||
	    sk->state == NDS_TCP_CLOSE)
		mask |= POLLHUP;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (sk->state != NDS_TCP_SYN_SENT && sk->state != NDS_TCP_SYN_RECV) {
		uint32_t target = sk->sk_rcvlowat ? (uint32_t)sk->sk_rcvlowat
						  : 1;

		mask |= tcp_urg_poll(sk, &target);	/* tcp_urg.c */
		if (tcp_inq(sk) >= target)
			mask |= POLLIN | POLLRDNORM;
		if (!(sk->shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk))
				mask |= POLLOUT | POLLWRNORM;
			else
				sk->nospace = true;
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}
	} else if (sk->state == NDS_TCP_SYN_SENT && sk->tfo.defer_connect) {
		/* TCP_FASTOPEN_CONNECT: writable, the write sends the SYN */
		mask |= POLLOUT | POLLWRNORM;
	}
	if (sk->sk_err)
		mask |= POLLERR;
	mask |= sock_errqueue_poll(sk);
	return mask;
}

/* ------------------------------------------------------------ syscalls */

int nds_socket(struct nds *ns, int domain, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct sock *sk;
	int fd;

	if (domain != AF_INET && domain != AF_INET6) {
		nds_unsupported(ns, "socket domain %d", domain);
		return -EAFNOSUPPORT;
	}
	if (base == SOCK_STREAM) {
		if (protocol != 0 && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		protocol = IPPROTO_TCP;
	} else if (base == SOCK_DGRAM) {
		if (protocol != 0 && protocol != IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		protocol = IPPROTO_UDP;
	} else {
		nds_unsupported(ns, "socket type %d", base);
		return -ESOCKTNOSUPPORT;
	}
	sk = sk_alloc(ns, domain, base, protocol);
	if (!sk)
		return -ENOMEM;
	fd = sk_fd_install(ns, sk);
	if (fd < 0) {
		sk_free(sk);
		return fd;
	}
	sk->nonblock = !!(type & SOCK_NONBLOCK);
	ns->files[fd].cloexec = !!(type & SOCK_CLOEXEC);
	return fd;
}

int nds_bind(struct nds *ns, int fd, const struct sockaddr *addr,
	     socklen_t len)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	return inet_bind(sk, addr, len);
}

int nds_listen(struct nds *ns, int fd, int backlog)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return tcp_listen(sk, backlog);
}

/* A caller without a wait keeps no retry state: the call then runs on a
 * zeroed one of its own (a blocking call just reports -NDS_EBLOCKED). */
static struct nds_wait *wait_or_none(struct nds_wait *wait,
				     struct nds_wait *none)
{
	if (wait)
		return wait;
	memset(none, 0, sizeof(*none));
	return none;
}

int nds_accept(struct nds *ns, int fd, struct sockaddr *addr, socklen_t *len,
	       int flags, struct nds_wait *wait)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);
	struct nds_wait w0;

	wait = wait_or_none(wait, &w0);

	if (!sk)
		return err;
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return tcp_accept(sk, addr, len, flags, wait);
}

int nds_connect(struct nds *ns, int fd, const struct sockaddr *addr,
		socklen_t len, struct nds_wait *wait)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);
	struct nds_wait w0;

	wait = wait_or_none(wait, &w0);

	if (!sk)
		return err;
	if (sk->type == SOCK_DGRAM)
		return udp_connect(sk, addr, len);
	return tcp_connect_sock(sk, addr, len, wait);
}

ssize_t nds_sendmsg(struct nds *ns, int fd, const struct msghdr *msg,
		    int flags, struct nds_wait *wait)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);
	struct msghdr m;
	ssize_t r;
	struct nds_wait w0;

	wait = wait_or_none(wait, &w0);

	if (!sk)
		return err;
	r = sock_sendmsg_begin(sk, msg, flags, wait, &m);
	if (r)
		return r;
	if (sk->type == SOCK_DGRAM) {
		r = udp_sendmsg(sk, &m, flags);
	} else if (wait->started && sk->nospace &&
		   !sk_stream_is_writeable(sk)) {
		/* still asleep in sk_stream_wait_memory: not a new call */
		r = tcp_sendmsg(sk, &m, flags, wait);
	} else {
		TRACE_CALL_NS_AS(ns, fd, "tcp_sendmsg");
		r = tcp_sendmsg(sk, &m, flags, wait);
	}
	return sock_sendmsg_end(sk, msg, flags, wait, &m, r);
}

ssize_t nds_recvmsg(struct nds *ns, int fd, struct msghdr *msg, int flags,
		    struct nds_wait *wait)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);
	struct msghdr m;
	ssize_t r;
	struct nds_wait w0;

	wait = wait_or_none(wait, &w0);

	if (!sk)
		return err;
	if (flags & MSG_ERRQUEUE)
		return sock_recv_error(sk, msg, flags);
	r = sock_recvmsg_begin(sk, msg, flags, &m);
	if (r)
		return r;
	if (sk->type == SOCK_DGRAM) {
		r = udp_recvmsg(sk, &m, flags, wait);
	} else {
		TRACE_CALL_NS_IF(!wait->started, ns, fd, "tcp_recvmsg");
		r = tcp_recvmsg(sk, &m, flags, wait);
	}
	sock_recvmsg_end(msg, &m);
	return r;
}

static void epoll_forget_fd(struct nds *ns, int fd)
{
	for (int i = 0; i < NDS_MAX_FDS; i++) {
		struct nds_epitem **pp;

		if (ns->files[i].kind != 2)
			continue;
		for (pp = &ns->files[i].ep->items; *pp;) {
			if ((*pp)->fd == fd) {
				struct nds_epitem *it = *pp;
				*pp = it->next;
				free(it);
			} else {
				pp = &(*pp)->next;
			}
		}
	}
}

/* wait->scratch[0] of a close() waiting for SO_LINGER: the socket (its
 * descriptor is gone already, as in Linux) */
#define CLOSE_LINGER_SOCK 0

int nds_close(struct nds *ns, int fd, struct nds_wait *wait)
{
	struct nds_file *f;
	struct sock *sk;

	if (wait && wait->started && wait->scratch[CLOSE_LINGER_SOCK]) {
		sk = (struct sock *)(intptr_t)wait->scratch[CLOSE_LINGER_SOCK];
		if (tcp_close_lingers(sk) && ns->now < wait->deadline)
			return -NDS_EBLOCKED;
		wait->scratch[CLOSE_LINGER_SOCK] = 0;
		sk->fd = -1;
		tcp_close_finish(sk);
		sk_destroy_if_done(sk);
		nds_reap(ns);
		return 0;
	}
	if (fd < 0 || fd >= NDS_MAX_FDS || ns->files[fd].kind == 0)
		return -EBADF;
	f = &ns->files[fd];
	if (f->kind == 2) {
		struct nds_epitem *it = f->ep->items;
		while (it) {
			struct nds_epitem *n = it->next;
			free(it);
			it = n;
		}
		free(f->ep);
		memset(f, 0, sizeof(*f));
		return 0;
	}
	sk = f->sk;
	memset(f, 0, sizeof(*f));
	epoll_forget_fd(ns, fd);
	if (sk->type == SOCK_DGRAM) {
		sk->fd = -1;
		sk->dead = true;
		nds_reap(ns);
		return 0;
	}
	{
		bool lingers;

		TRACE_CALL_NS_AS(ns, fd, "tcp_close");
		lingers = tcp_close(sk);
		if (lingers && wait) {
			/* sk->fd stays until the wait ends, so that the
			 * socket is not reaped under it */
			int64_t l = (int64_t)sk->linger_secs * USEC_PER_SEC;

			wait->started = 1;
			wait->start_time = ns->now;
			wait->deadline = l > INT64_MAX - ns->now ? INT64_MAX
								 : ns->now + l;
			wait->scratch[CLOSE_LINGER_SOCK] = (long)(intptr_t)sk;
			return -NDS_EBLOCKED;
		}
		sk->fd = -1;
		if (lingers)
			tcp_close_finish(sk);	/* no wait to keep */
	}
	sk_destroy_if_done(sk);
	nds_reap(ns);
	return 0;
}

int nds_shutdown(struct nds *ns, int fd, int how)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	if (sk->type == SOCK_DGRAM) {
		if (sk->state != NDS_TCP_ESTABLISHED)
			return -ENOTCONN;
		sk->shutdown |= how + 1;
		return 0;
	}
	{
		TRACE_CALL_NS_AS(ns, fd, "tcp_shutdown");
		return tcp_shutdown(sk, how + 1);
	}
}

/* ------------------------------------------------------------ options */

static int get_int_opt(const void *val, socklen_t len, int *out)
{
	if (!val || len < sizeof(int)) {
		if (val && len > 0 && len < sizeof(int)) {
			*out = *(const uint8_t *)val;
			return 0;
		}
		return -EINVAL;
	}
	memcpy(out, val, sizeof(int));
	return 0;
}

static int put_int_opt(void *val, socklen_t *len, int v)
{
	socklen_t n;

	if (!len || *len > 0x7fffffff)
		return -EINVAL;
	n = *len < sizeof(int) ? *len : sizeof(int);
	if (n && val)
		memcpy(val, &v, n);
	*len = n;
	return 0;
}

static int64_t timeval_to_us(const void *val, socklen_t len, int *err)
{
	struct timeval tv;

	if (len < sizeof(tv)) {
		*err = -EINVAL;
		return 0;
	}
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= USEC_PER_SEC) {
		*err = -EDOM;
		return 0;
	}
	*err = 0;
	if (tv.tv_sec < 0)
		return 0;
	return (int64_t)tv.tv_sec * USEC_PER_SEC + tv.tv_usec;
}

static int sock_setsockopt(struct sock *sk, int name, const void *val,
			   socklen_t len)
{
	struct nds *ns = sk->ns;
	int v = 0, err;

	switch (name) {
	case SO_RCVTIMEO:
	case SO_SNDTIMEO: {
		int64_t us = timeval_to_us(val, len, &err);
		if (err)
			return err;
		if (name == SO_RCVTIMEO)
			sk->sk_rcvtimeo = us;
		else
			sk->sk_sndtimeo = us;
		return 0;
	}
	case SO_MAX_PACING_RATE: {
		/* 32 bits (~0U: no limit) or, with 8 bytes, 64; a limit
		 * turns TCP's internal pacing on unless fq paces already */
		uint64_t rate;
		uint32_t r32;

		if (len >= sizeof(rate)) {
			memcpy(&rate, val, sizeof(rate));
		} else if (len >= sizeof(r32)) {
			memcpy(&r32, val, sizeof(r32));
			rate = r32 == ~0U ? UINT64_MAX : r32;
		} else {
			return -EINVAL;
		}
		if (rate != UINT64_MAX &&
		    sk->sk_pacing_status == SK_PACING_NONE)
			sk->sk_pacing_status = SK_PACING_NEEDED;
		sk->sk_max_pacing_rate = rate;
		if (rate < sk->sk_pacing_rate)
			sk->sk_pacing_rate = rate;
		return 0;
	}
	case SO_LINGER: {
		struct linger l;
		if (len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		sk->linger = l.l_onoff != 0;
		sk->linger_secs = l.l_linger;
		return 0;
	}
	default:
		break;
	}
	err = get_int_opt(val, len, &v);
	if (err)
		return err;
	switch (name) {
	case SO_REUSEADDR:
		sk->reuseaddr = v != 0;
		return 0;
	case SO_REUSEPORT:
		sk->reuseport = v != 0;
		return 0;
	case SO_KEEPALIVE:
		sk->keepalive = v != 0;
		if (sk->type == SOCK_STREAM)
			tcp_set_keepalive_timer(sk);
		return 0;
	case SO_BROADCAST:
		sk->broadcast = v != 0;
		return 0;
	case SO_OOBINLINE:
		sk->oobinline = v != 0;
		return 0;
	case SO_SNDBUF:
	case SO_SNDBUFFORCE: {
		/* sock_setsockopt: double the request, bounded by wmem_max. */
		unsigned int u = (unsigned int)v;
		if (name == SO_SNDBUF && u > (unsigned int)ns->sysctl.wmem_max)
			u = ns->sysctl.wmem_max;
		if (u > INT32_MAX / 2)
			u = INT32_MAX / 2;
		sk->sndbuf_lock = true;
		sk->sk_sndbuf = (int)(u * 2) > SOCK_MIN_SNDBUF ? (int)(u * 2)
							       : SOCK_MIN_SNDBUF;
		sk_stream_write_space(sk);
		return 0;
	}
	case SO_RCVBUF:
	case SO_RCVBUFFORCE: {
		unsigned int u = (unsigned int)v;
		if (name == SO_RCVBUF && u > (unsigned int)ns->sysctl.rmem_max)
			u = ns->sysctl.rmem_max;
		if (u > INT32_MAX / 2)
			u = INT32_MAX / 2;
		sk->rcvbuf_lock = true;
		sk->sk_rcvbuf = (int)(u * 2) > SOCK_MIN_RCVBUF ? (int)(u * 2)
							       : SOCK_MIN_RCVBUF;
		return 0;
	}
	case SO_RCVLOWAT:
		sk->sk_rcvlowat = v ? v : 1;
		return 0;
	case SO_PRIORITY:
		sk->sk_priority = v;
		return 0;
	case SO_MARK:
		sk->sk_mark = v;
		return 0;
	case SO_TIMESTAMPING:
		return sock_set_timestamping(sk, val, len);
	case SO_ZEROCOPY:
		return sock_set_zerocopy(sk, v);
	default:
		nds_unsupported(ns, "setsockopt SOL_SOCKET option %d", name);
		return -ENOPROTOOPT;
	}
}

/* SO_MEMINFO: sk_get_meminfo's nine counters (SK_MEMINFO_* order of
 * linux/sock_diag.h), as many as fit in *len. wmem_alloc counts skbs
 * still in the qdisc (fq holds them until they are due; the device
 * drains at once); optmem and backlog are 0: no option needs socket
 * memory and nothing runs beside the
 * socket's owner. fwd_alloc is the rest of the pages the charged memory
 * takes (sk_mem_schedule charges whole pages); when Linux gives the
 * spare back is not modelled. Drops are not counted (0). */
static int sock_get_meminfo(struct sock *sk, void *val, socklen_t *len)
{
	enum { RMEM_ALLOC, RCVBUF, WMEM_ALLOC, SNDBUF, FWD_ALLOC,
	       WMEM_QUEUED, OPTMEM, BACKLOG, DROPS, MEMINFO_VARS };
	uint32_t mem[MEMINFO_VARS] = { 0 };
	uint32_t used;
	socklen_t n;

	mem[RMEM_ALLOC] = (uint32_t)sk->sk_rmem_alloc;
	mem[RCVBUF] = (uint32_t)sk->sk_rcvbuf;
	mem[SNDBUF] = (uint32_t)sk->sk_sndbuf;
	mem[WMEM_ALLOC] = (uint32_t)sk->sk_wmem_alloc;
	mem[WMEM_QUEUED] = (uint32_t)sk->sk_wmem_queued;
	used = mem[RMEM_ALLOC] + mem[WMEM_QUEUED];
	mem[FWD_ALLOC] = ((used + 4095) & ~4095U) - used;
	n = *len < sizeof(mem) ? *len : (socklen_t)sizeof(mem);
	memcpy(val, mem, n);
	*len = n;
	return 0;
}

static int sock_getsockopt(struct sock *sk, int name, void *val,
			   socklen_t *len)
{
	struct nds *ns = sk->ns;
	int v;

	switch (name) {
	case SO_TYPE:
		v = sk->type;
		break;
	case SO_PROTOCOL:
		v = sk->protocol;
		break;
	case SO_DOMAIN:
		v = sk->family;
		break;
	case SO_ERROR:
		v = sk->sk_err ? sk->sk_err : sk->sk_err_soft;
		sk->sk_err = 0;
		sk->sk_err_soft = 0;
		break;
	case SO_REUSEADDR:
		v = sk->reuseaddr;
		break;
	case SO_REUSEPORT:
		v = sk->reuseport;
		break;
	case SO_KEEPALIVE:
		v = sk->keepalive;
		break;
	case SO_BROADCAST:
		v = sk->broadcast;
		break;
	case SO_SNDBUF:
		v = sk->sk_sndbuf;
		break;
	case SO_RCVBUF:
		v = sk->sk_rcvbuf;
		break;
	case SO_RCVLOWAT:
		v = sk->sk_rcvlowat;
		break;
	case SO_SNDLOWAT:
		v = 1;
		break;
	case SO_PRIORITY:
		v = sk->sk_priority;
		break;
	case SO_MARK:
		v = sk->sk_mark;
		break;
	case SO_ACCEPTCONN:
		v = sk->state == NDS_TCP_LISTEN;
		break;
	case SO_OOBINLINE:
		v = sk->oobinline;
		break;
	case SO_ZEROCOPY:
	case SO_TIMESTAMPING:
		return sock_errqueue_getsockopt(sk, name, val, len);
	case SO_LINGER: {
		struct linger l = { sk->linger, sk->linger_secs };
		socklen_t n = *len < sizeof(l) ? *len : sizeof(l);
		memcpy(val, &l, n);
		*len = n;
		return 0;
	}
	case SO_MEMINFO:
		return sock_get_meminfo(sk, val, len);
	case SO_MAX_PACING_RATE:
		/* 8 bytes: the 64-bit value; else 32 bits, ~0U at most */
		if (*len >= sizeof(uint64_t)) {
			memcpy(val, &sk->sk_max_pacing_rate, sizeof(uint64_t));
			*len = sizeof(uint64_t);
		} else {
			uint32_t r = sk->sk_max_pacing_rate > 0xffffffffULL
				     ? 0xffffffffU
				     : (uint32_t)sk->sk_max_pacing_rate;
			socklen_t n = *len < sizeof(r) ? *len
						       : (socklen_t)sizeof(r);

			memcpy(val, &r, n);
			*len = n;
		}
		return 0;
	case SO_RCVTIMEO:
	case SO_SNDTIMEO: {
		int64_t us = name == SO_RCVTIMEO ? sk->sk_rcvtimeo
						 : sk->sk_sndtimeo;
		struct timeval tv = { us / USEC_PER_SEC, us % USEC_PER_SEC };
		socklen_t n = *len < sizeof(tv) ? *len : sizeof(tv);
		memcpy(val, &tv, n);
		*len = n;
		return 0;
	}
	default:
		nds_unsupported(ns, "getsockopt SOL_SOCKET option %d", name);
		return -ENOPROTOOPT;
	}
	return put_int_opt(val, len, v);
}

static int ip_setsockopt(struct sock *sk, int level, int name,
			 const void *val, socklen_t len)
{
	int v = 0, err = get_int_opt(val, len, &v);

	if (err)
		return err;
	if (level == IPPROTO_IP) {
		switch (name) {
		case IP_TOS:
			sk->tos = v & 0xfc;
			return 0;
		case IP_TTL:
			if (v < -1 || v == 0 || v > 255)
				return -EINVAL;
			sk->ttl = v;
			return 0;
		case IP_MTU_DISCOVER:
		case IP_RECVERR:
		case IP_FREEBIND:
			return 0;
		}
	} else {
		switch (name) {
		case IPV6_TCLASS:
			sk->tos = v < 0 ? 0 : v & 0xff;
			return 0;
		case IPV6_UNICAST_HOPS:
			sk->ttl = v;
			return 0;
		case IPV6_V6ONLY:
			if (sk->bound)
				return -EINVAL;
			sk->v6only = v != 0;
			return 0;
		case IPV6_MTU_DISCOVER:
		case IPV6_RECVERR:
			return 0;
		}
	}
	nds_unsupported(sk->ns, "setsockopt level %d option %d", level, name);
	return -ENOPROTOOPT;
}

static int ip_getsockopt(struct sock *sk, int level, int name, void *val,
			 socklen_t *len)
{
	int v;

	if (level == IPPROTO_IP && name == IP_TOS)
		v = sk->tos < 0 ? 0 : sk->tos;
	else if (level == IPPROTO_IP && name == IP_TTL)
		v = sk->ttl < 0 ? sk->ns->sysctl.ip_default_ttl : sk->ttl;
	else if (level == IPPROTO_IPV6 && name == IPV6_TCLASS)
		v = sk->tos < 0 ? 0 : sk->tos;
	else if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
		v = sk->v6only;
	else if (level == IPPROTO_IPV6 && name == IPV6_UNICAST_HOPS)
		v = sk->ttl < 0 ? sk->ns->sysctl.ipv6_hop_limit : sk->ttl;
	else {
		nds_unsupported(sk->ns, "getsockopt level %d option %d",
				level, name);
		return -ENOPROTOOPT;
	}
	return put_int_opt(val, len, v);
}

int nds_setsockopt(struct nds *ns, int fd, int level, int name,
		   const void *val, socklen_t len)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	if ((int)len < 0)
		return -EINVAL;
	switch (level) {
	case SOL_SOCKET:
		return sock_setsockopt(sk, name, val, len);
	case IPPROTO_TCP:
		if (sk->type != SOCK_STREAM)
			return -ENOPROTOOPT;
		return tcp_setsockopt(sk, name, val, len);
	case IPPROTO_IP:
	case IPPROTO_IPV6:
		if (level == IPPROTO_IPV6 && sk->family != AF_INET6)
			return -ENOPROTOOPT;
		return ip_setsockopt(sk, level, name, val, len);
	case IPPROTO_UDP:
		return udp_setsockopt(sk, name, val, len);
	default:
		nds_unsupported(ns, "setsockopt level %d", level);
		return -ENOPROTOOPT;
	}
}

int nds_getsockopt(struct nds *ns, int fd, int level, int name, void *val,
		   socklen_t *len)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	if (!len || (int)*len < 0)
		return -EINVAL;
	switch (level) {
	case SOL_SOCKET:
		return sock_getsockopt(sk, name, val, len);
	case IPPROTO_TCP:
		if (sk->type != SOCK_STREAM)
			return -EOPNOTSUPP;
		return tcp_getsockopt(sk, name, val, len);
	case IPPROTO_IP:
	case IPPROTO_IPV6:
		/* An AF_INET socket has no IPv6 level: do_ip_getsockopt
		 * answers EOPNOTSUPP (setsockopt says ENOPROTOOPT). */
		if (level == IPPROTO_IPV6 && sk->family != AF_INET6)
			return -EOPNOTSUPP;
		return ip_getsockopt(sk, level, name, val, len);
	default:
		nds_unsupported(ns, "getsockopt level %d", level);
		return -ENOPROTOOPT;
	}
}

int nds_fcntl(struct nds *ns, int fd, int cmd, long arg)
{
	struct nds_file *f;

	if (fd < 0 || fd >= NDS_MAX_FDS || ns->files[fd].kind == 0)
		return -EBADF;
	f = &ns->files[fd];
	switch (cmd) {
	case F_GETFL:
		return O_RDWR | (f->kind == 1 && f->sk->nonblock ? O_NONBLOCK
								 : 0);
	case F_SETFL:
		if (f->kind == 1)
			f->sk->nonblock = (arg & O_NONBLOCK) != 0;
		return 0;
	case F_GETFD:
		return f->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		f->cloexec = (arg & FD_CLOEXEC) != 0;
		return 0;
	default:
		nds_unsupported(ns, "fcntl command %d", cmd);
		return -EINVAL;
	}
}

int nds_ioctl(struct nds *ns, int fd, unsigned long request, void *arg)
{
	int err = 0, v = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);

	if (!sk)
		return err;
	if (request == FIONBIO) {
		if (!arg)
			return -EFAULT;
		memcpy(&v, arg, sizeof(v));
		sk->nonblock = v != 0;
		return 0;
	}
	if (sk->type == SOCK_DGRAM)
		err = udp_ioctl(sk, request, &v);
	else
		err = tcp_ioctl(sk, request, &v);
	if (err)
		return err;
	if (!arg)
		return -EFAULT;
	memcpy(arg, &v, sizeof(v));
	return 0;
}

/* ------------------------------------------------------------ poll */

static short poll_one(struct nds *ns, const struct pollfd *p)
{
	struct nds_file *f;
	unsigned int mask;

	if (p->fd < 0)
		return 0;
	if (p->fd >= NDS_MAX_FDS || ns->files[p->fd].kind == 0)
		return POLLNVAL;
	f = &ns->files[p->fd];
	if (f->kind != 1)
		return 0;
	mask = sock_poll_mask(f->sk);
	return (short)(mask & ((unsigned short)p->events | POLLERR | POLLHUP |
			       POLLNVAL));
}

static void wait_start(struct nds *ns, struct nds_wait *wait, int timeout_ms)
{
	if (!wait->started) {
		wait->started = 1;
		wait->start_time = ns->now;
		wait->deadline = timeout_ms < 0 ? INT64_MAX
				 : ns->now + (int64_t)timeout_ms * USEC_PER_MSEC;
	}
}

int nds_poll(struct nds *ns, struct pollfd *fds, nfds_t nfds, int timeout_ms,
	     struct nds_wait *wait)
{
	int n = 0;

	if (nfds > NDS_MAX_FDS)
		return -EINVAL;
	if (nfds && !fds)
		return -EFAULT;
	for (nfds_t i = 0; i < nfds; i++) {
		fds[i].revents = poll_one(ns, &fds[i]);
		if (fds[i].revents)
			n++;
	}
	if (n || timeout_ms == 0 || !wait)
		return n;
	wait_start(ns, wait, timeout_ms);
	if (ns->now >= wait->deadline)
		return 0;
	return -NDS_EBLOCKED;
}

/* ------------------------------------------------------------ epoll */

int nds_epoll_create(struct nds *ns, int flags)
{
	for (int fd = 3; fd < NDS_MAX_FDS; fd++) {
		if (ns->files[fd].kind == 0) {
			ns->files[fd].ep = calloc(1, sizeof(struct nds_epoll));
			if (!ns->files[fd].ep)
				return -ENOMEM;
			ns->files[fd].kind = 2;
			ns->files[fd].cloexec = (flags & EPOLL_CLOEXEC) != 0;
			return fd;
		}
	}
	return -EMFILE;
}

static struct nds_epoll *epoll_lookup(struct nds *ns, int epfd, int *err)
{
	if (epfd < 0 || epfd >= NDS_MAX_FDS || ns->files[epfd].kind == 0) {
		*err = -EBADF;
		return NULL;
	}
	if (ns->files[epfd].kind != 2) {
		*err = -EINVAL;
		return NULL;
	}
	return ns->files[epfd].ep;
}

int nds_epoll_ctl(struct nds *ns, int epfd, int op, int fd,
		  struct epoll_event *event)
{
	int err = 0;
	struct nds_epoll *ep = epoll_lookup(ns, epfd, &err);
	struct nds_epitem *it, **pp;

	if (!ep)
		return err;
	if (fd < 0 || fd >= NDS_MAX_FDS || ns->files[fd].kind == 0)
		return -EBADF;
	if (fd == epfd)
		return -EINVAL;
	if (ns->files[fd].kind != 1) {
		nds_unsupported(ns, "epoll of a non-socket fd");
		return -EPERM;
	}
	for (pp = &ep->items; *pp && (*pp)->fd != fd; pp = &(*pp)->next)
		;
	it = *pp;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		if (!event)
			return -EFAULT;
		if (event->events & EPOLLEXCLUSIVE)
			nds_unsupported(ns, "EPOLLEXCLUSIVE (treated as plain)");
		it = calloc(1, sizeof(*it));
		if (!it)
			return -ENOMEM;
		it->fd = fd;
		it->ev = *event;
		it->armed = true;
		it->last_wake = ns->files[fd].sk->wake_seq - 1;
		*pp = it;
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (!event)
			return -EFAULT;
		it->ev = *event;
		it->armed = true;
		it->last_wake = ns->files[fd].sk->wake_seq - 1;
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		*pp = it->next;
		free(it);
		return 0;
	default:
		return -EINVAL;
	}
}

int nds_epoll_wait(struct nds *ns, int epfd, struct epoll_event *events,
		   int maxevents, int timeout_ms, struct nds_wait *wait)
{
	int err = 0, n = 0;
	struct nds_epoll *ep = epoll_lookup(ns, epfd, &err);

	if (!ep)
		return err;
	if (maxevents <= 0)
		return -EINVAL;
	for (struct nds_epitem *it = ep->items; it && n < maxevents;
	     it = it->next) {
		struct sock *sk = ns->files[it->fd].sk;
		uint32_t want = it->ev.events | EPOLLERR | EPOLLHUP;
		uint32_t ready;

		if (!it->armed)
			continue;
		ready = sock_poll_mask(sk) & want;
		if (!ready)
			continue;
		if ((it->ev.events & EPOLLET) && it->last_wake == sk->wake_seq)
			continue;
		it->last_wake = sk->wake_seq;
		if (it->ev.events & EPOLLONESHOT)
			it->armed = false;
		events[n].events = ready;
		events[n].data = it->ev.data;
		n++;
	}
	if (n || timeout_ms == 0 || !wait)
		return n;
	wait_start(ns, wait, timeout_ms);
	if (ns->now >= wait->deadline)
		return 0;
	return -NDS_EBLOCKED;
}

int nds_sock_state(struct nds *ns, int fd, struct nds_sock_state *st)
{
	int err = 0;
	struct sock *sk = sockfd_lookup(ns, fd, &err);
	uint32_t wq = 0;

	if (!sk)
		return -EBADF;
	memset(st, 0, sizeof(*st));
	snprintf(st->state, sizeof(st->state), "%s",
		 sk->type == SOCK_STREAM ? tcp_state_name(sk->state) : "UDP");
	st->snd_una = sk->snd_una;
	st->snd_nxt = sk->snd_nxt;
	st->rcv_nxt = sk->rcv_nxt;
	st->snd_cwnd = sk->snd_cwnd;
	st->snd_ssthresh = sk->snd_ssthresh;
	st->packets_out = sk->packets_out;
	st->retrans_out = sk->retrans_out;
	st->sacked_out = sk->sacked_out;
	st->lost_out = sk->lost_out;
	for (struct sk_buff *s = sk->rtx_queue.head; s; s = s->next)
		wq += s->len;
	for (struct sk_buff *s = sk->write_queue.head; s; s = s->next)
		wq += s->len;
	st->write_queue_bytes = wq;
	st->recv_queue_bytes = sk->type == SOCK_STREAM ? tcp_inq(sk) : 0;
	st->rto_us = sk->rto;
	st->srtt_us = sk->srtt_us >> 3;
	return 0;
}
