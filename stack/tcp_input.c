/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_input.c: processing of inbound segments. Who calls what:
 *
 * tcp_v4_rcv (tcp_ipv4.c)
 *   -> tcp_listen_rcv: a SYN for a listener -> child in SYN_RECV
 *        (tcp_openreq_child: tcp_rcv_syn_options, tcp_ecn_create_request;
 *        tcp_try_fastopen), tcp_send_synack; or, SYN queue full or
 *        tcp_syncookies=2, a SYN cookie and no child (syncookies.c)
 *   -> (an ACK for a listener: tcp_v4_cookie_check may make the child)
 *   -> tcp_v4_do_rcv
 *     -> tcp_rcv_established: ESTABLISHED
 *          tcp_header_predicted ? fast path : slow path
 *          (tcp_validate_incoming: PAWS, sequence, RST, SYN; RFC 5961)
 *          -> tcp_ack -> tcp_rcv_ack_state -> tcp_rcv_text
 *     -> tcp_rcv_state_process: every other state
 *          SYN_SENT: tcp_rcv_synsent_state_process (tcp_rcv_syn_options,
 *                    tcp_ecn_rcv_synack; crossed SYN: tcp_ecn_rcv_syn)
 *          SYN_RECV: tcp_check_req -> tcp_synrecv_become_established,
 *                    or (simultaneous open, Fast Open child)
 *                    tcp_validate_incoming, tcp_ack,
 *                    tcp_simopen_established | tcp_tfo_child_established
 *          others:   tcp_validate_incoming, tcp_ack
 *          -> tcp_rcv_ack_state (FIN_WAIT1 -> FIN_WAIT2, CLOSING, LAST_ACK,
 *             TIME_WAIT) -> tcp_rcv_text
 *
 * tcp_ack: tcp_ack_update_window, tcp_sacktag_write_queue,
 *   tcp_clean_rtx_queue, tcp_ack_update_rtt (tcp_rtt_estimator,
 *   tcp_set_rto), tcp_process_tlp_ack, tcp_fastretrans_alert (undo:
 *   tcp_try_undo_*; Loss: tcp_process_loss, F-RTO; RACK: tcp_recovery.c),
 *   tcp_ca_acked, tcp_cong_avoid (tcp_cong.c), tcp_xmit_retransmit_queue,
 *   tcp_set_xmit_timer
 * tcp_rcv_text: tcp_urg (tcp_urg.c), tcp_rcv_rtt_measure_ts,
 *   tcp_data_queue (in order: tcp_event_data_recv, tcp_fin, tcp_ofo_queue;
 *   out of order: tcp_data_queue_ofo), tcp_data_snd_check,
 *   tcp_ack_snd_check
 */
#include "tcp_priv.h"
#include "trace_priv.h"
#include "tcp_ecn.h"
#include "tcp_fastopen.h"
#include "sock_errqueue.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_DATA 0x01
#define FLAG_WIN_UPDATE 0x02
#define FLAG_DATA_ACKED 0x04
#define FLAG_RETRANS_DATA_ACKED 0x08
#define FLAG_SYN_ACKED 0x10
#define FLAG_DATA_SACKED 0x20
#define FLAG_ECE 0x40
#define FLAG_ORIG_SACK_ACKED 0x200	/* never-retransmitted data (s)acked */
#define FLAG_SND_UNA_ADVANCED 0x400
#define FLAG_DSACKING_ACK 0x800
#define FLAG_SACK_RENEGING 0x2000	/* snd_una now at SACKed data */
#define FLAG_LOST_RETRANS 0x4000
#define FLAG_DSACK_TLP 0x20000		/* the DSACK reports a loss probe */
#define FLAG_ACKED (FLAG_DATA_ACKED | FLAG_SYN_ACKED)
#define FLAG_NOT_DUP (FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED)
#define FLAG_FORWARD_PROGRESS (FLAG_ACKED | FLAG_DATA_SACKED)
#define FLAG_CA_ALERT (FLAG_DATA_SACKED | FLAG_ECE)

/* what tcp_xmit_recovery sends after the ACK */
enum { REXMIT_NONE, REXMIT_LOST, REXMIT_NEW };

/* ------------------------------------------------------------ options */

void tcp_parse_options(const uint8_t *p, int len, struct tcp_seg *seg)
{
	seg->fo_len = -1;
	while (len > 0) {
		int kind = p[0], l;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (len < 2)
			break;
		l = p[1];
		if (l < 2 || l > len)
			break;
		switch (kind) {
		case TCPOPT_MSS:
			if (l == TCPOLEN_MSS && (seg->flags & TCPHDR_SYN))
				seg->mss = (uint16_t)(p[2] << 8 | p[3]);
			break;
		case TCPOPT_WINDOW:
			if (l == TCPOLEN_WINDOW && (seg->flags & TCPHDR_SYN)) {
				seg->wscale_ok = true;
				seg->wscale = p[2] > TCP_MAX_WSCALE
					      ? TCP_MAX_WSCALE : p[2];
			}
			break;
		case TCPOPT_SACK_PERM:
			if (l == TCPOLEN_SACK_PERM && (seg->flags & TCPHDR_SYN))
				seg->sack_ok = true;
			break;
		case TCPOPT_TIMESTAMP:
			if (l == TCPOLEN_TIMESTAMP) {
				uint32_t v;
				seg->saw_tstamp = true;
				memcpy(&v, p + 2, 4);
				seg->tsval = ntohl(v);
				memcpy(&v, p + 6, 4);
				seg->tsecr = ntohl(v);
			}
			break;
		case TCPOPT_SACK:
			if (l >= 10 && (l - 2) % 8 == 0) {
				int n = (l - 2) / 8;
				for (int i = 0; i < n && i < 4; i++) {
					uint32_t a, b;
					memcpy(&a, p + 2 + 8 * i, 4);
					memcpy(&b, p + 6 + 8 * i, 4);
					seg->sacks[i].start_seq = ntohl(a);
					seg->sacks[i].end_seq = ntohl(b);
				}
				seg->num_sacks = n < 4 ? n : 4;
			}
			break;
		case TCPOPT_MD5SIG:
			seg->md5 = true;
			break;
		case TCPOPT_ACCECN0:
		case TCPOPT_ACCECN1:
			/* tcp_parse_options keeps where it is; netdrill keeps
			 * a copy (at most 2 + 3 fields are read) */
			memset(seg->accecn, 0, sizeof(seg->accecn));
			memcpy(seg->accecn, p, (size_t)(l < 11 ? l : 11));
			break;
		case TCPOPT_FASTOPEN:
			if (l - 2 <= 16) {
				seg->fo_len = l - 2;
				memcpy(seg->fo_cookie, p + 2, (size_t)(l - 2));
			}
			break;
		case TCPOPT_EXP:
			if (l >= 4 && p[2] == 0xf9 && p[3] == 0x89 &&
			    l - 4 <= 16) {
				seg->fo_len = l - 4;
				seg->fo_exp = true;
				memcpy(seg->fo_cookie, p + 4, (size_t)(l - 4));
			}
			break;
		default:
			break;
		}
		p += l;
		len -= l;
	}
}

/* ------------------------------------------------------------ RTT */

/* __tcp_set_rto: RFC 6298 2.3's RTO = SRTT + 4 * RTTVAR. rttvar_us is
 * already four deviations (mdev_us is kept times four), so it is a plain
 * sum. RFC 6298 2.4's one-second floor is not applied: Linux's lower bound
 * is tcp_rto_min (200 ms), which tcp_rtt_estimator keeps rttvar above. */
static void tcp_set_rto(struct sock *sk)
{
	uint64_t rto = (sk->srtt_us >> 3) + sk->rttvar_us;

	/* icsk_rto is in jiffies: usecs_to_jiffies rounds up */
	uint64_t tick = (uint64_t)nds_tick_us(sk->ns);

	rto = (rto + tick - 1) / tick * tick;
	if (rto > (uint64_t)tcp_rto_max(sk))	/* tcp_bound_rto */
		rto = (uint64_t)tcp_rto_max(sk);
	sk->rto = (uint32_t)rto;
}

/* tcp_rtt_estimator: RFC 6298 2.3's smoothing (srtt_us is SRTT times 8,
 * mdev_us the deviation times 4), with two Linux departures, both to keep
 * the RTO from swinging with single samples:
 * - a sample below SRTT moves the deviation with an eighth of the usual
 *   weight: under RFC 6298 a path that speeds up would raise RTTVAR, and
 *   with it the RTO, at the very moment the RTT falls;
 * - rttvar_us follows the largest deviation seen during one window of
 *   data (mdev_max_us) and decays by a quarter once per RTT, when snd_una
 *   passes rtt_seq; it never goes below tcp_rto_min. */
static void tcp_rtt_estimator(struct sock *sk, int64_t mrtt_us)
{
	int64_t m = mrtt_us;
	uint32_t srtt = sk->srtt_us;

	if (srtt) {
		m -= (srtt >> 3);
		srtt = (uint32_t)((int64_t)srtt + m);
		if (m < 0) {
			m = -m;
			m -= (sk->mdev_us >> 2);
			if (m > 0)
				m >>= 3;
		} else {
			m -= (sk->mdev_us >> 2);
		}
		sk->mdev_us = (uint32_t)((int64_t)sk->mdev_us + m);
		if (sk->mdev_us > sk->mdev_max_us) {
			sk->mdev_max_us = sk->mdev_us;
			if (sk->mdev_max_us > sk->rttvar_us)
				sk->rttvar_us = sk->mdev_max_us;
		}
		if (after(sk->snd_una, sk->rtt_seq)) {
			if (sk->mdev_max_us < sk->rttvar_us)
				sk->rttvar_us -= (sk->rttvar_us -
						  sk->mdev_max_us) >> 2;
			sk->rtt_seq = sk->snd_nxt;
			sk->mdev_max_us = tcp_rto_min(sk);
		}
	} else {
		/* RFC 6298 2.2, the first sample: SRTT = R, RTTVAR = R/2 */
		srtt = (uint32_t)(m << 3);
		sk->mdev_us = (uint32_t)(m << 1);
		sk->rttvar_us = sk->mdev_us > tcp_rto_min(sk) ? sk->mdev_us
							      : tcp_rto_min(sk);
		sk->mdev_max_us = sk->rttvar_us;
		sk->rtt_seq = sk->snd_nxt;
	}
	sk->srtt_us = srtt ? srtt : 1;
}

/* tcp_update_rtt_min: the smallest RTT of the last tcp_min_rtt_wlen
 * seconds (RACK's reordering window and HyStart read it). Windowed, so
 * that a route that became longer is learned; a sample of zero counts as
 * one jiffy (1 ms), as in Linux. */
static void tcp_update_rtt_min(struct sock *sk, int64_t rtt_us)
{
	uint32_t r = rtt_us > 0 ? (uint32_t)rtt_us : 1000;
	int64_t wlen = (int64_t)sk->ns->sysctl.tcp_min_rtt_wlen * USEC_PER_SEC;

	if (r <= sk->min_rtt_us || sk->ns->now - sk->min_rtt_stamp > wlen) {
		sk->min_rtt_us = r;
		sk->min_rtt_stamp = sk->ns->now;
	}
}

/* tcp_ack_update_rtt: prefer the ACK-timing sample, else TSecr.
 * Karn's rule (RFC 6298 3): an ACK covering retransmitted data gives no
 * timing sample, as it cannot tell which transmission it answers
 * (tcp_clean_rtx_queue leaves seq_rtt < 0). The echoed timestamp has no
 * such doubt (RFC 7323 4), so Linux measures from TSecr then, at the
 * millisecond resolution of our TSval clock; 0 ms counts as 1. */
static void tcp_ack_update_rtt(struct sock *sk, const struct tcp_seg *seg,
			       int flag, int64_t seq_rtt, int64_t ca_rtt)
{
	TRACE_CALL(sk);
	if (seq_rtt < 0 && sk->tstamp_ok && seg->saw_tstamp && seg->tsecr &&
	    (flag & FLAG_ACKED)) {
		int32_t delta = (int32_t)(tcp_tsval(sk) - seg->tsecr);
		if (delta >= 0) {
			if (!delta)
				delta = 1;
			seq_rtt = ca_rtt = (int64_t)delta * USEC_PER_MSEC;
		}
	}
	if (seq_rtt < 0)
		return;
	tcp_update_rtt_min(sk, ca_rtt);
	tcp_rtt_estimator(sk, seq_rtt);
	tcp_set_rto(sk);
	/* a valid sample ends the exponential backoff (Karn and Partridge:
	 * the backed-off RTO holds until an unambiguous measurement) */
	sk->backoff = 0;
	TRACE_VALUES(sk, "rtt_sample_us=%lld srtt_us=%u rttvar_us=%u "
		     "icsk_rto=%u; tcp_rtt_estimator", (long long)seq_rtt,
		     sk->srtt_us >> 3, sk->mdev_us >> 2, sk->rto);
	nds_tracef(sk->ns, "fd %d rtt %lld us srtt %u rto %u", sk->fd,
		   (long long)seq_rtt, sk->srtt_us >> 3, sk->rto);
}

/* ------------------------------------------------------------ receive buffers */

/* The peer's MSS when its SYN carries no mss option: af_ops->mss_clamp,
 * TCP_MSS_DEFAULT (536) over IPv4, IPV6_MIN_MTU - 40 - 20 = 1220 over
 * IPv6 (tcp_request_sock_ipv6_ops, tcp_v6_connect). */
static uint16_t tcp_af_mss_clamp(const struct sock *sk)
{
	return sk->wire_v4 ? TCP_MSS_DEFAULT : 1280 - 40 - 20;
}

/* tcp_initialize_rcv_mss */
static void tcp_initialize_rcv_mss(struct sock *sk)
{
	uint32_t hint = sk->advmss < sk->mss_cache ? sk->advmss : sk->mss_cache;

	if (hint > sk->rcv_wnd / 2)
		hint = sk->rcv_wnd / 2;
	if (hint > TCP_MSS_DEFAULT)
		hint = TCP_MSS_DEFAULT;
	if (hint < TCP_MIN_MSS)
		hint = TCP_MIN_MSS;
	sk->rcv_mss = hint;
}

/* tcp_sndbuf_expand */
static void tcp_sndbuf_expand(struct sock *sk)
{
	uint32_t per_mss = sk->mss_cache + MAX_TCP_HEADER + 320;
	uint32_t p = 1, nr, sndmem;

	while (p < per_mss)
		p <<= 1;
	per_mss = p + 256;
	nr = sk->snd_cwnd > 10 ? sk->snd_cwnd : 10;
	if (nr < sk->reordering + 1)
		nr = sk->reordering + 1;
	sndmem = 2 * nr * per_mss;
	if ((uint32_t)sk->sk_sndbuf < sndmem) {
		uint32_t max = (uint32_t)sk->ns->sysctl.tcp_wmem[2];
		sk->sk_sndbuf = (int)(sndmem < max ? sndmem : max);
	}
}

/* tcp_init_buffer_space */
static void tcp_init_buffer_space(struct sock *sk)
{
	int maxwin;

	if (!sk->sndbuf_lock)
		tcp_sndbuf_expand(sk);
	sk->rcvq_space_time = sk->ns->now;
	sk->rcvq_space_seq = sk->copied_seq;
	maxwin = tcp_full_space(sk);
	if (sk->window_clamp >= (uint32_t)maxwin) {
		int app_win = sk->ns->sysctl.tcp_app_win;
		sk->window_clamp = (uint32_t)maxwin;
		if (app_win && app_win < 31 && maxwin > 4 * (int)sk->advmss) {
			int w = maxwin - (maxwin >> app_win);
			sk->window_clamp = (uint32_t)(w > 4 * (int)sk->advmss ?
					w : 4 * (int)sk->advmss);
		}
	}
	/* tcp_app_win: keep one segment of the buffer back */
	if (sk->ns->sysctl.tcp_app_win &&
	    sk->window_clamp > 2 * sk->advmss &&
	    sk->window_clamp + sk->advmss > (uint32_t)maxwin)
		sk->window_clamp = 2 * sk->advmss > (uint32_t)(maxwin -
							(int)sk->advmss) ?
			2 * sk->advmss : (uint32_t)(maxwin - (int)sk->advmss);
	if (sk->rcv_ssthresh > sk->window_clamp)
		sk->rcv_ssthresh = sk->window_clamp;
	/* DRS starts from min(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND * advmss),
	 * after the clamp */
	sk->rcvq_space_space = sk->rcv_ssthresh < sk->rcv_wnd
			       ? sk->rcv_ssthresh : sk->rcv_wnd;
	if (sk->rcvq_space_space > TCP_INIT_CWND * sk->advmss)
		sk->rcvq_space_space = TCP_INIT_CWND * sk->advmss;
}

/* tcp_init_transfer: after the handshake */
void tcp_init_transfer(struct sock *sk)
{
	/* tcp_init_metrics: no RTT sample from the handshake (a SYN or
	 * SYN-ACK retransmitted, or a SYN cookie, without timestamps): the
	 * conservative 3 s of RFC 6298 5.7 */
	if (!sk->srtt_us) {
		sk->mdev_us = sk->mdev_max_us = sk->rttvar_us =
			TCP_TIMEOUT_FALLBACK;
		sk->rto = TCP_TIMEOUT_FALLBACK;
	}
	if (sk->total_retrans > 1 && sk->undo_marker)
		sk->snd_cwnd = 1;
	else
		sk->snd_cwnd = tcp_init_cwnd(sk);	/* route initcwnd */
	sk->snd_cwnd_stamp = sk->ns->now;
	tcp_mtup_init(sk);
	sk_dst_check(sk);	/* the socket's own route from here on */
	tcp_init_congestion_control(sk);
	tcp_init_buffer_space(sk);
	tcp_update_pacing_rate(sk);
	sk->lsndtime = sk->ns->now;
	sk->lrcvtime = sk->ns->now;
	sk->last_ack_recv = sk->ns->now;
}

