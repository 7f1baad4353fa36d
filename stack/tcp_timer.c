/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_timer.c: TCP timers on the virtual clock.
 *
 * rtx_timer -> tcp_write_timer -> tcp_retransmit_timer (RTO, SYN and
 *   SYN-ACK retransmits) | tcp_probe_timer (zero window) |
 *   tcp_send_loss_probe (TLP)
 * delack_timer -> tcp_delack_timer
 * keepalive_timer -> tcp_keepalive_timer (keepalive, FIN_WAIT2, TIME_WAIT)
 */
#include "tcp_priv.h"
#include "tcp_ecn.h"
#include "trace_priv.h"

#include <errno.h>
#include <string.h>

static void tcp_write_timer(struct nds_timer *t);
static void tcp_delack_timer(struct nds_timer *t);
static void tcp_keepalive_timer(struct nds_timer *t);

void tcp_init_xmit_timers(struct sock *sk)
{
	nds_timer_init(sk->ns, &sk->rtx_timer, tcp_write_timer, sk);
	nds_timer_init(sk->ns, &sk->delack_timer, tcp_delack_timer, sk);
	nds_timer_init(sk->ns, &sk->keepalive_timer, tcp_keepalive_timer, sk);
	/* all three are timer_lists in Linux, on the timer wheel */
	sk->rtx_timer.wheel = true;
	sk->delack_timer.wheel = true;
	sk->keepalive_timer.wheel = true;
	tcp_init_pacing_timers(sk);
}

/* tcp_write_err: give up on the connection */
static void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : ETIMEDOUT;
	nds_mib_inc(sk->ns, MIB_TCP_ABORT_ON_TIMEOUT);
	nds_tracef(sk->ns, "fd %d connection timed out", sk->fd);
	tcp_done(sk);
}

/* tcp_model_timeout: time that `boundary` exponential backoffs take,
 * each at most the socket's rto_max */
static int64_t tcp_model_timeout(const struct sock *sk, int boundary,
				 int64_t rto_base)
{
	int64_t thresh = 0, timeout, rto_max = tcp_rto_max(sk);

	while ((rto_base << (thresh + 1)) <= rto_max && thresh < 30)
		thresh++;
	if (boundary <= thresh)
		timeout = ((2LL << boundary) - 1) * rto_base;
	else
		timeout = ((2LL << thresh) - 1) * rto_base +
			  (boundary - thresh) * rto_max;
	return timeout;
}

static bool retransmits_timed_out(struct sock *sk, int boundary)
{
	int64_t timeout;

	/* 0 means unset, except in SYN_SENT, where tcp_connect always sets
	 * it and the virtual clock may really read 0 */
	if (!sk->retransmits ||
	    (!sk->retrans_stamp && sk->state != NDS_TCP_SYN_SENT))
		return false;
	if (sk->user_timeout)
		timeout = (int64_t)sk->user_timeout * USEC_PER_MSEC;
	else if (sk->state == NDS_TCP_SYN_SENT ||
		 sk->state == NDS_TCP_SYN_RECV)
		/* a SYN's backoffs start from tcp_timeout_init's 1 s */
		timeout = tcp_model_timeout(sk, boundary, TCP_TIMEOUT_INIT);
	else
		timeout = tcp_model_timeout(sk, boundary, TCP_RTO_MIN);
	return sk->ns->now - sk->retrans_stamp >= timeout;
}

/* tcp_mtu_probing: black hole detection. After tcp_retries1 backoffs
 * with tcp_mtu_probing on, start MTU probing (1 leaves it off until
 * then), or if it is on already, halve the MTU it takes as working,
 * down to tcp_base_mss, tcp_mtu_probe_floor and tcp_min_snd_mss. */
