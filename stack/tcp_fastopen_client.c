/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_fastopen_client.c: the active (client) side of TCP Fast Open,
 * RFC 7413, as Linux does it.
 *
 * sendto(MSG_FASTOPEN) -> tcp_sendmsg -> tcp_sendmsg_fastopen
 *   -> tcp_connect_sock -> tcp_v4_connect [-> tcp_fastopen_defer_connect]
 *   -> tcp_connect -> tcp_fastopen_connect (tcp_send_syn_data:
 *      tcp_fastopen_cookie_check -> tcp_fastopen_cache_get)
 *   -> tcp_send_syn -> tcp_fastopen_syn_options (tcp_syn_options)
 * SYN-ACK: tcp_rcv_synsent_state_process -> tcp_rcv_fastopen_synack
 *   -> tcp_fastopen_cache_set, or mark the SYN data lost and resend it.
 *
 * The cookie cache stands in for Linux's tcp_metrics entries: one per
 * (destination, source) pair, keeping the peer's MSS, its cookie and
 * whether to ask with the experimental option next time (try_exp).
 * `ip tcp_metrics flush` bumps net/netdrill/tcp_metrics_flushes, which
 * empties it.
 */
#include "tcp_fastopen_priv.h"

#include "tcp_fastopen.h"
#include "tcp_priv.h"

#include <errno.h>
#include <string.h>

/* ------------------------------------------------------------ cache */

static struct tfo_cache *tfo_cache(struct sock *sk)
{
	struct tfo_cache *c = &sk->ns->tfo_cache;

	if (c->flushes_seen != sk->ns->sysctl.tcp_metrics_flushes) {
		/* tcp_metrics_flush_all */
		memset(c->e, 0, sizeof(c->e));
		c->flushes_seen = sk->ns->sysctl.tcp_metrics_flushes;
	}
	return c;
}

/* tcp_get_metrics: the entry for this socket's addresses. */
static struct tfo_metric *tfo_metric_get(struct sock *sk, bool create)
{
	struct tfo_cache *c = tfo_cache(sk);
	struct tfo_metric *m, *oldest = &c->e[0];

	for (int i = 0; i < TFO_CACHE_SIZE; i++) {
		m = &c->e[i];
		if (m->used && !memcmp(m->daddr, &sk->daddr.a, 16) &&
		    !memcmp(m->saddr, &sk->saddr.a, 16)) {
			m->age = ++c->clock;
			return m;
		}
		if (!m->used || (oldest->used && m->age < oldest->age))
			oldest = m;
	}
	if (!create)
		return NULL;
	m = oldest;
	memset(m, 0, sizeof(*m));
	m->used = true;
	memcpy(m->daddr, &sk->daddr.a, 16);
	memcpy(m->saddr, &sk->saddr.a, 16);
	m->age = ++c->clock;
	return m;
}

/* tcp_fastopen_cache_get */
static void tcp_fastopen_cache_get(struct sock *sk, uint16_t *mss,
				   struct tfo_cookie *cookie)
{
	struct tfo_metric *m = tfo_metric_get(sk, false);

	if (!m)
		return;
	if (m->mss)
		*mss = m->mss;
	*cookie = m->cookie;
	if (cookie->len <= 0 && m->try_exp == 1)
		cookie->exp = true;
}

/* tcp_fastopen_cache_set: a cookie replaces the old one; without one,
 * try_exp only ever moves 0 -> 1 (ask with kind 254) -> 2 (back to 34). */
static void tcp_fastopen_cache_set(struct sock *sk, uint16_t mss,
				   const struct tfo_cookie *cookie,
				   uint8_t try_exp)
{
	struct tfo_metric *m = tfo_metric_get(sk, true);

	if (mss)
		m->mss = mss;
	if (cookie->len > 0)
		m->cookie = *cookie;
	else if (try_exp > m->try_exp && m->cookie.len <= 0 &&
		 !m->cookie.exp)
		m->try_exp = try_exp;
}

/* ------------------------------------------------------------ checks */

