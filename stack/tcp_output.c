/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_output.c: building and sending TCP segments.
 *
 * tcp_push -> __tcp_push_pending_frames -> tcp_write_xmit
 *   -> (tcp_cwnd_test, tcp_snd_wnd_test, tcp_nagle_test,
 *       tcp_tso_should_defer, tcp_mss_split_point, tso_fragment)
 *   -> tcp_transmit_skb -> tcp_options_write -> ip_queue_xmit
 * tcp_connect / tcp_send_synack / tcp_send_ack / tcp_send_fin /
 * tcp_send_active_reset / tcp_retransmit_skb / tcp_send_probe0.
 */
#include "tcp_priv.h"
#include "trace_priv.h"
#include "tcp_ecn.h"
#include "sock_errqueue.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

uint32_t tcp_tsval(const struct sock *sk)
{
	return (uint32_t)(sk->ns->now / USEC_PER_MSEC) + sk->ts_off;
}

uint32_t tcp_rto_min(const struct sock *sk)
{
	return (uint32_t)sk->ns->sysctl.tcp_rto_min_us;
}

/* tcp_win_from_space: the part of a memory budget the window may offer,
 * by the socket's scaling_ratio (tcp_scaling_ratio_init: 50%, re-measured
 * in tcp_measure_rcv_mss). */
int tcp_win_from_space(const struct sock *sk, int space)
{
	int ratio = sk->scaling_ratio ? sk->scaling_ratio
				      : TCP_DEFAULT_SCALING_RATIO;

	return (int)(((int64_t)space * ratio) >> TCP_RMEM_TO_WIN_SCALE);
}

/* tcp_space_from_win: the inverse, memory needed to offer win */
int tcp_space_from_win(const struct sock *sk, int win)
{
	int ratio = sk->scaling_ratio ? sk->scaling_ratio
				      : TCP_DEFAULT_SCALING_RATIO;

	return (int)(((int64_t)win << TCP_RMEM_TO_WIN_SCALE) / ratio);
}

int tcp_full_space(const struct sock *sk)
{
	return tcp_win_from_space(sk, sk->sk_rcvbuf);
}

int tcp_space(const struct sock *sk)
{
	return tcp_win_from_space(sk, sk->sk_rcvbuf - sk->sk_rmem_alloc);
}

/* tcp_rx_truesize: the memory Linux charges for a segment received from
 * a tun device (tun_get_user, IFF_VNET_HDR) as packetdrill writes it
 * (hdr_len 0, with --mss a gso_size), by the IP packet's length: below a
 * page with NET_SKB_PAD, one kmalloc'd head holding the packet and
 * skb_shared_info, rounded up to its slab; otherwise no head of its own:
 * the whole packet sits in page chunks of falling order
 * (alloc_skb_with_frags) and the headers pulled out of them do not count
 * (the skb still belongs to tun then), so struct sk_buff and the chunks
 * only. Checked against Linux 6.18 with SK_MEMINFO_RMEM_ALLOC and
 * TCP_WINDOW_CLAMP: 8448 for 4000 bytes, 12544 for 9000 or 10000, 16640
 * for 12000. Queue accounting (sk_rmem_alloc) still counts payload bytes;
 * this feeds the scaling_ratio and tcp_grow_window. */
uint32_t tcp_rx_truesize(const struct tcp_seg *seg)
{
	const uint32_t pad = 64, shinfo = 320, skb = 256, page = 4096;
	uint32_t hdr = (seg->v4 ? 20 : 40) + (seg->doff ? seg->doff : 20);
	uint32_t pkt = hdr + seg->len, slab = 512, data, t, chunk;

	if (pad + pkt < page) {
		uint32_t head = ((pad + pkt + 63) & ~63U) + shinfo;
		while (slab < head)
			slab <<= 1;
		return slab + skb;
	}
	/* A page or more: tun_alloc_skb with hdr_len 0 (packetdrill's
	 * writes, with --mss or not) puts the whole packet in page chunks,
	 * which take the packet and 384 bytes more (6.18 with SO_MEMINFO:
	 * 7768 payload bytes over IPv4 fit 8192, 7769 do not; 12000 take
	 * 16384; 4000 take 8192) */
	t = skb;
	data = pkt + 384;
	while (data) {
		uint32_t need = (data + page - 1) & ~(page - 1);
		chunk = page << 3;	/* PAGE_ALLOC_COSTLY_ORDER */
		while (chunk > page && need < chunk)
			chunk >>= 1;
		t += chunk;
		data = data > chunk ? data - chunk : 0;
	}
	return t;
}

/* tcp_bound_to_half_wnd */
static uint32_t tcp_bound_to_half_wnd(const struct sock *sk, uint32_t pktsize)
{
	uint32_t cutoff;

	if (sk->max_window > TCP_MSS_DEFAULT)
		cutoff = sk->max_window >> 1;
	else
		cutoff = sk->max_window;
	if (cutoff && pktsize > cutoff) {
		uint32_t floor = 68 - sk->tcp_header_len;
		return cutoff > floor ? cutoff : floor;
	}
	return pktsize;
}

static int net_header_len(const struct sock *sk)
{
	return sk->wire_v4 ? 20 : 40;
}

/* tcp_mss_to_mtu: the MTU a segment of mss bytes of data fills */
int tcp_mss_to_mtu(const struct sock *sk, int mss)
{
	return mss + sk->tcp_header_len + net_header_len(sk);
}

/* __tcp_mtu_to_mss minus options (tcp_mtu_to_mss) */
int tcp_mtu_to_mss(struct sock *sk, int pmtu)
{
	int mss = pmtu - net_header_len(sk) - 20;

	if (sk->rx_opt_mss_clamp && mss > sk->rx_opt_mss_clamp)
		mss = sk->rx_opt_mss_clamp;
	if (mss < sk->ns->sysctl.tcp_min_snd_mss)
		mss = sk->ns->sysctl.tcp_min_snd_mss;
	return mss - (sk->tcp_header_len - 20);
}

/* tcp_sync_mss: the sending MSS for path MTU pmtu, never above what MTU
 * probing has confirmed (search_low) while probing is on */
uint32_t tcp_sync_mss(struct sock *sk, uint32_t pmtu)
{
	int mss;

	if (sk->mtup.search_high > (int)pmtu)
		sk->mtup.search_high = (int)pmtu;
	mss = tcp_mtu_to_mss(sk, (int)pmtu);
	mss = (int)tcp_bound_to_half_wnd(sk, (uint32_t)mss);
	sk->pmtu_cookie = pmtu;
	if (sk->mtup.enabled) {
		int low = tcp_mtu_to_mss(sk, sk->mtup.search_low);

		if (low < mss)
			mss = low;
	}
	sk->mss_cache = (uint32_t)mss;
	return sk->mss_cache;
}

/* tcp_mtup_init: start packetization-layer PMTU discovery (RFC 4821)
 * between tcp_base_mss and the peer's MSS; tcp_mtu_probing 2 turns it
 * on, 1 only after a black hole (tcp_timer.c) */
void tcp_mtup_init(struct sock *sk)
{
	const struct nds_sysctls *s = &sk->ns->sysctl;

	sk->mtup.enabled = s->tcp_mtu_probing > 1;
	sk->mtup.search_high = sk->rx_opt_mss_clamp + 20 + net_header_len(sk);
	sk->mtup.search_low = tcp_mss_to_mtu(sk, s->tcp_base_mss);
	sk->mtup.probe_size = 0;
	if (sk->mtup.enabled)
		sk->mtup.probe_timestamp = sk->ns->now;
}

/* Bytes of options on an established-state segment (TS, SACK blocks). */
static int tcp_established_options_size(const struct sock *sk)
{
	int size = 0, n;

	if (sk->tstamp_ok)
		size += 12;
	n = sk->num_sacks + (sk->dsack ? 1 : 0);
	if (n) {
		int room = (40 - size - 4) / 8;
		if (n > room)
			n = room;
		size += 4 + 8 * n;
	}
	{
		/* the AccECN option, which may take a SACK block's room */
		int nsacks = n, nfields, acc;

		acc = tcp_ecn_established_option((struct sock *)sk, size,
						 &nsacks, &nfields);
		if (nfields >= 0)
			size += acc;	/* less any SACK block it took */
	}
	return size;
}

uint32_t tcp_current_mss(struct sock *sk)
{
	uint32_t mss_now = sk->mss_cache;

	if ((uint32_t)dst_mtu(sk) != sk->pmtu_cookie || !mss_now)
		mss_now = tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
	int header_len = tcp_established_options_size(sk) + 20;

	if (sk->state == NDS_TCP_ESTABLISHED || sk->state ==
	    NDS_TCP_CLOSE_WAIT || sk->state == NDS_TCP_FIN_WAIT1) {
		if (header_len != sk->tcp_header_len)
			mss_now -= (uint32_t)(header_len - sk->tcp_header_len);
	}
	return mss_now;
}

int tcp_advertise_mss(struct sock *sk)
{
	int mss = sk->ns->mtu - net_header_len(sk) - 20;

	if (route_advmss(sk))
		mss = route_advmss(sk);	/* dst_metric_advmss (route.c) */
	if (sk->user_mss && sk->user_mss < mss)
		mss = sk->user_mss;
	return mss;
}

int tcp_skb_pcount(struct sock *sk, struct sk_buff *skb)
{
	if (!skb->pcount) {
		uint32_t mss = sk->mss_cache ? sk->mss_cache : TCP_MSS_DEFAULT;
		skb->pcount = skb->len <= mss ? 1
				: (uint16_t)((skb->len + mss - 1) / mss);
		skb->pcount_mss = (uint16_t)mss;
	}
	return skb->pcount;
}

static void tcp_set_skb_tso_segs(struct sk_buff *skb, uint32_t mss)
{
	skb->pcount = skb->len <= mss ? 1
			: (uint16_t)((skb->len + mss - 1) / mss);
	skb->pcount_mss = (uint16_t)mss;
}

/* ------------------------------------------------------------ windows */

/* tcp_select_initial_window */
void tcp_select_initial_window(struct sock *sk, int space, uint32_t mss,
			       uint32_t *rcv_wnd, uint32_t *clamp,
			       bool wscale_ok, uint8_t *rcv_wscale)
{
	struct nds_sysctls *s = &sk->ns->sysctl;

	if (*clamp == 0)
		*clamp = 65535U << TCP_MAX_WSCALE;
	if ((uint32_t)space > *clamp)
		space = (int)*clamp;
	if ((uint32_t)space > mss)
		space = (int)(rounddown_u32((uint32_t)space, mss));
	/* 6.18 offers the whole space from the first window on; only
	 * tcp_workaround_signed_windows holds it to 32767 until the peer
	 * proves it scales (the SYN itself is always clamped to 16 bits). */
	if (s->tcp_workaround_signed_windows && (uint32_t)space > 32767)
		*rcv_wnd = 32767;
	else
		*rcv_wnd = (uint32_t)space;
	*rcv_wscale = 0;
	if (wscale_ok) {
		int sp = space, ws = 0;
		if (sp < s->tcp_rmem[2])
			sp = s->tcp_rmem[2];
		if (sp < s->rmem_max)
			sp = s->rmem_max;
		if ((uint32_t)sp > *clamp)
			sp = (int)*clamp;
		while (sp > 65535 && ws < TCP_MAX_WSCALE) {
			sp >>= 1;
			ws++;
		}
		/* ilog2(space) - 15, clamped: same as halving past 64K */
		*rcv_wscale = (uint8_t)ws;
	}
	{
		uint64_t c = (uint64_t)65535 << *rcv_wscale;
		if (c < *clamp)
			*clamp = (uint32_t)c;
	}
}

uint32_t tcp_receive_window(const struct sock *sk)
{
	int32_t win = (int32_t)(sk->rcv_wup + sk->rcv_wnd - sk->rcv_nxt);

	return win < 0 ? 0 : (uint32_t)win;
}

/* __tcp_select_window: the window we would offer now, in bytes. */
static uint32_t select_window(struct sock *sk);

uint32_t __tcp_select_window(struct sock *sk)
{
	uint32_t window = select_window(sk);
	TRACE_CALL(sk);

	TRACE_VALUES(sk, "rcv_mss=%u tcp_space=%d tcp_full_space=%d "
		     "window_clamp=%u rcv_ssthresh=%u rcv_wscale=%u "
		     "window=%u", sk->rcv_mss, tcp_space(sk),
		     tcp_full_space(sk), sk->window_clamp, sk->rcv_ssthresh,
		     sk->rcv_wscale, window);
	return window;
}