/* tcp_rcvbuf_grow: DRS. space becomes newval, the bytes the application
 * read in the last receiver RTT; the window to allow is twice that (DRS
 * is one RTT late), plus twice its relative growth over the old space
 * (slow start), plus what sits beyond rcv_nxt in the out-of-order queue;
 * sk_rcvbuf and window_clamp follow, up to tcp_rmem[2], unless SO_RCVBUF
 * locked the buffer. Checked against 6.18: 8760 bytes read after a space
 * of 6732 give sk_rcvbuf 44363 at ratio 162. */
static void tcp_rcvbuf_grow(struct sock *sk, uint32_t newval)
{
	uint32_t oldval = sk->rcvq_space_space;
	int64_t rcvwin;
	int rcvbuf, cap = sk->ns->sysctl.tcp_rmem[2];

	sk->rcvq_space_space = newval;
	if (!sk->ns->sysctl.tcp_moderate_rcvbuf || sk->rcvbuf_lock)
		return;
	rcvwin = (int64_t)newval << 1;
	if (oldval && newval > oldval)
		rcvwin += (rcvwin * (newval - oldval) / oldval) << 1;
	if (sk->ofo.tail && after(sk->ofo.tail->end_seq, sk->rcv_nxt))
		rcvwin += sk->ofo.tail->end_seq - sk->rcv_nxt;
	if (rcvwin > INT32_MAX / 2)
		rcvwin = INT32_MAX / 2;
	rcvbuf = tcp_space_from_win(sk, (int)rcvwin);
	if (rcvbuf > cap)
		rcvbuf = cap;
	if (rcvbuf > sk->sk_rcvbuf) {
		sk->sk_rcvbuf = rcvbuf;
		sk->window_clamp = (uint32_t)tcp_win_from_space(sk, rcvbuf);
		nds_tracef(sk->ns, "fd %d DRS: rcvbuf %d window_clamp %u",
			   sk->fd, rcvbuf, sk->window_clamp);
	}
}

/* tcp_rmem_uncharge: release the charges of segments read past */
void tcp_rmem_uncharge(struct sock *sk)
{
	while (sk->rx_charge_n &&
	       !after(sk->rx_charge[sk->rx_charge_head].end_seq,
		      sk->copied_seq)) {
		sk->rx_charged -= sk->rx_charge[sk->rx_charge_head].truesize;
		sk->rx_charge_head = (sk->rx_charge_head + 1) % NDS_RX_CHARGES;
		sk->rx_charge_n--;
	}
	sk->sk_rmem_alloc = (int)(sk->rx_charged + sk->ofo_charged);
}

/* tcp_rcv_space_adjust: after a read, once per receiver RTT */
void tcp_rcv_space_adjust(struct sock *sk)
{
	int64_t time = sk->ns->now - sk->rcvq_space_time;
	int copied;

	if (sk->rcv_rtt_us == 0 || time < (int64_t)(sk->rcv_rtt_us >> 3))
		return;
	copied = (int)(sk->copied_seq - sk->rcvq_space_seq);
	copied -= (int)(sk->rcv_nxt - sk->copied_seq);	/* still queued */
	if (copied > (int)sk->rcvq_space_space)
		tcp_rcvbuf_grow(sk, (uint32_t)copied);
	sk->rcvq_space_seq = sk->copied_seq;
	sk->rcvq_space_time = sk->ns->now;
}

/* tcp_rcv_space_adjust_read: a read took [from, copied_seq). Linux runs
 * tcp_rcv_space_adjust after each skb it copies, so a measurement can
 * restart in the middle of a read; do the same at each queued segment's
 * end inside the range, then at the end of the read. */
void tcp_rcv_space_adjust_read(struct sock *sk, uint32_t from)
{
	uint32_t to = sk->copied_seq;
	int i;

	for (i = 0; i < sk->rx_charge_n; i++) {
		uint32_t end = sk->rx_charge[(sk->rx_charge_head + i) %
					     NDS_RX_CHARGES].end_seq;
		if (!after(end, from))
			continue;
		if (!before(end, to))
			break;
		sk->copied_seq = end;
		tcp_rcv_space_adjust(sk);
	}
	sk->copied_seq = to;
	tcp_rcv_space_adjust(sk);
}

/* tcp_rcv_rtt_update: the receiver's RTT estimate (rtt_us << 3). A
 * window-dependent sample (one window's worth of data) only lowers it. */
static void tcp_rcv_rtt_update(struct sock *sk, uint32_t sample, bool win_dep)
{
	int64_t est = sk->rcv_rtt_us, m = sample;

	if (est) {
		if (!win_dep) {
			m -= est >> 3;
			est += m;
		} else if ((m << 3) < est) {
			est = m << 3;
		}
	} else {
		est = m << 3;
	}
	sk->rcv_rtt_us = (uint32_t)est;
}

/* tcp_rcv_rtt_measure: without timestamps, the time to receive a window */
static void tcp_rcv_rtt_measure(struct sock *sk)
{
	if (sk->rcv_rtt_time) {
		int64_t delta;

		if (before(sk->rcv_nxt, sk->rcv_rtt_seq))
			return;
		delta = sk->ns->now - sk->rcv_rtt_time;
		tcp_rcv_rtt_update(sk, delta > 0 ? (uint32_t)delta : 1, true);
	}
	sk->rcv_rtt_seq = sk->rcv_nxt + sk->rcv_wnd;
	sk->rcv_rtt_time = sk->ns->now;
}

/* tcp_rcv_rtt_measure_ts: with timestamps, from a full-sized segment's
 * TSecr (new echoes only) */
static void tcp_rcv_rtt_measure_ts(struct sock *sk, const struct tcp_seg *seg)
{
	int64_t delta;

	if (!seg->saw_tstamp || !seg->tsecr ||
	    seg->tsecr == sk->rcv_rtt_last_tsecr)
		return;
	sk->rcv_rtt_last_tsecr = seg->tsecr;
	if (seg->end_seq - seg->seq < sk->rcv_mss)
		return;
	delta = (int64_t)(int32_t)(tcp_tsval(sk) - seg->tsecr);
	if (delta < 0)
		return;
	delta = delta ? delta * USEC_PER_MSEC : 1;
	tcp_rcv_rtt_update(sk, (uint32_t)delta, false);
}

/* tcp_incr_quickack: more quick ACKs, pingpong mode left as it is */
static void tcp_incr_quickack(struct sock *sk, int max_quickacks)
{
	uint32_t quickacks = sk->rcv_wnd / (2 * sk->rcv_mss);

	if (quickacks == 0)
		quickacks = 2;
	if (quickacks > (uint32_t)max_quickacks)
		quickacks = (uint32_t)max_quickacks;
	if ((int)quickacks > sk->quick)
		sk->quick = (int)quickacks;
}

void tcp_enter_quickack_mode(struct sock *sk, int max_quickacks)
{
	tcp_incr_quickack(sk, max_quickacks);
	sk->pingpong = 0;
	sk->ato = TCP_ATO_MIN;
}

static bool tcp_in_quickack_mode(const struct sock *sk)
{
	return sk->quick && !sk->pingpong;
}

/* tcp_set_window_clamp (the kernel-internal part) */
static void tcp_set_window_clamp_val(struct sock *sk, uint32_t val)
{
	uint32_t old = sk->window_clamp;

	if (val < 1152)	/* SOCK_MIN_RCVBUF / 2 */
		val = 1152;
	if (val == old)
		return;
	sk->window_clamp = val;
	if (val < old) {
		if (sk->rcv_ssthresh > val)
			sk->rcv_ssthresh = val;
	} else {
		uint32_t t = sk->rcv_wnd < val ? sk->rcv_wnd : val;
		if (t > sk->rcv_ssthresh)
			sk->rcv_ssthresh = t;
	}
}

/* The scaling_ratio part of tcp_measure_rcv_mss: len/truesize of the
 * segment (truesize: tcp_rx_truesize), and window_clamp follows. */
static void tcp_measure_scaling_ratio(struct sock *sk,
				      const struct tcp_seg *seg)
{
	uint64_t v = ((uint64_t)seg->len << TCP_RMEM_TO_WIN_SCALE) /
		     tcp_rx_truesize(seg);
	uint8_t old = sk->scaling_ratio;

	if (!seg->len)
		return;
	sk->scaling_ratio = (uint8_t)(v ? (v > 255 ? 255 : v) : 1);
	if (sk->scaling_ratio == old)
		return;
	tcp_set_window_clamp_val(sk, (uint32_t)tcp_win_from_space(sk,
							 sk->sk_rcvbuf));
	if (sk->window_clamp < sk->rcvq_space_space)
		sk->rcvq_space_space = sk->window_clamp;
}

/* tcp_measure_rcv_mss */
static void tcp_measure_rcv_mss(struct sock *sk, const struct tcp_seg *seg)
{
	/* a GRO packet counts by its segment size */
	uint32_t len = seg->gso_size ? seg->gso_size : seg->len;
	uint32_t lss = sk->last_seg_size;

	sk->last_seg_size = 0;
	if (len >= sk->rcv_mss) {
		uint32_t mss = len < sk->advmss ? len : sk->advmss;
		/* re-measured when the segment size is not rcv_mss: a GRO
		 * packet of rcv_mss-sized segments keeps the ratio, a plain
		 * segment longer than advmss (packetdrill's tun writes
		 * without --mss) re-measures it every time */
		if (len != sk->rcv_mss)
			tcp_measure_scaling_ratio(sk, seg);
		sk->rcv_mss = mss;
		/* a full-sized PSH segment likely ends a write: let the read
		 * that empties the queue ACK at once (tcp_cleanup_rbuf) */
		if (seg->flags & TCPHDR_PSH)
			sk->ack_pending |= ICSK_ACK_PUSHED;
	} else {
		/* a short segment: take it as the new rcv_mss only when two
		 * in a row have the same size (header and fixed options off) */
		len += seg->doff ? seg->doff : 20 + (seg->saw_tstamp ? 12 : 0);
		if (len >= TCP_MSS_DEFAULT + 20 ||
		    (len >= TCP_MIN_MSS + 20 &&
		     !(seg->flags & (TCPHDR_FIN | TCPHDR_URG | TCPHDR_SYN |
				     TCPHDR_RST | TCPHDR_PSH)))) {
			len -= sk->tcp_header_len;
			sk->last_seg_size = len;
			if (len == lss) {
				sk->rcv_mss = len;
				return;
			}
		}
		if (sk->ack_pending & ICSK_ACK_PUSHED)
			sk->ack_pending |= ICSK_ACK_PUSHED2;
		sk->ack_pending |= ICSK_ACK_PUSHED;
	}
}

/* tcp_grow_window: raise rcv_ssthresh as data arrives, by 2*advmss when
 * the segment's memory cost (tcp_rx_truesize) fits the window it may
 * earn, else by 2*rcv_mss if the window is still small enough for its
 * overhead (__tcp_grow_window); at least 2*len, at most up to
 * min(window_clamp, tcp_space). */
static void tcp_grow_window(struct sock *sk, const struct tcp_seg *seg)
{
	int room, truesize = (int)tcp_rx_truesize(seg), incr = 0;

	room = (int)sk->window_clamp < tcp_space(sk) ? (int)sk->window_clamp
						     : tcp_space(sk);
	room -= (int)sk->rcv_ssthresh;
	if (room <= 0)
		return;
	if (tcp_win_from_space(sk, truesize) <= (int)seg->len) {
		incr = 2 * sk->advmss;
	} else {
		int t = tcp_win_from_space(sk, truesize) >> 1;
		int window = tcp_win_from_space(sk,
						sk->ns->sysctl.tcp_rmem[2]) >> 1;
		while ((int)sk->rcv_ssthresh <= window) {
			if (t <= (int)seg->len) {
				incr = 2 * (int)sk->rcv_mss;
				break;
			}
			t >>= 1;
			window >>= 1;
		}
	}
	if (incr) {
		if (incr < 2 * (int)seg->len)
			incr = 2 * (int)seg->len;
		sk->rcv_ssthresh += (uint32_t)(incr < room ? incr : room);
		sk->quick |= 1;
	}
}

/* tcp_event_data_recv: ato and quickack bookkeeping */
static void tcp_event_data_recv(struct sock *sk, const struct tcp_seg *seg)
{
	int64_t now = sk->ns->now;

	sk->ack_pending |= ICSK_ACK_SCHED;
	tcp_measure_rcv_mss(sk, seg);
	tcp_rcv_rtt_measure(sk);
	if (!sk->ato) {
		/* the first data segment: quick ACKs, but pingpong mode (set
		 * by TCP_QUICKACK 0) stays and still delays them */
		tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
		sk->ato = TCP_ATO_MIN;
	} else {
		int64_t m = now - sk->lrcv_data;
		if (m <= TCP_ATO_MIN / 2) {
			sk->ato = (sk->ato >> 1) + TCP_ATO_MIN / 2;
		} else if (m < sk->ato) {
			sk->ato = (uint32_t)((sk->ato >> 1) + m);
			if (sk->ato > sk->rto)
				sk->ato = sk->rto;
		} else if (m > sk->rto) {
			tcp_incr_quickack(sk, TCP_MAX_QUICKACKS);
		}
	}
	sk->lrcv_data = now;
	tcp_grow_window(sk, seg);
}

/* tcp_rmem_charge: account a segment of len bytes about to be queued in
 * order (its data ends at rcv_nxt + len) with its truesize. Past
 * NDS_RX_CHARGES unread segments, the last charge absorbs the new one. */
static void tcp_rmem_charge(struct sock *sk, uint32_t len, uint32_t truesize)
{
	uint32_t end = sk->rcv_nxt + len;
	int n = sk->rx_charge_n;

	if (n == NDS_RX_CHARGES) {
		int last = (sk->rx_charge_head + n - 1) % NDS_RX_CHARGES;
		sk->rx_charge[last].end_seq = end;
		sk->rx_charge[last].truesize += truesize;
	} else {
		int at = (sk->rx_charge_head + n) % NDS_RX_CHARGES;
		sk->rx_charge[at].end_seq = end;
		sk->rx_charge[at].truesize = truesize;
		sk->rx_charge_n++;
	}
	sk->rx_charged += truesize;
	sk->sk_rmem_alloc = (int)(sk->rx_charged + sk->ofo_charged);
}

/* Queue len in-order bytes for the reader. -ENOMEM (nothing queued or
 * charged) when the buffer cannot grow: the caller drops the segment and
 * leaves rcv_nxt, as Linux drops a segment it cannot charge. */
static int rbuf_append(struct sock *sk, const uint8_t *data, uint32_t len,
		       uint32_t truesize)
{
	if (!len)
		return 0;
	if (sk->rbuf_len + len > sk->rbuf_cap) {
		uint32_t cap = sk->rbuf_cap ? sk->rbuf_cap : 4096;
		uint8_t *n;
		while (cap < sk->rbuf_len + len)
			cap *= 2;
		n = realloc(sk->rbuf, cap);
		if (!n)
			return -ENOMEM;
		sk->rbuf = n;
		sk->rbuf_cap = cap;
	}
	tcp_rmem_charge(sk, len, truesize);
	memcpy(sk->rbuf + sk->rbuf_len, data, len);
	sk->rbuf_len += len;
	return 0;
}

/* ------------------------------------------------------------ SACK (receiver) */

static void tcp_dsack_set(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	if (sk->sack_ok && sk->ns->sysctl.tcp_dsack) {
		sk->dsack = true;
		sk->duplicate_sack[0].start_seq = seq;
		sk->duplicate_sack[0].end_seq = end_seq;
	}
}

/* tcp_sack_remove: drop blocks now below rcv_nxt */
static void tcp_sack_remove(struct sock *sk)
{
	int j = 0;

	for (int i = 0; i < sk->num_sacks; i++) {
		if (!after(sk->selective_acks[i].end_seq, sk->rcv_nxt))
			continue;
		sk->selective_acks[j++] = sk->selective_acks[i];
	}
	sk->num_sacks = j;
}

/* tcp_sack_new_ofo_skb: newest block first, merge neighbours */
static void tcp_sack_new_ofo_skb(struct sock *sk, uint32_t seq, uint32_t end)
{
	struct tcp_sack_block blk = { seq, end };
	int n = 0;
	struct tcp_sack_block out[TCP_NUM_SACKS + 1];

	if (!sk->sack_ok)
		return;
	/* merge every block touching the new one */
	for (int i = 0; i < sk->num_sacks; i++) {
		struct tcp_sack_block *b = &sk->selective_acks[i];
		if (!after(b->start_seq, blk.end_seq) &&
		    !after(blk.start_seq, b->end_seq)) {
			if (before(b->start_seq, blk.start_seq))
				blk.start_seq = b->start_seq;
			if (after(b->end_seq, blk.end_seq))
				blk.end_seq = b->end_seq;
		}
	}
	out[n++] = blk;
	for (int i = 0; i < sk->num_sacks && n < TCP_NUM_SACKS; i++) {
		struct tcp_sack_block *b = &sk->selective_acks[i];
		if (!after(b->start_seq, blk.end_seq) &&
		    !after(blk.start_seq, b->end_seq))
			continue;
		out[n++] = *b;
	}
	memcpy(sk->selective_acks, out, sizeof(out[0]) * (size_t)n);
	sk->num_sacks = n;
}