/* tcp_fastopen_no_cookie (client flag): sysctl bit 0x4 or the option */
static bool tcp_fastopen_no_cookie(const struct sock *sk)
{
	return (sk->ns->sysctl.tcp_fastopen & TFO_CLIENT_NO_COOKIE) ||
	       sk->tfo.no_cookie;
}

/* tcp_fastopen_cookie_check: may the SYN carry data? It may with a cached
 * cookie, or with none needed. Fills *mss with the cached MSS. */
static bool tcp_fastopen_cookie_check(struct sock *sk, uint16_t *mss,
				      struct tfo_cookie *cookie)
{
	tcp_fastopen_cache_get(sk, mss, cookie);
	/* Blackhole detection (tcp_fastopen_active_should_disable) only acts
	 * after active Fast Open was disabled, which needs
	 * tcp_fastopen_blackhole_timeout_sec > 0 (0 by default on 6.x). */
	if (sk->ns->sysctl.tcp_fastopen_blackhole_timeout_sec > 0)
		nds_unsupported(sk->ns, "tcp_fastopen_blackhole_timeout_sec "
				"> 0 (Fast Open blackhole detection); "
				"treated as 0");
	if (tcp_fastopen_no_cookie(sk)) {
		cookie->len = -1;
		return true;
	}
	if (cookie->len > 0)
		return true;
	sk->tfo.client_fail = TFO_COOKIE_UNAVAILABLE;
	return false;
}

/* ------------------------------------------------------------ connect */

bool tcp_fastopen_defer_connect(struct sock *sk)
{
	struct tfo_client *c = &sk->tfo;
	struct tfo_cookie cookie = { .len = 0 };
	uint16_t mss = 0;

	if (!sk->fastopen_connect || c->req)
		return false;
	if (tcp_fastopen_cookie_check(sk, &mss, &cookie)) {
		c->defer_connect = true;
		return true;
	}
	/* no cookie: connect now, asking for one in the SYN */
	c->req = true;
	c->msg = NULL;
	c->size = 0;
	c->copied = 0;
	c->cookie = cookie;
	return false;
}

/* The MSS for SYN data: __tcp_mtu_to_mss, clamped by the cached MSS,
 * without option space (the caller reserves the full 40 bytes). */
static int syn_data_mss(struct sock *sk)
{
	int mss = dst_mtu(sk) - (sk->wire_v4 ? 20 : 40) - 20;

	if (sk->rx_opt_mss_clamp && mss > sk->rx_opt_mss_clamp)
		mss = sk->rx_opt_mss_clamp;
	if (mss < sk->ns->sysctl.tcp_min_snd_mss)
		mss = sk->ns->sysctl.tcp_min_snd_mss;
	return mss;
}

static void msg_copy_out(const struct msghdr *msg, uint8_t *dst, size_t len)
{
	for (size_t i = 0; i < msg->msg_iovlen && len; i++) {
		size_t n = msg->msg_iov[i].iov_len < len ? msg->msg_iov[i].iov_len
							 : len;
		if (msg->msg_iov[i].iov_base)
			memcpy(dst, msg->msg_iov[i].iov_base, n);
		else
			memset(dst, 0, n);
		dst += n;
		len -= n;
	}
}

/* tcp_send_syn_data, the part before the transmit: the SYN skb is in the
 * rtx queue; queue the data behind it as its own skb, which is what gets
 * retransmitted if the SYN-ACK does not cover it. */
