/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_cubic.c: CUBIC congestion control (RFC 9438) with Linux's integer
 * arithmetic and constants (beta 717/1024, bic_scale 41, HZ 1000 jiffies).
 * HyStart (ACK-train and delay detection) can end slow start early.
 *
 * tcp_cong_avoid -> cubictcp_cong_avoid -> bictcp_update ->
 * tcp_cong_avoid_ai; loss -> cubictcp_recalc_ssthresh.
 */
#include "tcp_cubic.h"

#define BICTCP_BETA_SCALE 1024
#define BICTCP_HZ 10
#define HZ 1000

static uint32_t jiffies32(const struct sock *sk)
{
	return (uint32_t)(sk->ns->now / USEC_PER_MSEC);
}

static uint32_t cubic_beta(const struct sock *sk)
{
	return (uint32_t)sk->ns->sysctl.cubic_beta;
}

static void bictcp_reset(struct cubic_state *ca)
{
	ca->cnt = 0;
	ca->last_max_cwnd = 0;
	ca->last_cwnd = 0;
	ca->last_time = 0;
	ca->bic_origin_point = 0;
	ca->bic_K = 0;
	ca->delay_min = 0;
	ca->epoch_start = 0;
	ca->ack_cnt = 0;
	ca->tcp_cwnd = 0;
	ca->found = false;
}

#define HYSTART_ACK_TRAIN 0x1
#define HYSTART_DELAY 0x2
#define HYSTART_MIN_SAMPLES 8
#define HYSTART_DELAY_MIN 4000U
#define HYSTART_DELAY_MAX 16000U

/* bictcp_hystart_reset: start a new round of samples */
static void bictcp_hystart_reset(struct sock *sk)
{
	struct cubic_state *ca = &sk->cubic;

	ca->round_start = ca->last_ack = (uint32_t)sk->ns->now;
	ca->end_seq = sk->snd_nxt;
	ca->curr_rtt = ~0U;
	ca->sample_cnt = 0;
}

/* hystart_ack_delay: allowance for ACK compression by TSO bursts */
static uint32_t hystart_ack_delay(const struct sock *sk)
{
	uint64_t rate = sk->sk_pacing_rate, d;

	if (!rate)
		return 0;
	d = (uint64_t)sk->sk_gso_max_size * 4 * USEC_PER_SEC / rate;
	return d < USEC_PER_MSEC ? (uint32_t)d : (uint32_t)USEC_PER_MSEC;
}

static void hystart_found(struct sock *sk, const char *why)
{
	sk->cubic.found = true;
	sk->snd_ssthresh = sk->snd_cwnd;
	nds_tracef(sk->ns, "fd %d HyStart (%s) ends slow start at cwnd %u",
		   sk->fd, why, sk->snd_cwnd);
}

/* hystart_update */
static void hystart_update(struct sock *sk, uint32_t delay)
{
	struct cubic_state *ca = &sk->cubic;
	int detect = sk->ns->sysctl.cubic_hystart_detect;
	uint32_t now = (uint32_t)sk->ns->now, threshold;

	if (after(sk->snd_una, ca->end_seq))
		bictcp_hystart_reset(sk);
	if (sk->snd_cwnd < (uint32_t)sk->ns->sysctl.cubic_hystart_low_window)
		return;
	if (detect & HYSTART_ACK_TRAIN) {
		if ((int32_t)(now - ca->last_ack) <=
		    sk->ns->sysctl.cubic_hystart_ack_delta_us) {
			ca->last_ack = now;
			threshold = ca->delay_min + hystart_ack_delay(sk);
			/* pacing may have delayed packets by up to RTT/2
			 * in slow start: halve only when nothing paces */
			if (sk->sk_pacing_status == SK_PACING_NONE)
				threshold >>= 1;
			if ((int32_t)(now - ca->round_start) > (int32_t)threshold)
				hystart_found(sk, "ACK train");
		}
	}
	if (!ca->found && (detect & HYSTART_DELAY)) {
		if (ca->curr_rtt > delay)
			ca->curr_rtt = delay;
		if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
			ca->sample_cnt++;
		} else {
			uint32_t t = ca->delay_min >> 3;
			if (t < HYSTART_DELAY_MIN)
				t = HYSTART_DELAY_MIN;
			if (t > HYSTART_DELAY_MAX)
				t = HYSTART_DELAY_MAX;
			if (ca->curr_rtt > ca->delay_min + t)
				hystart_found(sk, "delay");
		}
	}
}

void cubictcp_init(struct sock *sk)
{
	bictcp_reset(&sk->cubic);
	if (sk->ns->sysctl.cubic_hystart)
		bictcp_hystart_reset(sk);
	if (sk->ns->sysctl.cubic_initial_ssthresh &&
	    !sk->ns->sysctl.cubic_hystart)
		sk->snd_ssthresh = (uint32_t)sk->ns->sysctl.cubic_initial_ssthresh;
}