/* tcp_data_queue_ofo */
static void tcp_data_queue_ofo(struct sock *sk, struct tcp_seg *seg)
{
	struct sk_buff *skb, *at;

	nds_mib_inc(sk->ns, MIB_TCP_OFO_QUEUE);

	/* rcv_mss and scaling_ratio learn from out-of-order data too
	 * (6.17+) */
	tcp_measure_rcv_mss(sk, seg);
	sk->rcv_ooopack++;
	sk->ack_pending |= ICSK_ACK_SCHED | ICSK_ACK_NOW;
	/* duplicate of something already queued? */
	for (at = sk->ofo.head; at; at = at->next) {
		if (!before(seg->seq, at->seq) && !after(seg->end_seq,
							 at->end_seq)) {
			tcp_dsack_set(sk, seg->seq, seg->end_seq);
			return;
		}
	}
	skb = skb_alloc(seg->len);
	if (!skb)
		return;
	/* a bare FIN has no data: its skb has no buffer to copy into */
	if (seg->len)
		memcpy(skb->data, seg->data, seg->len);
	skb->len = seg->len;
	skb->seq = seg->seq;
	skb->end_seq = seg->end_seq;
	skb->tcp_flags = seg->flags & (TCPHDR_FIN | TCPHDR_PSH);
	for (at = sk->ofo.head; at && !before(seg->seq, at->seq); at = at->next)
		;
	skb_insert_before(&sk->ofo, at, skb);
	tcp_sack_new_ofo_skb(sk, seg->seq, seg->end_seq);
	/* a SACK peer earns window for it too, measured before the
	 * segment is charged (skb_set_owner_r comes last); a peer without
	 * SACK does not, so that its dupacks trigger fast retransmit */
	if (sk->sack_ok)
		tcp_grow_window(sk, seg);
	skb->truesize = tcp_rx_truesize(seg);
	sk->ofo_charged += skb->truesize;
	sk->sk_rmem_alloc = (int)(sk->rx_charged + sk->ofo_charged);
	/* room for the hole to fill (6.16+), but only for a socket the
	 * application holds: not one waiting in the accept queue, nor an
	 * orphan (sk->sk_socket is NULL for both) */
	if (!sk->parent && !sk->orphan)
		tcp_rcvbuf_grow(sk, sk->rcvq_space_space);
}

static void tcp_fin(struct sock *sk);

/* tcp_ofo_queue: move segments that became in-order */
static void tcp_ofo_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = sk->ofo.head) && !after(skb->seq, sk->rcv_nxt)) {
		uint32_t skip = sk->rcv_nxt - skb->seq;
		uint32_t dlen = skb->len > skip ? skb->len - skip : 0;

		/* no memory: the segment stays out of order until the next
		 * in-order one tries again */
		if (after(skb->end_seq, sk->rcv_nxt) &&
		    rbuf_append(sk, skb->data + skip, dlen, skb->truesize))
			break;
		skb_unlink(&sk->ofo, skb);
		sk->ofo_charged -= skb->truesize;
		sk->sk_rmem_alloc = (int)(sk->rx_charged + sk->ofo_charged);
		if (after(skb->end_seq, sk->rcv_nxt)) {
			sk->bytes_received += dlen;
			sk->rcv_nxt = skb->end_seq;
			if (skb->tcp_flags & TCPHDR_FIN)
				tcp_fin(sk);
		}
		skb_free(skb);
	}
}

/* tcp_fin: the peer closed its side */
static void tcp_fin(struct sock *sk)
{
	sk->ack_pending |= ICSK_ACK_SCHED;
	sk->shutdown |= RCV_SHUTDOWN;
	switch (sk->state) {
	case NDS_TCP_SYN_RECV:
	case NDS_TCP_ESTABLISHED:
		tcp_set_state(sk, NDS_TCP_CLOSE_WAIT);
		sk->pingpong = 1;
		break;
	case NDS_TCP_FIN_WAIT1:
		tcp_send_ack(sk);
		tcp_set_state(sk, NDS_TCP_CLOSING);
		break;
	case NDS_TCP_FIN_WAIT2:
		tcp_send_ack(sk);
		tcp_time_wait(sk, NDS_TCP_TIME_WAIT, 0);
		break;
	default:
		break;
	}
	skb_queue_purge(&sk->ofo);
	sk->num_sacks = 0;
	sk_wake(sk);
}

/* tcp_data_queue (tcp_ecn_accept_cwr, tcp_data_ecn_check: tcp_ecn.c) */
/* tcp_fastopen_add_skb: a Fast Open SYN-ACK's data (and FIN) go straight
 * to the receive queue; not a data event (no window growth, no quick-ACK
 * or ato update, no rcv_mss sample). */
void tcp_fastopen_add_skb(struct sock *sk, const struct tcp_seg *seg)
{
	uint32_t end_seq = seg->seq + 1 + seg->len;

	if (seg->flags & TCPHDR_FIN)
		end_seq++;
	if (end_seq == sk->rcv_nxt)
		return;
	if (seg->len &&
	    rbuf_append(sk, seg->data, seg->len, tcp_rx_truesize(seg)))
		return;
	sk->rcv_nxt = end_seq;
	sk->bytes_received = seg->len;
	if (seg->flags & TCPHDR_FIN)
		tcp_fin(sk);
	sk_wake(sk);
}

static void tcp_data_queue(struct sock *sk, struct tcp_seg *seg)
{
	TRACE_CALL(sk);
	tcp_ecn_accept_cwr(sk, seg);
	if (seg->seq == seg->end_seq)
		return;
	if (seg->len)
		tcp_data_ecn_check(sk, seg);
	if (seg->seq == sk->rcv_nxt) {
		if (tcp_receive_window(sk) == 0) {
			if (seg->len == 0 && (seg->flags & TCPHDR_FIN))
				goto queue;
			goto out_of_window;
		}
queue:
		if (rbuf_append(sk, seg->data, seg->len, tcp_rx_truesize(seg)))
			return;
		sk->rcv_nxt = seg->end_seq;
		sk->bytes_received += seg->len;
		if (seg->len) {
			tcp_event_data_recv(sk, seg);
			if (seg->flags & TCPHDR_PSH)
				sk->rcv_psh = true;
		}
		if (seg->flags & TCPHDR_FIN)
			tcp_fin(sk);
		if (sk->ofo.head) {
			tcp_ofo_queue(sk);
			if (!sk->ofo.head)
				sk->ack_pending |= ICSK_ACK_NOW;
		}
		if (sk->num_sacks)
			tcp_sack_remove(sk);
		sk_wake(sk);
		return;
	}
	if (!after(seg->end_seq, sk->rcv_nxt)) {
		/* a retransmission of data we have: ACK now, with DSACK
		 * (tcp_rcv_spurious_retrans first) */
		tcp_ecn_rcv_spurious_retrans(sk, seg);
		tcp_dsack_set(sk, seg->seq, seg->end_seq);
out_of_window:
		tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
		sk->ack_pending |= ICSK_ACK_SCHED;
		return;
	}
	if (!before(seg->seq, sk->rcv_nxt + tcp_receive_window(sk)))
		goto out_of_window;
	if (before(seg->seq, sk->rcv_nxt)) {
		/* partial overlap: keep the new part */
		uint32_t skip = sk->rcv_nxt - seg->seq;
		tcp_dsack_set(sk, seg->seq, sk->rcv_nxt);
		if (!tcp_receive_window(sk))
			goto out_of_window;
		seg->data += skip;
		seg->len -= skip;
		seg->seq = sk->rcv_nxt;
		goto queue;
	}
	tcp_data_queue_ofo(sk, seg);
}

/* __tcp_ack_snd_check */
static void tcp_ack_snd_check(struct sock *sk)
{
	TRACE_CALL_AS(sk, "__tcp_ack_snd_check");
	if (!(sk->ack_pending & ICSK_ACK_SCHED))
		return;
	if ((sk->rcv_nxt - sk->rcv_wup > sk->rcv_mss &&
	     (__tcp_select_window(sk) >= sk->rcv_wnd ||
	      tcp_inq(sk) < (uint32_t)sk->sk_rcvlowat)) ||
	    tcp_in_quickack_mode(sk) || (sk->ack_pending & ICSK_ACK_NOW)) {
		tcp_send_ack(sk);
		return;
	}
	tcp_send_delayed_ack(sk);
}

/* ------------------------------------------------------------ sender side */

/* tcp_check_space / tcp_new_space */
void tcp_check_space(struct sock *sk)
{
	TRACE_CALL(sk);
	TRACE_VALUES(sk, "SOCK_NOSPACE=%d%s", sk->nospace, sk->nospace ? "" :
		     "; no writer waits: nothing to do");
	if (sk->nospace) {
		TRACE_CALL_AS(sk, "tcp_new_space");
		/* tcp_should_expand_sndbuf: not locked, cwnd not filled */
		if (!sk->sndbuf_lock &&
		    tcp_packets_in_flight(sk) < sk->snd_cwnd)
			tcp_sndbuf_expand(sk);
		sk_stream_write_space(sk);
		if (!sk->nospace)
			tcp_chrono_stop(sk, TCP_CHRONO_SNDBUF_LIMITED);
	}
}

static void tcp_data_snd_check(struct sock *sk)
{
	TRACE_CALL(sk);
	tcp_push_pending_frames(sk);
	tcp_check_space(sk);
}

/* tcp_init_undo: a recovery episode starts; what it undoes is measured
 * from snd_una. Retransmissions still in flight may be DSACKed later, so
 * they count as not yet proven spurious; -1 says none were made. */
static void tcp_init_undo(struct sock *sk)
{
	sk->undo_marker = sk->snd_una;
	sk->undo_retrans = sk->retrans_out ? (int)sk->retrans_out : -1;
}

static void tcp_set_ca_state(struct sock *sk, int st)
{
	if (sk->ca_state != st)
		nds_tracef(sk->ns, "fd %d ca_state %d -> %d cwnd %u ssthresh %u",
			   sk->fd, sk->ca_state, st, sk->snd_cwnd,
			   sk->snd_ssthresh);
	sk->ca_state = st;
}

/* tcp_init_cwnd_reduction: PRR (RFC 6937) starts from the current cwnd
 * toward the congestion control's ssthresh */
static void tcp_init_cwnd_reduction(struct sock *sk)
{
	sk->high_seq = sk->snd_nxt;
	sk->tlp_high_seq = 0;
	sk->snd_cwnd_cnt = 0;
	sk->prior_cwnd = sk->snd_cwnd;
	sk->prr_delivered = 0;
	sk->prr_out = 0;
	sk->snd_ssthresh = tcp_ca_ssthresh(sk);
	if (tcp_ecn_mode_rfc3168(sk))	/* tcp_ecn_queue_cwr */
		sk->ecn_flags |= TCP_ECN_QUEUE_CWR;
}

/* tcp_enter_recovery: fast recovery; an ECE-driven entry may not be
 * undone (prior_ssthresh 0) */
void tcp_enter_recovery(struct sock *sk, bool ece_ack)
{
	TRACE_CALL(sk);
	nds_mib_inc(sk->ns, sk->sack_ok ? MIB_TCP_SACK_RECOVERY :
		    MIB_TCP_RENO_RECOVERY);
	sk->prior_ssthresh = 0;
	tcp_init_undo(sk);
	if (!tcp_in_cwnd_reduction(sk)) {
		if (!ece_ack)
			sk->prior_ssthresh = tcp_current_ssthresh(sk);
		tcp_init_cwnd_reduction(sk);
	}
	tcp_set_ca_state(sk, TCP_CA_Recovery);
}

/* tcp_mark_skb_lost: a retransmission found lost again becomes
 * retransmittable (it stays LOST, leaves retrans_out) */
void tcp_mark_skb_lost(struct sock *sk, struct sk_buff *skb)
{
	TRACE_CALL(sk);
	if (skb->sacked & TCPCB_SACKED_ACKED)
		return;
	if (skb->sacked & TCPCB_LOST) {
		if (skb->sacked & TCPCB_SACKED_RETRANS) {
			skb->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
			sk->retrans_out -= skb->pcount;
			sk->lost += skb->pcount;
		}
		return;
	}
	skb->sacked |= TCPCB_LOST;
	sk->lost_out += skb->pcount;
	sk->lost += skb->pcount;
	TRACE_VALUES(sk, "skb=+%u:+%u lost_out=%u; marked lost",
		     skb->seq - sk->iss, skb->end_seq - sk->iss, sk->lost_out);
}

/* Mark the first segment of the rtx queue lost, splitting a multi-segment
 * skb so that exactly one MSS is marked (tcp_newreno_mark_lost). */
void tcp_mark_lost_head(struct sock *sk)
{
	struct sk_buff *skb = sk->rtx_queue.head;
	uint32_t mss;

	if (!skb || (skb->sacked & TCPCB_LOST))
		return;
	mss = skb->pcount_mss ? skb->pcount_mss : sk->mss_cache;
	if (skb->pcount > 1 && skb->len > mss)
		tcp_fragment(sk, &sk->rtx_queue, skb, mss);
	tcp_mark_skb_lost(sk, skb);
}

/* tcp_timeout_mark_lost: at an RTO everything not SACKed is lost, except
 * (RACK) what was sent less than an RTT ago, the head aside. If the head
 * was SACKed the receiver reneged: its SACKs are forgotten. */
static void tcp_timeout_mark_lost(struct sock *sk)
{
	struct sk_buff *head = sk->rtx_queue.head;
	bool is_reneg = head && (head->sacked & TCPCB_SACKED_ACKED);

	if (is_reneg) {
		nds_mib_inc(sk->ns, MIB_TCP_SACK_RENEGING);
		sk->sacked_out = 0;
	} else if (!sk->sack_ok)
		sk->sacked_out = 0;	/* tcp_reset_reno_sack */
	for (struct sk_buff *skb = head; skb; skb = skb->next) {
		if (is_reneg)
			skb->sacked &= (uint8_t)~TCPCB_SACKED_ACKED;
		else if (skb != head && (int64_t)sk->rack.rtt_us -
			 (sk->ns->now - skb->tstamp) > 0)
			continue;	/* tcp_rack_skb_timeout > 0 */
		tcp_mark_skb_lost(sk, skb);
	}
}

/* tcp_enter_loss: the RTO fired. ssthresh is reduced once per window
 * (the values before are kept for an undo), cwnd restarts at one
 * segment, everything outstanding is lost, and F-RTO (RFC 5682,
 * tcp_frto) watches the next ACKs for a spurious timeout: on a new
 * episode, or on repeated timeouts of the same snd_una. */
void tcp_enter_loss(struct sock *sk)
{
	bool new_recovery = sk->ca_state < TCP_CA_Recovery;
	uint32_t reordering = (uint32_t)sk->ns->sysctl.tcp_reordering;
	TRACE_CALL(sk);

	tcp_timeout_mark_lost(sk);
	if (sk->ca_state <= TCP_CA_Disorder ||
	    !after(sk->high_seq, sk->snd_una) ||
	    (sk->ca_state == TCP_CA_Loss && !sk->retransmits)) {
		sk->prior_ssthresh = tcp_current_ssthresh(sk);
		sk->prior_cwnd = sk->snd_cwnd;
		sk->snd_ssthresh = tcp_ca_ssthresh(sk);
		tcp_ca_event_loss(sk);
		tcp_init_undo(sk);
	}
	sk->snd_cwnd = tcp_packets_in_flight(sk) + 1;
	sk->snd_cwnd_cnt = 0;
	sk->snd_cwnd_stamp = sk->ns->now;
	/* a timeout after many dupACKs: reordering was overestimated */
	if (sk->ca_state <= TCP_CA_Disorder && sk->sacked_out >= reordering &&
	    sk->reordering > reordering)
		sk->reordering = reordering;
	if (sk->ca_state != TCP_CA_Loss)
		nds_tracef(sk->ns, "fd %d enter Loss cwnd %u ssthresh %u",
			   sk->fd, sk->snd_cwnd, sk->snd_ssthresh);
	tcp_set_ca_state(sk, TCP_CA_Loss);
	sk->high_seq = sk->snd_nxt;
	sk->tlp_high_seq = 0;
	if (tcp_ecn_mode_rfc3168(sk))	/* tcp_ecn_queue_cwr */
		sk->ecn_flags |= TCP_ECN_QUEUE_CWR;
	/* RFC 5682 3.1 step 1 (3.2: repeated timeouts) */
	sk->frto = sk->ns->sysctl.tcp_frto &&
		   (new_recovery || sk->retransmits);
	TRACE_VALUES(sk, "frto=%d undo_marker=+%u prior_ssthresh=%u "
		     "lost_out=%u", sk->frto, sk->undo_marker ?
		     sk->undo_marker - sk->iss : 0, sk->prior_ssthresh,
		     sk->lost_out);
}

/* tcp_limit_reno_sacked: without SACK, dupACKs never count more
 * segments as delivered than packets_out less the holes; true if they
 * had to be cut */
static bool tcp_limit_reno_sacked(struct sock *sk)
{
	uint32_t holes = sk->lost_out > 1 ? sk->lost_out : 1;

	if (holes > sk->packets_out)
		holes = sk->packets_out;
	if (sk->sacked_out + holes > sk->packets_out) {
		sk->sacked_out = sk->packets_out - holes;
		return true;
	}
	return false;
}

/* tcp_check_reno_reordering: more dupACKs than segments out can only be
 * reordering (or a broken receiver): raise the reordering degree */
static void tcp_check_reno_reordering(struct sock *sk, uint32_t addend)
{
	uint32_t r, max = (uint32_t)sk->ns->sysctl.tcp_max_reordering;

	if (!tcp_limit_reno_sacked(sk))
		return;
	r = sk->packets_out + addend;
	sk->reordering = r < max ? r : max;
	sk->reord_seen++;
}