void tcp_fastopen_connect(struct sock *sk)
{
	struct tfo_client *c = &sk->tfo;
	struct sk_buff *skb;
	uint16_t mss;
	int space;

	c->opt_pending = false;
	c->data_len = 0;
	c->syn_data = c->syn_fastopen = c->syn_fastopen_exp = false;
	if (!c->req)
		return;
	if (!c->msg)
		c->req = false;	/* connect() asking for a cookie: done */
	c->opt_pending = true;
	mss = sk->advmss;		/* if no MSS is cached */
	if (!tcp_fastopen_cookie_check(sk, &mss, &c->cookie)) {
		/* a plain SYN asking for a cookie (or none at all) */
		if (c->cookie.len > 0)
			c->cookie.len = 0;
		return;
	}
	sk->rx_opt_mss_clamp = mss;
	if (sk->user_mss && sk->user_mss < sk->rx_opt_mss_clamp)
		sk->rx_opt_mss_clamp = sk->user_mss;
	tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
	space = syn_data_mss(sk) - 40;	/* MAX_TCP_OPTION_SPACE */
	if (space < 0 || !c->msg)
		space = 0;
	if ((size_t)space > c->size)
		space = (int)c->size;
	if (space) {
		/* copy_page_from_iter stops at a faulting buffer; nothing
		 * copied: a plain SYN asking for a cookie (the fallback) */
		size_t ok = 0;

		for (size_t i = 0; i < c->msg->msg_iovlen; i++)
			ok += c->msg->msg_iov[i].iov_len;
		if (!ok) {
			if (c->cookie.len > 0)
				c->cookie.len = 0;
			c->copied = 0;
			return;
		}
		if ((size_t)space > ok)
			space = (int)ok;
	}
	c->copied = (size_t)space;
	if (!space)
		return;
	skb = skb_alloc((uint32_t)space);
	if (!skb) {
		c->copied = 0;
		return;
	}
	msg_copy_out(c->msg, skb->data, (size_t)space);
	skb->len = (uint32_t)space;
	skb->seq = sk->iss + 1;
	skb->end_seq = skb->seq + (uint32_t)space;
	skb->tcp_flags = TCPHDR_PSH;
	skb->syn_data = true;
	skb->pcount = 1;
	skb->truesize = SKB_OVERHEAD + (uint32_t)space;
	skb->tstamp = sk->ns->now;
	skb->first_tx = sk->ns->now;
	sk->sk_wmem_queued += (int)skb->truesize;
	skb_queue_tail(&sk->rtx_queue, skb);
	sk->packets_out++;
	sk->write_seq = skb->end_seq;
	sk->snd_nxt = skb->end_seq;
	sk->pushed_seq = skb->end_seq;
	c->data_len = (uint32_t)space;
	nds_tracef(sk->ns, "fd %d Fast Open: %d bytes in the SYN", sk->fd,
		   space);
}

uint32_t tcp_fastopen_syn_options(struct sock *sk, int opt_used, int *fo_len,
				  bool *fo_exp, const uint8_t **fo_cookie,
				  const uint8_t **data)
{
	struct tfo_client *c = &sk->tfo;
	uint32_t len = 0;

	*fo_len = -1;
	*data = NULL;
	if (!c->opt_pending)
		return 0;	/* retransmitted SYNs carry neither */
	c->opt_pending = false;
	if (c->cookie.len >= 0) {
		int need = c->cookie.len + (c->cookie.exp ? 4 : 2);

		need = (need + 3) & ~3;
		if (40 - opt_used >= need) {
			*fo_len = c->cookie.len;
			*fo_exp = c->cookie.exp;
			*fo_cookie = c->cookie.val;
			c->syn_fastopen = true;
			c->syn_fastopen_exp = c->cookie.exp;
		}
	}
	if (c->data_len) {
		for (struct sk_buff *skb = sk->rtx_queue.head; skb;
		     skb = skb->next) {
			if (skb->syn_data) {
				*data = skb->data;
				len = skb->len;
				break;
			}
		}
		c->syn_data = len > 0;
	}
	return len;
}

/* ------------------------------------------------------------ sendmsg */

