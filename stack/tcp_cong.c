/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_cong.c: congestion control: slow start and additive increase
 * (tcp_slow_start, tcp_cong_avoid_ai), Reno, and the dispatch to CUBIC
 * (tcp_cubic.c) chosen by net.ipv4.tcp_congestion_control / TCP_CONGESTION.
 *
 * tcp_ack -> tcp_cong_avoid -> (reno | cubictcp_cong_avoid)
 * tcp_enter_loss / tcp_enter_recovery -> tcp_ca_ssthresh
 */
#include "tcp_priv.h"
#include "trace_priv.h"
#include "tcp_cubic.h"

/* tcp_slow_start: cwnd += acked up to ssthresh; returns the leftover */
uint32_t tcp_slow_start(struct sock *sk, uint32_t acked)
{
	uint32_t cwnd = sk->snd_cwnd + acked;

	if (cwnd > sk->snd_ssthresh)
		cwnd = sk->snd_ssthresh;
	acked -= cwnd - sk->snd_cwnd;
	sk->snd_cwnd = cwnd;
	return acked;
}

/* tcp_cong_avoid_ai: one more segment per w acked, with carry-over */
void tcp_cong_avoid_ai(struct sock *sk, uint32_t w, uint32_t acked)
{
	if (!w)
		w = 1;
	if (sk->snd_cwnd_cnt >= w) {
		sk->snd_cwnd_cnt = 0;
		sk->snd_cwnd++;
	}
	sk->snd_cwnd_cnt += acked;
	if (sk->snd_cwnd_cnt >= w) {
		uint32_t delta = sk->snd_cwnd_cnt / w;
		sk->snd_cwnd_cnt -= delta * w;
		sk->snd_cwnd += delta;
	}
}

void tcp_init_congestion_control(struct sock *sk)
{
	if (!sk->cong_reno)
		cubictcp_init(sk);
}

void tcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	uint32_t before_cwnd = sk->snd_cwnd;
	TRACE_CALL(sk);

	if (sk->cong_reno) {
		if (!tcp_is_cwnd_limited(sk))
			return;
		if (tcp_in_slow_start(sk)) {
			acked = tcp_slow_start(sk, acked);
			if (!acked)
				goto out;
		}
		tcp_cong_avoid_ai(sk, sk->snd_cwnd, acked);
	} else {
		cubictcp_cong_avoid(sk, ack, acked);
	}
out:
	TRACE_VALUES(sk, "acked=%u snd_cwnd=%u->%u snd_ssthresh=%u "
		     "cwnd_limited=%d; %s", acked, before_cwnd, sk->snd_cwnd,
		     sk->snd_ssthresh, tcp_is_cwnd_limited(sk),
		     sk->cong_reno ? (before_cwnd < sk->snd_ssthresh ?
		     "reno slow start" : "reno congestion avoidance") :
		     (before_cwnd < sk->snd_ssthresh ? "cubic slow start" :
		     "cubic congestion avoidance"));
	if (sk->snd_cwnd != before_cwnd)
		nds_tracef(sk->ns, "fd %d cwnd %u -> %u (ssthresh %u)", sk->fd,
			   before_cwnd, sk->snd_cwnd, sk->snd_ssthresh);
}

uint32_t tcp_ca_ssthresh(struct sock *sk)
{
	if (sk->cong_reno)
		return sk->snd_cwnd >> 1 > 2 ? sk->snd_cwnd >> 1 : 2;
	return cubictcp_recalc_ssthresh(sk);
}

uint32_t tcp_ca_undo_cwnd(struct sock *sk)
{
	if (sk->cong_reno)
		return sk->snd_cwnd > sk->prior_cwnd ? sk->snd_cwnd
						     : sk->prior_cwnd;
	return cubictcp_undo_cwnd(sk);
}

void tcp_ca_event_loss(struct sock *sk)
{
	if (!sk->cong_reno)
		cubictcp_state_loss(sk);
}

void tcp_ca_event_tx_start(struct sock *sk)
{
	if (!sk->cong_reno)
		cubictcp_tx_start(sk);
}

void tcp_ca_acked(struct sock *sk, uint32_t rtt_us)
{
	if (!sk->cong_reno)
		cubictcp_acked(sk, rtt_us);
}