/* tcp_add_reno_sack: without SACK each dupACK counts as one segment
 * having left the network */
static void tcp_add_reno_sack(struct sock *sk, uint32_t num_dupack)
{
	uint32_t prior = sk->sacked_out;

	if (!num_dupack)
		return;
	sk->sacked_out += num_dupack;
	tcp_check_reno_reordering(sk, 0);
	if (sk->sacked_out > prior)
		sk->delivered += sk->sacked_out - prior;
}

/* tcp_remove_reno_sacks: a cumulative ACK consumes the counted dupACKs */
static void tcp_remove_reno_sacks(struct sock *sk, uint32_t acked)
{
	if (!acked)
		return;
	/* one ACK filled the hole; the rest were already counted as dupACKs */
	sk->delivered += acked > sk->sacked_out ? acked - sk->sacked_out : 1;
	if (acked - 1 >= sk->sacked_out)
		sk->sacked_out = 0;
	else
		sk->sacked_out -= acked - 1;
	tcp_check_reno_reordering(sk, acked);
}

/* tcp_highest_sack_seq: end of the highest SACKed segment (or snd_una) */
static uint32_t tcp_highest_sack_seq(const struct sock *sk)
{
	uint32_t fack = sk->snd_una;

	for (struct sk_buff *s = sk->rtx_queue.head; s; s = s->next)
		if ((s->sacked & TCPCB_SACKED_ACKED) && after(s->end_seq, fack))
			fack = s->end_seq;
	return fack;
}

/* tcp_check_sack_reordering: a never-retransmitted segment below the
 * highest SACK was delivered late: raise the reordering estimate. */
static void tcp_check_sack_reordering(struct sock *sk, uint32_t low_seq,
				      uint32_t fack)
{
	uint32_t mss = sk->mss_cache, metric;

	if (!before(low_seq, fack))
		return;
	metric = fack - low_seq;
	if (mss && metric > sk->reordering * mss) {
		uint32_t r = (metric + mss - 1) / mss;
		uint32_t max = (uint32_t)sk->ns->sysctl.tcp_max_reordering;
		sk->reordering = r < max ? r : max;
	}
	sk->reord_seen++;
	sk->rack.reord = true;
}

/* tcp_rate_skb_delivered, the part RACK uses: remember tx_delivered of
 * the most recently sent skb this ACK delivers; a SACKed skb counts once */
static void tcp_rate_skb_delivered(struct sock *sk, struct sk_buff *skb)
{
	if (skb->tx_rate_done)
		return;
	if (!sk->rs_prior_delivered || skb->tstamp > sk->rs_tstamp ||
	    (skb->tstamp == sk->rs_tstamp && skb->tx_order > sk->rs_order)) {
		sk->rs_prior_delivered = skb->tx_delivered;
		sk->rs_tstamp = skb->tstamp;
		sk->rs_order = skb->tx_order;
	}
	if (skb->sacked & TCPCB_SACKED_ACKED)
		skb->tx_rate_done = true;
}

/* tcp_dsack_seen: the peer reports a duplicate. A DSACK wider than the
 * largest window, or reporting more duplicates than were ever
 * retransmitted, is dubious and ignored (0); otherwise the duplicate
 * counts as delivered. A one-segment DSACK ending at tlp_high_seq
 * reports a loss probe (FLAG_DSACK_TLP). */
static uint32_t tcp_dsack_seen(struct sock *sk, uint32_t start_seq,
			       uint32_t end_seq, int *flag)
{
	uint32_t seq_len, dup_segs = 1;

	if (!before(start_seq, end_seq))
		return 0;
	seq_len = end_seq - start_seq;
	if (seq_len > sk->max_window)
		return 0;
	if (seq_len > sk->mss_cache && sk->mss_cache)
		dup_segs = (seq_len + sk->mss_cache - 1) / sk->mss_cache;
	else if (sk->tlp_high_seq && sk->tlp_high_seq == end_seq)
		*flag |= FLAG_DSACK_TLP;
	sk->dsack_dups += dup_segs;
	if (sk->dsack_dups > sk->total_retrans)
		return 0;
	/* RACK grows its reordering window in rounds with DSACKs that
	 * reordering may have caused (not those of a loss probe) */
	if (sk->reord_seen && !(*flag & FLAG_DSACK_TLP))
		sk->rack.dsack_seen = true;
	*flag |= FLAG_DSACKING_ACK;
	sk->delivered += dup_segs;	/* a spurious retransmission arrived */
	return dup_segs;
}

/* tcp_check_dsack: is the first SACK block a DSACK (RFC 2883: below the
 * cumulative ACK, or inside the second block)? A DSACK below snd_una
 * for data sent since undo_marker takes its duplicates off undo_retrans
 * here; one above snd_una is matched with the queue by the caller. */
static bool tcp_check_dsack(struct sock *sk, const struct tcp_seg *seg,
			    uint32_t prior_snd_una, int *flag)
{
	uint32_t s0 = seg->sacks[0].start_seq, e0 = seg->sacks[0].end_seq;
	uint32_t dup_segs;

	if (before(s0, seg->ack_seq)) {
		nds_mib_inc(sk->ns, MIB_TCP_DSACK_RECV);
	} else if (seg->num_sacks > 1) {
		if (after(e0, seg->sacks[1].end_seq) ||
		    before(s0, seg->sacks[1].start_seq))
			return false;
		nds_mib_inc(sk->ns, MIB_TCP_DSACK_OFO_RECV);
	} else {
		return false;
	}
	dup_segs = tcp_dsack_seen(sk, s0, e0, flag);
	if (!dup_segs) {
		nds_mib_inc(sk->ns, MIB_TCP_DSACK_IGNORED_DUBIOUS);
		return false;
	}
	nds_mib_add(sk->ns, MIB_TCP_DSACK_RECV_SEGS, dup_segs);
	if (sk->undo_marker && sk->undo_retrans > 0 &&
	    !after(e0, prior_snd_una) && after(e0, sk->undo_marker)) {
		sk->undo_retrans -= (int)dup_segs;
		if (sk->undo_retrans < 0)
			sk->undo_retrans = 0;
	}
	TRACE_VALUES(sk, "dsack=+%u:+%u dup_segs=%u undo_retrans=%d",
		     s0 - sk->iss, e0 - sk->iss, dup_segs, sk->undo_retrans);
	return true;
}

/* tcp_is_sackblock_valid: inside (snd_una, snd_nxt]; a DSACK may also
 * lie below snd_una, down to undo_marker (by at most a window across
 * it) */
static bool tcp_is_sackblock_valid(const struct sock *sk, bool is_dsack,
				   uint32_t start_seq, uint32_t end_seq)
{
	if (after(end_seq, sk->snd_nxt) || !before(start_seq, end_seq))
		return false;
	if (!before(start_seq, sk->snd_nxt))
		return false;
	if (after(start_seq, sk->snd_una))
		return true;
	if (!is_dsack || !sk->undo_marker)
		return false;
	if (after(end_seq, sk->snd_una))
		return false;
	if (!before(start_seq, sk->undo_marker))
		return true;
	if (!after(end_seq, sk->undo_marker))
		return false;
	return !before(start_seq, end_seq - sk->max_window);
}

/* tcp_sacktag_one: tag one skb as SACKed (tcp_sacktag_one's state
 * machine: L -> S, L|R -> S, R stays in flight as S|R); dup_sack: it was
 * DSACKed, so a retransmission of it was spurious (undo_retrans) and is
 * no longer in flight. */
static void tcp_sacktag_one(struct sock *sk, struct sk_buff *skb,
			    bool dup_sack, uint32_t *reord, uint32_t prior_fack,
			    int *flag)
{
	uint8_t sacked = skb->sacked;
	uint32_t pcount = (uint32_t)skb->pcount;

	if (dup_sack && (sacked & TCPCB_RETRANS)) {
		if (sk->undo_marker && sk->undo_retrans > 0 &&
		    after(skb->end_seq, sk->undo_marker)) {
			sk->undo_retrans -= (int)pcount;
			if (sk->undo_retrans < 0)
				sk->undo_retrans = 0;
		}
		if ((sacked & TCPCB_SACKED_ACKED) && before(skb->seq, *reord))
			*reord = skb->seq;
	}
	if (!after(skb->end_seq, sk->snd_una))
		return;
	if (!(sacked & TCPCB_SACKED_ACKED)) {
		tcp_rack_advance(sk, sacked, skb->end_seq, skb->tstamp,
				 skb->tx_order);
		if (sacked & TCPCB_SACKED_RETRANS) {
			/* a retransmission not marked lost is believed
			 * still in flight */
			if (sacked & TCPCB_LOST) {
				sacked &= (uint8_t)~(TCPCB_LOST |
						     TCPCB_SACKED_RETRANS);
				sk->lost_out -= pcount;
				sk->retrans_out -= pcount;
			}
		} else {
			if (!(sacked & TCPCB_RETRANS)) {
				/* a never retransmitted segment in a hole:
				 * reordering */
				if (before(skb->seq, prior_fack) &&
				    before(skb->seq, *reord))
					*reord = skb->seq;
				if (!after(skb->end_seq, sk->high_seq))
					*flag |= FLAG_ORIG_SACK_ACKED;
			}
			if (sacked & TCPCB_LOST) {
				sacked &= (uint8_t)~TCPCB_LOST;
				sk->lost_out -= pcount;
			}
		}
		sacked |= TCPCB_SACKED_ACKED;
		*flag |= FLAG_DATA_SACKED;
		sk->sacked_out += pcount;
		sk->delivered += pcount;
	}
	if (dup_sack && (sacked & TCPCB_SACKED_RETRANS)) {
		sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
		sk->retrans_out -= pcount;
	}
	skb->sacked = sacked;
}

/* tcp_sacktag_walk: tag the skbs inside [s, e). A multi-segment skb the
 * block covers only in part is split at its own mss (tcp_skb_mss) as
 * tcp_match_skb_to_sack does, so that only whole segments count as
 * SACKed: a block starting inside it splits it at the first segment
 * boundary at or past the start (at least one mss in), a block ending
 * inside it at the last boundary before the end (nothing if that is
 * less than one mss). */
static void tcp_sacktag_walk(struct sock *sk, uint32_t s, uint32_t e,
			     bool dup_sack, uint32_t *reord,
			     uint32_t prior_fack, int *flag)
{
	for (struct sk_buff *skb = sk->rtx_queue.head; skb; skb = skb->next) {
		uint32_t mss, cut;

		if (!before(skb->seq, e))
			break;
		if (!after(skb->end_seq, s))
			continue;
		if ((skb->sacked & TCPCB_SACKED_ACKED) && !dup_sack)
			continue;
		if (!before(skb->seq, s) && !after(skb->end_seq, e)) {
			tcp_sacktag_one(sk, skb, dup_sack, reord, prior_fack,
					flag);
			continue;
		}
		if (tcp_skb_pcount(sk, skb) <= 1)
			continue;	/* in part only: not SACKed */
		mss = skb->pcount_mss ? skb->pcount_mss : sk->mss_cache;
		if (before(skb->seq, s)) {
			cut = s - skb->seq;
			if (cut < mss)
				cut = mss;
			else
				cut = rounddown_u32(cut + mss - 1, mss);
			if (cut < skb->len)
				tcp_fragment(sk, &sk->rtx_queue, skb, cut);
			continue;	/* the next round takes the tail */
		}
		cut = e - skb->seq;
		if (cut < mss)
			continue;
		cut = rounddown_u32(cut, mss);
		if (tcp_fragment(sk, &sk->rtx_queue, skb, cut))
			continue;
		tcp_sacktag_one(sk, skb, dup_sack, reord, prior_fack, flag);
		tcp_rate_skb_delivered(sk, skb);
	}
}

/* tcp_sacktag_write_queue: a DSACK first (tcp_check_dsack), then the
 * valid SACK blocks tag the rtx queue. */
static int tcp_sacktag_write_queue(struct sock *sk, struct tcp_seg *seg,
				   uint32_t prior_snd_una)
{
	int flag = 0;
	uint32_t prior_fack = tcp_highest_sack_seq(sk);
	uint32_t reord = sk->snd_nxt;
	bool found_dup_sack;

	found_dup_sack = tcp_check_dsack(sk, seg, prior_snd_una, &flag);
	/* too old an ACK: only its DSACK counts */
	if (before(seg->ack_seq, prior_snd_una - sk->max_window))
		return flag;
	if (!sk->packets_out)
		return flag;
	for (int i = 0; i < seg->num_sacks; i++) {
		uint32_t s = seg->sacks[i].start_seq, e = seg->sacks[i].end_seq;
		bool dup_sack = !i && found_dup_sack;

		if (!tcp_is_sackblock_valid(sk, dup_sack, s, e)) {
			if (dup_sack)
				nds_mib_inc(sk->ns, sk->undo_marker ?
					    MIB_TCP_DSACK_IGNORED_OLD :
					    MIB_TCP_DSACK_IGNORED_NO_UNDO);
			continue;
		}
		if (!after(e, prior_snd_una))
			continue;	/* very old */
		tcp_sacktag_walk(sk, s, e, dup_sack, &reord, prior_fack, &flag);
	}
	if (sk->ca_state != TCP_CA_Loss || sk->undo_marker)
		if (before(reord, prior_fack))
			tcp_check_sack_reordering(sk, reord, prior_fack);
	return flag;
}

/* tcp_clean_rtx_queue: free what the cumulative ACK covers. */
static int tcp_clean_rtx_queue(struct sock *sk, const struct tcp_seg *seg,
			       uint32_t prior_fack, uint32_t *acked_pcount,
			       int64_t *seq_rtt, int64_t *ca_rtt)
{
	int flag = 0;
	int64_t first_ackt = -1, last_ackt = -1;
	struct sk_buff *skb;
	uint32_t reord = sk->snd_nxt;
	TRACE_CALL(sk);

	while ((skb = sk->rtx_queue.head)) {
		uint32_t acked_pkts;

		if (after(skb->end_seq, sk->snd_una)) {
			/* partial ACK: trim acked bytes (tcp_trim_head) */
			if (skb->pcount <= 1 || !after(sk->snd_una, skb->seq))
				break;
			uint32_t trim = sk->snd_una - skb->seq;
			int old = skb->pcount;
			if (skb->tcp_flags & TCPHDR_SYN) {
				trim--;
				skb->tcp_flags &= (uint8_t)~TCPHDR_SYN;
			}
			if (trim > skb->len)
				break;
			memmove(skb->data, skb->data + trim, skb->len - trim);
			skb->len -= trim;
			skb->seq = sk->snd_una;
			skb->truesize -= trim;
			sk->sk_wmem_queued -= (int)trim;
			TRACE_VALUES(sk, "skb=+%u:+%u trimmed=%u "
				     "sk_wmem_queued=%d; partly acked: "
				     "tcp_trim_head", skb->seq - sk->iss,
				     skb->end_seq - sk->iss, trim,
				     sk->sk_wmem_queued);
			tcp_skb_pcount(sk, skb);
			skb->pcount = 0;
			tcp_skb_pcount(sk, skb);
			acked_pkts = (uint32_t)(old - skb->pcount);
			tcp_rate_skb_delivered(sk, skb);
			sk->packets_out -= acked_pkts;
			if (skb->sacked & TCPCB_LOST)
				sk->lost_out -= acked_pkts;
			if (skb->sacked & TCPCB_SACKED_RETRANS)
				sk->retrans_out -= acked_pkts;
			*acked_pcount += acked_pkts;
			if (sk->sack_ok)
				sk->delivered += acked_pkts;
			flag |= FLAG_DATA_ACKED;
			if (!(skb->sacked & TCPCB_EVER_RETRANS)) {
				if (first_ackt < 0)
					first_ackt = skb->tstamp;
				last_ackt = skb->tstamp;
				if (!after(skb->end_seq, sk->high_seq))
					flag |= FLAG_ORIG_SACK_ACKED;
			} else {
				flag |= FLAG_RETRANS_DATA_ACKED;
			}
			break;
		}
		acked_pkts = (uint32_t)(skb->pcount ? skb->pcount : 1);
		if (skb->sacked & TCPCB_SACKED_RETRANS)
			sk->retrans_out -= acked_pkts;
		if (skb->sacked & TCPCB_LOST)
			sk->lost_out -= acked_pkts;
		if (skb->sacked & TCPCB_SACKED_ACKED) {
			sk->sacked_out -= acked_pkts;
		} else {
			if (sk->sack_ok)
				sk->delivered += acked_pkts;
			tcp_rack_advance(sk, skb->sacked, skb->end_seq,
					 skb->tstamp, skb->tx_order);
		}
		if (!(skb->sacked & TCPCB_EVER_RETRANS)) {
			if (!(skb->sacked & TCPCB_SACKED_ACKED)) {
				if (first_ackt < 0)
					first_ackt = skb->tstamp;
				last_ackt = skb->tstamp;
				if (before(skb->seq, reord))
					reord = skb->seq;
				if (!after(skb->end_seq, sk->high_seq))
					flag |= FLAG_ORIG_SACK_ACKED;
			}
		} else {
			flag |= FLAG_RETRANS_DATA_ACKED;
		}
		if (skb->tcp_flags & TCPHDR_SYN)
			flag |= FLAG_SYN_ACKED;
		else
			flag |= FLAG_DATA_ACKED;
		sk->packets_out -= acked_pkts;
		*acked_pcount += acked_pkts;
		tcp_rate_skb_delivered(sk, skb);
		skb_unlink(&sk->rtx_queue, skb);
		sk->sk_wmem_queued -= (int)skb->truesize;
		TRACE_VALUES(sk, "skb=+%u:+%u truesize=%u sk_wmem_queued=%d "
			     "packets_out=%u; acked: skb freed",
			     skb->seq - sk->iss, skb->end_seq - sk->iss,
			     skb->truesize, sk->sk_wmem_queued,
			     sk->packets_out);
		skb_free(skb);
	}
	/* seq_rtt times the oldest newly acked segment, for the RTO (RFC
	 * 6298), and only when no retransmitted one was acked (Karn); ca_rtt
	 * times the newest, the delay the ACK itself says most about, for
	 * min_rtt and congestion control (Linux's tcp_clean_rtx_queue) */
	if (first_ackt >= 0 && !(flag & FLAG_RETRANS_DATA_ACKED)) {
		*seq_rtt = sk->ns->now - first_ackt;
		*ca_rtt = sk->ns->now - last_ackt;
	} else if (first_ackt >= 0) {
		*ca_rtt = sk->ns->now - last_ackt;
	}
	if (flag & FLAG_ACKED) {
		tcp_chrono_stop(sk, TCP_CHRONO_BUSY);
		if (sk->mtup.probe_size &&
		    !after(sk->mtu_probe_seq_end, sk->snd_una))
			tcp_mtup_probe_success(sk);
	}
	/* the cumulative ACK stopped at data the peer had SACKed: it
	 * reneged (dropped its out-of-order queue) */
	if (sk->rtx_queue.head &&
	    (sk->rtx_queue.head->sacked & TCPCB_SACKED_ACKED))
		flag |= FLAG_SACK_RENEGING;
	if (sk->sack_ok && before(reord, prior_fack))
		tcp_check_sack_reordering(sk, reord, prior_fack);
	return flag;
}