static uint32_t select_window(struct sock *sk)
{
	int mss = (int)sk->rcv_mss;
	int free_space = tcp_space(sk);
	int allowed = tcp_full_space(sk);
	int full_space = (int)sk->window_clamp < allowed ? (int)sk->window_clamp
							  : allowed;
	uint32_t window;

	if (mss > full_space) {
		mss = full_space;
		if (mss <= 0)
			return 0;
	}
	if (sk->ns->sysctl.tcp_shrink_window && sk->rcv_wscale) {
		/* tcp_shrink_window (6.5+): the window follows the free
		 * memory down as well as up, in whole scale units */
		uint32_t unit = 1U << sk->rcv_wscale;

		free_space &= ~(int)(unit - 1);
		if (free_space < (full_space >> 1)) {
			sk->quick = 0;
			if (free_space < (allowed >> 4) ||
			    free_space > (int)sk->rcv_ssthresh ||
			    free_space < mss || free_space < (int)unit)
				return 0;
		}
		if (free_space > (int)sk->rcv_ssthresh)
			free_space = (int)((sk->rcv_ssthresh + unit - 1) &
					   ~(unit - 1));
		return (uint32_t)free_space;
	}
	if (free_space < (full_space >> 1)) {
		/* short of memory: leave quickack, never let wscale round the
		 * window up, and go to zero below one rcv_mss or 1/16 of the
		 * buffer (so the zero window comes before the memory limit) */
		sk->quick = 0;
		free_space &= ~((1 << sk->rcv_wscale) - 1);
		if (free_space < (allowed >> 4) || free_space < mss)
			return 0;
	}
	if (free_space > (int)sk->rcv_ssthresh)
		free_space = (int)sk->rcv_ssthresh;
	window = sk->rcv_wnd;
	if (sk->rcv_wscale) {
		window = (uint32_t)free_space;
		if (((window >> sk->rcv_wscale) << sk->rcv_wscale) != window)
			window = ((window >> sk->rcv_wscale) + 1)
				 << sk->rcv_wscale;
	} else {
		if ((int)window <= free_space - mss || (int)window > free_space)
			window = (uint32_t)(free_space / mss * mss);
		else if (mss == full_space &&
			 free_space > (int)window + (full_space >> 1))
			window = (uint32_t)free_space;
	}
	return window;
}

/* tcp_select_window: never shrink (unless tcp_shrink_window allows it
 * with window scaling); returns the scaled header value. */
uint32_t tcp_select_window(struct sock *sk)
{
	uint32_t old_win = tcp_receive_window(sk);
	uint32_t new_win = __tcp_select_window(sk);
	uint32_t prior_wnd = sk->rcv_wnd;

	if (new_win < old_win &&
	    (!sk->ns->sysctl.tcp_shrink_window || !sk->rcv_wscale)) {
		uint32_t a = 1U << sk->rcv_wscale;

		if (!new_win)
			nds_mib_inc(sk->ns, MIB_TCP_WANT_ZERO_WINDOW_ADV);
		new_win = (old_win + a - 1) & ~(a - 1);
	}
	sk->rcv_wnd = new_win;
	sk->rcv_wup = sk->rcv_nxt;
	if (new_win > (65535U << sk->rcv_wscale))
		new_win = 65535U << sk->rcv_wscale;
	if (!(new_win >> sk->rcv_wscale)) {
		if (prior_wnd)
			nds_mib_inc(sk->ns, MIB_TCP_TO_ZERO_WINDOW_ADV);
	} else if (!prior_wnd) {
		nds_mib_inc(sk->ns, MIB_TCP_FROM_ZERO_WINDOW_ADV);
	}
	return new_win >> sk->rcv_wscale;
}

/* ------------------------------------------------------------ options */

struct tcp_out_options {
	int mss;		/* 0 = none */
	int ws;			/* -1 = none */
	bool sack_ok;
	bool ts;
	uint32_t tsval, tsecr;
	int num_sacks;
	struct tcp_sack_block sacks[5];
	int fo_len;		/* Fast Open cookie length, -1 = no option */
	bool fo_exp;
	const uint8_t *fo_cookie;
	int accecn;		/* AccECN option fields (order 1), -1 = none */
	uint32_t accecn_bytes[3];	/* e1b ceb e0b as sent */
	bool dsack;		/* sacks[0] is a DSACK */
};

/* The AccECN option, always in order 1 (kind 174: e1b ceb e0b), fields
 * first: its bytes go into the 32-bit words Linux builds, and what does
 * not fill a word (one byte of a 1-field option, or the 2-byte empty
 * option) is left over for the word of the next option (SACK permitted,
 * wscale, SACK), or padded with NOPs at the end. */
static uint8_t *tcp_accecn_write(uint8_t *p, const struct tcp_out_options *o,
				 uint8_t *left, int *nleft)
{
	int n = o->accecn;
	uint8_t b[11];
	int len = 2 + 3 * n, i;

	b[0] = TCPOPT_ACCECN1;
	b[1] = (uint8_t)len;
	for (i = 0; i < n; i++) {
		b[2 + 3 * i] = (uint8_t)(o->accecn_bytes[i] >> 16);
		b[3 + 3 * i] = (uint8_t)(o->accecn_bytes[i] >> 8);
		b[4 + 3 * i] = (uint8_t)o->accecn_bytes[i];
	}
	i = len & ~3;		/* whole words now */
	memcpy(p, b, (size_t)i);
	p += i;
	*nleft = len - i;
	if (*nleft == 3) {	/* 3 fields: 11 bytes and a NOP */
		memcpy(p, b + i, 3);
		p += 3;
		*p++ = TCPOPT_NOP;
		*nleft = 0;
	} else {
		memcpy(left, b + i, (size_t)*nleft);
	}
	return p;
}

/* the leftover bytes, then NOPs, up to 2 bytes, before a 2-byte option
 * header */
static uint8_t *tcp_leftover2(uint8_t *p, const uint8_t *left, int *nleft)
{
	for (int i = 0; i < 2; i++)
		*p++ = i < *nleft ? left[i] : TCPOPT_NOP;
	*nleft = 0;
	return p;
}

/* tcp_options_write: Linux's order and packing. Returns bytes written. */
static int tcp_options_write(uint8_t *p, const struct tcp_out_options *o)
{
	uint8_t *start = p, left[2];
	int nleft = 0;
	bool sack_perm_done = false;

	if (o->mss) {
		*p++ = TCPOPT_MSS;
		*p++ = TCPOLEN_MSS;
		*p++ = (uint8_t)(o->mss >> 8);
		*p++ = (uint8_t)o->mss;
	}
	if (o->ts) {
		if (o->sack_ok) {
			*p++ = TCPOPT_SACK_PERM;
			*p++ = TCPOLEN_SACK_PERM;
		} else {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
		}
		*p++ = TCPOPT_TIMESTAMP;
		*p++ = TCPOLEN_TIMESTAMP;
		uint32_t v = htonl(o->tsval);
		memcpy(p, &v, 4);
		p += 4;
		v = htonl(o->tsecr);
		memcpy(p, &v, 4);
		p += 4;
		sack_perm_done = true;
	}
	if (o->accecn >= 0)
		p = tcp_accecn_write(p, o, left, &nleft);
	if (o->sack_ok && !sack_perm_done) {
		p = tcp_leftover2(p, left, &nleft);
		*p++ = TCPOPT_SACK_PERM;
		*p++ = TCPOLEN_SACK_PERM;
	}
	if (o->ws >= 0) {
		/* one leftover byte takes the NOP's place */
		if (nleft == 1) {
			*p++ = left[0];
			nleft = 0;
		} else {
			*p++ = TCPOPT_NOP;
		}
		*p++ = TCPOPT_WINDOW;
		*p++ = TCPOLEN_WINDOW;
		*p++ = (uint8_t)o->ws;
	}
	if (o->fo_len >= 0) {
		int len;
		if (o->fo_exp) {
			len = 4 + o->fo_len;
			*p++ = TCPOPT_EXP;
			*p++ = (uint8_t)len;
			*p++ = 0xf9;
			*p++ = 0x89;
		} else {
			len = 2 + o->fo_len;
			*p++ = TCPOPT_FASTOPEN;
			*p++ = (uint8_t)len;
		}
		memcpy(p, o->fo_cookie, (size_t)o->fo_len);
		p += o->fo_len;
		if ((len & 3) == 2) {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
		}
	}
	if (o->num_sacks) {
		p = tcp_leftover2(p, left, &nleft);
		*p++ = TCPOPT_SACK;
		*p++ = (uint8_t)(2 + 8 * o->num_sacks);
		for (int i = 0; i < o->num_sacks; i++) {
			uint32_t v = htonl(o->sacks[i].start_seq);
			memcpy(p, &v, 4);
			v = htonl(o->sacks[i].end_seq);
			memcpy(p + 4, &v, 4);
			p += 8;
		}
	}
	if (nleft) {
		p = tcp_leftover2(p, left, &nleft);
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
	}
	return (int)(p - start);
}

/* tcp_established_options */
static void tcp_established_options(struct sock *sk, struct tcp_out_options *o,
				    bool consume_dsack)
{
	int room;

	memset(o, 0, sizeof(*o));
	o->ws = -1;
	o->fo_len = -1;
	if (sk->tstamp_ok) {
		o->ts = true;
		o->tsval = tcp_tsval(sk);
		o->tsecr = sk->ts_recent;
	}
	room = (40 - (o->ts ? 12 : 0) - 4) / 8;
	if (sk->dsack && room > 0) {
		o->sacks[o->num_sacks++] = sk->duplicate_sack[0];
		o->dsack = true;
		if (consume_dsack)
			sk->dsack = false;
	}
	for (int i = 0; i < sk->num_sacks && o->num_sacks < room; i++)
		o->sacks[o->num_sacks++] = sk->selective_acks[i];
	o->accecn = -1;
	tcp_ecn_established_option(sk, (o->ts ? 12 : 0) +
				   (o->num_sacks ? 4 + 8 * o->num_sacks : 0),
				   &o->num_sacks, &o->accecn);
	if (o->accecn >= 0) {
		o->accecn_bytes[0] = sk->acc.received_ecn_bytes[INET_ECN_ECT_1 - 1] +
				     TCP_ACCECN_E1B_INIT_OFFSET;
		o->accecn_bytes[1] = sk->acc.received_ecn_bytes[INET_ECN_CE - 1] +
				     TCP_ACCECN_CEB_INIT_OFFSET;
		o->accecn_bytes[2] = sk->acc.received_ecn_bytes[INET_ECN_ECT_0 - 1] +
				     TCP_ACCECN_E0B_INIT_OFFSET;
	}
}

/* ------------------------------------------------------------ transmit */

/* tcp_event_ack_sent: an ACK went out, so no delayed ACK is needed. */
static void tcp_event_ack_sent(struct sock *sk, int pkts)
{
	if (sk->quick) {
		sk->quick -= pkts;
		if (sk->quick < 0)
			sk->quick = 0;
	}
	sk->ack_pending = 0;
	nds_timer_del(&sk->delack_timer);
	sk->last_ack_sent_rcv_nxt = sk->rcv_nxt;
}

/* What the qdisc learns of the skb about to go (skb->sk, skb->tstamp,
 * skb->truesize): sockets without a full socket in Linux (a request
 * socket's SYN-ACK, TIME_WAIT) go as orphans in sch_fq.c. */
static void ns_xmit_begin(struct sock *sk, uint32_t seq, uint32_t len,
			  uint64_t edt)
{
	struct nds_xmit *x = &sk->ns->xmit;

	x->sk = sk;
	x->tstamp_ns = edt;
	x->truesize = SKB_OVERHEAD + len;
	x->seq = seq;
	x->data = len > 0;
	x->gso_segs = 1;
}

/* tcp_gso_xmit: hand a built header plus len payload bytes to IP as the
 * wire shows it. tun0 has TSO on by default (packetdrill's TUNSETOFFLOAD),
 * so a multi-segment (GSO) skb reaches the sniffer as one packet. After
 * `ethtool -K tun0 tso off` the device cannot take it and the skb is
 * segmented in software in front of it (validate_xmit_skb ->
 * tcp_gso_segment): mss-sized segments, PSH and FIN on the last only, CWR
 * on the first only, each with its own sequence number, IP ID and
 * checksum. In AccECN mode every skb is SKB_GSO_TCP_ACCECN (tcp_ecn_send),
 * which needs tx-tcp-accecn-segmentation (NETIF_F_GSO_ACCECN); a TUN
 * device never offers it (its features are TUNSETOFFLOAD's TSO4/TSO6/
 * TSO_ECN), so such an skb is segmented in software too, and there CWR,
 * a bit of the ACE counter, stays on every segment. 0, or NET_XMIT_DROP
 * when the first segment was dropped locally. */
