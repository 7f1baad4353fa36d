/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp.c: TCP socket calls: tcp_init_sock, connect/listen/accept,
 * tcp_sendmsg -> tcp_push, tcp_recvmsg -> tcp_cleanup_rbuf, tcp_close,
 * tcp_shutdown, tcp_disconnect, tcp_setsockopt/getsockopt, tcp_get_info,
 * tcp_ioctl.
 */
#include "tcp_priv.h"
#include "trace_priv.h"
#include "tcp_fastopen.h"
#include "sock_errqueue.h"

#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define SOCK_MIN_RCVBUF_HALF 1152	/* SOCK_MIN_RCVBUF / 2 */

static const char *const state_names[] = {
	"UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN",
	"CLOSING",
};

const char *tcp_state_name(int state)
{
	if (state < 0 || state > NDS_TCP_CLOSING)
		return "UNKNOWN";
	return state_names[state];
}

void tcp_init_sock(struct sock *sk)
{
	struct nds *ns = sk->ns;

	sk->rto = TCP_TIMEOUT_INIT;
	sk->rto_max = (uint32_t)ns->sysctl.tcp_rto_max_ms * USEC_PER_MSEC;
	sk->mdev_us = TCP_TIMEOUT_INIT;
	sk->rttvar_us = TCP_TIMEOUT_INIT;
	sk->min_rtt_us = ~0U;
	sk->snd_cwnd = TCP_INIT_CWND;
	sk->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	sk->mss_cache = TCP_MSS_DEFAULT;
	sk->rcv_mss = TCP_MSS_DEFAULT;
	sk->scaling_ratio = TCP_DEFAULT_SCALING_RATIO;	/* tcp_scaling_ratio_init */
	sk->reordering = (uint32_t)ns->sysctl.tcp_reordering;
	sk->sk_sndbuf = ns->sysctl.tcp_wmem[1];
	sk->sk_rcvbuf = ns->sysctl.tcp_rmem[1];
	sk->tcp_header_len = 20;
	sk->synack_fo_len = -1;
	sk->cong_reno = !strcmp(ns->sysctl.tcp_congestion_control, "reno");
	tcp_init_xmit_timers(sk);
}

void tcp_set_state(struct sock *sk, int state)
{
	int old = sk->state;

	if (old == state)
		return;
	if (state == NDS_TCP_CLOSE && (old == NDS_TCP_ESTABLISHED ||
				       old == NDS_TCP_CLOSE_WAIT))
		nds_mib_inc(sk->ns, MIB_TCP_ESTAB_RESETS);
	sk->state = state;
	nds_tracef(sk->ns, "fd %d %s -> %s", sk->fd, tcp_state_name(old),
		   tcp_state_name(state));
	sk_wake(sk);
}

