/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_recovery.c: RACK loss detection (RFC 8985, Linux tcp_recovery.c):
 * the newest delivered transmission defines what was lost among those sent
 * before it, allowing a reordering window; the REO timer re-checks later.
 *
 * tcp_clean_rtx_queue / tcp_sacktag_write_queue -> tcp_rack_advance ;
 * tcp_fastretrans_alert -> tcp_rack_mark_lost -> tcp_rack_detect_loss ;
 * REO timer -> tcp_rack_reo_timeout -> tcp_xmit_retransmit_queue.
 * (TLP, the other half of RACK-TLP, lives in tcp_output.c as in Linux.)
 */
#include "tcp_priv.h"

/* tcp_rack_sent_after: was (t1, o1) sent after (t2, o2)? Linux breaks
 * ties of its microsecond clock by sequence; the virtual clock has many
 * more ties, so the transmit order decides (a retransmission made at the
 * same instant as an original transmission is the later one). */
static bool tcp_rack_sent_after(int64_t t1, int64_t t2, uint64_t o1,
				uint64_t o2, uint32_t seq1, uint32_t seq2)
{
	if (t1 != t2)
		return t1 > t2;
	if (o1 != o2)
		return o1 > o2;
	return after(seq1, seq2);	/* parts of one TSO burst */
}

/* tcp_rack_advance: remember the newest delivered transmission */
void tcp_rack_advance(struct sock *sk, uint8_t sacked,
			     uint32_t end_seq, int64_t xmit_time,
			     uint64_t order)
{
	int64_t rtt = sk->ns->now - xmit_time;

	if ((sacked & TCPCB_EVER_RETRANS) && rtt < (int64_t)sk->min_rtt_us)
		return;		/* possibly the ACK of the original */
	sk->rack.advanced = true;
	sk->rack.rtt_us = (uint32_t)rtt;	/* the latest sample, always */
	if (tcp_rack_sent_after(xmit_time, sk->rack.mstamp, order,
				sk->rack.tx_order, end_seq, sk->rack.end_seq)) {
		sk->rack.mstamp = xmit_time;
		sk->rack.end_seq = end_seq;
		sk->rack.tx_order = order;
	}
}

/* tcp_rack_reo_wnd */
static uint32_t tcp_rack_reo_wnd(const struct sock *sk)
{
	uint32_t w;

	if (!sk->rack.reord) {
		if (sk->ca_state >= TCP_CA_Recovery)
			return 0;
		if (sk->sacked_out >= sk->reordering)
			return 0;
	}
	w = (sk->min_rtt_us >> 2) * (sk->rack.reo_wnd_steps ?
				     sk->rack.reo_wnd_steps : 1);
	return w < (sk->srtt_us >> 3) ? w : (sk->srtt_us >> 3);
}

/* tcp_rack_detect_loss: mark lost what was sent reo_wnd before the newest
 * delivered segment; returns the time until the next one may be lost. */
static int64_t tcp_rack_detect_loss(struct sock *sk)
{
	int64_t reo_timeout = 0;
	uint32_t reo_wnd = tcp_rack_reo_wnd(sk);

	for (struct sk_buff *s = sk->rtx_queue.head; s; s = s->next) {
		int64_t remaining;

		if (s->sacked & TCPCB_SACKED_ACKED)
			continue;
		if ((s->sacked & TCPCB_LOST) &&
		    !(s->sacked & TCPCB_SACKED_RETRANS))
			continue;
		if (!tcp_rack_sent_after(sk->rack.mstamp, s->tstamp,
					 sk->rack.tx_order, s->tx_order,
					 sk->rack.end_seq, s->end_seq))
			continue;
		remaining = (int64_t)sk->rack.rtt_us + reo_wnd -
			    (sk->ns->now - s->tstamp);
		if (remaining <= 0)
			tcp_mark_skb_lost(sk, s);
		else if (remaining > reo_timeout)
			reo_timeout = remaining;
	}
	return reo_timeout;
}

/* tcp_rack_mark_lost: returns true if the REO timer was armed */
bool tcp_rack_mark_lost(struct sock *sk)
{
	int64_t timeout;

	if (!sk->rack.advanced)
		return false;
	sk->rack.advanced = false;
	timeout = tcp_rack_detect_loss(sk);
	if (timeout) {
		timeout = (timeout + USEC_PER_MSEC - 1) / USEC_PER_MSEC *
			  USEC_PER_MSEC + 2 * USEC_PER_MSEC;
		tcp_reset_xmit_timer(sk, ICSK_TIME_REO_TIMEOUT, timeout);
		return true;
	}
	return false;
}

/* tcp_rack_reo_timeout */
void tcp_rack_reo_timeout(struct sock *sk)
{
	uint32_t prior_inflight = tcp_packets_in_flight(sk);
	uint32_t lost = sk->lost;
	int64_t timeout = tcp_rack_detect_loss(sk);

	if (prior_inflight != tcp_packets_in_flight(sk)) {
		if (sk->ca_state != TCP_CA_Recovery) {
			tcp_enter_recovery(sk, false);
			tcp_cwnd_reduction(sk, 1, sk->lost - lost, 0);
		}
		tcp_xmit_retransmit_queue(sk);
	}
	if (timeout) {
		timeout = (timeout + USEC_PER_MSEC - 1) / USEC_PER_MSEC *
			  USEC_PER_MSEC + 2 * USEC_PER_MSEC;
		tcp_reset_xmit_timer(sk, ICSK_TIME_REO_TIMEOUT, timeout);
	} else if (sk->icsk_pending != ICSK_TIME_RETRANS) {
		sk->icsk_pending = 0;
		tcp_rearm_rto(sk);
	}
}

/* tcp_rack_update_reo_wnd: after DSACKs that followed reordering the
 * reordering window grows by min_rtt/4 (at most once per round trip:
 * only an ACK for data sent after the last growth counts); it shrinks
 * back to one step once TCP_RACK_RECOVERY_THRESH (16) recoveries passed
 * without such DSACKs (reo_wnd_persist) */
void tcp_rack_update_reo_wnd(struct sock *sk)
{
	uint32_t prior = sk->rs_prior_delivered;

	if ((sk->ns->sysctl.tcp_recovery & 0x2) || !prior)
		return;		/* TCP_RACK_STATIC_REO_WND, no sample */
	if (before(prior, sk->rack.last_delivered))
		sk->rack.dsack_seen = false;
	if (sk->rack.dsack_seen) {
		uint32_t steps = sk->rack.reo_wnd_steps ?
				 sk->rack.reo_wnd_steps : 1;

		sk->rack.reo_wnd_steps = (uint8_t)(steps < 0xFF ? steps + 1
								: 0xFF);
		sk->rack.dsack_seen = false;
		sk->rack.last_delivered = sk->delivered;
		sk->rack.reo_wnd_persist = 16;
		nds_tracef(sk->ns, "fd %d RACK reo_wnd %u x min_rtt/4",
			   sk->fd, sk->rack.reo_wnd_steps);
	} else if (!sk->rack.reo_wnd_persist) {
		sk->rack.reo_wnd_steps = 1;
	}
}