static int tcp_gso_xmit(struct sock *sk, uint8_t *buf, int hlen,
			uint32_t seq, uint8_t flags, uint64_t edt,
			const uint8_t *data, uint32_t len, int pcount, int tos)
{
	struct nds_tcphdr *th = (struct nds_tcphdr *)buf;
	uint32_t gso = len, off = 0;

	if (pcount > 1 && len && !(flags & TCPHDR_SYN) && sk->mss_cache &&
	    (sk->ns->netdev.tso_off || tcp_ecn_mode_accecn(sk))) {
		/* gso_size: the mss for this header (tcp_current_mss) */
		gso = sk->mss_cache;
		if (hlen > sk->tcp_header_len && sk->tcp_header_len &&
		    gso > (uint32_t)(hlen - sk->tcp_header_len))
			gso -= (uint32_t)(hlen - sk->tcp_header_len);
		if (!gso)
			gso = len;
	}
	ns_xmit_begin(sk, seq, len, edt);
	if (pcount > 1 && gso == len)
		sk->ns->xmit.gso_segs = (uint16_t)pcount;
	do {
		uint32_t n = len - off > gso ? gso : len - off;
		uint8_t f = flags;
		uint32_t sum;

		if (off + n < len)
			f &= (uint8_t)~(TCPHDR_PSH | TCPHDR_FIN);
		if (off && !tcp_ecn_mode_accecn(sk))
			f &= (uint8_t)~TCPHDR_CWR;	/* AccECN: CWR is ACE */
		th->seq = htonl(seq + off);
		th->urg_ptr = htons(tcp_urg_ptr(sk, seq + off, &f));
		th->flags = f;
		th->check = 0;
		if (n)
			memcpy(buf + hlen, data + off, n);
		sum = csum_pseudo(&sk->saddr, &sk->daddr, sk->wire_v4,
				  IPPROTO_TCP, (uint32_t)hlen + n);
		th->check = htons(csum_fold(csum_partial(buf, (size_t)hlen + n,
							 sum)));
		if (ip_queue_xmit(sk->ns, &sk->saddr, &sk->daddr, IPPROTO_TCP,
				  buf, (size_t)hlen + n, tos, sk->ttl,
				  sk->ip_id++, ip_dont_fragment(sk)) && !off) {
			memset(&sk->ns->xmit, 0, sizeof(sk->ns->xmit));
			return NET_XMIT_DROP;
		}
		/* the skb's memory is charged once (software GSO splits it
		 * after the qdisc) */
		sk->ns->xmit.truesize = 0;
		off += n;
	} while (off < len);
	memset(&sk->ns->xmit, 0, sizeof(sk->ns->xmit));
	return 0;
}

/* Build one segment and hand it to IP (__tcp_transmit_skb); 0, or
 * NET_XMIT_DROP when the device's qdisc dropped it (sch.c). */
static int tcp_transmit(struct sock *sk, uint32_t seq, uint16_t flags,
			 const uint8_t *data, uint32_t len, int pcount,
			 const struct tcp_out_options *opts_in)
{
	uint8_t buf[60 + 65536];
	struct nds_tcphdr *th = (struct nds_tcphdr *)buf;
	struct tcp_out_options opts;
	uint64_t edt;
	int optlen, hlen, ect = 0;
	uint32_t win;

	if (len > 65536)
		return 0;
	/* the earliest departure time (EDT) of this packet: not before the
	 * one pacing set (__tcp_transmit_skb); a SYN-ACK comes from the
	 * request socket in Linux, so it leaves the child's clock alone */
	if (sk->state == NDS_TCP_SYN_RECV && !sk->tfo_child) {
		edt = tcp_clock_ns(sk);
	} else {
		sk->tcp_prior_wstamp_ns = sk->tcp_wstamp_ns;
		if (sk->tcp_wstamp_ns < tcp_clock_ns(sk))
			sk->tcp_wstamp_ns = tcp_clock_ns(sk);
		edt = sk->tcp_wstamp_ns;
		sk_dst_check(sk);	/* ip_queue_xmit's route check */
	}
	if (opts_in)
		opts = *opts_in;
	else
		tcp_established_options(sk, &opts, true);
	/* TS val is the skb's departure time (tcp_skb_timestamp_ts) */
	if (opts.ts && !(flags & TCPHDR_SYN))
		opts.tsval = (uint32_t)(edt / 1000000) + sk->ts_off;
	memset(th, 0, sizeof(*th));
	optlen = tcp_options_write(buf + sizeof(*th), &opts);
	hlen = (int)sizeof(*th) + optlen;
	th->source = htons(sk->sport);
	th->dest = htons(sk->dport);
	th->seq = htonl(seq);
	if (flags & TCPHDR_ACK)
		th->ack_seq = htonl(sk->rcv_nxt);
	th->doff_res = (uint8_t)((hlen / 4) << 4);
	if (pcount > 1 && len)
		flags |= TCPHDR_PSH;	/* force PSH on GSO packets */
	if (!(flags & TCPHDR_SYN)) {
		tcp_ecn_send(sk, seq, len, &flags, &ect);
		if (opts.accecn >= 0)
			tcp_ecn_option_sent(sk, opts.dsack);
		else
			tcp_ecn_option_not_sent(sk);
	}
	if (flags & TCPHDR_AE)
		th->doff_res |= 1;
	if (flags & TCPHDR_SYN)
		win = sk->rcv_wnd < 65535 ? sk->rcv_wnd : 65535;
	else if ((flags & TCPHDR_RST) && !(flags & TCPHDR_ACK))
		win = 0;
	else	/* tcp_send_active_reset's RST|ACK offers the window too */
		win = tcp_select_window(sk);
	th->window = htons((uint16_t)win);
	sk->segs_out += pcount > 0 ? (uint32_t)pcount : 1;
	if (len)
		sk->data_segs_out += pcount > 0 ? (uint32_t)pcount : 1;
	if (flags & TCPHDR_ACK)
		tcp_event_ack_sent(sk, pcount > 0 ? pcount : 1);
	if (len && !(flags & TCPHDR_SYN)) {
		/* tcp_event_data_sent: pingpong detection */
		if (sk->ns->now - sk->lrcv_data < (int64_t)sk->ato &&
		    sk->lrcv_data)
			sk->pingpong = 1;
		sk->lsndtime = sk->ns->now;
	}
	if (!sk->ns->xmit_retrans)
		nds_mib_add(sk->ns, MIB_TCP_OUT_SEGS,
			    pcount > 0 ? (uint64_t)pcount : 1);
	if (tcp_gso_xmit(sk, buf, hlen, seq, (uint8_t)flags, edt, data, len,
			 pcount,
			 ect ? ((sk->tos < 0 ? 0 : sk->tos) & ~3) | ect
			     : sk->tos))
		return NET_XMIT_DROP;	/* local drop: not on the wire */
	sock_tx_tstamp_xmit(sk, seq, flags, data, len);
	return 0;
}

static void tcp_update_skb_after_send(struct sock *sk,
				      const struct sk_buff *skb);

/* Send an skb (data, SYN or FIN) from its start; 0 or NET_XMIT_DROP. */
static int tcp_transmit_skb(struct sock *sk, struct sk_buff *skb)
{
	uint8_t flags = TCPHDR_ACK | skb->tcp_flags;
	TRACE_CALL(sk);

	if (skb->tcp_flags & TCPHDR_SYN) {
		/* SYN retransmits are built by tcp_connect's helper */
		return 0;
	}
	int err;

	skb->tx_order = ++sk->ns->tx_counter;
	skb->tx_delivered = sk->delivered;	/* tcp_rate_skb_sent */
	skb->tx_rate_done = false;
	err = tcp_transmit(sk, skb->seq, flags, skb->data, skb->len,
			   tcp_skb_pcount(sk, skb), NULL);
	skb->tstamp = tcp_skb_edt_us(sk);
	if (!skb->first_tx)
		skb->first_tx = skb->tstamp;
	if (!err)
		tcp_update_skb_after_send(sk, skb);
	return err;
}

/* ------------------------------------------------------------ skbs */

struct sk_buff *tcp_stream_alloc_skb(struct sock *sk)
{
	struct sk_buff *skb = skb_alloc(0);

	if (!skb)
		return NULL;
	skb->truesize = SKB_OVERHEAD;
	sk->sk_wmem_queued += SKB_OVERHEAD;
	return skb;
}

/* tcp_adjust_pcount: an skb in the rtx queue now counts decr segments
 * fewer (negative: more); keep the scoreboard counters it is part of in
 * step, as Linux's helper of that name does. */
void tcp_adjust_pcount(struct sock *sk, const struct sk_buff *skb, int decr)
{
	sk->packets_out -= (uint32_t)decr;
	if (skb->sacked & TCPCB_SACKED_ACKED)
		sk->sacked_out -= (uint32_t)decr;
	if (skb->sacked & TCPCB_SACKED_RETRANS)
		sk->retrans_out -= (uint32_t)decr;
	if (skb->sacked & TCPCB_LOST)
		sk->lost_out -= (uint32_t)decr;
}

/* tcp_fragment / tso_fragment: split skb after len bytes; the new skb
 * takes the tail, PSH and FIN. Each new skb costs another overhead. */
int tcp_fragment(struct sock *sk, struct sk_buff_head *q, struct sk_buff *skb,
		 uint32_t len)
{
	struct sk_buff *buff;
	uint32_t nlen;

	if (len >= skb->len)
		return 0;
	nlen = skb->len - len;
	buff = skb_alloc(nlen);
	if (!buff)
		return -ENOMEM;
	memcpy(buff->data, skb->data + len, nlen);
	buff->len = nlen;
	buff->seq = skb->seq + len;
	buff->end_seq = skb->end_seq;
	buff->tcp_flags = skb->tcp_flags & (TCPHDR_PSH | TCPHDR_FIN);
	buff->sacked = skb->sacked;
	buff->eor = skb->eor;
	buff->tstamp = skb->tstamp;
	buff->tx_order = skb->tx_order;
	buff->tx_delivered = skb->tx_delivered;
	buff->tx_rate_done = skb->tx_rate_done;
	buff->first_tx = skb->first_tx;
	buff->truesize = SKB_OVERHEAD + nlen;
	if (skb_zcopy_split(skb, buff)) {
		skb_free(buff);
		return -ENOMEM;
	}
	skb->tcp_flags &= (uint8_t)~(TCPHDR_PSH | TCPHDR_FIN);
	skb->eor = false;
	skb->len = len;
	skb->end_seq = skb->seq + len;
	skb->truesize -= nlen;
	sk->sk_wmem_queued += SKB_OVERHEAD;
	if (q == &sk->rtx_queue) {
		/* both parts keep the skb's own mss (tcp_skb_mss), which
		 * options such as AccECN's make smaller than mss_cache */
		uint32_t mss = skb->pcount_mss ? skb->pcount_mss
					       : sk->mss_cache;
		int old = skb->pcount;

		tcp_set_skb_tso_segs(skb, mss);
		tcp_set_skb_tso_segs(buff, mss);
		/* every counter the skb is in follows (tcp_adjust_pcount) */
		tcp_adjust_pcount(sk, skb, old - skb->pcount - buff->pcount);
	} else {
		skb->pcount = 0;
		buff->pcount = 0;
	}
	skb_insert_after(q, skb, buff);
	return 0;
}

/* ------------------------------------------------------------ timers */

void tcp_reset_xmit_timer(struct sock *sk, int what, int64_t when)
{
	if (when > tcp_rto_max(sk))
		when = tcp_rto_max(sk);
	sk->icsk_pending = what;
	sk->icsk_timeout = sk->ns->now + when;
	nds_timer_mod(sk->ns, &sk->rtx_timer, sk->icsk_timeout);
}

void tcp_clear_xmit_timers(struct sock *sk)
{
	sk->icsk_pending = 0;
	nds_timer_del(&sk->rtx_timer);
	sk->ack_pending = 0;
	nds_timer_del(&sk->delack_timer);
}

/* tcp_rearm_rto */
void tcp_rearm_rto(struct sock *sk)
{
	if (!sk->packets_out) {
		if (sk->icsk_pending != ICSK_TIME_PROBE0) {
			sk->icsk_pending = 0;
			nds_timer_del(&sk->rtx_timer);
		}
		return;
	}
	{
		int64_t rto = sk->rto;
		if (sk->icsk_pending == ICSK_TIME_REO_TIMEOUT ||
		    sk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
			/* keep the RTO relative to the head's send time */
			struct sk_buff *head = sk->rtx_queue.head;
			if (head) {
				int64_t delta = head->tstamp + rto - sk->ns->now;
				rto = delta > 0 ? delta : 0;
			}
		}
		tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
				     rto + tcp_pacing_delay(sk));
	}
}

static int64_t tcp_probe0_base(const struct sock *sk)
{
	int64_t b = sk->rto;

	return b > TCP_RTO_MIN ? b : TCP_RTO_MIN;
}

void tcp_check_probe_timer(struct sock *sk)
{
	if (!sk->packets_out && !sk->icsk_pending)
		tcp_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
				     tcp_probe0_base(sk) +
				     tcp_pacing_delay(sk));
}

/* ------------------------------------------------------------ pacing */

/* tcp_update_pacing_rate: sk_pacing_rate is 200% (tcp_pacing_ss_ratio)
 * of mss * cwnd / srtt in slow start, up to half ssthresh, then 120%
 * (tcp_pacing_ca_ratio); at most SO_MAX_PACING_RATE. Without an RTT
 * sample the division is skipped, as Linux does. */