/* tcp_done: the connection is over. */
void tcp_done(struct sock *sk)
{
	tcp_set_state(sk, NDS_TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	nds_timer_del(&sk->keepalive_timer);
	sk->shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
	sk_wake(sk);
	if (sk->fd < 0 && !sk->parent)
		sk->dead = true;
}

uint32_t tcp_inq(const struct sock *sk)
{
	return sk->rbuf_len - sk->rbuf_off;
}

uint32_t tcp_notsent_lowat(const struct sock *sk)
{
	return sk->notsent_lowat ? sk->notsent_lowat
				 : sk->ns->sysctl.tcp_notsent_lowat;
}

/* tcp_stream_memory_free: notsent bytes under TCP_NOTSENT_LOWAT */
bool tcp_stream_memory_free(const struct sock *sk, int wake)
{
	uint32_t notsent = sk->write_seq - sk->snd_nxt;

	return ((uint64_t)notsent << wake) < tcp_notsent_lowat(sk);
}

static void wait_init(struct sock *sk, struct nds_wait *wait, int64_t timeo)
{
	if (!wait->started) {
		wait->started = 1;
		wait->start_time = sk->ns->now;
		wait->deadline = timeo ? sk->ns->now + timeo : INT64_MAX;
		wait->progress = 0;
	}
}

/* ------------------------------------------------------------ open */

int tcp_listen(struct sock *sk, int backlog)
{
	int err = 0;

	/* __sys_listen: the backlog is capped by net.core.somaxconn, also
	 * when listen() only changes it; compared unsigned, so a negative
	 * one means somaxconn */
	if ((unsigned)backlog > (unsigned)sk->ns->sysctl.somaxconn)
		backlog = sk->ns->sysctl.somaxconn;
	if (sk->state == NDS_TCP_LISTEN) {
		sk->backlog = backlog;
		return 0;
	}
	if (sk->state != NDS_TCP_CLOSE || sk->ss_state != SS_UNCONNECTED)
		return -EINVAL;
	if (!sk->bound) {
		err = inet_autobind(sk);
		if (err)
			return err;
	}
	sk->backlog = backlog;
	sk->shutdown = 0;
	tcp_set_state(sk, NDS_TCP_LISTEN);
	return 0;
}

int tcp_accept(struct sock *sk, struct sockaddr *addr, socklen_t *len,
	       int flags, struct nds_wait *wait)
{
	struct sock *child;
	int fd;

	if (sk->state != NDS_TCP_LISTEN)
		return -EINVAL;
	child = sk->accept_q;
	if (!child) {
		if (sk->nonblock)
			return -EAGAIN;
		wait_init(sk, wait, sk->sk_rcvtimeo);
		if (sk->ns->now >= wait->deadline)
			return -EAGAIN;
		return -NDS_EBLOCKED;
	}
	fd = sk_fd_install(sk->ns, child);
	if (fd < 0)
		return fd;
	sk->accept_q = child->accept_next;
	sk->accept_qlen--;
	child->accept_next = NULL;
	child->parent = NULL;
	if (child->tfo_child && sk->fastopen_cnt > 0)
		sk->fastopen_cnt--;
	child->nonblock = (flags & SOCK_NONBLOCK) != 0;
	sk->ns->files[fd].cloexec = (flags & SOCK_CLOEXEC) != 0;
	child->ss_state = SS_CONNECTED;
	if (addr && len)
		nds_to_sockaddr(child, &child->daddr, child->dport, addr, len);
	/* a child closed by the peer before accept is still returned */
	return fd;
}

static int tcp_v4_connect(struct sock *sk, const struct sockaddr *addr,
			  socklen_t len)
{
	struct nds_addr a;
	uint16_t port;
	int err = 0;

	err = sockaddr_to_nds(sk, addr, len, &a, &port);
	if (err)
		return err;
	if (nds_addr_any(&a)) {
		nds_unsupported(sk->ns, "connect to the unspecified address");
		return -ENETUNREACH;
	}
	sk->daddr = a;
	sk->dport = port;
	sk->wire_v4 = nds_addr_is_v4(&a);
	err = inet_select_source(sk->ns, sk);
	if (err)
		return err;
	if (!sk->bound || !sk->sport) {
		err = inet_autobind(sk);
		if (err)
			return err;
	}
	if (inet_lookup_established(sk->ns, &sk->daddr, sk->dport, &sk->saddr,
				    sk->sport, SOCK_STREAM))
		return -EADDRNOTAVAIL;
	tcp_set_state(sk, NDS_TCP_SYN_SENT);
	if (tcp_fastopen_defer_connect(sk))
		return 0;
	err = tcp_connect(sk);
	if (err) {
		tcp_set_state(sk, NDS_TCP_CLOSE);
		return err;
	}
	return 0;
}

/* inet_stream_connect with the blocking model of struct nds_wait */
int tcp_connect_sock(struct sock *sk, const struct sockaddr *addr,
		     socklen_t len, struct nds_wait *wait)
{
	int err = 0;

	if (addr && len >= sizeof(sa_family_t) &&
	    addr->sa_family == AF_UNSPEC) {
		err = tcp_disconnect(sk);
		sk->ss_state = err ? SS_CONNECTING : SS_UNCONNECTED;
		return err;
	}
	if (!wait->started) {
		switch (sk->ss_state) {
		case SS_CONNECTED:
			return -EISCONN;
		case SS_CONNECTING:
			err = sk->tfo.defer_connect ? -EISCONN : -EALREADY;
			break;
		default:
			if (sk->state != NDS_TCP_CLOSE)
				return -EISCONN;
			err = tcp_v4_connect(sk, addr, len);
			if (err)
				return err;
			sk->ss_state = SS_CONNECTING;
			if (sk->tfo.defer_connect)
				return 0;	/* the SYN waits for a write */
			err = -EINPROGRESS;
			break;
		}
		if (sk->state == NDS_TCP_SYN_SENT ||
		    sk->state == NDS_TCP_SYN_RECV) {
			if (sk->nonblock)
				return err;
			wait_init(sk, wait, sk->sk_sndtimeo);
			return -NDS_EBLOCKED;
		}
	} else if (sk->state == NDS_TCP_SYN_SENT ||
		   sk->state == NDS_TCP_SYN_RECV) {
		if (sk->ns->now >= wait->deadline)
			return -EINPROGRESS;
		return -NDS_EBLOCKED;
	}
	if (sk->state == NDS_TCP_CLOSE) {
		err = sk->sk_err ? -sk->sk_err : -ECONNABORTED;
		sk->sk_err = 0;
		sk->ss_state = SS_UNCONNECTED;
		tcp_disconnect(sk);
		return err;
	}
	sk->ss_state = SS_CONNECTED;
	return 0;
}

/* ------------------------------------------------------------ send */

static size_t msg_total(const struct msghdr *msg)
{
	size_t n = 0;

	for (size_t i = 0; i < msg->msg_iovlen; i++)
		n += msg->msg_iov[i].iov_len;
	return n;
}

/* Copy len bytes starting at byte offset off of the message into dst. */
static void msg_copy(const struct msghdr *msg, size_t off, uint8_t *dst,
		     size_t len)
{
	for (size_t i = 0; i < msg->msg_iovlen && len; i++) {
		size_t l = msg->msg_iov[i].iov_len;
		if (off >= l) {
			off -= l;
			continue;
		}
		size_t n = l - off < len ? l - off : len;
		if (msg->msg_iov[i].iov_base)
			memcpy(dst, (const uint8_t *)msg->msg_iov[i].iov_base +
					    off, n);
		else
			memset(dst, 0, n);
		dst += n;
		len -= n;
		off = 0;
	}
}

static int sk_stream_error(struct sock *sk, int err)
{
	if (sk->sk_err) {
		err = -sk->sk_err;
		sk->sk_err = 0;
	}
	return err;
}

/* tcp_sendmsg_locked */
ssize_t tcp_sendmsg(struct sock *sk, const struct msghdr *msg, int flags,
		    struct nds_wait *wait)
{
	size_t total = msg_total(msg);
	size_t copied = wait->started ? wait->progress : 0;
	uint32_t mss_now, size_goal;
	bool nonblock = sk->nonblock || (flags & MSG_DONTWAIT);
	TRACE_CALL_NS_IF(!(wait->started && sk->nospace &&
			   !sk_stream_is_writeable(sk)), sk->ns, sk->fd,
			 "tcp_sendmsg_locked");

	if ((flags & MSG_FASTOPEN) || sk->tfo.defer_connect) {
		ssize_t fo = tcp_sendmsg_fastopen(sk, msg, flags, wait);
		if (fo)
			return fo;
		copied = wait->started ? wait->progress : 0;
	}
	if (sk->state != NDS_TCP_ESTABLISHED &&
	    sk->state != NDS_TCP_CLOSE_WAIT &&
	    !(sk->state == NDS_TCP_SYN_RECV && sk->tfo_child)) {
		if (sk->sk_err)
			return sk_stream_error(sk, -EPIPE);
		if (sk->state != NDS_TCP_SYN_SENT &&
		    sk->state != NDS_TCP_SYN_RECV)
			return copied ? (ssize_t)copied : -EPIPE;
		if (nonblock)
			return copied ? (ssize_t)copied : -EAGAIN;
		wait_init(sk, wait, sk->sk_sndtimeo);
		if (sk->ns->now >= wait->deadline)
			return copied ? (ssize_t)copied : -EAGAIN;
		return -NDS_EBLOCKED;
	}
	if (sk->sk_err || (sk->shutdown & SEND_SHUTDOWN)) {
		if (copied)
			return (ssize_t)copied;
		return sk_stream_error(sk, -EPIPE);
	}
	if (wait->started && copied < total && !sk_stream_is_writeable(sk)) {
		/* still waiting for sk_stream_write_space */
		if (sk->ns->now >= wait->deadline)
			return copied ? (ssize_t)copied : -EAGAIN;
		return -NDS_EBLOCKED;
	}
	mss_now = tcp_current_mss(sk);
	size_goal = tcp_xmit_size_goal(sk, mss_now);
	TRACE_VALUES_IN(sk, "tcp_sendmsg_locked", "mss_now=%u size_goal=%u "
			"len=%zu copied=%zu sk_wmem_queued=%d sk_sndbuf=%d%s",
			mss_now, size_goal, total, copied, sk->sk_wmem_queued,
			sk->sk_sndbuf, wait->started && copied ?
			"; woken from sk_stream_wait_memory" : "");
	while (copied < total) {
		struct sk_buff *skb = sk->write_queue.tail;
		uint32_t copy = 0;

		if (skb && !skb->eor && !(skb->tcp_flags & TCPHDR_FIN) &&
		    skb->len < size_goal)
			copy = size_goal - skb->len;
		copy = skb_zcopy_room(sk, skb, msg, copied, copy);
		if (!copy) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			skb = tcp_stream_alloc_skb(sk);
			if (!skb)
				goto wait_for_space;
			TRACE_VALUES_IN(sk, "tcp_sendmsg_locked",
					"new_skb=1 seq=+%u sk_wmem_queued=%d "
					"sk_sndbuf=%d; tcp_stream_alloc_skb, "
					"sk_stream_memory_free",
					sk->write_seq - sk->iss,
					sk->sk_wmem_queued, sk->sk_sndbuf);
			skb->seq = skb->end_seq = sk->write_seq;
			skb_queue_tail(&sk->write_queue, skb);
			tcp_chrono_start(sk, TCP_CHRONO_BUSY);
			/* tcp_skb_entail: a pushed state lasts one skb */
			sk->nonagle &= ~TCP_NAGLE_PUSH;
			copy = size_goal;
		}
		if (copy > total - copied)
			copy = (uint32_t)(total - copied);
		copy = skb_zcopy_take(sk, skb, msg, copied, copy);
		if (skb_reserve_more(skb, skb->len + copy))
			goto wait_for_space;
		msg_copy(msg, copied, skb->data + skb->len, copy);
		TRACE_VALUES_IN(sk, "tcp_sendmsg_locked", "copy=%u skb_len=%u "
				"sk_wmem_queued=%d", copy, skb->len + copy,
				sk->sk_wmem_queued + (int)copy);
		if (!copied)
			skb->tcp_flags &= (uint8_t)~TCPHDR_PSH;
		skb->len += copy;
		skb->truesize += copy;
		skb->end_seq += copy;
		skb->pcount = 0;
		sk->sk_wmem_queued += (int)copy;
		sk->write_seq += copy;
		copied += copy;
		if (copied == total) {
			if (flags & MSG_EOR)
				skb->eor = true;
			break;
		}
		if (skb->len < size_goal)
			continue;
		if (after(sk->write_seq, sk->pushed_seq +
					 (sk->max_window >> 1))) {
			TRACE_VALUES_IN(sk, "tcp_sendmsg_locked",
					"forced_push=1 write_seq=+%u "
					"pushed_seq=+%u max_window=%u; more "
					"than half the peer's largest window "
					"unpushed: PSH and push",
					sk->write_seq - sk->iss,
					sk->pushed_seq - sk->iss,
					sk->max_window);
			skb->tcp_flags |= TCPHDR_PSH;
			sk->pushed_seq = sk->write_seq;
			__tcp_push_pending_frames(sk, mss_now, TCP_NAGLE_PUSH);
		} else if (skb == tcp_send_head(sk)) {
			tcp_push_one(sk, mss_now);
		}
		continue;
wait_for_space:
		TRACE_VALUES_IN(sk, "tcp_sendmsg_locked", "sk_wmem_queued=%d "
				"sk_sndbuf=%d copied=%zu; sk_wmem_queued >= "
				"sk_sndbuf: SOCK_NOSPACE, %s",
				sk->sk_wmem_queued, sk->sk_sndbuf, copied,
				nonblock ? "EAGAIN or partial write" :
				"sleep in sk_stream_wait_memory");
		sk->nospace = true;
		if (copied)
			tcp_push(sk, flags & ~MSG_MORE, mss_now, TCP_NAGLE_PUSH,
				 size_goal);
		if (nonblock)
			return copied ? (ssize_t)copied : -EAGAIN;
		wait_init(sk, wait, sk->sk_sndtimeo);
		wait->progress = copied;
		if (sk->ns->now >= wait->deadline)
			return copied ? (ssize_t)copied : -EAGAIN;
		return -NDS_EBLOCKED;
	}
	sock_tx_timestamp(sk, copied);
	if (copied)
		tcp_push(sk, flags, mss_now, sk->nonagle, size_goal);
	if (wait)
		wait->progress = copied;
	return (ssize_t)copied;
}