/* tcp_cwnd_reduction: Proportional Rate Reduction (RFC 6937), as Linux
 * 5.19+ runs it: above ssthresh, the proportional part; at or below it,
 * PRR-SSRB for every ACK: send what was delivered (at least what this ACK
 * delivered), one more when snd_una advanced and this ACK marked nothing
 * newly lost, never past ssthresh. */
void tcp_cwnd_reduction(struct sock *sk, uint32_t newly_acked_sacked,
			uint32_t newly_lost, int flag)
{
	int64_t sndcnt = 0;
	int64_t delta = (int64_t)sk->snd_ssthresh -
			(int64_t)tcp_packets_in_flight(sk);

	if (!newly_acked_sacked || !sk->prior_cwnd)
		return;
	sk->prr_delivered += newly_acked_sacked;
	if (delta < 0) {
		uint64_t dividend = (uint64_t)sk->snd_ssthresh *
				    sk->prr_delivered + sk->prior_cwnd - 1;
		sndcnt = (int64_t)(dividend / sk->prior_cwnd) - sk->prr_out;
	} else {
		sndcnt = (int64_t)sk->prr_delivered - sk->prr_out;
		if (sndcnt < newly_acked_sacked)
			sndcnt = newly_acked_sacked;
		if ((flag & FLAG_SND_UNA_ADVANCED) && !newly_lost)
			sndcnt++;
		if (sndcnt > delta)
			sndcnt = delta;
	}
	if (sndcnt < (sk->prr_out ? 0 : 1))
		sndcnt = sk->prr_out ? 0 : 1;
	sk->snd_cwnd = tcp_packets_in_flight(sk) + (uint32_t)sndcnt;
}

/* tcp_end_cwnd_reduction: cwnd drops to ssthresh at the end of CWR, or of
 * a Recovery that was not undone (undo_marker still set) */
static void tcp_end_cwnd_reduction(struct sock *sk)
{
	if (sk->snd_ssthresh < TCP_INFINITE_SSTHRESH &&
	    (sk->ca_state == TCP_CA_CWR || sk->undo_marker)) {
		sk->snd_cwnd = sk->snd_ssthresh;
		sk->snd_cwnd_stamp = sk->ns->now;
	}
}

/* tcp_enter_cwr: an ECN echo: reduce cwnd once per window, with PRR; the
 * congestion is proven, so nothing of it can be undone */
static void tcp_enter_cwr(struct sock *sk)
{
	sk->prior_ssthresh = 0;
	if (sk->ca_state < TCP_CA_CWR) {
		sk->undo_marker = 0;
		tcp_init_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_CWR);
	}
}

/* ------------------------------------------------------------ undo */

/* tcp_any_retrans_done: a retransmission is in flight, or the head was
 * retransmitted (one whose transmission failed still counts) */
static bool tcp_any_retrans_done(const struct sock *sk)
{
	const struct sk_buff *head = sk->rtx_queue.head;

	return sk->retrans_out ||
	       (head && (head->sacked & TCPCB_EVER_RETRANS));
}

/* tcp_tsopt_ecr_before: the peer echoed a timestamp older than `when`
 * (a virtual-clock time), so what it acknowledges left before then */
static bool tcp_tsopt_ecr_before(const struct sock *sk,
				 const struct tcp_seg *seg, int64_t when)
{
	uint32_t ts = (uint32_t)(when / USEC_PER_MSEC) + sk->ts_off;

	return seg && seg->saw_tstamp && seg->tsecr &&
	       before(seg->tsecr, ts);
}

/* tcp_packet_delayed: the ACK echoes a timestamp from before the first
 * retransmission, or nothing was retransmitted at all: the "lost" data
 * was only delayed. retrans_stamp is 0 also where it was cleared after
 * retransmitting: a non-SACK recovery held at high_seq, and a SYN_SENT
 * socket whose SYN was acked. */
static bool tcp_packet_delayed(const struct sock *sk,
			       const struct tcp_seg *seg)
{
	if (sk->retrans_stamp)
		return tcp_tsopt_ecr_before(sk, seg, sk->retrans_stamp);
	if (!sk->sack_ok && !before(sk->snd_una, sk->high_seq))
		return false;
	if (sk->state == NDS_TCP_SYN_SENT)
		return false;
	return true;
}

/* tcp_may_undo: every retransmission was DSACKed, or the timestamps
 * show the originals arrived */
static bool tcp_may_undo(const struct sock *sk, const struct tcp_seg *seg)
{
	return sk->undo_marker &&
	       (!sk->undo_retrans || tcp_packet_delayed(sk, seg));
}

/* tcp_undo_cwnd_reduction: restore cwnd (the congestion control's
 * undo_cwnd: Reno's and CUBIC's max(cwnd, prior_cwnd)) and ssthresh as
 * they were before the episode; with unmark_loss, nothing stays lost */
static void tcp_undo_cwnd_reduction(struct sock *sk, bool unmark_loss,
				    const char *why)
{
	uint32_t cwnd = sk->snd_cwnd, ssthresh = sk->snd_ssthresh;

	if (unmark_loss) {
		for (struct sk_buff *s = sk->rtx_queue.head; s; s = s->next)
			s->sacked &= (uint8_t)~TCPCB_LOST;
		sk->lost_out = 0;
	}
	if (sk->prior_ssthresh) {
		sk->snd_cwnd = tcp_ca_undo_cwnd(sk);
		if (sk->prior_ssthresh > sk->snd_ssthresh) {
			sk->snd_ssthresh = sk->prior_ssthresh;
			/* tcp_ecn_withdraw_cwr */
			sk->ecn_flags &= (uint8_t)~TCP_ECN_QUEUE_CWR;
		}
	}
	sk->snd_cwnd_stamp = sk->ns->now;
	sk->undo_marker = 0;
	sk->rack.advanced = true;	/* RACK looks at the losses again */
	nds_tracef(sk->ns, "fd %d undo (%s): cwnd %u -> %u ssthresh %u -> %u",
		   sk->fd, why, cwnd, sk->snd_cwnd, ssthresh,
		   sk->snd_ssthresh);
}

/* tcp_is_non_sack_preventing_reopen: without SACK, the state is held
 * until something above high_seq is acknowledged (RFC 6582), or a
 * dupACK would start a false fast retransmit */
static bool tcp_is_non_sack_preventing_reopen(struct sock *sk)
{
	if (sk->snd_una == sk->high_seq && !sk->sack_ok) {
		if (!tcp_any_retrans_done(sk))
			sk->retrans_stamp = 0;
		return true;
	}
	return false;
}

/* tcp_try_undo_recovery: high_seq was reached; undo the whole episode if
 * it proved spurious (TCPFullUndo after fast recovery, TCPLossUndo after
 * an RTO). Returns true while a non-SACK connection holds the state. */
static bool tcp_try_undo_recovery(struct sock *sk, const struct tcp_seg *seg)
{
	if (tcp_may_undo(sk, seg)) {
		bool loss = sk->ca_state == TCP_CA_Loss;

		tcp_undo_cwnd_reduction(sk, false, loss ? "loss" :
					"recovery");
		nds_mib_inc(sk->ns, loss ? MIB_TCP_LOSS_UNDO :
			    MIB_TCP_FULL_UNDO);
	} else if (sk->rack.reo_wnd_persist) {
		sk->rack.reo_wnd_persist--;
	}
	if (tcp_is_non_sack_preventing_reopen(sk))
		return true;
	tcp_set_ca_state(sk, TCP_CA_Open);
	return false;
}

/* tcp_try_undo_dsack: DSACKs covered every retransmission (TCPDSACKUndo) */
static bool tcp_try_undo_dsack(struct sock *sk)
{
	if (sk->undo_marker && !sk->undo_retrans) {
		if (sk->rack.reo_wnd_persist < 16)
			sk->rack.reo_wnd_persist++;
		tcp_undo_cwnd_reduction(sk, false, "DSACK");
		nds_mib_inc(sk->ns, MIB_TCP_DSACK_UNDO);
		return true;
	}
	return false;
}

/* tcp_try_undo_loss: in Loss, on a partial ACK or when F-RTO found the
 * RTO spurious (frto_undo: TCPSpuriousRTOs too) */
static bool tcp_try_undo_loss(struct sock *sk, const struct tcp_seg *seg,
			      bool frto_undo)
{
	if (!frto_undo && !tcp_may_undo(sk, seg))
		return false;
	tcp_undo_cwnd_reduction(sk, true, frto_undo ? "F-RTO spurious RTO" :
				"partial loss");
	nds_mib_inc(sk->ns, MIB_TCP_LOSS_UNDO);
	if (frto_undo)
		nds_mib_inc(sk->ns, MIB_TCP_SPURIOUS_RTOS);
	sk->retransmits = 0;
	if (tcp_is_non_sack_preventing_reopen(sk))
		return true;
	if (frto_undo || sk->sack_ok)
		tcp_set_ca_state(sk, TCP_CA_Open);
	return true;
}

static void tcp_try_keep_open(struct sock *sk)
{
	int state = TCP_CA_Open;

	if (sk->sacked_out || sk->lost_out || tcp_any_retrans_done(sk))
		state = TCP_CA_Disorder;
	if (sk->ca_state != state) {
		tcp_set_ca_state(sk, state);
		sk->high_seq = sk->snd_nxt;
	}
}

static void tcp_try_to_open(struct sock *sk, int flag)
{
	if (!tcp_any_retrans_done(sk))
		sk->retrans_stamp = 0;
	if (flag & FLAG_ECE)
		tcp_enter_cwr(sk);
	if (sk->ca_state != TCP_CA_CWR)
		tcp_try_keep_open(sk);
}

/* tcp_try_undo_partial: a partial ACK in Recovery filled the hole with
 * the original (timestamps say so): that was reordering. With
 * retransmissions still out, hold (send new data, mark nothing more
 * lost); with none, undo (TCPPartialUndo). */
static bool tcp_try_undo_partial(struct sock *sk, const struct tcp_seg *seg,
				 uint32_t prior_snd_una)
{
	if (sk->undo_marker && tcp_packet_delayed(sk, seg)) {
		tcp_check_sack_reordering(sk, prior_snd_una,
					  tcp_highest_sack_seq(sk));
		if (sk->retrans_out)
			return true;
		if (!tcp_any_retrans_done(sk))
			sk->retrans_stamp = 0;
		tcp_undo_cwnd_reduction(sk, true, "partial recovery");
		nds_mib_inc(sk->ns, MIB_TCP_PARTIAL_UNDO);
		tcp_try_keep_open(sk);
	}
	return false;
}

/* tcp_identify_packet_loss: NewReno's head marking without SACK, RACK
 * with it; a retransmission found lost again is FLAG_LOST_RETRANS */
static void tcp_identify_packet_loss(struct sock *sk, int *ack_flag,
				     bool *rack_timer)
{
	if (!sk->rtx_queue.head)
		return;
	if (!sk->sack_ok) {
		if ((sk->ca_state < TCP_CA_Recovery &&
		     sk->sacked_out >= sk->reordering) ||
		    (sk->ca_state == TCP_CA_Recovery &&
		     (*ack_flag & FLAG_SND_UNA_ADVANCED)))
			tcp_mark_lost_head(sk);
	} else {
		uint32_t prior_retrans = sk->retrans_out;

		if (tcp_rack_mark_lost(sk))
			*rack_timer = true;
		if (prior_retrans > sk->retrans_out)
			*ack_flag |= FLAG_LOST_RETRANS;
	}
}

static void tcp_update_rto_time(struct sock *sk)
{
	if (sk->rto_stamp) {
		sk->total_rto_time += (uint32_t)((sk->ns->now -
						  sk->rto_stamp) /
						 USEC_PER_MSEC);
		sk->rto_stamp = 0;
	}
}

/* tcp_process_loss: an ACK in Loss. Undo when the RTO proves spurious
 * (timestamps, DSACKs, or F-RTO: RFC 5682 3.1, the SACK-enhanced
 * version), go back to Open once high_seq is acknowledged, else resend
 * what is lost. */
static void tcp_process_loss(struct sock *sk, const struct tcp_seg *seg,
			     int flag, int num_dupack, int *rexmit)
{
	bool recovered = !before(sk->snd_una, sk->high_seq);

	if (((flag & FLAG_SND_UNA_ADVANCED) ||
	     (sk->tfo_child && sk->state == NDS_TCP_SYN_RECV)) &&
	    tcp_try_undo_loss(sk, seg, false))
		return;
	if (sk->frto) {
		/* 3.b: never-retransmitted data was (S)ACKed: not all of
		 * the window was lost, the RTO was spurious */
		if ((flag & FLAG_ORIG_SACK_ACKED) &&
		    tcp_try_undo_loss(sk, seg, true))
			return;
		if (after(sk->snd_nxt, sk->high_seq)) {
			/* 3.a: new data went out and the hole persists */
			if ((flag & FLAG_DATA_SACKED) || num_dupack) {
				sk->frto = false;
				nds_tracef(sk->ns, "fd %d F-RTO: the loss was "
					   "real", sk->fd);
			}
		} else if ((flag & FLAG_SND_UNA_ADVANCED) && !recovered) {
			sk->high_seq = sk->snd_nxt;
			/* 2.b: send new data (after tcp_ack updated cwnd);
			 * if there is none, conventional recovery */
			if (!tcp_write_queue_empty(sk) &&
			    after(tcp_wnd_end(sk), sk->snd_nxt)) {
				*rexmit = REXMIT_NEW;
				return;
			}
			sk->frto = false;
		}
	}
	if (recovered) {
		/* 2.a and the first part of 3.a */
		tcp_try_undo_recovery(sk, seg);
		return;
	}
	if (!sk->sack_ok) {
		/* a dupACK tells that F-RTO's new data arrived */
		if (after(sk->snd_nxt, sk->high_seq) && num_dupack)
			tcp_add_reno_sack(sk, (uint32_t)num_dupack);
		else if (flag & FLAG_SND_UNA_ADVANCED)
			sk->sacked_out = 0;	/* tcp_reset_reno_sack */
	}
	*rexmit = REXMIT_LOST;
}

/* tcp_fastretrans_alert: the congestion state machine for a dubious ACK
 * (a dupACK, SACK, ECE, or any ACK outside Open): leave a state once
 * high_seq is acknowledged, try every undo, detect losses (RACK, or
 * NewReno without SACK), enter Recovery. Sets *rexmit for
 * tcp_xmit_recovery; cwnd itself is set later (tcp_cong_control). */