void tcp_update_pacing_rate(struct sock *sk)
{
	uint64_t rate = (uint64_t)sk->mss_cache * ((USEC_PER_SEC / 100) << 3);
	uint32_t cnt = sk->snd_cwnd > sk->packets_out ? sk->snd_cwnd
						      : sk->packets_out;
	bool ss = sk->snd_cwnd < sk->snd_ssthresh / 2;

	rate *= (uint64_t)(ss ? sk->ns->sysctl.tcp_pacing_ss_ratio
			      : sk->ns->sysctl.tcp_pacing_ca_ratio);
	rate *= cnt;
	if (sk->srtt_us)
		rate /= sk->srtt_us;
	if (rate > sk->sk_max_pacing_rate)
		rate = sk->sk_max_pacing_rate;
	if (rate != sk->sk_pacing_rate)
		TRACE_VALUES(sk, "sk_pacing_rate=%llu cwnd=%u srtt_us=%u "
			     "ratio=%d%%; %s", (unsigned long long)rate,
			     sk->snd_cwnd, sk->srtt_us >> 3,
			     ss ? sk->ns->sysctl.tcp_pacing_ss_ratio
				: sk->ns->sysctl.tcp_pacing_ca_ratio,
			     ss ? "slow start (tcp_pacing_ss_ratio)"
				: "tcp_pacing_ca_ratio");
	sk->sk_pacing_rate = rate;
}

uint64_t tcp_clock_ns(const struct sock *sk)
{
	return (uint64_t)sk->ns->now * 1000;
}

/* The departure time of the packet just built, in us (skb_mstamp_ns):
 * what RTT samples, RACK and the RTO count from. */
int64_t tcp_skb_edt_us(const struct sock *sk)
{
	return (int64_t)(sk->tcp_wstamp_ns / 1000);
}

/* tcp_pacing_delay: how far ahead pacing has pushed the next departure,
 * in whole jiffies (nsecs_to_jiffies rounds down) as the timers that add
 * it count; in us */
int64_t tcp_pacing_delay(const struct sock *sk)
{
	uint64_t now = tcp_clock_ns(sk);
	int64_t tick = nds_tick_us(sk->ns);

	if (sk->tcp_wstamp_ns <= now)
		return 0;
	return (int64_t)((sk->tcp_wstamp_ns - now) / 1000) / tick * tick;
}

/* tcp_update_skb_after_send: with pacing on (fq's or TCP's own), the
 * next packet may leave len / sk_pacing_rate after this one; time the
 * clock ran past the previous departure is credited back, up to half of
 * it (OS jitter). The first 10 segments are not paced. */
static void tcp_update_skb_after_send(struct sock *sk,
				      const struct sk_buff *skb)
{
	uint64_t rate = sk->sk_pacing_rate, len_ns, credit, cut;

	if (sk->sk_pacing_status == SK_PACING_NONE)
		return;
	if (rate == UINT64_MAX || !rate || sk->data_segs_out < 10)
		return;
	len_ns = (uint64_t)skb->len * 1000000000ULL / rate;
	credit = sk->tcp_wstamp_ns - sk->tcp_prior_wstamp_ns;
	cut = len_ns / 2 < credit ? len_ns / 2 : credit;
	len_ns -= cut;
	sk->tcp_wstamp_ns += len_ns;
	TRACE_VALUES(sk, "len=%u sk_pacing_rate=%llu len_ns=%llu credit=%llu "
		     "tcp_wstamp_ns=now+%lld; the next packet leaves no "
		     "earlier (%s)", skb->len, (unsigned long long)rate,
		     (unsigned long long)len_ns, (unsigned long long)cut,
		     (long long)(sk->tcp_wstamp_ns - tcp_clock_ns(sk)),
		     sk->sk_pacing_status == SK_PACING_FQ ? "fq paces"
							 : "internal pacing");
}

/* tcp_pacing_check: internal pacing (SK_PACING_NEEDED: SO_MAX_PACING_RATE
 * without fq) holds the next skb until its departure time; the pacing
 * hrtimer (tcp_pace_kick) sends it then. */
static bool tcp_pacing_check(struct sock *sk)
{
	if (sk->sk_pacing_status != SK_PACING_NEEDED)
		return false;
	if (sk->tcp_wstamp_ns <= tcp_clock_ns(sk))
		return false;
	if (!sk->pacing_timer.pending) {
		int64_t at = (int64_t)((sk->tcp_wstamp_ns + 999) / 1000);

		nds_timer_mod(sk->ns, &sk->pacing_timer, at);
		TRACE_VALUES(sk, "tcp_wstamp_ns=now+%llu; tcp_pacing_check: "
			     "paced, the pacing timer sends at +%lld us",
			     (unsigned long long)(sk->tcp_wstamp_ns -
						  tcp_clock_ns(sk)),
			     (long long)(at - sk->ns->now));
	}
	return true;
}

/* tcp_small_queue_check (TSQ): no more than ~1 ms at the pacing rate, or
 * two skbs, in the qdisc (sk_wmem_alloc, Linux's count with its base of
 * one), at most tcp_limit_output_bytes; twice that for retransmits
 * (factor 1). The room a dequeue makes reaches tcp_wfree. */
static bool tcp_small_queue_check(struct sock *sk, const struct sk_buff *skb,
				  unsigned int factor)
{
	uint64_t limit = 2 * (uint64_t)(SKB_OVERHEAD + skb->len);
	uint64_t paced = sk->sk_pacing_rate >> sk->sk_pacing_shift;
	uint64_t wmem = 1 + (uint64_t)sk->sk_wmem_alloc;

	if (paced > limit)
		limit = paced;
	if (limit > (uint64_t)sk->ns->sysctl.tcp_limit_output_bytes)
		limit = (uint64_t)sk->ns->sysctl.tcp_limit_output_bytes;
	limit <<= factor;
	if (wmem <= limit)
		return false;
	/* always send if the rtx queue is empty or holds one skb */
	if (sk->rtx_queue.head == sk->rtx_queue.tail)
		return false;
	sk->tsq_throttled = true;
	TRACE_VALUES(sk, "sk_wmem_alloc=%llu limit=%llu; "
		     "tcp_small_queue_check: TSQ throttled until the qdisc "
		     "sends", (unsigned long long)wmem,
		     (unsigned long long)limit);
	return true;
}

/* tcp_tsq_write: what the TSQ work and the pacing timer do */
static void tcp_tsq_write(struct sock *sk)
{
	TRACE_CALL(sk);

	switch (sk->state) {
	case NDS_TCP_ESTABLISHED:
	case NDS_TCP_FIN_WAIT1:
	case NDS_TCP_CLOSING:
	case NDS_TCP_CLOSE_WAIT:
	case NDS_TCP_LAST_ACK:
		if (sk->lost_out > sk->retrans_out &&
		    sk->snd_cwnd > tcp_packets_in_flight(sk))
			tcp_xmit_retransmit_queue(sk);
		tcp_write_xmit(sk, tcp_current_mss(sk), sk->nonagle, 0);
		break;
	default:
		break;
	}
}

/* tcp_pace_kick: the pacing hrtimer */
static void tcp_pace_kick(struct nds_timer *t)
{
	tcp_tsq_write(t->owner);
}

/* the TSQ work item (tcp_tsq_workfn -> tcp_tsq_handler) */
static void tcp_tsq_workfn(struct nds_timer *t)
{
	tcp_tsq_write(t->owner);
}

/* tcp_wfree: the qdisc handed one of the socket's skbs to the device;
 * a TSQ-throttled socket gets to send again (from the work item, at
 * once, not from inside the qdisc). */
void tcp_wfree(struct sock *sk, uint32_t truesize)
{
	sk->sk_wmem_alloc -= (int)truesize;
	if (sk->sk_wmem_alloc < 0)
		sk->sk_wmem_alloc = 0;
	if (!sk->tsq_throttled || sk->type != SOCK_STREAM)
		return;
	sk->tsq_throttled = false;
	nds_timer_mod(sk->ns, &sk->tsq_timer, sk->ns->now);
}

void tcp_init_pacing_timers(struct sock *sk)
{
	nds_timer_init(sk->ns, &sk->pacing_timer, tcp_pace_kick, sk);
	sk->pacing_timer.name = "pacing";
	nds_timer_init(sk->ns, &sk->tsq_timer, tcp_tsq_workfn, sk);
	sk->tsq_timer.name = "TSQ";
}

/* tcp_tso_autosize / tcp_tso_segs */
static uint32_t tcp_tso_segs(struct sock *sk, uint32_t mss_now)
{
	uint64_t bytes = sk->sk_pacing_rate >> 10;
	uint32_t gso = sk->sk_gso_max_size - (MAX_TCP_HEADER + 1);
	uint32_t r = sk->min_rtt_us >> sk->ns->sysctl.tcp_tso_rtt_log;
	uint32_t segs, min_segs = (uint32_t)sk->ns->sysctl.tcp_min_tso_segs;

	if (r < 32)
		bytes += gso >> r;
	if (bytes > gso)
		bytes = gso;
	segs = (uint32_t)(bytes / mss_now);
	return segs > min_segs ? segs : min_segs;
}

/* tcp_xmit_size_goal (tcp.c in Linux, here for the helpers it needs) */
uint32_t tcp_xmit_size_goal(struct sock *sk, uint32_t mss_now)
{
	uint32_t gso = sk->sk_gso_max_size - (MAX_TCP_HEADER + 1);
	uint32_t new_goal = tcp_bound_to_half_wnd(sk, gso);
	uint32_t segs = new_goal / mss_now;

	if (segs > 65535)
		segs = 65535;
	return segs * mss_now > mss_now ? segs * mss_now : mss_now;
}

/* ------------------------------------------------------------ write_xmit */

static bool tcp_minshall_check(const struct sock *sk)
{
	return after(sk->snd_sml, sk->snd_una) &&
	       !after(sk->snd_sml, sk->snd_nxt);
}

/* tcp_nagle_check: true means hold the partial segment back */
static bool tcp_nagle_check(bool partial, const struct sock *sk, int nonagle)
{
	return partial && ((nonagle & TCP_NAGLE_CORK) ||
			   (!nonagle && sk->packets_out &&
			    tcp_minshall_check(sk)));
}

static bool tcp_nagle_test(const struct sock *sk, const struct sk_buff *skb,
			   uint32_t cur_mss, int nonagle)
{
	if (nonagle & TCP_NAGLE_PUSH)
		return true;
	if (skb->tcp_flags & TCPHDR_FIN)
		return true;
	return !tcp_nagle_check(skb->len < cur_mss, sk, nonagle);
}

/* tcp_cwnd_test: at least two bursts per cwnd. Since 6.10 a FIN gets no
 * exception: it waits for cwnd like data. */
static uint32_t tcp_cwnd_test(const struct sock *sk)
{
	uint32_t in_flight, cwnd, half;

	in_flight = tcp_packets_in_flight(sk);
	cwnd = sk->snd_cwnd;
	if (in_flight >= cwnd)
		return 0;
	half = cwnd >> 1 ? cwnd >> 1 : 1;
	return half < cwnd - in_flight ? half : cwnd - in_flight;
}

static bool tcp_snd_wnd_test(const struct sock *sk, const struct sk_buff *skb,
			     uint32_t cur_mss)
{
	uint32_t end_seq = skb->end_seq;

	if (skb->len > cur_mss)
		end_seq = skb->seq + cur_mss;
	return !after(end_seq, tcp_wnd_end(sk));
}

static uint32_t tcp_mss_split_point(const struct sock *sk,
				    const struct sk_buff *skb, uint32_t mss_now,
				    uint32_t max_segs, int nonagle)
{
	uint32_t window = tcp_wnd_end(sk) - skb->seq;
	uint32_t max_len = mss_now * max_segs;
	uint32_t needed, partial;

	if (max_len <= window && skb != sk->write_queue.tail)
		return max_len;
	needed = skb->len < window ? skb->len : window;
	if (max_len <= needed)
		return max_len;
	partial = needed % mss_now;
	if (tcp_nagle_check(partial != 0, sk, nonagle))
		return needed - partial;
	return needed;
}

/* tcp_tso_should_defer: wait for more room to send a bigger burst? */
static bool tcp_tso_should_defer(struct sock *sk, struct sk_buff *skb,
				 uint32_t max_segs, bool *cwnd_limited,
				 bool *rwnd_limited)
{
	uint32_t send_win, cong_win, limit, in_flight, mss = sk->mss_cache;
	int64_t srtt_ns, how_far, threshold;
	struct sk_buff *head;

	if (sk->ca_state >= TCP_CA_Recovery)
		return false;
	/* only defer right after a transmit (within 1 ms of the last
	 * departure time, which pacing may have put in the future); a
	 * departure exactly 1 ms ago counts as older: on a real clock the
	 * script's next event always comes some microseconds late */
	if (!sk->tcp_wstamp_ns ||
	    (int64_t)(tcp_clock_ns(sk) - sk->tcp_wstamp_ns) >= 1000000)
		return false;
	in_flight = tcp_packets_in_flight(sk);
	send_win = tcp_wnd_end(sk) - skb->seq;
	cong_win = (sk->snd_cwnd - in_flight) * mss;
	limit = send_win < cong_win ? send_win : cong_win;
	if (limit >= max_segs * mss)
		return false;
	if (skb != sk->write_queue.tail && limit >= skb->len)
		return false;
	if (sk->ns->sysctl.tcp_tso_win_divisor) {
		uint32_t chunk = sk->snd_wnd < sk->snd_cwnd * mss
				 ? sk->snd_wnd : sk->snd_cwnd * mss;
		chunk /= (uint32_t)sk->ns->sysctl.tcp_tso_win_divisor;
		if (limit >= chunk)
			return false;
	} else if (limit > 3 * mss) {
		return false;
	}
	head = sk->rtx_queue.head;
	if (!head)
		return false;
	/* the next ACK is expected an srtt after the head left: do not
	 * wait for it if that is more than min(srtt/2, 1 ms) away */
	srtt_ns = (int64_t)sk->srtt_us * 125;	/* srtt_us is << 3 */
	how_far = head->tstamp * 1000 + srtt_ns - (int64_t)tcp_clock_ns(sk);
	threshold = srtt_ns / 2 < 1000000 ? srtt_ns / 2 : 1000000;
	if (how_far - threshold > 0)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= skb->len) {
			*cwnd_limited = true;
			return true;
		}
	} else if (send_win <= skb->len) {
		*rwnd_limited = true;
		return true;
	}
	/* nothing more will be added to it */
	if ((skb->tcp_flags & TCPHDR_FIN) || skb->eor)
		return false;
	return true;
}