static void tcp_mtu_probing(struct sock *sk)
{
	const struct nds_sysctls *s = &sk->ns->sysctl;
	int mss;

	if (!s->tcp_mtu_probing)
		return;
	if (!sk->mtup.enabled) {
		sk->mtup.enabled = true;
		sk->mtup.probe_timestamp = sk->ns->now;
	} else {
		mss = tcp_mtu_to_mss(sk, sk->mtup.search_low) >> 1;
		if (mss > s->tcp_base_mss)
			mss = s->tcp_base_mss;
		if (mss < s->tcp_mtu_probe_floor)
			mss = s->tcp_mtu_probe_floor;
		if (mss < s->tcp_min_snd_mss)
			mss = s->tcp_min_snd_mss;
		sk->mtup.search_low = tcp_mss_to_mtu(sk, mss);
	}
	tcp_sync_mss(sk, sk->pmtu_cookie);
	nds_tracef(sk->ns, "mtu probe: black hole? search %d..%d, mss %u",
		   sk->mtup.search_low, sk->mtup.search_high, sk->mss_cache);
}

/* tcp_write_timeout: true if the connection was killed */
static bool tcp_write_timeout(struct sock *sk)
{
	struct nds_sysctls *s = &sk->ns->sysctl;

	if (sk->state == NDS_TCP_SYN_SENT) {
		int retry = sk->syn_retries ? sk->syn_retries
					    : s->tcp_syn_retries;
		bool expired = sk->retransmits >= retry +
						 s->tcp_syn_linear_timeouts;
		/* Linux 6.5+ adds tcp_syn_linear_timeouts to the count, but
		 * the time that `retry` exponential backoffs from 1 s would
		 * take (or TCP_USER_TIMEOUT) still ends the attempt: with
		 * TCP_SYNCNT 1, 3 s after the first SYN. */
		if (!expired)
			expired = retransmits_timed_out(sk, retry);
		if (expired) {
			tcp_write_err(sk);
			return true;
		}
		return false;
	}
	if (sk->state != NDS_TCP_SYN_RECV &&
	    retransmits_timed_out(sk, s->tcp_retries1))
		tcp_mtu_probing(sk);
	{
		int retry = s->tcp_retries2;
		if (sk->fd < 0) {
			retry = s->tcp_orphan_retries ? s->tcp_orphan_retries
						      : 8;
		}
		if (retransmits_timed_out(sk, retry)) {
			tcp_write_err(sk);
			return true;
		}
	}
	return false;
}

/* reqsk_timeout: TCP_TIMEOUT_INIT doubled per SYN-ACK timeout, at most
 * TCP_RTO_MAX */
static int64_t reqsk_timeout(int num_timeout)
{
	int64_t t = TCP_TIMEOUT_INIT;

	while (num_timeout-- > 0 && t < TCP_RTO_MAX)
		t <<= 1;
	return t < TCP_RTO_MAX ? t : TCP_RTO_MAX;
}

/* SYN-ACK retransmission for a child in SYN_RECV (reqsk_timer_handler) */
static void tcp_synack_timer(struct sock *sk)
{
	int max = sk->ns->sysctl.tcp_synack_retries;

	if (sk->tfo_child || sk->simopen) {
		/* tcp_fastopen_synack_timer: a real socket, one more try */
		max = sk->syn_retries ? sk->syn_retries : max + 1;
		if (sk->retransmits >= max) {
			tcp_write_err(sk);
			return;
		}
	} else {
		/* syn_ack_recalc: with TCP_DEFER_ACCEPT the request lives
		 * at least the deferring period; once the peer's bare ACK
		 * came, SYN-ACKs resume only for its last retransmission,
		 * a last chance for an ACK to make the connection */
		int defer = sk->parent ? sk->parent->defer_accept : 0;
		bool expire, resend = true;

		if (defer > max)
			max = defer;
		expire = sk->retransmits >= max;
		if (defer) {
			expire = expire && (!sk->req_acked ||
					    sk->retransmits >= defer);
			resend = !sk->req_acked ||
				 sk->retransmits >= defer - 1;
		}
		if (expire) {
			inet_csk_reqsk_queue_drop(sk);
			return;
		}
		if (!resend) {
			sk->retransmits++;
			tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
					     reqsk_timeout(sk->retransmits));
			return;
		}
	}
	nds_mib_inc(sk->ns, MIB_TCP_TIMEOUTS);	/* tcp_syn_ack_timeout */
	tcp_rtx_synack(sk);
	sk->total_retrans++;
	sk->retransmits++;
	if (sk->rtx_queue.head)
		sk->rtx_queue.head->sacked |= TCPCB_EVER_RETRANS;
	tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
			     reqsk_timeout(sk->retransmits));
}