ssize_t tcp_sendmsg_fastopen(struct sock *sk, const struct msghdr *msg,
			     int flags, struct nds_wait *wait)
{
	struct tfo_client *c = &sk->tfo;
	const struct sockaddr *uaddr = msg->msg_name;
	bool nonblock = sk->nonblock || (flags & MSG_DONTWAIT);
	bool was_connecting = sk->ss_state == SS_CONNECTING;
	size_t total = 0, copied;
	int err;

	if (wait->started)
		return 0;	/* a parked call: its SYN went out already */
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		total += msg->msg_iov[i].iov_len;
	if (!(sk->ns->sysctl.tcp_fastopen & TFO_CLIENT_ENABLE) ||
	    (uaddr && msg->msg_namelen >= sizeof(sa_family_t) &&
	     uaddr->sa_family == AF_UNSPEC))
		return -EOPNOTSUPP;
	if (c->req)
		return -EALREADY;	/* another Fast Open is in progress */
	c->req = true;
	c->msg = msg;
	c->size = total;
	if (c->offered > total)		/* the rest of it faults */
		c->size = c->offered;
	c->copied = 0;
	c->cookie.len = 0;
	c->cookie.exp = false;
	if (c->defer_connect) {
		/* connect() returned 0 and left the SYN to this write */
		err = tcp_connect(sk);
		if (err) {
			tcp_set_state(sk, NDS_TCP_CLOSE);
			sk->dport = 0;
		} else {
			err = -EINPROGRESS;
		}
	} else {
		struct nds_wait w;

		memset(&w, 0, sizeof(w));
		err = tcp_connect_sock(sk, uaddr, uaddr ? msg->msg_namelen : 0,
				       &w);
		if (err == -NDS_EBLOCKED)
			err = was_connecting ? -EALREADY : -EINPROGRESS;
	}
	copied = c->copied;
	c->req = false;
	c->msg = NULL;
	c->defer_connect = false;
	if (err == -EINPROGRESS || (err == -EALREADY && !nonblock)) {
		if (nonblock)
			return copied ? (ssize_t)copied : -EINPROGRESS;
		/* inet_wait_for_connect: park until the handshake ends, then
		 * tcp_sendmsg queues the rest of the message */
		wait->started = 1;
		wait->start_time = sk->ns->now;
		wait->deadline = sk->sk_sndtimeo ? sk->ns->now + sk->sk_sndtimeo
						 : INT64_MAX;
		wait->progress = copied;
		c->write_pending = copied < total;
		return 0;
	}
	if (err == -EISCONN && was_connecting)
		return -EALREADY;
	return err ? err : 0;
}

/* ------------------------------------------------------------ SYN-ACK */

/* tcp_parse_fastopen_option: 0 (empty) or an even 4..16 bytes; anything
 * else counts as no cookie. */
static void synack_cookie(const struct tcp_seg *seg, struct tfo_cookie *foc)
{
	memset(foc, 0, sizeof(*foc));
	foc->len = -1;
	if (seg->fo_len < 0 || (seg->fo_len & 1))
		return;
	if (seg->fo_len >= TCP_FASTOPEN_COOKIE_MIN &&
	    seg->fo_len <= TCP_FASTOPEN_COOKIE_MAX) {
		foc->len = (int8_t)seg->fo_len;
		memcpy(foc->val, seg->fo_cookie, (size_t)seg->fo_len);
	} else if (seg->fo_len == 0) {
		foc->len = 0;
	}
	foc->exp = seg->fo_exp;
}