/* tcp_event_new_data_sent: move the skb to the rtx queue */
static void tcp_event_new_data_sent(struct sock *sk, struct sk_buff *skb)
{
	uint32_t prior_packets = sk->packets_out;

	nds_mib_add(sk->ns, MIB_TCP_ORIG_DATA_SENT,
		    (uint64_t)tcp_skb_pcount(sk, skb));
	skb_unlink(&sk->write_queue, skb);
	skb_queue_tail(&sk->rtx_queue, skb);
	sk->snd_nxt = skb->end_seq;
	sk->packets_out += (uint32_t)tcp_skb_pcount(sk, skb);
	sk->bytes_sent += skb->len;
	if (!prior_packets || sk->icsk_pending == ICSK_TIME_LOSS_PROBE ||
	    sk->icsk_pending == ICSK_TIME_PROBE0)
		tcp_rearm_rto(sk);
}

/* tcp_cwnd_validate */
static void tcp_cwnd_validate(struct sock *sk, bool is_cwnd_limited)
{
	if (!before(sk->snd_una, sk->max_packets_seq) ||
	    sk->packets_out > sk->max_packets_out || is_cwnd_limited) {
		sk->max_packets_out = sk->packets_out;
		sk->max_packets_seq = sk->snd_nxt;
		sk->is_cwnd_limited = is_cwnd_limited;
	}
	if (tcp_is_cwnd_limited(sk))
		sk->snd_cwnd_stamp = sk->ns->now;
	else if (!tcp_send_head(sk) && sk->nospace &&
		 (sk->state == NDS_TCP_ESTABLISHED ||
		  sk->state == NDS_TCP_CLOSE_WAIT))
		/* sent something, not cwnd-limited, nothing left to send
		 * and the writer waits for room: the send buffer limits */
		tcp_chrono_start(sk, TCP_CHRONO_SNDBUF_LIMITED);
}

bool tcp_is_cwnd_limited(const struct sock *sk)
{
	if (sk->is_cwnd_limited)
		return true;
	if (tcp_in_slow_start(sk))
		return sk->snd_cwnd < 2 * sk->max_packets_out;
	return false;
}

/* tcp_chrono_set / tcp_chrono_start / tcp_chrono_stop: one timer of
 * "why are we not sending" at a time, the highest type wins. */
static void tcp_chrono_set(struct sock *sk, int type)
{
	int64_t now = sk->ns->now;

	if (sk->chrono_type > TCP_CHRONO_UNSPEC)
		sk->chrono_stat[sk->chrono_type] += now - sk->chrono_start;
	sk->chrono_start = now;
	sk->chrono_type = type;
}

void tcp_chrono_start(struct sock *sk, int type)
{
	if (type > sk->chrono_type)
		tcp_chrono_set(sk, type);
}

void tcp_chrono_stop(struct sock *sk, int type)
{
	if (!sk->rtx_queue.head && !tcp_send_head(sk))
		tcp_chrono_set(sk, TCP_CHRONO_UNSPEC);
	else if (type == sk->chrono_type)
		tcp_chrono_set(sk, TCP_CHRONO_BUSY);
}

/* tcp_cwnd_restart (RFC 5681 4.1): after an idle period longer than the
 * RTO, halve cwnd once per RTO of idleness, down to the initial window. */
static void tcp_cwnd_restart(struct sock *sk, int64_t delta)
{
	uint32_t restart_cwnd = tcp_init_cwnd(sk), cwnd = sk->snd_cwnd;
	uint32_t cur = (cwnd >> 1) + (cwnd >> 2);

	if (sk->ca_state != TCP_CA_CWR && sk->ca_state != TCP_CA_Recovery)
		sk->snd_ssthresh = sk->snd_ssthresh > cur ? sk->snd_ssthresh
							  : cur;
	if (restart_cwnd > cwnd)
		restart_cwnd = cwnd;
	while ((delta -= sk->rto) > 0 && cwnd > restart_cwnd)
		cwnd >>= 1;
	sk->snd_cwnd = cwnd > restart_cwnd ? cwnd : restart_cwnd;
	sk->snd_cwnd_stamp = sk->ns->now;
	nds_tracef(sk->ns, "fd %d cwnd restart after idle: cwnd %u", sk->fd,
		   sk->snd_cwnd);
}

/* tcp_slow_start_after_idle_check */
void tcp_slow_start_after_idle_check(struct sock *sk)
{
	int64_t delta;

	if (!sk->ns->sysctl.tcp_slow_start_after_idle || sk->packets_out)
		return;
	delta = sk->ns->now - sk->lsndtime;
	if (delta > (int64_t)sk->rto)
		tcp_cwnd_restart(sk, delta);
}

/* tcp_grow_skb (6.10+): the send head holds less than the quota it may
 * send now; pull up to amount bytes from the next skb into it (skb_shift:
 * not into or out of an skb with MSG_ZEROCOPY pages, not past MSG_EOR).
 * An skb emptied this way is freed and its flags (PSH, FIN), end_seq and
 * EOR mark go to the head. Only the one next skb is looked at. */
static void tcp_grow_skb(struct sock *sk, struct sk_buff *skb, uint32_t amount)
{
	struct sk_buff *next = skb->next;
	uint32_t nlen;

	if (!next || skb == sk->write_queue.tail)
		return;
	if (skb->eor || skb_zcopy(skb) || skb_zcopy(next))
		return;
	nlen = amount < next->len ? amount : next->len;
	if (!nlen || skb_reserve_more(skb, skb->len + nlen))
		return;
	memcpy(skb->data + skb->len, next->data, nlen);
	memmove(next->data, next->data + nlen, next->len - nlen);
	skb->len += nlen;
	skb->end_seq += nlen;
	skb->truesize += nlen;
	next->len -= nlen;
	next->seq += nlen;
	next->truesize -= nlen;
	skb->pcount = 0;
	next->pcount = 0;
	if (!next->len) {
		/* tcp_eat_one_skb; end_seq keeps a FIN's sequence number */
		skb->end_seq = next->end_seq;
		skb->tcp_flags |= next->tcp_flags;
		skb->eor = next->eor;
		skb_unlink(&sk->write_queue, next);
		sk->sk_wmem_queued -= (int)next->truesize;
		skb_free(next);
	}
}

/* tcp_mtu_check_reprobe: tcp_probe_interval seconds after the search
 * settled, search again from the current MSS up to the peer's MSS */
static void tcp_mtu_check_reprobe(struct sock *sk)
{
	int64_t interval = (int64_t)sk->ns->sysctl.tcp_probe_interval *
			   USEC_PER_SEC;

	if (sk->ns->now - sk->mtup.probe_timestamp < interval)
		return;
	sk->mtup.probe_size = 0;
	sk->mtup.search_high = sk->rx_opt_mss_clamp + 20 + net_header_len(sk);
	sk->mtup.search_low = tcp_mss_to_mtu(sk, (int)tcp_current_mss(sk));
	sk->mtup.probe_timestamp = sk->ns->now;
	nds_tracef(sk->ns, "mtu probe: reprobe from %d to %d",
		   sk->mtup.search_low, sk->mtup.search_high);
}

/* tcp_can_coalesce_send_queue_head: the first len bytes of the write
 * queue may go out as one skb (no MSG_EOR or zerocopy boundary) */
static bool tcp_can_coalesce_send_queue_head(struct sock *sk, uint32_t len)
{
	for (struct sk_buff *skb = tcp_send_head(sk); skb; skb = skb->next) {
		if (len <= skb->len)
			break;
		if (!skb->next || skb->eor || skb_zcopy(skb) ||
		    skb_zcopy(skb->next))
			return false;
		len -= skb->len;
	}
	return true;
}

/* tcp_mtu_probe: send one segment bigger than the MSS, halfway between
 * the largest MTU known to work (search_low) and the smallest that may
 * not (search_high), when cwnd and the queued data leave room for it and
 * for the reordering threshold's worth of segments behind it. 1: sent,
 * 0: wait for cwnd or window (send nothing now), -1: no probe, send as
 * usual. */
static int tcp_mtu_probe(struct sock *sk)
{
	struct nds_sysctls *s = &sk->ns->sysctl;
	struct sk_buff *skb;
	uint32_t mss_now, size_needed;
	int probe_size, interval;

	if (!sk->mtup.enabled || sk->mtup.probe_size ||
	    sk->ca_state != TCP_CA_Open || sk->snd_cwnd < 11 ||
	    sk->num_sacks || sk->dsack)
		return -1;
	mss_now = tcp_current_mss(sk);
	probe_size = tcp_mtu_to_mss(sk, (sk->mtup.search_high +
					 sk->mtup.search_low) >> 1);
	size_needed = (uint32_t)probe_size +
		      (sk->reordering + 1) * sk->mss_cache;
	interval = sk->mtup.search_high - sk->mtup.search_low;
	if (probe_size > tcp_mtu_to_mss(sk, sk->mtup.search_high) ||
	    interval < s->tcp_probe_threshold) {
		tcp_mtu_check_reprobe(sk);
		return -1;
	}
	if (sk->write_seq - sk->snd_nxt < size_needed ||
	    sk->snd_wnd < size_needed)
		return -1;
	if (after(sk->snd_nxt + size_needed, tcp_wnd_end(sk)))
		return 0;
	if (tcp_packets_in_flight(sk) + 2 > sk->snd_cwnd)
		return tcp_packets_in_flight(sk) ? 0 : -1;
	if (!tcp_can_coalesce_send_queue_head(sk, (uint32_t)probe_size))
		return -1;
	/* the probe is the head skb grown (or cut) to probe_size bytes;
	 * what it takes of the next skbs leaves them, PSH and FIN go with
	 * the bytes that carry them */
	skb = tcp_send_head(sk);
	while (skb->len < (uint32_t)probe_size && skb->next &&
	       skb != sk->write_queue.tail) {
		uint32_t before_len = skb->len;

		tcp_grow_skb(sk, skb, (uint32_t)probe_size - skb->len);
		if (skb->len == before_len)
			return -1;
	}
	if (skb->len < (uint32_t)probe_size)
		return -1;
	if (skb->len > (uint32_t)probe_size &&
	    tcp_fragment(sk, &sk->write_queue, skb, (uint32_t)probe_size))
		return -1;
	if (skb->next)
		tcp_set_skb_tso_segs(skb->next, mss_now);
	tcp_set_skb_tso_segs(skb, skb->len);
	if (tcp_transmit_skb(sk, skb))
		return -1;
	sk->snd_cwnd--;		/* the probe counts as two segments */
	tcp_event_new_data_sent(sk, skb);
	sk->mtup.probe_size = tcp_mss_to_mtu(sk, (int)skb->len);
	sk->mtu_probe_seq_start = skb->seq;
	sk->mtu_probe_seq_end = skb->end_seq;
	nds_tracef(sk->ns, "mtu probe: %u bytes (mtu %d) at +%u, search %d..%d",
		   skb->len, sk->mtup.probe_size, skb->seq - sk->iss,
		   sk->mtup.search_low, sk->mtup.search_high);
	return 1;
}

/* tcp_mtup_probe_success: the probe was acked, its MTU works */
void tcp_mtup_probe_success(struct sock *sk)
{
	uint64_t val;

	/* the same bytes in flight, in bigger segments */
	sk->prior_ssthresh = tcp_current_ssthresh(sk);
	val = (uint64_t)sk->snd_cwnd *
	      (uint64_t)tcp_mss_to_mtu(sk, (int)sk->mss_cache) /
	      (uint64_t)sk->mtup.probe_size;
	sk->snd_cwnd = val > 1 ? (uint32_t)val : 1;
	sk->snd_cwnd_cnt = 0;
	sk->snd_cwnd_stamp = sk->ns->now;
	sk->snd_ssthresh = tcp_current_ssthresh(sk);
	sk->mtup.search_low = sk->mtup.probe_size;
	sk->mtup.probe_size = 0;
	tcp_sync_mss(sk, sk->pmtu_cookie);
	nds_mib_inc(sk->ns, MIB_TCP_MTUP_SUCCESS);
	nds_tracef(sk->ns, "mtu probe: success, mtu %d, mss %u",
		   sk->mtup.search_low, sk->mss_cache);
}