/* tcp_retransmit_timer */
static void tcp_retransmit_timer(struct sock *sk)
{
	struct sk_buff *skb = sk->rtx_queue.head;
	int64_t when;
	TRACE_CALL(sk);

	if (sk->state == NDS_TCP_SYN_RECV) {
		tcp_synack_timer(sk);
		return;
	}
	if (!sk->packets_out || !skb)
		return;
	if (!sk->snd_wnd && sk->fd >= 0 && sk->state != NDS_TCP_SYN_SENT) {
		/* peer shrank its window to zero under our data */
		tcp_enter_loss(sk);
		tcp_retransmit_skb(sk, skb, 1);
		goto out_reset_timer;
	}
	nds_mib_inc(sk->ns, MIB_TCP_TIMEOUTS);
	if (tcp_write_timeout(sk))
		return;
	tcp_enter_loss(sk);
	/* tcp_update_rto_stats: a new RTO episode starts its clock */
	if (!sk->retransmits) {
		sk->total_rto_recoveries++;
		sk->rto_stamp = sk->ns->now;
	}
	sk->retransmits++;
	sk->total_rto++;
	nds_tracef(sk->ns, "fd %d RTO fired (retransmit %d)", sk->fd,
		   sk->retransmits);
	if (tcp_retransmit_skb(sk, sk->rtx_queue.head, 1) < 0) {
		tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
				     TCP_RESOURCE_PROBE_INTERVAL);
		return;
	}
out_reset_timer:
	sk->backoff++;
	if (sk->state != NDS_TCP_SYN_SENT ||
	    sk->total_rto > sk->ns->sysctl.tcp_syn_linear_timeouts) {
		uint64_t r = (uint64_t)sk->rto << 1;
		sk->rto = r > (uint64_t)tcp_rto_max(sk) ?
			  (uint32_t)tcp_rto_max(sk) : (uint32_t)r;
	}
	when = sk->rto;
	if (sk->user_timeout &&
	    (sk->retrans_stamp || sk->state == NDS_TCP_SYN_SENT)) {
		/* tcp_clamp_rto_to_user_timeout */
		int64_t left = (int64_t)sk->user_timeout * USEC_PER_MSEC -
			       (sk->ns->now - sk->retrans_stamp);
		if (left <= 0)
			left = USEC_PER_MSEC;
		if (left < when)
			when = left;
	}
	tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, when);
}

/* tcp_probe_timer: zero-window probes */
static void tcp_probe_timer(struct sock *sk)
{
	int max_probes = sk->ns->sysctl.tcp_retries2;
	TRACE_CALL(sk);

	if (sk->packets_out || !tcp_send_head(sk)) {
		sk->probes_out = 0;
		return;
	}
	if (sk->user_timeout) {
		if (!sk->retrans_stamp)
			sk->retrans_stamp = sk->ns->now;
		if (sk->ns->now - sk->retrans_stamp >=
		    (int64_t)sk->user_timeout * USEC_PER_MSEC) {
			tcp_write_err(sk);
			return;
		}
	}
	if (sk->fd < 0)
		max_probes = sk->ns->sysctl.tcp_orphan_retries
			     ? sk->ns->sysctl.tcp_orphan_retries : 8;
	if (sk->probes_out >= max_probes) {
		tcp_write_err(sk);
		return;
	}
	tcp_send_probe0(sk);
}

/* What a timer is for right now, for the trace. */
const char *tcp_timer_name(const struct nds_timer *t)
{
	const struct sock *sk = t->owner;

	if (t->name)
		return t->name;
	if (!sk)
		return "timer";
	if (t == &sk->rtx_timer) {
		switch (sk->icsk_pending) {
		case ICSK_TIME_PROBE0:
			return "probe0";
		case ICSK_TIME_LOSS_PROBE:
			return "TLP";
		case ICSK_TIME_REO_TIMEOUT:
			return "RACK reorder";
		default:
			return sk->state == NDS_TCP_SYN_RECV ? "SYN-ACK RTO" :
			       sk->state == NDS_TCP_SYN_SENT ? "SYN RTO" :
			       "RTO";
		}
	}
	if (t == &sk->delack_timer)
		return "delayed ACK";
	if (sk->state == NDS_TCP_TIME_WAIT)
		return "TIME_WAIT";
	if (sk->state == NDS_TCP_FIN_WAIT2)
		return "FIN_WAIT2";
	return "keepalive";
}