void cubictcp_tx_start(struct sock *sk)
{
	struct cubic_state *ca = &sk->cubic;
	uint32_t now = jiffies32(sk);

	if (ca->epoch_start) {
		int32_t delta = (int32_t)(now - (uint32_t)(sk->lsndtime /
							   USEC_PER_MSEC));
		if (delta > 0) {
			ca->epoch_start += (uint32_t)delta;
			if ((int32_t)(ca->epoch_start - now) > 0)
				ca->epoch_start = now;
		}
	}
}

/* floor(cbrt(a)) */
static uint32_t cubic_root(uint64_t a)
{
	uint64_t lo = 0, hi = 2642245;	/* cbrt(2^64) */

	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if (mid * mid * mid <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo;
}

static void bictcp_update(struct sock *sk, uint32_t cwnd, uint32_t acked)
{
	struct cubic_state *ca = &sk->cubic;
	uint32_t bic_scale = (uint32_t)sk->ns->sysctl.cubic_bic_scale;
	uint32_t beta = cubic_beta(sk);
	uint64_t cube_factor = (1ULL << (10 + 3 * BICTCP_HZ)) /
			       (bic_scale * 10);
	uint32_t cube_rtt_scale = bic_scale * 10;
	uint32_t beta_scale = 8 * (BICTCP_BETA_SCALE + beta) / 3 /
			      (BICTCP_BETA_SCALE - beta);
	uint32_t now = jiffies32(sk), delta, bic_target, max_cnt;
	uint64_t offs, t;

	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (int32_t)(now - ca->last_time) <= HZ / 32)
		return;
	if (ca->epoch_start && now == ca->last_time)
		goto friendliness;
	ca->last_cwnd = cwnd;
	ca->last_time = now;
	if (ca->epoch_start == 0) {
		ca->epoch_start = now ? now : 1;
		ca->ack_cnt = acked;
		ca->tcp_cwnd = cwnd;
		if (ca->last_max_cwnd <= cwnd) {
			ca->bic_K = 0;
			ca->bic_origin_point = cwnd;
		} else {
			ca->bic_K = cubic_root(cube_factor *
					       (ca->last_max_cwnd - cwnd));
			ca->bic_origin_point = ca->last_max_cwnd;
		}
	}
	t = (uint32_t)(now - ca->epoch_start);
	t += (ca->delay_min + USEC_PER_MSEC - 1) / USEC_PER_MSEC;
	t <<= BICTCP_HZ;
	t /= HZ;
	offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
	delta = (uint32_t)((cube_rtt_scale * offs * offs * offs) >>
			   (10 + 3 * BICTCP_HZ));
	if (t < ca->bic_K)
		bic_target = ca->bic_origin_point - delta;
	else
		bic_target = ca->bic_origin_point + delta;
	if (bic_target > cwnd)
		ca->cnt = cwnd / (bic_target - cwnd);
	else
		ca->cnt = 100 * cwnd;
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;
friendliness:
	delta = (cwnd * beta_scale) >> 3;
	if (delta)
		while (ca->ack_cnt > delta) {
			ca->ack_cnt -= delta;
			ca->tcp_cwnd++;
		}
	if (ca->tcp_cwnd > cwnd) {
		delta = ca->tcp_cwnd - cwnd;
		max_cnt = cwnd / delta;
		if (ca->cnt > max_cnt)
			ca->cnt = max_cnt;
	}
	if (ca->cnt < 2)
		ca->cnt = 2;
}

void cubictcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	if (!tcp_is_cwnd_limited(sk))
		return;
	if (tcp_in_slow_start(sk)) {
		acked = tcp_slow_start(sk, acked);
		if (!acked)
			return;
	}
	bictcp_update(sk, sk->snd_cwnd, acked);
	tcp_cong_avoid_ai(sk, sk->cubic.cnt, acked);
}

uint32_t cubictcp_recalc_ssthresh(struct sock *sk)
{
	struct cubic_state *ca = &sk->cubic;
	uint32_t beta = cubic_beta(sk), ss;

	ca->epoch_start = 0;
	if (sk->snd_cwnd < ca->last_max_cwnd &&
	    sk->ns->sysctl.cubic_fast_convergence)
		ca->last_max_cwnd = (sk->snd_cwnd * (BICTCP_BETA_SCALE + beta)) /
				    (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = sk->snd_cwnd;
	ss = (sk->snd_cwnd * beta) / BICTCP_BETA_SCALE;
	return ss > 2 ? ss : 2;
}

uint32_t cubictcp_undo_cwnd(struct sock *sk)
{
	return sk->snd_cwnd > sk->prior_cwnd ? sk->snd_cwnd : sk->prior_cwnd;
}

void cubictcp_state_loss(struct sock *sk)
{
	bictcp_reset(&sk->cubic);
	bictcp_hystart_reset(sk);
}

void cubictcp_acked(struct sock *sk, uint32_t rtt_us)
{
	struct cubic_state *ca = &sk->cubic;

	if (ca->epoch_start &&
	    (int32_t)(jiffies32(sk) - ca->epoch_start) < HZ)
		return;
	if (!rtt_us)
		rtt_us = 1;
	if (ca->delay_min == 0 || ca->delay_min > rtt_us)
		ca->delay_min = rtt_us;
	if (!ca->found && tcp_in_slow_start(sk) && sk->ns->sysctl.cubic_hystart)
		hystart_update(sk, rtt_us);
}