/* tcp_mtup_probe_failed: the probe was lost, its MTU is too big */
void tcp_mtup_probe_failed(struct sock *sk)
{
	sk->mtup.search_high = sk->mtup.probe_size - 1;
	sk->mtup.probe_size = 0;
	nds_mib_inc(sk->ns, MIB_TCP_MTUP_FAIL);
	nds_tracef(sk->ns, "mtu probe: failed, search %d..%d",
		   sk->mtup.search_low, sk->mtup.search_high);
}

/* tcp_write_xmit: send what cwnd, the peer's window, Nagle and TSO
 * deferral allow. Returns true if data is queued but nothing is in flight
 * (the caller arms the probe timer). push_one: 1 = one skb, 2 = probe. */
bool tcp_write_xmit(struct sock *sk, uint32_t mss_now, int nonagle,
		    int push_one)
{
	struct sk_buff *skb;
	uint32_t sent_pkts = 0, max_segs;
	bool is_cwnd_limited = false, is_rwnd_limited = false;
	TRACE_CALL(sk);

	if (sk->state == NDS_TCP_CLOSE || sk->state == NDS_TCP_SYN_SENT ||
	    sk->state == NDS_TCP_LISTEN)
		return false;
	if (tcp_send_head(sk))
		tcp_slow_start_after_idle_check(sk);
	if (!push_one) {
		int result = tcp_mtu_probe(sk);

		if (!result)
			return false;
		if (result > 0)
			sent_pkts = 1;
	}
	max_segs = tcp_tso_segs(sk, mss_now);
	while ((skb = tcp_send_head(sk))) {
		uint32_t tso_segs, cwnd_quota, limit;

		if (tcp_pacing_check(sk))
			break;
		cwnd_quota = tcp_cwnd_test(sk);
		TRACE_VALUES(sk, "skb=+%u:+%u(%u) cwnd_quota=%u snd_cwnd=%u "
			     "in_flight=%u snd_wnd=%u wnd_end=+%u max_segs=%u",
			     skb->seq - sk->iss, skb->end_seq - sk->iss,
			     skb->len, cwnd_quota, sk->snd_cwnd,
			     tcp_packets_in_flight(sk), sk->snd_wnd,
			     tcp_wnd_end(sk) - sk->iss, max_segs);
		if (!cwnd_quota) {
			if (push_one == 2)
				cwnd_quota = 1;
			else {
				TRACE_VALUES(sk, "cwnd_quota=0; "
					     "tcp_cwnd_test: cwnd full, "
					     "stop (cwnd-limited)");
				is_cwnd_limited = true;
				break;
			}
		}
		if (cwnd_quota > max_segs)
			cwnd_quota = max_segs;
		if (cwnd_quota * mss_now > skb->len)
			tcp_grow_skb(sk, skb, cwnd_quota * mss_now - skb->len);
		tcp_set_skb_tso_segs(skb, mss_now);
		tso_segs = skb->pcount;
		TRACE_VALUES(sk, "skb=+%u:+%u(%u) tso_segs=%u; after tcp_grow_skb",
			     skb->seq - sk->iss, skb->end_seq - sk->iss,
			     skb->len, tso_segs);
		if (!tcp_snd_wnd_test(sk, skb, mss_now)) {
			TRACE_VALUES(sk, "snd_wnd=%u; tcp_snd_wnd_test: "
				     "beyond the peer's window, stop "
				     "(rwnd-limited)", sk->snd_wnd);
			is_rwnd_limited = true;
			break;
		}
		if (tso_segs == 1) {
			int ng = skb == sk->write_queue.tail ? nonagle
							     : TCP_NAGLE_PUSH;
			if (!tcp_nagle_test(sk, skb, mss_now, ng)) {
				TRACE_VALUES(sk, "len=%u mss_now=%u "
					     "nonagle=%d packets_out=%u; "
					     "tcp_nagle_test: %s holds the "
					     "partial segment", skb->len,
					     mss_now, ng, sk->packets_out,
					     (ng & TCP_NAGLE_CORK) ? "cork"
					     : "Nagle");
				break;
			}
		} else if (!push_one &&
			   tcp_tso_should_defer(sk, skb, max_segs,
						&is_cwnd_limited,
						&is_rwnd_limited)) {
			TRACE_VALUES(sk, "len=%u; tcp_tso_should_defer: wait "
				     "for a bigger burst", skb->len);
			break;
		}
		limit = mss_now;
		if (tso_segs > 1)
			limit = tcp_mss_split_point(sk, skb, mss_now,
						    cwnd_quota, nonagle);
		if (skb->len > limit) {
			TRACE_VALUES(sk, "len=%u limit=%u; tso_fragment: "
				     "split at tcp_mss_split_point",
				     skb->len, limit);
		}
		if (skb->len > limit &&
		    tcp_fragment(sk, &sk->write_queue, skb, limit))
			break;
		if (tcp_small_queue_check(sk, skb, 0))
			break;
		tcp_set_skb_tso_segs(skb, mss_now);
		if (tcp_transmit_skb(sk, skb))
			break;	/* dropped locally: stays unsent (qdisc) */
		tcp_event_new_data_sent(sk, skb);
		if (skb->len < (uint32_t)skb->pcount * mss_now)
			sk->snd_sml = skb->end_seq;	/* tcp_minshall_update */
		sent_pkts += skb->pcount;
		if (push_one)
			break;
	}
	if (is_rwnd_limited)
		tcp_chrono_start(sk, TCP_CHRONO_RWND_LIMITED);
	else
		tcp_chrono_stop(sk, TCP_CHRONO_RWND_LIMITED);
	is_cwnd_limited |= tcp_packets_in_flight(sk) >= sk->snd_cwnd;
	if (sent_pkts || is_cwnd_limited)
		tcp_cwnd_validate(sk, is_cwnd_limited);
	if (sent_pkts) {
		if (sk->ca_state == TCP_CA_Recovery ||
		    sk->ca_state == TCP_CA_CWR)
			sk->prr_out += sent_pkts;
		if (push_one != 2)
			tcp_schedule_loss_probe(sk, false);
		return false;
	}
	return !sk->packets_out && tcp_send_head(sk);
}

void __tcp_push_pending_frames(struct sock *sk, uint32_t cur_mss, int nonagle)
{
	TRACE_CALL(sk);
	if (sk->state == NDS_TCP_CLOSE)
		return;
	if (tcp_write_xmit(sk, cur_mss, nonagle, 0))
		tcp_check_probe_timer(sk);
}

void tcp_push_pending_frames(struct sock *sk)
{
	if (tcp_send_head(sk))
		__tcp_push_pending_frames(sk, tcp_current_mss(sk),
					  sk->nonagle);
}

void tcp_push_one(struct sock *sk, uint32_t mss_now)
{
	tcp_write_xmit(sk, mss_now, TCP_NAGLE_PUSH, 1);
}

static bool forced_push(const struct sock *sk)
{
	return after(sk->write_seq, sk->pushed_seq + (sk->max_window >> 1));
}

/* tcp_push: mark PSH unless MSG_MORE, then try to send */
void tcp_push(struct sock *sk, int flags, uint32_t mss_now, int nonagle,
	      uint32_t size_goal)
{
	struct sk_buff *skb = sk->write_queue.tail;
	TRACE_CALL(sk);

	if (!skb)
		return;
	TRACE_VALUES(sk, "MSG_MORE=%d forced_push=%d nonagle=%d size_goal=%u",
		     !!(flags & MSG_MORE), forced_push(sk), nonagle,
		     size_goal);
	tcp_mark_urg(sk, flags);	/* MSG_OOB (tcp_urg.c) */
	if (!(flags & MSG_MORE) || forced_push(sk)) {
		skb->tcp_flags |= TCPHDR_PSH;
		sk->pushed_seq = sk->write_seq;
	}
	if (flags & MSG_MORE)
		nonagle = TCP_NAGLE_CORK;
	__tcp_push_pending_frames(sk, mss_now, nonagle);
}

/* ------------------------------------------------------------ control */

void tcp_send_ack(struct sock *sk)
{
	TRACE_CALL(sk);
	if (sk->state == NDS_TCP_CLOSE || sk->state == NDS_TCP_LISTEN)
		return;
	tcp_transmit(sk, sk->snd_nxt, TCPHDR_ACK, NULL, 0, 1, NULL);
}

/* tcp_send_delayed_ack */
void tcp_send_delayed_ack(struct sock *sk)
{
	int64_t ato = sk->ato, timeout;
	TRACE_CALL(sk);

	if (ato > TCP_DELACK_MIN) {
		int64_t max_ato = USEC_PER_SEC / 2;
		if (sk->pingpong || (sk->ack_pending & ICSK_ACK_PUSHED))
			max_ato = TCP_DELACK_MAX;
		if (sk->srtt_us) {
			int64_t rtt = sk->srtt_us >> 3;
			if (rtt < TCP_DELACK_MIN)
				rtt = TCP_DELACK_MIN;
			if (rtt < max_ato)
				max_ato = rtt;
		}
		if (ato > max_ato)
			ato = max_ato;
	}
	if (ato > sk->ns->sysctl.tcp_delack_max_us)
		ato = sk->ns->sysctl.tcp_delack_max_us;
	timeout = sk->ns->now + ato;
	if (sk->ack_pending & ICSK_ACK_TIMER) {
		if (sk->delack_timer.pending &&
		    sk->delack_timer.expires <= sk->ns->now + (ato >> 2)) {
			tcp_send_ack(sk);
			return;
		}
		if (sk->delack_timer.pending &&
		    timeout >= sk->delack_timer.expires)
			timeout = sk->delack_timer.expires;
	}
	sk->ack_pending |= ICSK_ACK_SCHED | ICSK_ACK_TIMER;
	TRACE_VALUES(sk, "ato=%lld pingpong=%d timeout=%lld",
		     (long long)ato, sk->pingpong, (long long)timeout);
	nds_timer_mod(sk->ns, &sk->delack_timer, timeout);
}

void tcp_send_challenge_ack(struct sock *sk)
{
	struct nds *ns = sk->ns;
	int64_t now = ns->now;

	/* per-socket rate limit (tcp_invalid_ratelimit) */
	if (sk->last_oow_ack_time &&
	    now - sk->last_oow_ack_time <
		    (int64_t)ns->sysctl.tcp_invalid_ratelimit * USEC_PER_MSEC)
		return;
	sk->last_oow_ack_time = now;
	/* per-host limit, per second */
	if (now - ns->challenge_stamp >= USEC_PER_SEC) {
		ns->challenge_stamp = now;
		ns->challenge_count = 0;
	}
	if (++ns->challenge_count > (uint32_t)ns->sysctl.tcp_challenge_ack_limit)
		return;
	nds_mib_inc(ns, MIB_TCP_CHALLENGE_ACK);
	tcp_send_ack(sk);
}

/* SYN and SYN-ACK options (tcp_syn_options, tcp_synack_options) */
static void tcp_syn_opts(struct sock *sk, struct tcp_out_options *o,
			 bool synack)
{
	memset(o, 0, sizeof(*o));
	o->ws = -1;
	o->fo_len = -1;
	o->accecn = -1;
	o->mss = sk->advmss;
	if (synack) {
		o->ts = sk->tstamp_ok;
		o->sack_ok = sk->sack_ok;
		if (sk->wscale_ok)
			o->ws = sk->rcv_wscale;
		if (o->ts)
			o->tsecr = sk->ts_recent;
		if (sk->synack_fo_len >= 0) {
			o->fo_len = sk->synack_fo_len;
			o->fo_exp = sk->synack_fo_exp;
			o->fo_cookie = sk->synack_fo_cookie;
		}
	} else {
		/* tcp_advertise_mss: a lower path MTU since the first SYN
		 * lowers the MSS of its retransmissions */
		if (tcp_advertise_mss(sk) < o->mss)
			o->mss = sk->advmss = (uint16_t)tcp_advertise_mss(sk);
		o->ts = sk->ns->sysctl.tcp_timestamps != 0;
		o->sack_ok = sk->ns->sysctl.tcp_sack != 0;
		if (sk->ns->sysctl.tcp_window_scaling)
			o->ws = sk->rcv_wscale;
	}
	if (o->ts)
		o->tsval = tcp_tsval(sk);
}

static void tcp_send_syn(struct sock *sk)
{
	struct tcp_out_options o;
	const uint8_t *data;
	uint16_t flags = TCPHDR_SYN;
	uint32_t len;

	tcp_syn_opts(sk, &o, false);
	/* Fast Open: cookie option and data, first SYN only */
	len = tcp_fastopen_syn_options(sk, (o.mss ? 4 : 0) +
				       (o.ts ? 12 : o.sack_ok ? 4 : 0) +
				       (o.ws >= 0 ? 4 : 0),
				       &o.fo_len, &o.fo_exp, &o.fo_cookie, &data);
	/* tcp_ecn_send_syn (tcp_ecn.c): ECE+CWR (+AE for AccECN), and
	 * the fallback of a retransmitted SYN */
	tcp_ecn_send_syn(sk, &flags);
	tcp_transmit(sk, sk->iss, flags, data, len, 1, &o);
}

