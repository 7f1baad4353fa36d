/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_urg.c: TCP urgent data as Linux handles it, with BSD's pointer
 * (tcp_stdurg 0: the pointer is one past the urgent byte).
 *
 * Receive: tcp_rcv_state_process -> tcp_urg -> tcp_check_urg records the
 * urgent sequence number; when its byte arrives it is held (TCP_URG_VALID)
 * and stays in the stream, where tcp_recvmsg stops at it and, unless
 * SO_OOBINLINE, steps over it; recv(MSG_OOB) returns it (tcp_recv_urg).
 * Send: send(MSG_OOB) -> tcp_push -> tcp_mark_urg sets snd_up; every
 * segment sent before snd_up carries URG and the pointer
 * (__tcp_transmit_skb). SIOCATMARK and POLLPRI report the mark.
 */
#include "tcp_urg.h"
#include "nds_priv.h"
#include "tcp_priv.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

/* The application reads at copied_seq; drop one byte there. */
static void tcp_eat_byte(struct sock *sk)
{
	sk->rbuf_off++;
	sk->copied_seq++;
	sk->sk_rmem_alloc--;
	if (sk->rbuf_off == sk->rbuf_len)
		sk->rbuf_off = sk->rbuf_len = 0;
}

/* tcp_check_urg: a new urgent pointer in seg. */
static void tcp_check_urg(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_urg *u = &sk->urg;
	uint32_t ptr = seg->urg_ptr;

	if (ptr && !sk->ns->sysctl.tcp_stdurg)
		ptr--;		/* BSD: the pointer is one past the byte */
	ptr += seg->seq;
	if (after(sk->copied_seq, ptr))
		return;		/* the reader is past it already */
	if (before(ptr, sk->rcv_nxt))
		return;		/* do not replay a pointer into old data */
	if (u->urg_data && !after(ptr, u->urg_seq))
		return;		/* the same pointer again, or an older one */
	/* a newer mark: an unread old urgent byte at the read position is
	 * dropped from the stream */
	if (u->urg_data && u->urg_seq == sk->copied_seq && !sk->oobinline &&
	    sk->copied_seq != sk->rcv_nxt && tcp_inq(sk))
		tcp_eat_byte(sk);
	u->urg_data = TCP_URG_NOTYET;
	u->urg_seq = ptr;
	nds_tracef(sk->ns, "fd %d urgent pointer: byte at rel %u", sk->fd,
		   ptr - sk->irs - 1);
}

void tcp_urg(struct sock *sk, const struct tcp_seg *seg)
{
	struct tcp_urg *u = &sk->urg;

	if ((seg->flags & TCPHDR_URG) && seg->urg_ptr)
		tcp_check_urg(sk, seg);
	if (u->urg_data == TCP_URG_NOTYET) {
		uint32_t off = u->urg_seq - seg->seq -
			       ((seg->flags & TCPHDR_SYN) ? 1 : 0);

		if (off < seg->len) {
			u->urg_data = (uint16_t)(TCP_URG_VALID |
						 seg->data[off]);
			sk_wake(sk);
		}
	}
}

ssize_t tcp_recv_urg(struct sock *sk, struct msghdr *msg, int flags)
{
	struct tcp_urg *u = &sk->urg;

	if (sk->oobinline || !u->urg_data || u->urg_data == TCP_URG_READ)
		return -EINVAL;
	if (sk->state == NDS_TCP_CLOSE && sk->ss_state == SS_UNCONNECTED)
		return -ENOTCONN;
	if (u->urg_data & TCP_URG_VALID) {
		uint8_t c = (uint8_t)u->urg_data;
		size_t len = 0, i;

		for (i = 0; i < msg->msg_iovlen; i++)
			len += msg->msg_iov[i].iov_len;
		if (!(flags & MSG_PEEK))
			u->urg_data = TCP_URG_READ;
		msg->msg_flags = MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC)) {
			for (i = 0; i < msg->msg_iovlen; i++)
				if (msg->msg_iov[i].iov_len) {
					memcpy(msg->msg_iov[i].iov_base, &c, 1);
					break;
				}
		}
		return 1;
	}
	if (sk->state == NDS_TCP_CLOSE || (sk->shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;	/* the pointer came, the byte not yet */
}

void tcp_urg_skip_mark(struct sock *sk, int flags)
{
	struct tcp_urg *u = &sk->urg;

	if (u->urg_data && !sk->oobinline && !(flags & MSG_PEEK) &&
	    u->urg_seq == sk->copied_seq && tcp_inq(sk)) {
		tcp_eat_byte(sk);
		tcp_urg_consumed(sk);
	}
}

size_t tcp_urg_limit(const struct sock *sk, size_t n)
{
	const struct tcp_urg *u = &sk->urg;
	uint32_t off = u->urg_seq - sk->copied_seq;

	if (u->urg_data && off && off < n)
		return off;
	return n;
}

/* tcp_read_sock (splice): any urgent state stops the read at the mark,
 * even right at it (0 bytes) and after MSG_OOB took the byte, until a
 * recv steps over it. */
size_t tcp_urg_splice_limit(const struct sock *sk, size_t n)
{
	const struct tcp_urg *u = &sk->urg;
	uint32_t off = u->urg_seq - sk->copied_seq;

	return u->urg_data && off < n ? off : n;
}

void tcp_urg_consumed(struct sock *sk)
{
	if (sk->urg.urg_data && after(sk->copied_seq, sk->urg.urg_seq))
		sk->urg.urg_data = 0;
}

void tcp_mark_urg(struct sock *sk, int flags)
{
	if (flags & MSG_OOB) {
		sk->urg.snd_up = sk->write_seq;
		sk->urg.snd_up_set = true;
	}
}

uint16_t tcp_urg_ptr(const struct sock *sk, uint32_t seq, uint8_t *flags)
{
	const struct tcp_urg *u = &sk->urg;

	/* tcp_urg_mode: urgent data not yet acknowledged */
	if (!u->snd_up_set || !after(u->snd_up, sk->snd_una) ||
	    !before(seq, u->snd_up))
		return 0;
	if (before(u->snd_up, seq + 0x10000)) {
		*flags |= TCPHDR_URG;
		return (uint16_t)(u->snd_up - seq);
	}
	if (after(seq + 0xFFFF, sk->snd_nxt)) {
		*flags |= TCPHDR_URG;
		return 0xFFFF;
	}
	return 0;
}

int tcp_at_mark(const struct sock *sk)
{
	return sk->urg.urg_data && sk->urg.urg_seq == sk->copied_seq;
}

unsigned int tcp_urg_poll(const struct sock *sk, uint32_t *target)
{
	const struct tcp_urg *u = &sk->urg;

	if (u->urg_data && u->urg_seq == sk->copied_seq && !sk->oobinline)
		(*target)++;
	return (u->urg_data & TCP_URG_VALID) ? POLLPRI : 0;
}