bool tcp_rcv_fastopen_synack(struct sock *sk, const struct tcp_seg *seg)
{
	struct tfo_client *c = &sk->tfo;
	struct sk_buff *data = NULL;
	struct tfo_cookie cookie;
	uint8_t try_exp = 0;
	bool pending = c->write_pending;

	c->write_pending = false;
	if (!c->syn_fastopen && !c->syn_data)
		return false;
	if (c->syn_data)
		data = sk->rtx_queue.head;	/* what the SYN-ACK left */
	synack_cookie(seg, &cookie);
	if (!c->syn_fastopen) {
		cookie.len = -1;	/* ignore an unsolicited cookie */
	} else if (sk->total_retrans) {
		/* the SYN timed out: the peer saw only a plain SYN */
	} else if (cookie.len < 0 && !c->syn_data) {
		/* asked and got nothing: next time ask with the other kind */
		try_exp = c->syn_fastopen_exp ? 2 : 1;
	}
	tcp_fastopen_cache_set(sk, seg->mss, &cookie, try_exp);
	if (data) {
		c->client_fail = sk->total_retrans ? TFO_SYN_RETRANSMITTED
						   : TFO_DATA_NOT_ACKED;
		if (before(data->seq, sk->snd_una)) {
			/* partly acked: resend only the rest (the trim that
			 * __tcp_retransmit_skb does for one-segment skbs) */
			uint32_t n = sk->snd_una - data->seq;

			memmove(data->data, data->data + n, data->len - n);
			data->len -= n;
			data->seq = sk->snd_una;
			data->truesize -= n;
			sk->sk_wmem_queued -= (int)n;
		}
		for (struct sk_buff *skb = data; skb; skb = skb->next) {
			if (!(skb->sacked & TCPCB_LOST)) {
				skb->sacked |= TCPCB_LOST;
				sk->lost_out += (uint32_t)skb->pcount;
			}
		}
		nds_tracef(sk->ns, "fd %d Fast Open: SYN data not acked, "
			   "retransmitting", sk->fd);
		tcp_non_congestion_loss_retransmit(sk);
		return true;
	}
	sk->syn_data_acked = c->syn_data;
	if (sk->syn_data_acked)
		nds_mib_inc(sk->ns, MIB_TCP_FAST_OPEN_ACTIVE);
	if (sk->syn_data_acked && sk->delivered > 1)
		sk->delivered--;	/* SYN and its data count once */
	tcp_fastopen_add_skb(sk, seg);
	if (pending) {
		/* sk_write_pending: save the ACK, the waiting writer's data
		 * will carry it (tcp_rcv_synsent_state_process schedules a
		 * delayed ACK at TCP_DELACK_MAX in quickack mode). The data
		 * then follows the SYN-ACK within ato, which makes the
		 * connection interactive (tcp_finish_connect sets lrcvtime). */
		tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
		sk->lrcv_data = sk->ns->now;
		sk->ack_pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
		nds_timer_mod(sk->ns, &sk->delack_timer,
			      sk->ns->now + TCP_DELACK_MAX);
		return true;
	}
	return false;
}

void tcp_fastopen_mtu_reduced(struct sock *sk)
{
	if (sk->state != NDS_TCP_SYN_SENT || !sk->tfo.syn_data)
		return;
	for (struct sk_buff *skb = sk->rtx_queue.head; skb; skb = skb->next) {
		if (!(skb->sacked & TCPCB_LOST)) {
			skb->sacked |= TCPCB_LOST;
			sk->lost_out += (uint32_t)skb->pcount;
		}
	}
	if (sk->ca_state != TCP_CA_Loss) {
		sk->high_seq = sk->snd_nxt;
		sk->prior_ssthresh = 0;
		sk->undo_marker = 0;
		sk->ca_state = TCP_CA_Loss;
	}
}

/* ------------------------------------------------------------ options */

int tcp_fastopen_setsockopt(struct sock *sk, int name, int val)
{
	switch (name) {
	case TCP_FASTOPEN_CONNECT:
		if (val > 1 || val < 0)
			return -EINVAL;
		if (!(sk->ns->sysctl.tcp_fastopen & TFO_CLIENT_ENABLE))
			return -EOPNOTSUPP;
		if (sk->state != NDS_TCP_CLOSE)
			return -EINVAL;
		sk->fastopen_connect = val != 0;
		return 0;
	case TCP_FASTOPEN_NO_COOKIE:
		if (val > 1 || val < 0)
			return -EINVAL;
		if (sk->state != NDS_TCP_CLOSE && sk->state != NDS_TCP_LISTEN)
			return -EINVAL;
		sk->tfo.no_cookie = val != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int tcp_fastopen_getsockopt(struct sock *sk, int name, int *val)
{
	switch (name) {
	case TCP_FASTOPEN_CONNECT:
		*val = sk->fastopen_connect;
		return 0;
	case TCP_FASTOPEN_NO_COOKIE:
		*val = sk->tfo.no_cookie;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}