/* tcp_make_synack: a SYN-ACK, the first one or one sent again for a
 * retransmitted SYN (timer_rtx false), or by the SYN-ACK timer */
static void __tcp_send_synack(struct sock *sk, bool timer_rtx)
{
	struct tcp_out_options o;
	uint16_t flags = TCPHDR_SYN | TCPHDR_ACK;

	TRACE_CALL(sk);
	tcp_syn_opts(sk, &o, true);
	/* tcp_synack_options: the AccECN option on the first SYN-ACK */
	o.accecn = tcp_ecn_synack_option(sk, 4 + (o.ts ? 12 : 0) +
					 (!o.ts && o.sack_ok ? 4 : 0) +
					 (o.ws >= 0 ? 4 : 0),
					 !o.ts && o.sack_ok, o.ws >= 0);
	if (o.accecn >= 0) {
		o.accecn_bytes[0] = TCP_ACCECN_E1B_INIT_OFFSET;
		o.accecn_bytes[1] = TCP_ACCECN_CEB_INIT_OFFSET;
		o.accecn_bytes[2] = TCP_ACCECN_E0B_INIT_OFFSET;
	}
	flags |= tcp_ecn_make_synack(sk, timer_rtx);
	sk->acc.synacks++;
	tcp_transmit(sk, sk->iss, flags, NULL, 0, 1, &o);
}

void tcp_send_synack(struct sock *sk)
{
	__tcp_send_synack(sk, false);
}

/* the SYN-ACK timer's retransmission (inet_rtx_syn_ack) */
void tcp_rtx_synack(struct sock *sk)
{
	sk->ns->xmit_retrans = true;
	__tcp_send_synack(sk, true);
	sk->ns->xmit_retrans = false;
	nds_mib_inc(sk->ns, MIB_TCP_RETRANS_SEGS);
	nds_mib_inc(sk->ns, MIB_TCP_SYN_RETRANS);
}

/* tcp_connect_init + tcp_connect */
/* The ISN and the timestamp offset, both from a keyed hash of the 4-tuple,
 * local end first (Linux: secure_tcp_seq, secure_tcp_ts_off; the hash is
 * tcp_secure_seq_hash, which syncookies.c also asks for the offset of a
 * cookie's connection), and the send sequence state
 * that starts from them: the SYN takes iss, data starts at iss + 1, and
 * pushed_seq = write_seq (tcp_connect, tcp_create_openreq_child). */
uint64_t tcp_secure_seq_hash(struct nds *ns, const struct nds_addr *saddr,
			     const struct nds_addr *daddr, uint16_t sport,
			     uint16_t dport)
{
	uint8_t key[36];

	memcpy(key, saddr, 16);
	memcpy(key + 16, daddr, 16);
	memcpy(key + 32, &sport, 2);
	memcpy(key + 34, &dport, 2);
	return nds_hash(ns, key, sizeof(key));
}

void tcp_init_seq(struct sock *sk)
{
	uint64_t h = tcp_secure_seq_hash(sk->ns, &sk->saddr, &sk->daddr,
					 sk->sport, sk->dport);

	sk->iss = (uint32_t)h;
	sk->ts_off = (uint32_t)(h >> 32);
	sk->snd_una = sk->iss;
	sk->snd_nxt = sk->iss + 1;
	sk->write_seq = sk->iss + 1;
	sk->pushed_seq = sk->iss + 1;
	sk->snd_sml = sk->iss;
}

int tcp_connect(struct sock *sk)
{
	struct nds *ns = sk->ns;
	struct sk_buff *skb;
	TRACE_CALL(sk);
	uint32_t clamp = 0;

	sk->tcp_header_len = 20 + (ns->sysctl.tcp_timestamps ? 12 : 0);
	sk->advmss = (uint16_t)tcp_advertise_mss(sk);
	if (sk->user_mss)
		sk->rx_opt_mss_clamp = sk->user_mss;
	else
		sk->rx_opt_mss_clamp = 0;
	sk->max_window = 0;
	tcp_mtup_init(sk);
	tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
	if (sk->window_clamp_opt)
		clamp = (uint32_t)sk->window_clamp_opt;
	/* the whole advmss: Linux takes off the TS option only when a
	 * timestamp from this peer is cached (rx_opt.ts_recent_stamp) */
	tcp_select_initial_window(sk, tcp_full_space(sk), sk->advmss,
				  &sk->rcv_wnd, &clamp,
				  ns->sysctl.tcp_window_scaling != 0,
				  &sk->rcv_wscale);
	sk->window_clamp = clamp;
	sk->rcv_ssthresh = sk->rcv_wnd;
	tcp_init_seq(sk);
	sk->snd_wnd = 0;
	sk->snd_wl1 = 0;
	sk->rcv_nxt = 0;
	sk->rcv_wup = 0;
	sk->copied_seq = 0;
	sk->retransmits = 0;
	/* the SYN sits in the rtx queue so the RTO timer retransmits it */
	skb = skb_alloc(0);
	if (!skb)
		return -ENOBUFS;
	skb->seq = sk->iss;
	skb->end_seq = sk->iss + 1;
	skb->tcp_flags = TCPHDR_SYN;
	skb->truesize = SKB_OVERHEAD;
	skb->pcount = 1;
	skb->tstamp = ns->now;
	skb->first_tx = ns->now;
	sk->sk_wmem_queued += SKB_OVERHEAD;
	skb_queue_tail(&sk->rtx_queue, skb);
	sk->packets_out = 1;
	tcp_fastopen_connect(sk);	/* SYN data behind the SYN */
	nds_mib_inc(ns, MIB_TCP_ACTIVE_OPENS);
	tcp_send_syn(sk);
	sk->retrans_stamp = ns->now;
	tcp_reset_xmit_timer(sk, ICSK_TIME_RETRANS, sk->rto);
	return 0;
}

/* tcp_send_fin: FIN rides on the last unsent skb, or goes alone. */
void tcp_send_fin(struct sock *sk)
{
	struct sk_buff *tail = sk->write_queue.tail;
	TRACE_CALL(sk);

	if (tail) {
		tail->tcp_flags |= TCPHDR_FIN;
		tail->end_seq++;
		sk->write_seq++;
	} else {
		struct sk_buff *skb = tcp_stream_alloc_skb(sk);
		if (!skb)
			return;
		skb->seq = sk->write_seq;
		skb->end_seq = sk->write_seq + 1;
		skb->tcp_flags = TCPHDR_FIN;
		skb_queue_tail(&sk->write_queue, skb);
		sk->write_seq++;
	}
	__tcp_push_pending_frames(sk, tcp_current_mss(sk), TCP_NAGLE_OFF);
}

/* tcp_send_active_reset: RST|ACK at snd_nxt, with our options. */
void tcp_send_active_reset(struct sock *sk)
{
	struct tcp_out_options o;

	memset(&o, 0, sizeof(o));
	o.ws = -1;
	o.fo_len = -1;
	o.accecn = -1;
	if (sk->tstamp_ok) {
		o.ts = true;
		o.tsval = tcp_tsval(sk);
		o.tsecr = sk->ts_recent;
	}
	nds_mib_inc(sk->ns, MIB_TCP_OUT_RSTS);
	tcp_transmit(sk, sk->snd_nxt, TCPHDR_RST | TCPHDR_ACK, NULL, 0, 1, &o);
}

/* ------------------------------------------------------------ retransmit */

/* tcp_trim_head: drop the first len bytes, which the peer has acked, of
 * an skb the ACK path left whole (it trims only skbs of several segments,
 * tcp_tso_acked); the one-segment skb is trimmed when it is resent. */
static void tcp_trim_head(struct sock *sk, struct sk_buff *skb, uint32_t len)
{
	if (len > skb->len)
		len = skb->len;
	memmove(skb->data, skb->data + len, skb->len - len);
	skb->len -= len;
	skb->seq += len;
	skb->truesize -= len;
	sk->sk_wmem_queued -= (int)len;
	if (skb->pcount > 1) {
		int old = skb->pcount;

		tcp_set_skb_tso_segs(skb, skb->pcount_mss);
		tcp_adjust_pcount(sk, skb, old - skb->pcount);
	}
}

/* tcp_can_collapse: one segment, not SACKed (an skb Linux still holds a
 * clone of, in a device queue, is not either; the tun device here hands
 * every packet over at once) */
static bool tcp_can_collapse(struct sock *sk, struct sk_buff *skb)
{
	return tcp_skb_pcount(sk, skb) <= 1 &&
	       !(skb->sacked & TCPCB_SACKED_ACKED);
}

/* tcp_collapse_retrans: append the next skb (its bytes, FIN and PSH, its
 * sequence range) to skb and free it; false if it cannot be. Bytes move
 * only between skbs without MSG_ZEROCOPY pages (skb_shift). */
static bool tcp_collapse_retrans(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *next = skb->next;

	if (next->len) {
		if (skb_zcopy(skb) || skb_zcopy(next) ||
		    skb_reserve_more(skb, skb->len + next->len))
			return false;
		memcpy(skb->data + skb->len, next->data, next->len);
		skb->len += next->len;
		skb->truesize += next->len;
		next->truesize -= next->len;
	}
	skb->end_seq = next->end_seq;
	skb->tcp_flags |= next->tcp_flags;
	skb->sacked |= next->sacked & TCPCB_EVER_RETRANS;
	skb->eor = next->eor;
	tcp_adjust_pcount(sk, next, tcp_skb_pcount(sk, next));
	skb_unlink(&sk->rtx_queue, next);
	sk->sk_wmem_queued -= (int)next->truesize;
	TRACE_VALUES(sk, "skb=+%u:+%u(%u) sk_wmem_queued=%d; the next skb "
		     "collapsed into it", skb->seq - sk->iss,
		     skb->end_seq - sk->iss, skb->len, sk->sk_wmem_queued);
	skb_free(next);
	return true;
}

/* tcp_retrans_try_collapse: a retransmission shorter than space takes the
 * one-segment skbs after it (a lone FIN, small writes) while they fit in
 * space and in the peer's window (net.ipv4.tcp_retrans_collapse). */
static void tcp_retrans_try_collapse(struct sock *sk, struct sk_buff *to,
				     int space)
{
	bool first = true;

	if (!sk->ns->sysctl.tcp_retrans_collapse ||
	    (to->tcp_flags & TCPHDR_SYN))
		return;
	for (struct sk_buff *skb = to, *next; skb; skb = next) {
		next = skb->next;
		if (!tcp_can_collapse(sk, skb) || to->eor)
			break;
		space -= (int)skb->len;
		if (first) {
			first = false;
			continue;
		}
		if (space < 0 || after(skb->end_seq, tcp_wnd_end(sk)))
			break;
		if (!tcp_collapse_retrans(sk, to))
			break;
	}
}

/* __tcp_retransmit_skb: resend the first segs segments of skb. */
static int __tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb,
				int segs)
{
	uint32_t cur_mss;
	int pcount, avail_wnd, err;
	TRACE_CALL(sk);
	TRACE_VALUES(sk, "skb=+%u:+%u(%u) segs=%d retrans_out=%u",
		     skb->seq - sk->iss, skb->end_seq - sk->iss, skb->len,
		     segs, sk->retrans_out);

	if (skb->tcp_flags & TCPHDR_SYN) {
		sk->ns->xmit_retrans = true;
		if (sk->state == NDS_TCP_SYN_SENT)
			tcp_send_syn(sk);
		else
			tcp_send_synack(sk);
		sk->ns->xmit_retrans = false;
		nds_mib_inc(sk->ns, MIB_TCP_RETRANS_SEGS);
		nds_mib_inc(sk->ns, MIB_TCP_SYN_RETRANS);
		skb->tstamp = sk->ns->now;
		skb->tx_order = ++sk->ns->tx_counter;
		skb->sacked |= TCPCB_EVER_RETRANS;
		sk->total_retrans++;
		return 0;
	}
	/* skb_still_in_host_queue: its last transmission still waits in
	 * the qdisc; resending it would only queue a copy behind it */
	if (fq_holds_seq(sk->ns, sk, skb->seq)) {
		sk->tsq_throttled = true;
		TRACE_VALUES(sk, "skb=+%u; skb_still_in_host_queue: not "
			     "retransmitted", skb->seq - sk->iss);
		return -1;
	}
	if (before(skb->seq, sk->snd_una)) {
		/* partially acked: resend only what is not */
		if (!after(skb->end_seq, sk->snd_una))
			return -1;
		tcp_trim_head(sk, skb, sk->snd_una - skb->seq);
	}
	cur_mss = tcp_current_mss(sk);
	/* do not send beyond the peer's window (unless it is the head) */
	avail_wnd = (int)(tcp_wnd_end(sk) - skb->seq);
	if (avail_wnd <= 0) {
		if (skb->seq != sk->snd_una)
			return -1;
		avail_wnd = (int)cur_mss;	/* a zero window probe */
	}
	if (skb->len > cur_mss * (uint32_t)segs) {
		if (tcp_fragment(sk, &sk->rtx_queue, skb,
				 cur_mss * (uint32_t)segs))
			return -1;
	} else {
		if (skb->pcount && skb->pcount_mss != cur_mss) {
			/* the mss changed since it was counted */
			int old = skb->pcount;

			tcp_set_skb_tso_segs(skb, cur_mss);
			tcp_adjust_pcount(sk, skb, old - skb->pcount);
		}
		if (avail_wnd > (int)cur_mss)
			avail_wnd = (int)cur_mss;
		if ((int)skb->len < avail_wnd)
			tcp_retrans_try_collapse(sk, skb, avail_wnd);
	}
	pcount = tcp_skb_pcount(sk, skb);
	skb->tx_order = ++sk->ns->tx_counter;
	skb->tx_delivered = sk->delivered;	/* tcp_rate_skb_sent */
	skb->tx_rate_done = false;
	/* __tcp_retransmit_skb counts the attempt (RetransSegs,
	 * tcpi_total_retrans, tcpi_bytes_retrans) and marks EVER_RETRANS
	 * before it knows whether the device took it */
	nds_mib_add(sk->ns, MIB_TCP_RETRANS_SEGS, (uint64_t)pcount);
	sk->total_retrans += (uint32_t)pcount;
	sk->bytes_retrans += skb->len;
	skb->sacked |= TCPCB_EVER_RETRANS;
	sk->ns->xmit_retrans = true;
	err = tcp_transmit(sk, skb->seq, TCPHDR_ACK | skb->tcp_flags,
			   skb->data, skb->len, pcount, NULL);
	skb->tstamp = tcp_skb_edt_us(sk);
	if (err) {
		sk->ns->xmit_retrans = false;
		nds_mib_add(sk->ns, MIB_TCP_RETRANS_FAIL, (uint64_t)pcount);
		return -1;	/* dropped locally: not in flight again */
	}
	sk->ns->xmit_retrans = false;
	tcp_update_skb_after_send(sk, skb);
	return 0;
}

