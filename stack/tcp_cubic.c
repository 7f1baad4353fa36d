/* tcp_cubic.c: CUBIC congestion control (RFC 9438) with Linux's integer
 * arithmetic and constants (beta 717/1024, bic_scale 41, HZ 1000 jiffies).
 * HyStart is not modelled: slow start ends only at ssthresh or on loss.
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
	uint32_t dm = ca->delay_min;

	(void)dm;
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

void cubictcp_init(struct sock *sk)
{
	bictcp_reset(&sk->cubic);
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
}