static void tcp_write_timer(struct nds_timer *t)
{
	struct sock *sk = t->owner;
	int what = sk->icsk_pending;

	if (sk->state == NDS_TCP_CLOSE || sk->state == NDS_TCP_LISTEN)
		return;
	if (what != ICSK_TIME_LOSS_PROBE)
		sk->icsk_pending = 0;
	switch (what) {
	case ICSK_TIME_RETRANS:
		tcp_retransmit_timer(sk);
		break;
	case ICSK_TIME_PROBE0:
		tcp_probe_timer(sk);
		break;
	case ICSK_TIME_LOSS_PROBE:
		nds_tracef(sk->ns, "fd %d TLP fired", sk->fd);
		tcp_send_loss_probe(sk);
		break;
	case ICSK_TIME_REO_TIMEOUT:
		tcp_rack_reo_timeout(sk);
		break;
	default:
		break;
	}
	sk_destroy_if_done(sk);
}

/* tcp_delack_timer_handler */
static void tcp_delack_timer(struct nds_timer *t)
{
	struct sock *sk = t->owner;
	TRACE_CALL(sk);

	if (sk->state == NDS_TCP_CLOSE || sk->state == NDS_TCP_LISTEN)
		return;
	if (!(sk->ack_pending & ICSK_ACK_TIMER))
		return;
	sk->ack_pending &= ~ICSK_ACK_TIMER;
	if (sk->ack_pending & ICSK_ACK_SCHED) {
		if (!sk->pingpong) {
			uint32_t a = sk->ato << 1;
			sk->ato = a < sk->rto ? a : sk->rto;
		} else {
			sk->pingpong = 0;
			sk->ato = TCP_ATO_MIN;
		}
		tcp_send_ack(sk);
		nds_mib_inc(sk->ns, MIB_DELAYED_ACKS);
	}
}

/* Move a connection to TIME_WAIT or an orphaned FIN_WAIT2 for timeo us
 * (tcp_time_wait). A socket still owned by the application is closed and
 * a twin with fd -1 keeps the 4-tuple, as Linux's timewait socket does. */
void tcp_time_wait(struct sock *sk, int state, int64_t timeo)
{
	struct sock *tw = sk;

	if (state == NDS_TCP_TIME_WAIT)
		timeo = TCP_TIMEWAIT_LEN;
	if (sk->fd >= 0) {
		tw = sk_alloc(sk->ns, sk->family, SOCK_STREAM, IPPROTO_TCP);
		if (tw) {
			tw->saddr = sk->saddr;
			tw->daddr = sk->daddr;
			tw->sport = sk->sport;
			tw->dport = sk->dport;
			tw->wire_v4 = sk->wire_v4;
			tw->bound = true;
			tw->bound_addr = true;
			tw->snd_una = sk->snd_una;
			tw->snd_nxt = sk->snd_nxt;
			tw->write_seq = sk->write_seq;
			tw->rcv_nxt = sk->rcv_nxt;
			tw->rcv_wup = sk->rcv_wup;
			tw->rcv_wnd = sk->rcv_wnd;
			tw->rcv_ssthresh = sk->rcv_ssthresh;
			tw->window_clamp = sk->window_clamp;
			tw->rcv_wscale = sk->rcv_wscale;
			tw->snd_wscale = sk->snd_wscale;
			tw->snd_wnd = sk->snd_wnd;
			tw->max_window = sk->max_window;
			tw->tstamp_ok = sk->tstamp_ok;
			tw->sack_ok = sk->sack_ok;
			tw->ts_recent = sk->ts_recent;
			tw->ts_recent_stamp = sk->ts_recent_stamp;
			tw->ts_off = sk->ts_off;
			tw->tcp_header_len = sk->tcp_header_len;
			tw->mss_cache = sk->mss_cache;
			tw->rcv_mss = sk->rcv_mss;
			tw->advmss = sk->advmss;
			tw->sk_rcvbuf = sk->sk_rcvbuf;
			tw->shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
			tw->orphan = true;
			tw->linger2 = sk->linger2;
			tw->tos = tcp_ecn_tw_tos(sk);
			tw->ttl = sk->ttl;
			tw->state = state;
			nds_tracef(sk->ns, "fd %d -> %s (timewait socket)",
				   sk->fd, tcp_state_name(state));
		}
		tcp_done(sk);
		if (!tw)
			return;
	} else {
		tcp_set_state(sk, state);
		tcp_ecn_time_wait(sk);	/* as the timewait socket would */
		tcp_clear_xmit_timers(sk);
		skb_queue_purge(&sk->write_queue);
		skb_queue_purge(&sk->rtx_queue);
		sk->sk_wmem_queued = 0;
		sk->packets_out = sk->sacked_out = sk->lost_out = 0;
		sk->retrans_out = 0;
	}
	nds_timer_mod(tw->ns, &tw->keepalive_timer, tw->ns->now + timeo);
}