static void tcp_fastretrans_alert(struct sock *sk, const struct tcp_seg *seg,
				  uint32_t prior_snd_una, int num_dupack,
				  int *ack_flag, int *rexmit, bool *rack_timer)
{
	int flag = *ack_flag;
	bool ece_ack = flag & FLAG_ECE;
	TRACE_CALL(sk);
	TRACE_VALUES(sk, "icsk_ca_state=%d num_dupack=%d sacked_out=%u "
		     "lost_out=%u retrans_out=%u undo_marker=+%u "
		     "undo_retrans=%d", sk->ca_state, num_dupack,
		     sk->sacked_out, sk->lost_out, sk->retrans_out,
		     sk->undo_marker ? sk->undo_marker - sk->iss : 0,
		     sk->undo_retrans);

	if (!sk->packets_out && sk->sacked_out)
		sk->sacked_out = 0;
	/* A: an ECE forbids undoing the reduction */
	if (ece_ack)
		sk->prior_ssthresh = 0;
	/* B: tcp_check_sack_reneging: the peer may only be slow to send
	 * the ACKs that restore its SACKs; give it max(srtt/2, 10 ms),
	 * then the RTO forgets them (tcp_timeout_mark_lost) */
	if ((flag & FLAG_SACK_RENEGING) && (flag & FLAG_SND_UNA_ADVANCED)) {
		int64_t delay = (int64_t)(sk->srtt_us >> 4);

		if (delay < 10 * USEC_PER_MSEC)
			delay = 10 * USEC_PER_MSEC;
		tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, delay);
		*rack_timer = true;	/* ~FLAG_SET_XMIT_TIMER */
		nds_tracef(sk->ns, "fd %d SACK reneging suspected: RTO in %lld us",
			   sk->fd, (long long)delay);
		return;
	}
	/* D: leave the state once high_seq is acknowledged */
	if (sk->ca_state == TCP_CA_Open) {
		sk->retrans_stamp = 0;
	} else if (!before(sk->snd_una, sk->high_seq)) {
		switch (sk->ca_state) {
		case TCP_CA_CWR:
			/* held until something above high_seq is acked,
			 * so that the CWR flag reached the receiver */
			if (sk->snd_una != sk->high_seq) {
				tcp_end_cwnd_reduction(sk);
				tcp_set_ca_state(sk, TCP_CA_Open);
			}
			break;
		case TCP_CA_Recovery:
			if (!sk->sack_ok)
				sk->sacked_out = 0;
			if (tcp_try_undo_recovery(sk, seg))
				return;
			tcp_end_cwnd_reduction(sk);
			break;
		}
	}
	/* E: process the state */
	switch (sk->ca_state) {
	case TCP_CA_Recovery:
		if (!(flag & FLAG_SND_UNA_ADVANCED)) {
			if (!sk->sack_ok)
				tcp_add_reno_sack(sk, (uint32_t)num_dupack);
		} else if (tcp_try_undo_partial(sk, seg, prior_snd_una)) {
			return;
		}
		if (tcp_try_undo_dsack(sk))
			tcp_try_keep_open(sk);
		tcp_identify_packet_loss(sk, ack_flag, rack_timer);
		if (sk->ca_state != TCP_CA_Recovery) {
			if (!sk->lost_out)	/* tcp_time_to_recover */
				return;
			/* undone, but a loss is evident: a new episode */
			tcp_enter_recovery(sk, ece_ack);
		}
		break;
	case TCP_CA_Loss:
		tcp_process_loss(sk, seg, flag, num_dupack, rexmit);
		if (sk->ca_state != TCP_CA_Loss)
			tcp_update_rto_time(sk);
		tcp_identify_packet_loss(sk, ack_flag, rack_timer);
		if (!(sk->ca_state == TCP_CA_Open ||
		      (*ack_flag & FLAG_LOST_RETRANS)))
			return;
		/* undone, or retransmissions were lost: change state */
		/* fall through */
	default:
		if (!sk->sack_ok) {
			if (flag & FLAG_SND_UNA_ADVANCED)
				sk->sacked_out = 0;
			tcp_add_reno_sack(sk, (uint32_t)num_dupack);
		}
		if (sk->ca_state <= TCP_CA_Disorder)
			tcp_try_undo_dsack(sk);
		tcp_identify_packet_loss(sk, ack_flag, rack_timer);
		if (!sk->lost_out) {	/* !tcp_time_to_recover */
			tcp_try_to_open(sk, flag);
			return;
		}
		/* the MTU probe was lost: its size, not congestion */
		if (sk->ca_state < TCP_CA_CWR && sk->mtup.probe_size &&
		    sk->snd_una == sk->mtu_probe_seq_start) {
			tcp_mtup_probe_failed(sk);
			sk->snd_cwnd++;	/* undo tcp_mtu_probe's decrement */
			tcp_simple_retransmit(sk);
			return;
		}
		tcp_enter_recovery(sk, ece_ack);
	}
	*rexmit = REXMIT_LOST;
}

/* tcp_ack_probe: zero-window probing state after an ACK */
static void tcp_ack_probe(struct sock *sk)
{
	struct sk_buff *head = tcp_send_head(sk);

	if (!head)
		return;
	if (!after(head->end_seq, tcp_wnd_end(sk)) ||
	    (head->len > tcp_current_mss(sk) &&
	     !after(head->seq + tcp_current_mss(sk), tcp_wnd_end(sk)))) {
		sk->backoff = 0;
		sk->probes_out = 0;
		if (sk->icsk_pending == ICSK_TIME_PROBE0) {
			sk->icsk_pending = 0;
			nds_timer_del(&sk->rtx_timer);
		}
	} else {
		int64_t when = (sk->rto > TCP_RTO_MIN ? sk->rto : TCP_RTO_MIN);
		when <<= sk->backoff;
		tcp_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
				     when + tcp_pacing_delay(sk));
	}
}

static void tcp_replace_ts_recent(struct sock *sk, const struct tcp_seg *seg);

/* tcp_ack_update_window, before snd_una moves. Returns FLAG_WIN_UPDATE
 * when the window field was taken. */
static int tcp_ack_update_window(struct sock *sk, const struct tcp_seg *seg,
				 uint32_t ack)
{
	uint32_t nwin = seg->window;

	/* RFC 7323 2.2: the window of a SYN is never scaled */
	if (!(seg->flags & TCPHDR_SYN))
		nwin <<= sk->snd_wscale;
	/* tcp_may_update_window: RFC 9293 3.10.7.4 (SND.WL1, SND.WL2) keeps
	 * an older segment from undoing a newer window. Linux's test: the
	 * ACK advances, or the segment is newer, or it is as new and opens
	 * the window further or closes it to zero. */
	if (!after(ack, sk->snd_una) && !after(seg->seq, sk->snd_wl1) &&
	    !(seg->seq == sk->snd_wl1 && (nwin > sk->snd_wnd || !nwin)))
		return 0;
	sk->snd_wl1 = seg->seq;
	if (sk->snd_wnd != nwin) {
		sk->snd_wnd = nwin;
		if (nwin > sk->max_window) {
			/* the MSS in use is kept to half the largest
			 * window seen (tcp_sync_mss, tcp_bound_to_half_wnd) */
			sk->max_window = nwin;
			tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
		}
	}
	return FLAG_WIN_UPDATE;
}

/* The ECN part of tcp_ack: AccECN's CE count from ACE and the option
 * (tcp_accecn_process), and delivered_ce (tcp_count_delivered_ce: for
 * RFC 3168 every segment an ECE ACK delivers). Returns FLAG_ECE when
 * the ACK tells of congestion. */
static int tcp_ecn_ack(struct sock *sk, const struct tcp_seg *seg,
		       uint32_t prior_delivered, uint32_t acked_bytes, int flag,
		       bool ts_progress)
{
	uint32_t delivered = sk->delivered - prior_delivered;

	if (tcp_ecn_mode_accecn(sk)) {
		uint32_t delta = tcp_accecn_process(sk, seg, delivered,
				acked_bytes, &flag,
				(flag & FLAG_FORWARD_PROGRESS) || ts_progress,
				(flag & FLAG_SYN_ACKED) != 0);

		if (delta) {
			sk->delivered_ce += delta;
			return FLAG_ECE;
		}
		return 0;
	}
	if ((flag & FLAG_ECE) && tcp_ecn_mode_rfc3168(sk))
		sk->delivered_ce += delivered;
	return 0;
}

/* tcp_may_raise_cwnd: once reordering was seen (above tcp_reordering),
 * any delivery, SACKed too, grows cwnd; otherwise only in-order delivery
 * does (RFC 5681). */
static bool tcp_may_raise_cwnd(const struct sock *sk, int flag)
{
	if (sk->reordering > (uint32_t)sk->ns->sysctl.tcp_reordering)
		return flag & FLAG_FORWARD_PROGRESS;
	return flag & FLAG_DATA_ACKED;
}

/* tcp_set_xmit_timer, after an ACK of new data (unless RACK armed its
 * reordering timer): RFC 6298 5.3, the retransmission timer restarts;
 * with data still out, a tail loss probe may come first (RFC 8985 7.2). */
static void tcp_set_xmit_timer(struct sock *sk)
{
	if (!sk->packets_out) {
		tcp_rearm_rto(sk);
		return;
	}
	sk->icsk_pending = 0;
	tcp_rearm_rto(sk);
	tcp_schedule_loss_probe(sk, true);
}

/* tcp_process_tlp_ack: the ACK for a loss probe (RFC 8985 7.4). A probe
 * of new data, or a retransmission the peer DSACKs (both copies
 * arrived), or a pure dupACK at tlp_high_seq ends the episode without a
 * loss; an ACK beyond it says the probe repaired a loss: cwnd is reduced
 * once (TCPLossProbeRecovery). */
static void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, int flag)
{
	if (before(ack, sk->tlp_high_seq))
		return;
	if (!sk->tlp_retrans) {
		sk->tlp_high_seq = 0;
	} else if (flag & FLAG_DSACK_TLP) {
		sk->tlp_high_seq = 0;
	} else if (after(ack, sk->tlp_high_seq)) {
		tcp_init_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_CWR);
		tcp_end_cwnd_reduction(sk);
		tcp_try_keep_open(sk);
		nds_mib_inc(sk->ns, MIB_TCP_LOSS_PROBE_RECOVERY);
	} else if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP |
			     FLAG_DATA_SACKED))) {
		sk->tlp_high_seq = 0;
	}
}

/* tcp_ack_is_dubious: not a plain forward ACK in Open */
static bool tcp_ack_is_dubious(const struct sock *sk, int flag)
{
	return !(flag & FLAG_NOT_DUP) || (flag & FLAG_CA_ALERT) ||
	       sk->ca_state != TCP_CA_Open;
}

/* tcp_xmit_recovery: after cwnd was updated, F-RTO's new data
 * (REXMIT_NEW: if none could go out, F-RTO ends and the lost data is
 * resent) or the retransmissions of Loss and Recovery */
static void tcp_xmit_recovery(struct sock *sk, int rexmit)
{
	if (rexmit == REXMIT_NONE || sk->state == NDS_TCP_SYN_SENT)
		return;
	if (rexmit == REXMIT_NEW) {
		__tcp_push_pending_frames(sk, tcp_current_mss(sk),
					  TCP_NAGLE_OFF);
		if (after(sk->snd_nxt, sk->high_seq))
			return;
		sk->frto = false;
	}
	tcp_xmit_retransmit_queue(sk);
}

/* tcp_ack: process the acknowledgment field. Returns <0 to drop the
 * segment, 0 for an old (duplicate) ACK, 1 when it acked something. */
static int tcp_ack(struct sock *sk, struct tcp_seg *seg)
{
	uint32_t ack = seg->ack_seq, prior_snd_una = sk->snd_una;
	uint32_t prior_packets = sk->packets_out, acked = 0;
	uint32_t prior_delivered = sk->delivered;
	uint32_t prior_lost = sk->lost;
	int64_t seq_rtt = -1, ca_rtt = -1;
	int flag = 0, num_dupack = 0, rexmit = REXMIT_NONE;
	bool rack_timer = false, ts_progress;
	uint32_t prior_fack = sk->sack_ok ? tcp_highest_sack_seq(sk)
					  : sk->snd_una;
	TRACE_CALL(sk);
	sk->rs_prior_delivered = 0;	/* a new rate sample */
	sk->rs_tstamp = 0;
	sk->rs_order = 0;
	TRACE_VALUES(sk, "ack=+%u snd_una=+%u snd_nxt=+%u win=%u "
		     "packets_out=%u", ack - sk->iss, prior_snd_una - sk->iss,
		     sk->snd_nxt - sk->iss, (uint32_t)seg->window <<
		     ((seg->flags & TCPHDR_SYN) ? 0 : sk->snd_wscale),
		     prior_packets);

	if (before(ack, prior_snd_una)) {
		/* RFC 5961 5.2: an ACK older than one window before snd_una
		 * is not plausible (blind injection); it gets a challenge
		 * ACK, a merely old one is only ignored. The window reaches
		 * back no further than the bytes acked so far: an ACK below
		 * the ISN + 1 of a connection that sent nothing is dropped */
		uint32_t max_window = sk->max_window;

		if ((uint64_t)max_window > sk->bytes_acked)
			max_window = (uint32_t)sk->bytes_acked;
		if (before(ack, prior_snd_una - max_window)) {
			if (!(seg->flags & TCPHDR_SYN))
				tcp_send_challenge_ack(sk);
			return -1;
		}
		goto old_ack;
	}
	/* RFC 9293 3.10.7.4: it acknowledges data not yet sent; the caller
	 * decides whether that earns an ACK */
	if (after(ack, sk->snd_nxt))
		return -1;
	/* FLAG_TS_PROGRESS: a newer timestamp tells AccECN the ACK is
	 * not a reordered one */
	ts_progress = sk->tstamp_ok && seg->saw_tstamp &&
		      !after(seg->seq, sk->rcv_wup) &&
		      (int32_t)(seg->tsval - sk->ts_recent) > 0;
	/* the segment is acceptable: its TSval may become ts_recent before
	 * anything (a retransmission) is sent in reply */
	tcp_replace_ts_recent(sk, seg);
	/* something worked: forget soft errors and unanswered probes */
	sk->sk_err_soft = 0;
	sk->probes_out = 0;
	sk->last_ack_recv = sk->ns->now;
	if (after(ack, prior_snd_una)) {
		flag |= FLAG_SND_UNA_ADVANCED;
		sk->retransmits = 0;
	}
	if (seg->len || (seg->flags & (TCPHDR_SYN | TCPHDR_FIN)))
		flag |= FLAG_DATA;

	flag |= tcp_ack_update_window(sk, seg, ack);
	sk->bytes_acked += ack - prior_snd_una;
	sk->snd_una = ack;
	if (tcp_ecn_rcv_ecn_echo(sk, seg))
		flag |= FLAG_ECE;

	if (seg->num_sacks && sk->sack_ok)
		flag |= tcp_sacktag_write_queue(sk, seg, prior_snd_una);

	/* nothing was in flight: a window update may let a zero-window
	 * probe sequence stop (RFC 9293 3.8.6.1, Linux's tcp_ack_probe) */
	if (!prior_packets)
		goto no_queue;

	sock_tx_tstamp_acked(sk, prior_snd_una);
	flag |= tcp_clean_rtx_queue(sk, seg, prior_fack, &acked, &seq_rtt,
				    &ca_rtt);
	tcp_rack_update_reo_wnd(sk);
	if (!sk->sack_ok) {
		tcp_remove_reno_sacks(sk, acked);
		/* without SACK a cumulative ACK over a retransmission cannot
		 * tell that an original arrived */
		if (flag & FLAG_RETRANS_DATA_ACKED)
			flag &= ~FLAG_ORIG_SACK_ACKED;
	}
	if (flag & FLAG_ACKED)
		tcp_ack_update_rtt(sk, seg, flag, seq_rtt, ca_rtt);
	if (sk->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	flag |= tcp_ecn_ack(sk, seg, prior_delivered, ack - prior_snd_una,
			    flag, ts_progress);

	if (tcp_ack_is_dubious(sk, flag)) {
		/* RFC 5681 2's duplicate ACK: no data, no window update,
		 * snd_una not moved, and not a DSACK */
		if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP |
			      FLAG_DSACKING_ACK)))
			num_dupack = 1;
		tcp_fastretrans_alert(sk, seg, prior_snd_una, num_dupack,
				      &flag, &rexmit, &rack_timer);
	}
	if (ca_rtt >= 0)
		tcp_ca_acked(sk, (uint32_t)ca_rtt);
	{
		/* tcp_cong_control: in CWR and Recovery PRR (RFC 6937)
		 * sets cwnd, otherwise the congestion avoidance rule */
		uint32_t delivered = sk->delivered - prior_delivered;

		if (tcp_in_cwnd_reduction(sk))
			tcp_cwnd_reduction(sk, delivered, sk->lost - prior_lost,
					   flag);
		else if (tcp_may_raise_cwnd(sk, flag))
			tcp_cong_avoid(sk, ack, delivered);
	}
	tcp_update_pacing_rate(sk);
	tcp_xmit_recovery(sk, rexmit);
	if ((flag & FLAG_ACKED) && !rack_timer)
		tcp_set_xmit_timer(sk);
	return 1;

no_queue:
	tcp_ecn_ack(sk, seg, prior_delivered, ack - prior_snd_una, flag,
		    ts_progress);
	/* a DSACK may still undo a reduction */
	if (flag & FLAG_DSACKING_ACK)
		tcp_fastretrans_alert(sk, seg, prior_snd_una, 0, &flag,
				      &rexmit, &rack_timer);
	if (tcp_send_head(sk))
		tcp_ack_probe(sk);
	if (sk->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	return 1;

old_ack:
	/* an old ACK may still carry new SACK blocks (the ACKs crossed
	 * ours), or a DSACK that undoes a reduction */
	if (seg->num_sacks && sk->sack_ok) {
		flag |= tcp_sacktag_write_queue(sk, seg, prior_snd_una);
		tcp_fastretrans_alert(sk, seg, prior_snd_una, 0, &flag,
				      &rexmit, &rack_timer);
		tcp_xmit_recovery(sk, rexmit);
	}
	return 0;
}

/* ------------------------------------------------------------ validation */

static bool tcp_oow_rate_limited(struct sock *sk, const struct tcp_seg *seg)
{
	int64_t now = sk->ns->now;

	if (seg->len && !(seg->flags & TCPHDR_SYN))
		return false;
	if (sk->last_oow_ack_time &&
	    now - sk->last_oow_ack_time <
		    (int64_t)sk->ns->sysctl.tcp_invalid_ratelimit * USEC_PER_MSEC)
		return true;
	sk->last_oow_ack_time = now;
	return false;
}