/* tcp_retransmit_skb: a retransmission of recovery (RTO, fast recovery):
 * in flight again (SACKED_RETRANS, retrans_out); retrans_stamp keeps the
 * time of the first attempt of the episode (tcp_packet_delayed compares
 * the echoed timestamps with it, the write timeouts count from it), and
 * undo_retrans counts what a DSACK must show spurious for an undo. */
int tcp_retransmit_skb(struct sock *sk, struct sk_buff *skb, int segs)
{
	int err = __tcp_retransmit_skb(sk, skb, segs);

	if (skb->tcp_flags & TCPHDR_SYN)
		return err;
	if (!err && !(skb->sacked & TCPCB_SACKED_RETRANS)) {
		skb->sacked |= TCPCB_SACKED_RETRANS;
		sk->retrans_out += (uint32_t)skb->pcount;
	}
	if (!sk->retrans_stamp)
		sk->retrans_stamp = skb->tstamp;
	if (sk->undo_retrans < 0)
		sk->undo_retrans = 0;
	sk->undo_retrans += skb->pcount;
	return err;
}

/* tcp_xmit_retransmit_queue: resend lost segments as cwnd allows. */
void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct sk_buff *skb;
	bool rearm = false;
	TRACE_CALL(sk);

	uint32_t max_segs;

	if (!sk->packets_out)
		return;
	max_segs = tcp_tso_segs(sk, tcp_current_mss(sk));
	for (skb = sk->rtx_queue.head; skb; skb = skb->next) {
		uint32_t segs;

		if (tcp_pacing_check(sk))
			break;
		if (tcp_packets_in_flight(sk) >= sk->snd_cwnd)
			break;
		if (sk->retrans_out >= sk->lost_out)
			break;
		if (!(skb->sacked & TCPCB_LOST) ||
		    (skb->sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)))
			continue;
		segs = sk->snd_cwnd - tcp_packets_in_flight(sk);
		if (segs > max_segs)
			segs = max_segs;
		if (tcp_small_queue_check(sk, skb, 1))
			break;
		if (tcp_retransmit_skb(sk, skb, (int)segs))
			break;
		nds_mib_inc(sk->ns, sk->ca_state != TCP_CA_Loss ?
			    MIB_TCP_FAST_RETRANS : MIB_TCP_SLOW_START_RETRANS);
		if (sk->ca_state == TCP_CA_Recovery ||
		    sk->ca_state == TCP_CA_CWR)
			sk->prr_out += (uint32_t)skb->pcount;
		if (skb == sk->rtx_queue.head)
			rearm = true;
	}
	if (rearm && sk->icsk_pending != ICSK_TIME_REO_TIMEOUT)
		tcp_rearm_rto(sk);
}

/* tcp_simple_retransmit: the path MTU dropped (ICMP fragmentation needed
 * / packet too big, after tcp_sync_mss): every queued skb whose segments
 * are now too big is lost; resend them at once in Loss state without
 * touching cwnd (the data in flight did not grow, only its units). */
void tcp_simple_retransmit(struct sock *sk)
{
	uint32_t mss = tcp_current_mss(sk);

	if (sk->state == NDS_TCP_SYN_SENT) {
		tcp_xmit_retransmit_queue(sk);	/* SYN data: Fast Open code */
		return;
	}
	for (struct sk_buff *skb = sk->rtx_queue.head; skb; skb = skb->next) {
		uint32_t seglen = skb->pcount > 1 ? skb->pcount_mss : skb->len;

		if (seglen > mss && !(skb->tcp_flags & TCPHDR_SYN))
			tcp_mark_skb_lost(sk, skb);
	}
	if (!sk->lost_out)
		return;
	tcp_non_congestion_loss_retransmit(sk);
}

/* tcp_non_congestion_loss_retransmit: resend what is marked lost, in Loss
 * state, for a loss that says nothing about congestion (a smaller path
 * MTU, SYN data the peer did not take): cwnd stays, ssthresh is only
 * raised to tcp_current_ssthresh (at least 3/4 of cwnd), and nothing of it
 * can be undone. */
void tcp_non_congestion_loss_retransmit(struct sock *sk)
{
	if (sk->ca_state != TCP_CA_Loss) {
		sk->high_seq = sk->snd_nxt;
		if (sk->snd_ssthresh < TCP_INFINITE_SSTHRESH) {
			uint32_t t = (sk->snd_cwnd >> 1) + (sk->snd_cwnd >> 2);
			if (t > sk->snd_ssthresh)
				sk->snd_ssthresh = t;
		}
		sk->prior_ssthresh = 0;
		sk->undo_marker = 0;
		sk->ca_state = TCP_CA_Loss;
	}
	tcp_xmit_retransmit_queue(sk);
}

/* ------------------------------------------------------------ probes */

/* tcp_xmit_probe_skb: an ACK with an old sequence number. */
static int tcp_xmit_probe_skb(struct sock *sk, enum nds_mib mib)
{
	nds_mib_inc(sk->ns, mib);
	return tcp_transmit(sk, sk->snd_una - 1, TCPHDR_ACK, NULL, 0, 1,
			    NULL);
}

/* tcp_write_wakeup: send new data that fits the window, else a probe. */
int tcp_write_wakeup(struct sock *sk, int mib)
{
	struct sk_buff *skb = tcp_send_head(sk);

	if (sk->state == NDS_TCP_CLOSE)
		return -1;
	if (skb && before(skb->seq, tcp_wnd_end(sk))) {
		uint32_t mss = tcp_current_mss(sk);
		uint32_t seg_size = tcp_wnd_end(sk) - skb->seq;

		if (sk->pushed_seq == 0 || before(sk->pushed_seq, skb->end_seq))
			sk->pushed_seq = skb->end_seq;
		if (seg_size > mss)
			seg_size = mss;
		if (seg_size < skb->len) {
			if (tcp_fragment(sk, &sk->write_queue, skb, seg_size))
				return -1;
		}
		skb->tcp_flags |= TCPHDR_PSH;
		tcp_set_skb_tso_segs(skb, mss);
		if (tcp_transmit_skb(sk, skb))
			return NET_XMIT_DROP;	/* > 0: local congestion */
		tcp_event_new_data_sent(sk, skb);
		return 0;
	}
	return tcp_xmit_probe_skb(sk, (enum nds_mib)mib);
}

void tcp_send_keepalive_probe(struct sock *sk)
{
	tcp_write_wakeup(sk, MIB_TCP_KEEP_ALIVE);
}

/* tcp_send_probe0: zero-window probe, backed off */
void tcp_send_probe0(struct sock *sk)
{
	int64_t when;
	int err = 0;
	TRACE_CALL(sk);

	err = tcp_write_wakeup(sk, MIB_TCP_WIN_PROBE);
	if (sk->packets_out || !tcp_send_head(sk)) {
		sk->probes_out = 0;
		sk->backoff = 0;
		return;
	}
	sk->probes_out++;
	if (err <= 0) {
		if (sk->backoff < 16)
			sk->backoff++;
		when = tcp_probe0_base(sk) << sk->backoff;
	} else {
		when = TCP_RESOURCE_PROBE_INTERVAL;
	}
	if (when > tcp_rto_max(sk))
		when = tcp_rto_max(sk);
	if (sk->user_timeout) {
		/* tcp_clamp_probe0_to_user_timeout */
		int64_t elapsed = sk->ns->now - sk->retrans_stamp;
		int64_t left = (int64_t)sk->user_timeout * USEC_PER_MSEC -
			       elapsed;
		if (sk->retrans_stamp && left < when)
			when = left > TCP_TIMEOUT_INIT / 100 * 2 ? left
				: TCP_TIMEOUT_INIT / 100 * 2;
	}
	tcp_reset_xmit_timer(sk, ICSK_TIME_PROBE0,
			     when + tcp_pacing_delay(sk));
}

/* ------------------------------------------------------------ TLP */

/* tcp_schedule_loss_probe: arm a probe timeout (PTO) before the RTO.
 * After an ACK (advancing_rto) the RTO about to be re-armed runs a whole
 * icsk_rto from now; otherwise it runs from the head's transmission. */
void tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto)
{
	int64_t timeout, rto_delta;
	int er = sk->ns->sysctl.tcp_early_retrans;
	TRACE_CALL(sk);

	if (sk->icsk_pending == ICSK_TIME_REO_TIMEOUT)
		return;
	if ((er != 3 && er != 4) || !sk->sack_ok || !sk->packets_out ||
	    (sk->ca_state != TCP_CA_Open && sk->ca_state != TCP_CA_CWR) ||
	    sk->tlp_high_seq || sk->state == NDS_TCP_SYN_SENT ||
	    sk->state == NDS_TCP_SYN_RECV)
		return;
	if (sk->srtt_us) {
		timeout = (int64_t)(sk->srtt_us >> 2);
		if (sk->packets_out == 1)
			timeout += TCP_RTO_MIN;
		else
			timeout += 2 * USEC_PER_MSEC;	/* TCP_TIMEOUT_MIN_US */
	} else {
		timeout = TCP_TIMEOUT_INIT;
	}
	if (advancing_rto) {
		rto_delta = (int64_t)sk->rto;
	} else {
		struct sk_buff *head = sk->rtx_queue.head;
		rto_delta = head ? head->tstamp + sk->rto - sk->ns->now
				 : (int64_t)sk->rto;
	}
	if (rto_delta > 0 && rto_delta < timeout)
		timeout = rto_delta;
	tcp_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE,
			     timeout + tcp_pacing_delay(sk));
}

/* tcp_send_loss_probe: new data if possible, else the last segment. */
void tcp_send_loss_probe(struct sock *sk)
{
	struct sk_buff *skb = tcp_send_head(sk);
	uint32_t mss = tcp_current_mss(sk);
	TRACE_CALL(sk);

	if (skb && tcp_snd_wnd_test(sk, skb, mss)) {
		uint32_t pcount = sk->packets_out;
		tcp_write_xmit(sk, mss, TCP_NAGLE_OFF, 2);
		if (sk->packets_out > pcount)
			goto probe_sent;
	}
	skb = sk->rtx_queue.tail;
	if (!skb)
		goto rearm;
	if (skb->pcount > 1 && skb->len > mss) {
		if (tcp_fragment(sk, &sk->rtx_queue, skb,
				 (uint32_t)(skb->pcount - 1) * mss))
			goto rearm;
		skb = sk->rtx_queue.tail;
	}
	/* the probe is not a recovery retransmission: not in retrans_out,
	 * no retrans_stamp, nothing for undo (__tcp_retransmit_skb) */
	if (__tcp_retransmit_skb(sk, skb, 1))
		goto rearm;
	sk->tlp_retrans = true;
	goto probe_counted;
probe_sent:
	sk->tlp_retrans = false;
probe_counted:
	nds_mib_inc(sk->ns, MIB_TCP_LOSS_PROBES);
	sk->tlp_high_seq = sk->snd_nxt;
	sk->icsk_pending = 0;	/* so the RTO restarts from now */
rearm:
	tcp_rearm_rto(sk);
}