void tcp_set_keepalive_timer(struct sock *sk)
{
	int64_t t;

	if (sk->state != NDS_TCP_ESTABLISHED && sk->state != NDS_TCP_CLOSE_WAIT &&
	    sk->state != NDS_TCP_FIN_WAIT1)
		return;
	if (!sk->keepalive) {
		nds_timer_del(&sk->keepalive_timer);
		return;
	}
	t = (int64_t)(sk->keepalive_time ? sk->keepalive_time
			  : sk->ns->sysctl.tcp_keepalive_time) * USEC_PER_SEC;
	nds_timer_mod(sk->ns, &sk->keepalive_timer, sk->ns->now + t);
}

/* tcp_keepalive_timer */
static void tcp_keepalive_timer(struct nds_timer *t)
{
	struct sock *sk = t->owner;
	TRACE_CALL(sk);
	struct nds_sysctls *s = &sk->ns->sysctl;
	int64_t ktime, intvl, elapsed, last;
	int probes;

	if (sk->state == NDS_TCP_TIME_WAIT ||
	    (sk->state == NDS_TCP_FIN_WAIT2 && sk->fd < 0)) {
		nds_tracef(sk->ns, "%s socket expired",
			   tcp_state_name(sk->state));
		tcp_done(sk);
		sk->dead = true;
		return;
	}
	if (!sk->keepalive || (sk->state != NDS_TCP_ESTABLISHED &&
			       sk->state != NDS_TCP_CLOSE_WAIT &&
			       sk->state != NDS_TCP_FIN_WAIT1))
		return;
	ktime = (int64_t)(sk->keepalive_time ? sk->keepalive_time
			  : s->tcp_keepalive_time) * USEC_PER_SEC;
	intvl = (int64_t)(sk->keepalive_intvl ? sk->keepalive_intvl
			  : s->tcp_keepalive_intvl) * USEC_PER_SEC;
	probes = sk->keepalive_probes ? sk->keepalive_probes
				      : s->tcp_keepalive_probes;
	if (sk->packets_out || tcp_send_head(sk)) {
		nds_timer_mod(sk->ns, t, sk->ns->now + ktime);
		return;
	}
	last = sk->last_ack_recv > sk->lrcvtime ? sk->last_ack_recv
						: sk->lrcvtime;
	elapsed = sk->ns->now - last;
	if (elapsed >= ktime) {
		if ((sk->user_timeout &&
		     elapsed >= (int64_t)sk->user_timeout * USEC_PER_MSEC &&
		     sk->probes_out > 0) ||
		    (!sk->user_timeout && sk->probes_out >= probes)) {
			sk->sk_err = ETIMEDOUT;
			tcp_send_active_reset(sk);
			tcp_done(sk);
			return;
		}
		tcp_send_keepalive_probe(sk);
		sk->probes_out++;
		nds_timer_mod(sk->ns, t, sk->ns->now + intvl);
		return;
	}
	nds_timer_mod(sk->ns, t, sk->ns->now + ktime - elapsed);
}