/* tcp_send_dupack */
static void tcp_send_dupack(struct sock *sk, const struct tcp_seg *seg)
{
	if (seg->end_seq != seg->seq && before(seg->seq, sk->rcv_nxt)) {
		tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
		if (sk->sack_ok && sk->ns->sysctl.tcp_dsack) {
			uint32_t end = seg->end_seq;

			tcp_ecn_rcv_spurious_retrans(sk, seg);
			if (after(end, sk->rcv_nxt))
				end = sk->rcv_nxt;
			tcp_dsack_set(sk, seg->seq, end);
		}
	}
	tcp_send_ack(sk);
}

/* tcp_reset: the peer reset the connection */
static void tcp_reset(struct sock *sk)
{
	switch (sk->state) {
	case NDS_TCP_SYN_SENT:
		sk->sk_err = ECONNREFUSED;
		break;
	case NDS_TCP_CLOSE_WAIT:
		sk->sk_err = EPIPE;
		break;
	case NDS_TCP_CLOSE:
		return;
	default:
		sk->sk_err = ECONNRESET;
		break;
	}
	tcp_done(sk);
}

static bool tcp_paws_discard(const struct sock *sk, const struct tcp_seg *seg)
{
	return sk->tstamp_ok && seg->saw_tstamp && sk->ts_recent_stamp &&
	       (int32_t)(sk->ts_recent - seg->tsval) > 0 &&
	       sk->ns->now - sk->ts_recent_stamp < 24LL * 24 * 3600 *
							   USEC_PER_SEC;
}

static bool tcp_sequence(struct sock *sk, const struct tcp_seg *seg)
{
	uint32_t edge = sk->rcv_nxt + tcp_receive_window(sk);

	if (before(seg->end_seq, sk->rcv_wup))
		return false;
	if (after(seg->end_seq, edge)) {
		if (after(seg->seq, edge))
			return false;
		/* 6.17+: a segment that runs past the window is taken only
		 * while nothing waits in the receive queue */
		if (tcp_inq(sk)) {
			nds_mib_inc(sk->ns, MIB_BEYOND_WINDOW);
			return false;
		}
	}
	return true;
}

/* tcp_validate_incoming: false means the segment was consumed/dropped. */
static bool tcp_validate_incoming(struct sock *sk, struct tcp_seg *seg)
{
	if (tcp_paws_discard(sk, seg) && !(seg->flags & TCPHDR_RST)) {
		nds_mib_inc(sk->ns, MIB_PAWS_ESTAB);
		if (!tcp_oow_rate_limited(sk, seg))
			tcp_send_dupack(sk, seg);
		return false;
	}
	if (!tcp_sequence(sk, seg)) {
		if (!(seg->flags & TCPHDR_RST)) {
			if (seg->flags & TCPHDR_SYN)
				goto syn_challenge;
			if (!tcp_oow_rate_limited(sk, seg))
				tcp_send_dupack(sk, seg);
		} else if (seg->seq == sk->rcv_nxt - 1 &&
			   (sk->state == NDS_TCP_CLOSE_WAIT ||
			    sk->state == NDS_TCP_LAST_ACK ||
			    sk->state == NDS_TCP_CLOSING)) {
			tcp_reset(sk);
		}
		return false;
	}
	if (seg->flags & TCPHDR_RST) {
		if (seg->seq == sk->rcv_nxt ||
		    (seg->seq == sk->rcv_nxt - 1 &&
		     (sk->state == NDS_TCP_CLOSE_WAIT ||
		      sk->state == NDS_TCP_LAST_ACK ||
		      sk->state == NDS_TCP_CLOSING))) {
			tcp_reset(sk);
			return false;
		}
		tcp_send_challenge_ack(sk);
		return false;
	}
	if ((seg->flags & TCPHDR_SYN) && sk->state == NDS_TCP_SYN_RECV &&
	    sk->fd >= 0 && (seg->flags & TCPHDR_ACK) &&
	    seg->seq + 1 == seg->end_seq && seg->seq + 1 == sk->rcv_nxt &&
	    seg->ack_seq == sk->snd_nxt)
		return true;	/* the SYN-ACK of a simultaneous open */
	if (seg->flags & TCPHDR_SYN) {
syn_challenge:
		tcp_ecn_challenge_reflect(sk, seg);
		tcp_send_challenge_ack(sk);
		sk->acc.ace_next = 0;	/* if the rate limit held it back */
		return false;
	}
	return true;
}

/* tcp_replace_ts_recent */
static void tcp_replace_ts_recent(struct sock *sk, const struct tcp_seg *seg)
{
	if (sk->tstamp_ok && seg->saw_tstamp &&
	    !after(seg->seq, sk->rcv_wup)) {
		if ((int32_t)(seg->tsval - sk->ts_recent) >= 0 ||
		    !sk->ts_recent_stamp) {
			sk->ts_recent = seg->tsval;
			sk->ts_recent_stamp = sk->ns->now;
		}
	}
}

/* ------------------------------------------------------------ handshake */

static void tcp_finish_handshake_opts(struct sock *sk)
{
	sk->tcp_header_len = 20 + (sk->tstamp_ok ? 12 : 0);
	if (sk->tstamp_ok)
		sk->advmss -= 12;
	tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
	tcp_initialize_rcv_mss(sk);
}

/* What the peer's SYN (or SYN-ACK) settles, the same for a listener's
 * child, an active open and a simultaneous open: the peer's initial
 * sequence and window, and each option used only if both sides offered
 * it. Linux does this in tcp_openreq_init + tcp_create_openreq_child
 * (listener) and tcp_rcv_synsent_state_process (the other two). ECN is
 * not here: each of the three has its own rule (tcp_ecn_*). */
static void tcp_rcv_syn_options(struct sock *sk, const struct tcp_seg *seg)
{
	const struct nds_sysctls *sysctl = &sk->ns->sysctl;

	sk->irs = seg->seq;
	sk->rcv_nxt = seg->seq + 1;
	sk->rcv_wup = sk->rcv_nxt;
	sk->copied_seq = sk->rcv_nxt;
	sk->snd_wl1 = seg->seq;
	/* RFC 7323 2.2: the window field of a SYN is never scaled */
	sk->snd_wnd = seg->window;
	sk->max_window = sk->snd_wnd;
	/* RFC 9293 3.7.1: without an MSS option assume the default */
	sk->rx_opt_mss_clamp = seg->mss ? seg->mss : tcp_af_mss_clamp(sk);
	if (sk->user_mss && sk->user_mss < sk->rx_opt_mss_clamp)
		sk->rx_opt_mss_clamp = sk->user_mss;
	sk->tstamp_ok = seg->saw_tstamp && sysctl->tcp_timestamps;
	if (sk->tstamp_ok) {
		sk->ts_recent = seg->tsval;
		sk->ts_recent_stamp = sk->ns->now;
	}
	sk->sack_ok = seg->sack_ok && sysctl->tcp_sack;
	sk->wscale_ok = seg->wscale_ok && sysctl->tcp_window_scaling;
	if (sk->wscale_ok) {
		sk->snd_wscale = seg->wscale;
	} else {
		/* RFC 7323 2.3: scaling is off in both directions, so
		 * our window cannot be offered beyond 64K either */
		sk->snd_wscale = 0;
		sk->rcv_wscale = 0;
		if (sk->window_clamp > 65535)
			sk->window_clamp = 65535;
	}
}

/* tcp_ecn_rcv_synack, tcp_ecn_rcv_syn, tcp_ecn_create_request: tcp_ecn.c */

/* SYN_SENT: our SYN answered by a SYN-ACK, a reset, or a crossed SYN */
static void tcp_rcv_synsent_state_process(struct sock *sk,
					  struct tcp_seg *seg)
{
	if (seg->flags & TCPHDR_ACK) {
		if (!after(seg->ack_seq, sk->snd_una) ||
		    after(seg->ack_seq, sk->snd_nxt)) {
			/* RFC 5961 4.2: our ACK or RST to an earlier
			 * connection may have been lost; resend the SYN soon
			 * (TCP_TIMEOUT_MIN, two jiffies) unless already
			 * retransmitting */
			if (!sk->retransmits)
				tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
						     2 * nds_tick_us(sk->ns));
			if (!(seg->flags & TCPHDR_RST))
				tcp_v4_send_reset(sk->ns, seg);
			return;
		}
		if (seg->saw_tstamp && seg->tsecr && sk->ns->sysctl.tcp_timestamps &&
		    ((int32_t)(seg->tsecr - (uint32_t)(sk->retrans_stamp /
						       USEC_PER_MSEC) -
			       sk->ts_off) < 0 ||
		     after(seg->tsecr, tcp_tsval(sk)))) {
			if (!(seg->flags & TCPHDR_RST))
				tcp_v4_send_reset(sk->ns, seg);
			return;
		}
		if (seg->flags & TCPHDR_RST) {
			tcp_reset(sk);
			return;
		}
		if (!(seg->flags & TCPHDR_SYN))
			return;
		/* a valid SYN-ACK */
		tcp_rcv_syn_options(sk, seg);
		tcp_ecn_rcv_synack(sk, seg);
		{
			struct tcp_seg ackseg = *seg;
			uint32_t a = 0;
			int64_t seq_rtt = -1, ca_rtt = -1;
			int flag;
			/* the SYN (and Fast Open data) acked count in
			 * bytes_acked, as any other sequence space */
			sk->bytes_acked += seg->ack_seq - sk->snd_una;
			sk->snd_una = seg->ack_seq;
			flag = tcp_clean_rtx_queue(sk, &ackseg, sk->iss, &a,
						   &seq_rtt, &ca_rtt);
			sk->sk_wmem_queued = sk->sk_wmem_queued < 0
					     ? 0 : sk->sk_wmem_queued;
			tcp_ack_update_rtt(sk, seg, flag | FLAG_SYN_ACKED,
					   seq_rtt, ca_rtt);
		}
		tcp_finish_handshake_opts(sk);
		tcp_set_state(sk, NDS_TCP_ESTABLISHED);
		tcp_clear_xmit_timers(sk);
		sk->retransmits = 0;
		tcp_init_transfer(sk);
		tcp_set_keepalive_timer(sk);
		sk_wake(sk);
		/* data on the SYN-ACK is taken only by a Fast Open client
		 * (tcp_fastopen_add_skb), else dropped */
		if (tcp_rcv_fastopen_synack(sk, seg))
			return;
		if (sk->pingpong || sk->defer_accept) {
			/* save one ACK: data will likely follow. Quick ACKs
			 * from here on (pingpong mode ends), the ACK itself
			 * TCP_DELACK_MAX later unless data takes it along */
			tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS);
			sk->ack_pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
			nds_timer_mod(sk->ns, &sk->delack_timer,
				      sk->ns->now + TCP_DELACK_MAX);
			return;
		}
		tcp_send_ack(sk);
		tcp_push_pending_frames(sk);
		return;
	}
	if (seg->flags & TCPHDR_RST)
		return;
	if (seg->flags & TCPHDR_SYN) {
		/* crossed SYNs (simultaneous open): go to SYN_RECV and answer
		 * with our SYN plus an ACK; SYN data is not taken */
		tcp_set_state(sk, NDS_TCP_SYN_RECV);
		sk->simopen = true;
		tcp_rcv_syn_options(sk, seg);
		tcp_ecn_rcv_syn(sk, seg);
		sk->tcp_header_len = 20 + (sk->tstamp_ok ? 12 : 0);
		tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
		tcp_initialize_rcv_mss(sk);
		tcp_send_synack(sk);
	}
}

/* tcp_rcv_state_process, SYN_RECV reached by simultaneous open: an
 * acceptable ACK completes the handshake. */
static void tcp_simopen_established(struct sock *sk)
{
	sk->simopen = false;
	if (sk->tstamp_ok)
		sk->advmss -= 12;
	tcp_set_state(sk, NDS_TCP_ESTABLISHED);
	sk->retransmits = 0;
	sk->backoff = 0;
	tcp_init_transfer(sk);
	tcp_set_keepalive_timer(sk);
	tcp_rearm_rto(sk);
	sk_wake(sk);
}

static void tcp_synrecv_become_established(struct sock *sk,
					   struct tcp_seg *seg)
{
	struct sock *lsk = sk->parent;

	sk->snd_una = seg->ack_seq;
	sk->snd_wnd = (uint32_t)seg->window << sk->snd_wscale;
	sk->snd_wl1 = seg->seq;
	if (sk->snd_wnd > sk->max_window)
		sk->max_window = sk->snd_wnd;
	{
		uint32_t a = 0;
		int64_t seq_rtt = -1, ca_rtt = -1;
		int flag;
		flag = tcp_clean_rtx_queue(sk, seg, sk->iss, &a, &seq_rtt,
					   &ca_rtt);
		if (sk->total_retrans)
			seq_rtt = -1;	/* Karn: retransmitted SYN-ACK */
		tcp_ack_update_rtt(sk, seg, flag | FLAG_SYN_ACKED, seq_rtt,
				   ca_rtt);
	}
	tcp_finish_handshake_opts(sk);
	nds_mib_inc(sk->ns, MIB_TCP_PASSIVE_OPENS);
	tcp_set_state(sk, NDS_TCP_ESTABLISHED);
	tcp_clear_xmit_timers(sk);
	sk->retransmits = 0;
	sk->backoff = 0;
	tcp_init_transfer(sk);
	tcp_set_keepalive_timer(sk);
	if (lsk) {
		struct sock **pp = &lsk->accept_q;
		while (*pp)
			pp = &(*pp)->accept_next;
		*pp = sk;
		sk->accept_next = NULL;
		lsk->accept_qlen++;
		if (!sk->syncookie)
			lsk->syn_qlen--;	/* a cookie kept no request */
		sk_wake(lsk);
	}
}

/* tcp_rcv_synrecv_state_fastopen: the ACK of a Fast Open child's SYN-ACK */
static void tcp_tfo_child_established(struct sock *sk, struct tcp_seg *seg)
{
	struct sock *lsk = sk->parent;

	sk->tfo_child = false;
	if (lsk && lsk->fastopen_cnt > 0)
		lsk->fastopen_cnt--;
	if (!sk->srtt_us && !sk->retransmits) {
		/* tcp_synack_rtt_meas */
		int64_t rtt = sk->ns->now - sk->synack_stamp;
		tcp_ack_update_rtt(sk, seg, FLAG_SYN_ACKED, rtt, rtt);
	}
	if (sk->tstamp_ok)
		sk->advmss -= 12;
	tcp_set_state(sk, NDS_TCP_ESTABLISHED);
	sk->retransmits = 0;
	sk->retrans_stamp = 0;
	sk->backoff = 0;
	tcp_set_keepalive_timer(sk);
	tcp_rearm_rto(sk);
	(void)seg;
}

/* tcp_check_req: a segment for a listener's child in SYN_RECV. Returns
 * false if
 * the segment was consumed. */
static bool tcp_check_req(struct sock *sk, struct tcp_seg *seg)
{
	struct sock *lsk = sk->parent;

	if (tcp_paws_discard(sk, seg) && !(seg->flags & TCPHDR_RST)) {
		tcp_send_ack(sk);
		return false;
	}
	if (seg->seq == sk->irs && (seg->flags & (TCPHDR_SYN | TCPHDR_RST |
						   TCPHDR_ACK)) == TCPHDR_SYN) {
		/* retransmitted SYN: resend the SYN-ACK */
		tcp_ecn_syn_recv_rcv_syn(sk, seg);
		tcp_send_synack(sk);
		return false;
	}
	if ((seg->flags & TCPHDR_ACK) && seg->ack_seq != sk->iss + 1) {
		if (!(seg->flags & TCPHDR_RST))
			tcp_v4_send_reset(sk->ns, seg);
		return false;
	}
	if (!between(seg->seq, sk->rcv_nxt, sk->rcv_nxt + sk->rcv_wnd) &&
	    !between(seg->end_seq, sk->rcv_nxt, sk->rcv_nxt + sk->rcv_wnd) &&
	    seg->seq != sk->rcv_nxt) {
		if (!(seg->flags & TCPHDR_RST))
			tcp_send_ack(sk);
		return false;
	}
	if (seg->flags & (TCPHDR_RST | TCPHDR_SYN)) {
		/* embryonic reset: forget the request */
		inet_csk_reqsk_queue_drop(sk);
		return false;
	}
	if (!(seg->flags & TCPHDR_ACK))
		return false;
	if (sk->tstamp_ok && seg->saw_tstamp &&
	    !after(seg->seq, sk->rcv_nxt)) {
		sk->ts_recent = seg->tsval;
		sk->ts_recent_stamp = sk->ns->now;
	}
	/* TCP_DEFER_ACCEPT: a bare ACK does not make the connection until
	 * the deferring period (SYN-ACK retransmissions) is over; data
	 * does */
	if (lsk && !sk->syncookie && sk->retransmits < lsk->defer_accept &&
	    seg->end_seq == sk->irs + 1) {
		sk->req_acked = true;
		nds_tracef(sk->ns, "fd %d TCP_DEFER_ACCEPT: bare ACK dropped",
			   lsk->fd);
		return false;
	}
	if (lsk && !sk->syncookie && sk_acceptq_is_full(lsk)) {
		/* listen queue overflow: ignore the ACK (a cookie's child
		 * was checked against it in cookie_v4_check) */
		nds_mib_inc(sk->ns, MIB_LISTEN_OVERFLOWS);
		tcp_listendrop(lsk);
		return false;
	}
	tcp_ecn_openreq_child(sk, seg);
	tcp_synrecv_become_established(sk, seg);
	return true;
}

/* The child of a listener starts with the listener's socket options, as
 * sk_clone_lock copies them in Linux. */