/* ------------------------------------------------------------ receive */

/* tcp_cleanup_rbuf: maybe ACK after the application read. */
void tcp_cleanup_rbuf(struct sock *sk, int copied)
{
	bool time_to_ack = false;

	if (sk->ack_pending & ICSK_ACK_SCHED) {
		if (sk->rcv_nxt - sk->rcv_wup > sk->rcv_mss ||
		    (copied > 0 &&
		     ((sk->ack_pending & ICSK_ACK_PUSHED2) ||
		      ((sk->ack_pending & ICSK_ACK_PUSHED) && !sk->pingpong)) &&
		     !tcp_inq(sk)))
			time_to_ack = true;
	}
	if (copied > 0 && !time_to_ack && !(sk->shutdown & RCV_SHUTDOWN)) {
		uint32_t rcv_window_now = tcp_receive_window(sk);
		if (2 * rcv_window_now <= sk->window_clamp) {
			uint32_t new_window = __tcp_select_window(sk);
			if (new_window && new_window >= 2 * rcv_window_now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		tcp_send_ack(sk);
}

/* TCP_INQ: report the bytes left to read as a TCP_CM_INQ cmsg */
static void tcp_put_inq_cmsg(struct sock *sk, struct msghdr *msg,
			     uint32_t inq)
{
	struct cmsghdr *c;
	int v = (int)inq;

	if (!sk->recvmsg_inq) {
		if (msg->msg_control)
			msg->msg_controllen = 0;
		return;
	}
	if (!msg->msg_control || msg->msg_controllen < CMSG_SPACE(sizeof(v))) {
		msg->msg_flags |= MSG_CTRUNC;
		return;
	}
	c = (struct cmsghdr *)msg->msg_control;
	c->cmsg_level = SOL_TCP;
	c->cmsg_type = TCP_CM_INQ;
	c->cmsg_len = CMSG_LEN(sizeof(v));
	memcpy(CMSG_DATA(c), &v, sizeof(v));
	msg->msg_controllen = CMSG_SPACE(sizeof(v));
}

ssize_t tcp_recvmsg(struct sock *sk, struct msghdr *msg, int flags,
		    struct nds_wait *wait)
{
	size_t total = msg_total(msg);
	size_t copied = wait->started ? wait->progress : 0;
	bool nonblock = sk->nonblock || (flags & MSG_DONTWAIT);
	bool splice = flags & NDS_MSG_SPLICE;
	uint32_t target;
	size_t avail, n, off;

	if (sk->state == NDS_TCP_LISTEN)
		return -ENOTCONN;
	if (flags & MSG_OOB)
		return tcp_recv_urg(sk, msg, flags);	/* tcp_urg.c */
	if (splice)	/* tcp_splice_read: any data wakes it */
		flags &= ~(MSG_WAITALL | MSG_PEEK | MSG_TRUNC);
	target = (flags & MSG_WAITALL) ? (uint32_t)(total - copied)
				       : splice ? 1 : (uint32_t)sk->sk_rcvlowat;
	if (target > total - copied)
		target = (uint32_t)(total - copied);
	if (!target)
		target = 1;
	if (!splice)
		tcp_urg_skip_mark(sk, flags);	/* the urgent byte (tcp_urg.c) */
	avail = tcp_inq(sk);
	if (total == 0)
		return 0;
	if (avail < target && !(sk->shutdown & RCV_SHUTDOWN) && !sk->sk_err &&
	    sk->state != NDS_TCP_CLOSE && !nonblock) {
		if (!(flags & MSG_WAITALL) || !avail) {
			wait_init(sk, wait, sk->sk_rcvtimeo);
			if (sk->ns->now < wait->deadline)
				return -NDS_EBLOCKED;
		}
	}
	if (!avail) {
		if (copied)
			return (ssize_t)copied;
		if (sk->sk_err) {
			int err = -sk->sk_err;
			sk->sk_err = 0;
			return err;
		}
		if (sk->shutdown & RCV_SHUTDOWN) {
			tcp_put_inq_cmsg(sk, msg, sk->rcv_nxt - sk->copied_seq);
			return 0;
		}
		if (sk->state == NDS_TCP_CLOSE)
			return sk->ss_state == SS_UNCONNECTED ? -ENOTCONN : 0;
		return -EAGAIN;
	}
	n = total - copied < avail ? total - copied : avail;
	if (splice) {
		/* tcp_read_sock stops at the mark; with data queued there
		 * tcp_splice_read returns 0 rather than wait */
		n = tcp_urg_splice_limit(sk, n);
		if (!n)
			return (ssize_t)copied;
	}
	n = tcp_urg_limit(sk, n);	/* a read stops at the urgent mark */
	/* scatter into the iovecs, skipping bytes already delivered */
	off = copied;
	{
		size_t done = 0;
		for (size_t i = 0; i < msg->msg_iovlen && done < n; i++) {
			size_t l = msg->msg_iov[i].iov_len;
			if (off >= l) {
				off -= l;
				continue;
			}
			size_t c = l - off < n - done ? l - off : n - done;
			if (!(flags & MSG_TRUNC))
				memcpy((uint8_t *)msg->msg_iov[i].iov_base + off,
				       sk->rbuf + sk->rbuf_off + done, c);
			done += c;
			off = 0;
		}
	}
	msg->msg_flags = 0;
	/* tcp_inq_hint: rcv_nxt - copied_seq, so a received FIN counts 1 */
	tcp_put_inq_cmsg(sk, msg, sk->rcv_nxt - sk->copied_seq -
				  ((flags & MSG_PEEK) ? 0 : (uint32_t)n));
	if (!(flags & MSG_PEEK)) {
		uint32_t from = sk->copied_seq;

		sk->rbuf_off += (uint32_t)n;
		sk->copied_seq += (uint32_t)n;
		tcp_urg_consumed(sk);
		tcp_rcv_space_adjust_read(sk, from);
		tcp_rmem_uncharge(sk);
		if (sk->rbuf_off == sk->rbuf_len) {
			sk->rbuf_off = sk->rbuf_len = 0;
		}
		tcp_cleanup_rbuf(sk, (int)n);
	}
	copied += n;
	if ((flags & MSG_WAITALL) && copied < total && !nonblock &&
	    !(sk->shutdown & RCV_SHUTDOWN) && sk->state != NDS_TCP_CLOSE &&
	    !(flags & MSG_PEEK)) {
		wait_init(sk, wait, sk->sk_rcvtimeo);
		wait->progress = copied;
		if (sk->ns->now < wait->deadline)
			return -NDS_EBLOCKED;
	}
	return (ssize_t)copied;
}

/* ------------------------------------------------------------ close */

static void tcp_purge(struct sock *sk)
{
	skb_queue_purge(&sk->write_queue);
	skb_queue_purge(&sk->rtx_queue);
	skb_queue_purge(&sk->ofo);
	sk->sk_wmem_queued = 0;
	sk->packets_out = sk->sacked_out = sk->lost_out = sk->retrans_out = 0;
	sk->num_sacks = 0;
}

/* inet_csk_listen_stop: children that were never accepted are reset. */
static void tcp_listen_stop(struct sock *sk)
{
	for (struct sock *c = sk->ns->socks; c; c = c->next) {
		if (c->parent != sk)
			continue;
		c->parent = NULL;
		c->accept_next = NULL;
		if (c->state != NDS_TCP_SYN_RECV || c->tfo_child)
			tcp_disconnect(c);
		else
			tcp_done(c);
		c->dead = true;
	}
	sk->accept_q = NULL;
	sk->accept_qlen = 0;
	sk->syn_qlen = 0;
}

static bool tcp_need_reset(int state)
{
	return state == NDS_TCP_ESTABLISHED || state == NDS_TCP_CLOSE_WAIT ||
	       state == NDS_TCP_FIN_WAIT1 || state == NDS_TCP_FIN_WAIT2 ||
	       state == NDS_TCP_SYN_RECV;
}

int tcp_disconnect(struct sock *sk)
{
	int old = sk->state;

	if (old != NDS_TCP_CLOSE)
		tcp_set_state(sk, NDS_TCP_CLOSE);
	if (old == NDS_TCP_LISTEN) {
		tcp_listen_stop(sk);
	} else if (tcp_need_reset(old) ||
		   (sk->snd_nxt != sk->write_seq &&
		    (old == NDS_TCP_CLOSING || old == NDS_TCP_LAST_ACK))) {
		tcp_send_active_reset(sk);
		sk->sk_err = ECONNRESET;
	} else if (old == NDS_TCP_SYN_SENT) {
		sk->sk_err = ECONNRESET;
	}
	tcp_clear_xmit_timers(sk);
	nds_timer_del(&sk->keepalive_timer);
	tcp_purge(sk);
	sk->rbuf_len = sk->rbuf_off = 0;
	sk->sk_rmem_alloc = 0;
	sk->rx_charge_n = 0;
	sk->rx_charged = sk->ofo_charged = 0;
	sk->shutdown = 0;
	sk->srtt_us = 0;
	sk->mdev_us = sk->rttvar_us = TCP_TIMEOUT_INIT;
	sk->rto = TCP_TIMEOUT_INIT;
	sk->snd_cwnd = TCP_INIT_CWND;
	sk->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	sk->backoff = sk->retransmits = sk->probes_out = 0;
	sk->ca_state = TCP_CA_Open;
	/* tcp_clear_retrans and the recovery state: nothing to undo */
	sk->retrans_out = sk->lost_out = sk->sacked_out = 0;
	sk->undo_marker = 0;
	sk->undo_retrans = -1;
	sk->prior_ssthresh = 0;
	sk->frto = false;
	sk->tlp_high_seq = 0;
	sk->rto_stamp = 0;
	sk->total_rto = sk->total_rto_recoveries = 0;
	sk->total_rto_time = 0;
	if (!sk->bound_addr)
		memset(&sk->saddr, 0, sizeof(sk->saddr));
	memset(&sk->daddr, 0, sizeof(sk->daddr));
	sk->dport = 0;
	sk_wake(sk);
	return 0;
}

/* tcp_close_state: next state on close/shutdown; true if a FIN is due. */
static bool tcp_close_state(struct sock *sk)
{
	int next;
	bool fin = false;

	switch (sk->state) {
	case NDS_TCP_ESTABLISHED:
	case NDS_TCP_SYN_RECV:
		next = NDS_TCP_FIN_WAIT1;
		fin = true;
		break;
	case NDS_TCP_CLOSE_WAIT:
		next = NDS_TCP_LAST_ACK;
		fin = true;
		break;
	case NDS_TCP_SYN_SENT:
	case NDS_TCP_LISTEN:
	case NDS_TCP_CLOSE:
		next = NDS_TCP_CLOSE;
		break;
	default:
		next = sk->state;
		break;
	}
	tcp_set_state(sk, next);
	return fin;
}

int64_t tcp_fin_time(const struct sock *sk)
{
	int64_t fin_timeout = sk->linger2 ? (int64_t)sk->linger2 * USEC_PER_SEC
			      : (int64_t)sk->ns->sysctl.tcp_fin_timeout *
					USEC_PER_SEC;
	int64_t rto = sk->rto;
	int64_t min = (rto << 2) - (rto >> 1);

	return fin_timeout < min ? min : fin_timeout;
}

/* __tcp_close */
/* sk_stream_closing: our FIN is out and not yet acknowledged */
static bool sk_stream_closing(const struct sock *sk)
{
	return sk->state == NDS_TCP_FIN_WAIT1 ||
	       sk->state == NDS_TCP_CLOSING || sk->state == NDS_TCP_LAST_ACK;
}

/* The end of __tcp_close, after any SO_LINGER wait: the socket is an
 * orphan now, a FIN_WAIT2 one goes to its timewait-like timer. */
void tcp_close_finish(struct sock *sk)
{
	sk->orphan = true;
	if (sk->state == NDS_TCP_FIN_WAIT2) {
		int64_t tmo = tcp_fin_time(sk);
		if (sk->linger2 < 0) {
			tcp_set_state(sk, NDS_TCP_CLOSE);
			tcp_send_active_reset(sk);
		} else {
			tcp_time_wait(sk, NDS_TCP_FIN_WAIT2, tmo);
			return;
		}
	}
	if (sk->state == NDS_TCP_CLOSE)
		tcp_done(sk);
}

/* SO_LINGER with a timeout: close() waits while the FIN is unacknowledged
 * (sk_stream_wait_close), at most the linger time, even on a
 * non-blocking socket. */
bool tcp_close_lingers(const struct sock *sk)
{
	return sk->linger && sk->linger_secs > 0 && sk_stream_closing(sk);
}

/* __tcp_close's flush of the receive queue, on close() only: the unread
 * bytes go with their memory charge, so the window a RST then carries is
 * computed over an empty queue; the out-of-order queue stays. Returns the
 * bytes dropped (data_was_unread). */
static uint32_t tcp_rcv_queue_flush(struct sock *sk)
{
	uint32_t unread = tcp_inq(sk);

	sk->rbuf_off = sk->rbuf_len = 0;
	sk->rx_charge_n = 0;
	sk->rx_charged = 0;
	sk->sk_rmem_alloc = (int)sk->ofo_charged;
	return unread;
}

/* __tcp_close up to the SO_LINGER wait; true if the caller must wait
 * (tcp_close_lingers) before tcp_close_finish. */
bool tcp_close(struct sock *sk)
{
	uint32_t unread;

	sk->shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
	if (sk->state == NDS_TCP_LISTEN) {
		sk->orphan = true;
		tcp_set_state(sk, NDS_TCP_CLOSE);
		tcp_listen_stop(sk);
		sk->dead = true;
		return false;
	}
	unread = tcp_rcv_queue_flush(sk);
	if (sk->state == NDS_TCP_CLOSE) {
		sk->orphan = true;
		tcp_done(sk);
		return false;
	}
	if (unread) {
		tcp_set_state(sk, NDS_TCP_CLOSE);
		tcp_send_active_reset(sk);
	} else if (sk->linger && !sk->linger_secs) {
		tcp_disconnect(sk);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}
	if (tcp_close_lingers(sk))
		return true;
	tcp_close_finish(sk);
	return false;
}

int tcp_shutdown(struct sock *sk, int how)
{
	int err = 0;

	switch (sk->state) {
	case NDS_TCP_CLOSE:
		err = -ENOTCONN;
		sk->shutdown |= how;
		break;
	case NDS_TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		/* fall through */
	case NDS_TCP_SYN_SENT:
		tcp_disconnect(sk);
		sk->ss_state = SS_UNCONNECTED;
		break;
	default:
		sk->shutdown |= how;
		if ((how & SEND_SHUTDOWN) &&
		    (sk->state == NDS_TCP_ESTABLISHED ||
		     sk->state == NDS_TCP_SYN_RECV ||
		     sk->state == NDS_TCP_CLOSE_WAIT)) {
			if (tcp_close_state(sk))
				tcp_send_fin(sk);
		}
		break;
	}
	sk_wake(sk);
	return err;
}

/* ------------------------------------------------------------ options */

static int opt_int(const void *val, socklen_t len, int *v)
{
	if (!val || len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}


/* TCP_DEFER_ACCEPT's seconds as SYN-ACK retransmissions and back
 * (secs_to_retrans, retrans_to_secs): the timeouts start at
 * TCP_TIMEOUT_INIT (1 s) and double up to TCP_RTO_MAX (120 s); a value
 * of seconds takes the retransmissions whose timeouts add up to it. */
static uint8_t secs_to_retrans(int seconds)
{
	int timeout = TCP_TIMEOUT_INIT / USEC_PER_SEC;
	int rto_max = TCP_RTO_MAX / USEC_PER_SEC, period = timeout;
	uint8_t res = 0;

	if (seconds > 0) {
		res = 1;
		while (seconds > period && res < 255) {
			res++;
			timeout <<= 1;
			if (timeout > rto_max)
				timeout = rto_max;
			period += timeout;
		}
	}
	return res;
}

static int retrans_to_secs(uint8_t retrans)
{
	int timeout = TCP_TIMEOUT_INIT / USEC_PER_SEC;
	int rto_max = TCP_RTO_MAX / USEC_PER_SEC, period = 0;

	if (retrans > 0) {
		period = timeout;
		while (--retrans) {
			timeout <<= 1;
			if (timeout > rto_max)
				timeout = rto_max;
			period += timeout;
		}
	}
	return period;
}

int tcp_setsockopt(struct sock *sk, int name, const void *val, socklen_t len)
{
	int v = 0, err;

	if (name == TCP_CONGESTION) {
		char cc[16] = "";
		size_t n = len < sizeof(cc) - 1 ? len : sizeof(cc) - 1;
		memcpy(cc, val, n);
		if (!strcmp(cc, "reno"))
			sk->cong_reno = true;
		else if (!strcmp(cc, "cubic"))
			sk->cong_reno = false;
		else {
			nds_unsupported(sk->ns, "TCP_CONGESTION %s", cc);
			return -ENOENT;
		}
		return 0;
	}
	if (name == TCP_FASTOPEN_KEY) {
		/* 16 bytes (primary) or 32 (primary, backup), raw */
		if (len != 16 && len != 32)
			return -EINVAL;
		memset(sk->tfo_key, 0, sizeof(sk->tfo_key));
		memcpy(sk->tfo_key, val, len);
		sk->tfo_nkeys = (int)len / 16;
		sk->tfo_key_set = true;
		return 0;
	}
	if (name == TCP_MD5SIG ||
	    name == TCP_MD5SIG_EXT || name == TCP_ULP || name == TCP_REPAIR ||
	    name == TCP_ZEROCOPY_RECEIVE || name == TCP_TX_DELAY) {
		nds_unsupported(sk->ns, "setsockopt IPPROTO_TCP option %d",
				name);
		return -ENOPROTOOPT;
	}
	err = opt_int(val, len, &v);
	if (err)
		return err;
	switch (name) {
	case TCP_NODELAY:
		if (v) {
			sk->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
			tcp_push_pending_frames(sk);
		} else {
			sk->nonagle &= ~TCP_NAGLE_OFF;
		}
		return 0;
	case TCP_CORK:
		if (v) {
			sk->nonagle |= TCP_NAGLE_CORK;
		} else {
			sk->nonagle &= ~TCP_NAGLE_CORK;
			if (sk->nonagle & TCP_NAGLE_OFF)
				sk->nonagle |= TCP_NAGLE_PUSH;
			tcp_push_pending_frames(sk);
		}
		return 0;
	case TCP_MAXSEG:
		if (v && (v < TCP_MIN_MSS || v > 65535))
			return -EINVAL;
		sk->user_mss = (uint16_t)v;
		return 0;
	case TCP_KEEPIDLE:
		if (v < 1 || v > 32767)
			return -EINVAL;
		sk->keepalive_time = v;
		tcp_set_keepalive_timer(sk);
		return 0;
	case TCP_KEEPINTVL:
		if (v < 1 || v > 32767)
			return -EINVAL;
		sk->keepalive_intvl = v;
		return 0;
	case TCP_KEEPCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		sk->keepalive_probes = v;
		return 0;
	case TCP_SYNCNT:
		if (v < 1 || v > 127)
			return -EINVAL;
		sk->syn_retries = v;
		return 0;
	case TCP_LINGER2:
		sk->linger2 = v < 0 ? -1 : (v > 120 ? 120 : v);
		return 0;
	case TCP_DEFER_ACCEPT:
		sk->defer_accept = secs_to_retrans(v);
		return 0;
	case TCP_WINDOW_CLAMP:
		if (v && v < SOCK_MIN_RCVBUF_HALF)
			v = SOCK_MIN_RCVBUF_HALF;
		sk->window_clamp_opt = v;
		if (v && sk->state != NDS_TCP_CLOSE)
			sk->window_clamp = (uint32_t)v;
		return 0;
	case TCP_QUICKACK:
		if (v) {
			sk->pingpong = 0;
			if (sk->ack_pending & ICSK_ACK_SCHED)
				tcp_send_ack(sk);
		} else {
			sk->pingpong = 1;
		}
		return 0;
	case TCP_USER_TIMEOUT:
		if (v < 0)
			return -EINVAL;
		sk->user_timeout = (uint32_t)v;
		return 0;
	case NDS_TCP_RTO_MAX_MS:	/* 6.15+: 1 s to 120 s */
		if (v < 1000 || v > 120000)
			return -EINVAL;
		sk->rto_max = (uint32_t)v * USEC_PER_MSEC;
		return 0;
	case TCP_NOTSENT_LOWAT:
		sk->notsent_lowat = (uint32_t)v;
		sk_stream_write_space(sk);
		sk_wake(sk);
		return 0;
	case TCP_INQ:
		sk->recvmsg_inq = v != 0;
		return 0;
	case TCP_THIN_LINEAR_TIMEOUTS:
		sk->thin_lto = v != 0;
		return 0;
	case TCP_FASTOPEN:
		if (v < 0)
			return -EINVAL;
		sk->fastopen_qlen = v;
		return 0;
	case TCP_FASTOPEN_CONNECT:
	case TCP_FASTOPEN_NO_COOKIE:
		return tcp_fastopen_setsockopt(sk, name, v);
	case TCP_SAVE_SYN:
		nds_unsupported(sk->ns, "TCP_SAVE_SYN");
		return -ENOPROTOOPT;
	default:
		nds_unsupported(sk->ns, "setsockopt IPPROTO_TCP option %d",
				name);
		return -ENOPROTOOPT;
	}
}

void tcp_get_info(struct sock *sk, struct nds_tcp_info *info)
{
	int64_t now = sk->ns->now;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = (uint8_t)sk->state;
	if (sk->state == NDS_TCP_LISTEN) {
		info->tcpi_unacked = (uint32_t)sk->accept_qlen;
		info->tcpi_sacked = (uint32_t)sk->backlog;
		return;
	}
	info->tcpi_ca_state = (uint8_t)sk->ca_state;
	info->tcpi_retransmits = (uint8_t)sk->retransmits;
	info->tcpi_probes = (uint8_t)sk->probes_out;
	info->tcpi_backoff = (uint8_t)sk->backoff;
	if (sk->tstamp_ok)
		info->tcpi_options |= 1;
	if (sk->sack_ok)
		info->tcpi_options |= 2;
	if (sk->wscale_ok) {
		info->tcpi_options |= 4;
		info->tcpi_snd_wscale = sk->snd_wscale & 0xf;
		info->tcpi_rcv_wscale = sk->rcv_wscale & 0xf;
	}
	if (sk->ecn_ok)
		info->tcpi_options |= 8;	/* TCPI_OPT_ECN */
	if (sk->ecn_flags & TCP_ECN_SEEN)
		info->tcpi_options |= 16;	/* TCPI_OPT_ECN_SEEN */
	if (sk->syn_data_acked)
		info->tcpi_options |= 32;	/* TCPI_OPT_SYN_DATA */
	info->tcpi_fastopen_client_fail = sk->tfo.client_fail & 3;
	info->tcpi_rto = sk->rto;
	info->tcpi_ato = sk->ato;
	info->tcpi_snd_mss = sk->mss_cache;
	info->tcpi_rcv_mss = sk->rcv_mss;
	info->tcpi_unacked = sk->packets_out;
	info->tcpi_sacked = sk->sacked_out;
	info->tcpi_lost = sk->lost_out;
	info->tcpi_retrans = sk->retrans_out;
	info->tcpi_last_data_sent = (uint32_t)((now - sk->lsndtime) /
					       USEC_PER_MSEC);
	info->tcpi_last_data_recv = (uint32_t)((now - sk->lrcvtime) /
					       USEC_PER_MSEC);
	info->tcpi_last_ack_recv = (uint32_t)((now - sk->last_ack_recv) /
					      USEC_PER_MSEC);
	info->tcpi_pmtu = sk->pmtu_cookie;	/* icsk_pmtu_cookie */
	info->tcpi_rcv_ssthresh = sk->rcv_ssthresh;
	info->tcpi_rtt = sk->srtt_us >> 3;
	info->tcpi_rttvar = sk->mdev_us >> 2;
	info->tcpi_snd_ssthresh = sk->snd_ssthresh;
	info->tcpi_snd_cwnd = sk->snd_cwnd;
	info->tcpi_advmss = sk->advmss;
	info->tcpi_reordering = sk->reordering;
	info->tcpi_rcv_rtt = sk->rcv_rtt_us >> 3;
	info->tcpi_rcv_space = sk->rcvq_space_space;
	info->tcpi_total_retrans = sk->total_retrans;
	info->tcpi_pacing_rate = sk->sk_pacing_rate;
	info->tcpi_max_pacing_rate = sk->sk_max_pacing_rate;
	info->tcpi_bytes_acked = sk->bytes_acked;
	info->tcpi_bytes_received = sk->bytes_received;
	info->tcpi_segs_out = sk->segs_out;
	info->tcpi_segs_in = sk->segs_in;
	info->tcpi_notsent_bytes = sk->write_seq - sk->snd_nxt;
	info->tcpi_min_rtt = sk->min_rtt_us;
	info->tcpi_data_segs_in = sk->data_segs_in;
	info->tcpi_data_segs_out = sk->data_segs_out;
	{
		/* tcp_get_info_chrono_stats, in jiffies (ms) like Linux */
		int64_t st[4], total = 0;
		for (int i = TCP_CHRONO_BUSY; i <= TCP_CHRONO_SNDBUF_LIMITED;
		     i++) {
			st[i] = sk->chrono_stat[i];
			if (i == sk->chrono_type)
				st[i] += now - sk->chrono_start;
			st[i] = st[i] / USEC_PER_MSEC * USEC_PER_MSEC;
			total += st[i];
		}
		info->tcpi_busy_time = (uint64_t)total;
		info->tcpi_rwnd_limited = (uint64_t)st[TCP_CHRONO_RWND_LIMITED];
		info->tcpi_sndbuf_limited =
			(uint64_t)st[TCP_CHRONO_SNDBUF_LIMITED];
	}
	info->tcpi_delivered = sk->delivered;
	info->tcpi_delivered_ce = sk->delivered_ce;
	/* AccECN (Linux mainline's tcp_get_info) */
	info->tcpi_received_ce = sk->acc.received_ce;
	info->tcpi_delivered_e1_bytes = sk->acc.delivered_ecn_bytes[0];
	info->tcpi_delivered_e0_bytes = sk->acc.delivered_ecn_bytes[1];
	info->tcpi_delivered_ce_bytes = sk->acc.delivered_ecn_bytes[2];
	info->tcpi_received_e1_bytes = sk->acc.received_ecn_bytes[0];
	info->tcpi_received_e0_bytes = sk->acc.received_ecn_bytes[1];
	info->tcpi_received_ce_bytes = sk->acc.received_ecn_bytes[2];
	info->tcpi_accecn_fail_mode = sk->acc.fail_mode;
	info->tcpi_accecn_opt_seen = sk->acc.saw_opt;
	info->tcpi_bytes_sent = sk->bytes_sent;
	info->tcpi_bytes_retrans = sk->bytes_retrans;
	info->tcpi_dsack_dups = sk->dsack_dups;
	info->tcpi_reord_seen = sk->reord_seen;
	info->tcpi_rcv_ooopack = sk->rcv_ooopack;
	info->tcpi_snd_wnd = sk->snd_wnd;
	info->tcpi_rcv_wnd = sk->rcv_wnd;
	info->tcpi_total_rto = sk->total_rto;
	info->tcpi_total_rto_recoveries = sk->total_rto_recoveries;
	info->tcpi_total_rto_time = sk->total_rto_time;
	if (sk->rto_stamp)
		info->tcpi_total_rto_time +=
			(uint32_t)((now - sk->rto_stamp) / USEC_PER_MSEC);
}

static int put_int(void *val, socklen_t *len, int v)
{
	socklen_t n = *len < sizeof(int) ? *len : sizeof(int);

	if (n)
		memcpy(val, &v, n);
	*len = n;
	return 0;
}

int tcp_getsockopt(struct sock *sk, int name, void *val, socklen_t *len)
{
	struct nds *ns = sk->ns;
	int v;

	switch (name) {
	case TCP_INFO: {
		struct nds_tcp_info info;
		socklen_t n = *len < sizeof(info) ? *len : sizeof(info);
		tcp_get_info(sk, &info);
		memcpy(val, &info, n);
		*len = n;
		return 0;
	}
	case TCP_FASTOPEN_KEY: {
		uint8_t keys[32];
		int n;
		socklen_t l;
		if (sk->tfo_key_set) {
			memcpy(keys, sk->tfo_key, 32);
			n = sk->tfo_nkeys;
		} else {
			n = tcp_fastopen_parse_key(ns->sysctl.tcp_fastopen_key,
						   keys);
			if (n < 0)
				n = 0;
		}
		l = (socklen_t)(16 * n);
		if (*len < l)
			l = *len;
		memcpy(val, keys, l);
		*len = l;
		return 0;
	}
	case TCP_CONGESTION: {
		const char *cc = sk->cong_reno ? "reno" : "cubic";
		char buf[16] = "";
		socklen_t n = *len < sizeof(buf) ? *len : sizeof(buf);
		snprintf(buf, sizeof(buf), "%s", cc);
		memcpy(val, buf, n);
		*len = n;
		return 0;
	}
	case TCP_NODELAY:
		v = !!(sk->nonagle & TCP_NAGLE_OFF);
		break;
	case TCP_CORK:
		v = !!(sk->nonagle & TCP_NAGLE_CORK);
		break;
	case TCP_MAXSEG:
		v = (int)sk->mss_cache;
		if (sk->user_mss && (sk->state == NDS_TCP_CLOSE ||
				     sk->state == NDS_TCP_LISTEN))
			v = sk->user_mss;
		break;
	case TCP_KEEPIDLE:
		v = sk->keepalive_time ? sk->keepalive_time
				       : ns->sysctl.tcp_keepalive_time;
		break;
	case TCP_KEEPINTVL:
		v = sk->keepalive_intvl ? sk->keepalive_intvl
					: ns->sysctl.tcp_keepalive_intvl;
		break;
	case TCP_KEEPCNT:
		v = sk->keepalive_probes ? sk->keepalive_probes
					 : ns->sysctl.tcp_keepalive_probes;
		break;
	case TCP_SYNCNT:
		v = sk->syn_retries ? sk->syn_retries
				    : ns->sysctl.tcp_syn_retries;
		break;
	case TCP_LINGER2:
		v = sk->linger2 ? sk->linger2 : ns->sysctl.tcp_fin_timeout;
		if (sk->linger2 < 0)
			v = -1;
		break;
	case TCP_DEFER_ACCEPT:
		v = retrans_to_secs(sk->defer_accept);
		break;
	case TCP_WINDOW_CLAMP:
		v = (int)sk->window_clamp;
		break;
	case TCP_QUICKACK:
		v = !sk->pingpong;
		break;
	case TCP_USER_TIMEOUT:
		v = (int)sk->user_timeout;
		break;
	case NDS_TCP_RTO_MAX_MS:
		v = (int)(tcp_rto_max(sk) / USEC_PER_MSEC);
		break;
	case TCP_NOTSENT_LOWAT:
		v = (int)sk->notsent_lowat;
		break;
	case TCP_INQ:
		v = sk->recvmsg_inq;
		break;
	case TCP_THIN_LINEAR_TIMEOUTS:
		v = sk->thin_lto;
		break;
	case TCP_FASTOPEN:
		v = sk->fastopen_qlen;
		break;
	case TCP_FASTOPEN_CONNECT:
	case TCP_FASTOPEN_NO_COOKIE:
		tcp_fastopen_getsockopt(sk, name, &v);
		break;
	default:
		nds_unsupported(ns, "getsockopt IPPROTO_TCP option %d", name);
		return -ENOPROTOOPT;
	}
	return put_int(val, len, v);
}

int tcp_ioctl(struct sock *sk, unsigned long req, int *out)
{
	switch (req) {
	case SIOCINQ:
		if (sk->state == NDS_TCP_LISTEN)
			return -EINVAL;
		*out = (int)tcp_inq(sk);
		return 0;
	case SIOCOUTQ:
		if (sk->state == NDS_TCP_LISTEN)
			return -EINVAL;
		*out = (int)(sk->write_seq - sk->snd_una);
		return 0;
	case SIOCOUTQNSD:
		if (sk->state == NDS_TCP_LISTEN)
			return -EINVAL;
		*out = (int)(sk->write_seq - sk->snd_nxt);
		return 0;
	case SIOCATMARK:
		*out = tcp_at_mark(sk);	/* tcp_urg.c */
		return 0;
	default:
		nds_unsupported(sk->ns, "ioctl 0x%lx", req);
		return -ENOTTY;
	}
}