static void tcp_clone_listener_opts(struct sock *sk, const struct sock *lsk)
{
	sk->nonagle = lsk->nonagle;
	sk->user_mss = lsk->user_mss;
	sk->keepalive = lsk->keepalive;
	sk->keepalive_time = lsk->keepalive_time;
	sk->keepalive_intvl = lsk->keepalive_intvl;
	sk->keepalive_probes = lsk->keepalive_probes;
	sk->linger = lsk->linger;
	sk->linger_secs = lsk->linger_secs;
	sk->linger2 = lsk->linger2;
	sk->tos = lsk->tos;
	sk->ttl = lsk->ttl;
	sk->cong_reno = lsk->cong_reno;
	sk->notsent_lowat = lsk->notsent_lowat;
	sk->user_timeout = lsk->user_timeout;
	sk->rto_max = lsk->rto_max;
	sk->window_clamp_opt = lsk->window_clamp_opt;
	sk->sk_sndbuf = lsk->sk_sndbuf;
	sk->sk_rcvbuf = lsk->sk_rcvbuf;
	sk->sndbuf_lock = lsk->sndbuf_lock;
	sk->rcvbuf_lock = lsk->rcvbuf_lock;
	sk->sk_rcvlowat = lsk->sk_rcvlowat;
	sk->sk_rcvtimeo = lsk->sk_rcvtimeo;
	sk->sk_sndtimeo = lsk->sk_sndtimeo;
	sk->sk_max_pacing_rate = lsk->sk_max_pacing_rate;
	sk->sk_pacing_rate = lsk->sk_pacing_rate;	/* sk_clone_lock */
	sk->sk_pacing_status = lsk->sk_pacing_status;
	sk->thin_lto = lsk->thin_lto;
	sk->v6only = lsk->v6only;
	sk->reuseaddr = lsk->reuseaddr;
	sk->reuseport = lsk->reuseport;
}

/* tcp_openreq_init, tcp_openreq_init_rwin and the child's part of
 * tcp_create_openreq_child: a socket in SYN_RECV for the SYN seg, with
 * the listener's options, the SYN's options, our MSS and window, its ISN
 * and TS offset. Not yet linked to the listener. Also rebuilds the request
 * of a SYN cookie (cookie_v4_check), from a SYN made of the cookie. */
struct sock *tcp_openreq_child(struct sock *lsk, const struct tcp_seg *seg)
{
	struct sock *sk;
	uint32_t clamp;

	sk = sk_alloc(lsk->ns, lsk->family, SOCK_STREAM, IPPROTO_TCP);
	if (!sk)
		return NULL;
	tcp_clone_listener_opts(sk, lsk);
	if (sock_errqueue_clone(sk, lsk)) {
		sk_free(sk);	/* no memory: drop the SYN, as for sk_alloc */
		return NULL;
	}
	sk->saddr = seg->daddr;
	sk->daddr = seg->saddr;
	sk->sport = seg->dport;
	sk->dport = seg->sport;
	sk->wire_v4 = seg->v4;
	sk->bound = true;
	sk->state = NDS_TCP_SYN_RECV;

	/* tcp_openreq_init; the window clamp and our scale follow in
	 * tcp_openreq_init_rwin */
	tcp_rcv_syn_options(sk, seg);
	tcp_ecn_create_request(sk, seg);
	sk->advmss = (uint16_t)tcp_advertise_mss(sk);
	sk->tcp_header_len = 20 + (sk->tstamp_ok ? 12 : 0);

	/* tcp_openreq_init_rwin */
	clamp = (uint32_t)sk->window_clamp_opt;
	if (sk->rcvbuf_lock && (clamp > (uint32_t)tcp_full_space(sk) ||
				clamp == 0))
		clamp = (uint32_t)tcp_full_space(sk);
	tcp_select_initial_window(sk, tcp_full_space(sk),
				  sk->advmss - (sk->tstamp_ok ? 12 : 0),
				  &sk->rcv_wnd, &clamp, sk->wscale_ok,
				  &sk->rcv_wscale);
	sk->window_clamp = clamp;
	sk->rcv_ssthresh = sk->rcv_wnd;
	tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));

	tcp_init_seq(sk);
	return sk;
}

/* tcp_conn_request: a SYN for a listener. When the SYN queue is full, or
 * always with tcp_syncookies=2, the answer is a SYN cookie (syncookies.c)
 * and nothing is kept; else a child in SYN_RECV answers and stays. */
void tcp_listen_rcv(struct sock *lsk, struct tcp_seg *seg)
{
	struct nds *ns = lsk->ns;
	const struct nds_sysctls *sysctl = &ns->sysctl;
	struct sock *sk;
	struct sk_buff *skb;
	bool want_cookie = false;

	if (seg->flags & TCPHDR_RST)
		return;
	if (seg->flags & TCPHDR_ACK) {
		tcp_v4_send_reset(ns, seg);
		return;
	}
	if (!(seg->flags & TCPHDR_SYN))
		return;
	if (sysctl->tcp_syncookies == 2 || inet_csk_reqsk_queue_is_full(lsk)) {
		want_cookie = tcp_syn_flood_action(lsk, seg);
		if (!want_cookie) {
			tcp_listendrop(lsk);
			return;
		}
	}
	if (sk_acceptq_is_full(lsk)) {
		nds_mib_inc(ns, MIB_LISTEN_OVERFLOWS);
		tcp_listendrop(lsk);
		return;
	}
	if (want_cookie) {
		cookie_send_synack(lsk, seg);
		return;
	}
	if (!sysctl->tcp_syncookies &&
	    sysctl->tcp_max_syn_backlog - lsk->syn_qlen <
		    (sysctl->tcp_max_syn_backlog >> 2)) {
		/* without cookies the last quarter of tcp_max_syn_backlog
		 * is kept for peers proven alive (tcp_peer_is_proven: an
		 * RTT in the TCP metrics cache, which is not modelled, so
		 * no peer is) */
		nds_tracef(ns, "listener fd %d: SYN dropped, %d requests in "
			   "the SYN queue, peer not proven (tcp_max_syn_backlog "
			   "%d)", lsk->fd, lsk->syn_qlen,
			   sysctl->tcp_max_syn_backlog);
		tcp_listendrop(lsk);
		return;
	}
	sk = tcp_openreq_child(lsk, seg);
	if (!sk)
		return;
	sk->parent = lsk;
	lsk->syn_qlen++;

	skb = skb_alloc(0);
	if (!skb) {
		/* no memory for the SYN-ACK: forget the request */
		lsk->syn_qlen--;
		sk_free(sk);
		return;
	}
	skb->seq = sk->iss;
	skb->end_seq = sk->iss + 1;
	skb->tcp_flags = TCPHDR_SYN;
	skb->pcount = 1;
	skb->tstamp = ns->now;
	skb->first_tx = ns->now;
	skb_queue_tail(&sk->rtx_queue, skb);
	sk->packets_out = 1;
	sk->segs_in++;
	if (tcp_try_fastopen(lsk, sk, seg)) {
		/* tcp_fastopen_create_child: take the SYN data now and make
		 * the child acceptable before the handshake completes */
		struct sock **pp = &lsk->accept_q;
		/* without memory for it the SYN data is not taken (not
		 * acknowledged, so the peer sends it again) */
		if (seg->len && !rbuf_append(sk, seg->data, seg->len,
					     tcp_rx_truesize(seg))) {
			sk->rcv_nxt += seg->len;
			sk->rcv_wup = sk->rcv_nxt;
			sk->bytes_received += seg->len;
			sk->data_segs_in++;
			sk->syn_data_acked = true;
			if (seg->flags & TCPHDR_FIN) {
				sk->rcv_nxt++;
				sk->shutdown |= RCV_SHUTDOWN;
			}
		}
		/* the child starts past its SYN: the SYN-ACK is retransmitted
		 * by the SYN-ACK timer, not from the rtx queue */
		skb_unlink(&sk->rtx_queue, skb);
		skb_free(skb);
		sk->packets_out = 0;
		sk->snd_una = sk->iss + 1;
		sk->tfo_child = true;
		sk->synack_stamp = ns->now;
		lsk->syn_qlen--;
		lsk->fastopen_cnt++;
		while (*pp)
			pp = &(*pp)->accept_next;
		*pp = sk;
		lsk->accept_qlen++;
		tcp_init_transfer(sk);
		tcp_initialize_rcv_mss(sk);
		sk_wake(lsk);
		nds_mib_inc(ns, MIB_TCP_PASSIVE_OPENS);
		nds_mib_inc(ns, MIB_TCP_FAST_OPEN_PASSIVE);
		nds_tracef(ns, "listener fd %d: Fast Open child, %u bytes of SYN "
			   "data accepted", lsk->fd, seg->len);
	} else {
		nds_tracef(ns, "listener fd %d: SYN -> new child in SYN_RECV",
			   lsk->fd);
	}
	tcp_send_synack(sk);
	sk->retrans_stamp = ns->now;
	tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_TIMEOUT_INIT);
}

/* ------------------------------------------------------------ main */

/* RFC 9293 3.10.7.4 step 5, after the ACK field: the ACK of our FIN moves
 * the closing states on (Linux: the state switch at the end of
 * tcp_rcv_state_process). False when the segment is consumed. */
static bool tcp_rcv_ack_state(struct sock *sk, struct tcp_seg *seg)
{
	switch (sk->state) {
	case NDS_TCP_FIN_WAIT1:
		if (sk->snd_una == sk->write_seq) {
			tcp_set_state(sk, NDS_TCP_FIN_WAIT2);
			sk->shutdown |= SEND_SHUTDOWN;
			if (sk->fd < 0) {
				int64_t tmo;
				if (sk->linger2 < 0) {
					tcp_done(sk);
					return false;
				}
				if (seg->end_seq != seg->seq &&
				    after(seg->end_seq -
					  ((seg->flags & TCPHDR_FIN) ? 1 : 0),
					  sk->rcv_nxt)) {
					/* data after close: the reset is
					 * built from the segment, as for no
					 * socket (tcp_v4_do_rcv "reset") */
					tcp_v4_send_reset(sk->ns, seg);
					tcp_done(sk);
					return false;
				}
				tmo = tcp_fin_time(sk);
				if (!(seg->flags & TCPHDR_FIN)) {
					tcp_time_wait(sk, NDS_TCP_FIN_WAIT2,
						      tmo);
					return false;
				}
			}
		}
		break;
	case NDS_TCP_CLOSING:
		if (sk->snd_una == sk->write_seq) {
			tcp_time_wait(sk, NDS_TCP_TIME_WAIT, 0);
			return false;
		}
		break;
	case NDS_TCP_LAST_ACK:
		if (sk->snd_una == sk->write_seq) {
			tcp_done(sk);
			return false;
		}
		break;
	case NDS_TCP_TIME_WAIT:
		/* tcp_timewait_state_process: re-ACK a retransmitted FIN */
		if (seg->flags & TCPHDR_FIN) {
			tcp_send_ack(sk);
			tcp_time_wait(sk, NDS_TCP_TIME_WAIT, 0);
		}
		return false;
	default:
		break;
	}
	return true;
}

/* RFC 9293 3.10.7.4 steps 6 to 8 (URG, segment text, FIN), then what the
 * segment leaves to send: new data the ACK allowed, and our ACK. */
static void tcp_rcv_text(struct sock *sk, struct tcp_seg *seg)
{
	tcp_urg(sk, seg);	/* step 6: the URG bit (tcp_urg.c) */
	switch (sk->state) {
	case NDS_TCP_CLOSE_WAIT:
	case NDS_TCP_CLOSING:
	case NDS_TCP_LAST_ACK:
		if (!before(seg->seq, sk->rcv_nxt))
			break;
		/* fall through */
	case NDS_TCP_FIN_WAIT1:
	case NDS_TCP_FIN_WAIT2:
		/* new data for a socket whose reader is gone can never be
		 * delivered, so the peer is told at once with a reset
		 * (Linux: tcp_rcv_state_process, TCPAbortOnData) */
		if ((sk->shutdown & RCV_SHUTDOWN) && sk->fd < 0 &&
		    seg->end_seq != seg->seq &&
		    after(seg->end_seq - ((seg->flags & TCPHDR_FIN) ? 1 : 0),
			  sk->rcv_nxt)) {
			tcp_v4_send_reset(sk->ns, seg);
			tcp_reset(sk);
			return;
		}
		/* fall through */
	case NDS_TCP_ESTABLISHED:
		if (sk->state == NDS_TCP_ESTABLISHED)
			tcp_rcv_rtt_measure_ts(sk, seg);
		tcp_data_queue(sk, seg);
		break;
	default:
		break;
	}
	if (sk->state != NDS_TCP_CLOSE) {
		tcp_data_snd_check(sk);
		tcp_ack_snd_check(sk);
	}
}

/* Header prediction (Van Jacobson's, as Linux's tcp_rcv_established
 * does it with pred_flags and tcp_fast_path_check): a plain in-order ACK,
 * with or without data, that repeats the window we know and carries no
 * option but a timestamp that is not older than ts_recent. Such a segment
 * passes every check of tcp_validate_incoming by construction. */
static bool tcp_header_predicted(const struct sock *sk,
				 const struct tcp_seg *seg)
{
	if ((seg->flags & (uint8_t)~TCPHDR_PSH) != TCPHDR_ACK)
		return false;
	if (seg->doff != 20 + (sk->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0))
		return false;
	if (sk->tstamp_ok && (!seg->saw_tstamp ||
			      (int32_t)(seg->tsval - sk->ts_recent) < 0))
		return false;
	if (seg->window != sk->snd_wnd >> sk->snd_wscale)
		return false;
	/* tcp_fast_path_check: nothing out of order, a window to fill,
	 * no urgent data pending */
	if (sk->ofo.head || !sk->rcv_wnd || sk->urg.urg_data)
		return false;
	/* data past the window takes the slow path, where tcp_sequence
	 * decides (6.17+) */
	return seg->seq == sk->rcv_nxt &&
	       !before(seg->end_seq, sk->rcv_wup) &&
	       !after(seg->end_seq, sk->rcv_nxt + tcp_receive_window(sk)) &&
	       !after(seg->ack_seq, sk->snd_nxt);
}

/* A segment for an ESTABLISHED socket (Linux: tcp_rcv_established).
 * Fast path: a predicted header needs none of the PAWS, sequence, RST and
 * SYN checks. Slow path: RFC 9293 3.10.7.4's checks in order. Both then
 * process the ACK, the URG bit and the data the same way. */
void tcp_rcv_established(struct sock *sk, struct tcp_seg *seg)
{
	TRACE_CALL(sk);
	if (!tcp_header_predicted(sk, seg)) {
		/* slow path */
		if (!(seg->flags & (TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN)))
			return;
		if (!tcp_validate_incoming(sk, seg))
			return;
		if (!(seg->flags & TCPHDR_ACK))
			return;
	}
	tcp_ecn_received_counters_payload(sk, seg);
	if (tcp_ack(sk, seg) < 0) {
		/* RFC 9293 3.10.7.4 (RFC 5961 5.2): an ACK of data never
		 * sent is answered with a rate-limited ACK, as in the other
		 * states, and the segment dropped */
		if (after(seg->ack_seq, sk->snd_nxt))
			tcp_send_challenge_ack(sk);
		return;
	}
	tcp_replace_ts_recent(sk, seg);
	if (seg->len)
		sk->lrcvtime = sk->ns->now;
	if (!tcp_rcv_ack_state(sk, seg))
		return;
	tcp_rcv_text(sk, seg);
}

/* A segment for a socket in any state but LISTEN and ESTABLISHED (Linux:
 * tcp_rcv_state_process): the handshake states first, then the closing
 * states. */
void tcp_rcv_state_process(struct sock *sk, struct tcp_seg *seg)
{
	int acceptable;
	TRACE_CALL(sk);

	if (sk->state == NDS_TCP_SYN_SENT) {
		tcp_rcv_synsent_state_process(sk, seg);
		return;
	}
	if (sk->state == NDS_TCP_SYN_RECV && !sk->tfo_child && !sk->simopen) {
		if (!tcp_check_req(sk, seg))
			return;
		/* now ESTABLISHED: fall through to process data/FIN */
		seg->flags &= (uint8_t)~TCPHDR_SYN;
	} else {
		if (sk->state == NDS_TCP_SYN_RECV && seg->seq == sk->irs &&
		    (seg->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) ==
			    TCPHDR_SYN) {
			tcp_send_synack(sk);	/* retransmitted SYN */
			return;
		}
		if (!(seg->flags & (TCPHDR_ACK | TCPHDR_RST | TCPHDR_SYN)))
			return;
		if (!tcp_validate_incoming(sk, seg))
			return;
		if (!(seg->flags & TCPHDR_ACK))
			return;
		tcp_ecn_received_counters_payload(sk, seg);
		acceptable = tcp_ack(sk, seg);
		if (acceptable < 0) {
			if (sk->state == NDS_TCP_SYN_RECV) {
				tcp_v4_send_reset(sk->ns, seg);
				return;
			}
			/* RFC 5961 5.2: an ACK for data never sent is
			 * answered with an ACK */
			if (after(seg->ack_seq, sk->snd_nxt))
				tcp_send_challenge_ack(sk);
			return;
		}
		if (sk->state == NDS_TCP_SYN_RECV && sk->simopen) {
			if (!after(sk->snd_una, sk->iss)) {
				/* the ACK does not cover our SYN */
				tcp_v4_send_reset(sk->ns, seg);
				return;
			}
			tcp_simopen_established(sk);
		} else if (sk->state == NDS_TCP_SYN_RECV) {
			tcp_tfo_child_established(sk, seg);
		}
	}
	tcp_replace_ts_recent(sk, seg);
	if (seg->len)
		sk->lrcvtime = sk->ns->now;
	if (!tcp_rcv_ack_state(sk, seg))
		return;
	tcp_rcv_text(sk, seg);
}
