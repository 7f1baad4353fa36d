/* SPDX-License-Identifier: GPL-2.0-only */
/* syncookies.c: SYN cookies, as Linux 6.18 has them (net/ipv4/syncookies.c,
 * net/ipv6/syncookies.c, tcp_input.c tcp_conn_request and
 * tcp_syn_flood_action, include/net/tcp.h tcp_synq_overflow).
 *
 * tcp_listen_rcv (tcp_input.c), a SYN when the listener's SYN queue holds
 * more requests than its backlog, or any SYN with tcp_syncookies=2:
 *   -> tcp_syn_flood_action: cookies (tcp_syncookies != 0) or a drop;
 *      TCPReqQFullDoCookies / TCPReqQFullDrop, the "Possible SYN flooding"
 *      note once per listener (not with 2)
 *   -> cookie_send_synack: the SYN-ACK of a request that is not kept. Its
 *      ISN is the cookie: a keyed hash of the 4-tuple, the peer's ISN, a
 *      counter of minutes (the cookie's age) and the index of the peer's
 *      MSS in a table of four (the MSS the child will use); its TS val
 *      carries the peer's window scale, SACK and ECN in its low 6 bits.
 *      Without timestamps nothing but the MSS survives, so the SYN-ACK
 *      offers neither SACK nor window scaling nor ECN. Never
 *      retransmitted. SyncookiesSent.
 * tcp_v4_rcv (tcp_ipv4.c), an ACK for a listener:
 *   -> tcp_v4_cookie_check: if cookies were sent in the last two minutes
 *      and the ACK acknowledges a valid cookie, the child is rebuilt from
 *      it (cookie_timestamp_decode: the options from the echoed TS), and
 *      the ACK goes on to it in SYN_RECV (SyncookiesRecv); a bad cookie is
 *      counted (SyncookiesFailed) and the listener answers with a reset.
 *
 * The secret is per instance, as Linux's is per boot: the ISN of a cookie
 * cannot be predicted by a script, only its behaviour.
 */
#include "tcp_priv.h"
#include "trace_priv.h"
#include "tcp_ecn.h"
#include "tcp_fastopen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#define COOKIEBITS 24			/* the low bits: hash + MSS index */
#define COOKIEMASK ((1U << COOKIEBITS) - 1)
#define MAX_SYNCOOKIE_AGE 2		/* periods a cookie stays valid */
#define TCP_SYNCOOKIE_PERIOD (60 * USEC_PER_SEC)
#define TCP_SYNCOOKIE_VALID (MAX_SYNCOOKIE_AGE * TCP_SYNCOOKIE_PERIOD)
#define SYNQ_OVERFLOW_HZ USEC_PER_SEC	/* the stamp moves once a second */

/* the options in the low bits of the cookie SYN-ACK's timestamp */
#define TSBITS 6
#define TS_OPT_WSCALE_MASK 0xfU		/* 0xf: no window scaling */
#define TS_OPT_SACK (1U << 4)
#define TS_OPT_ECN (1U << 5)

/* The MSS a cookie can carry, smallest first: the peer's MSS is rounded
 * down to one of these (up to the first when below it). IPv4: Linux's
 * msstab; IPv6: 1280, 1480, 1500 and 9000 byte MTUs less 60. */
static const uint16_t msstab_v4[] = { 536, 1300, 1440, 1460 };
static const uint16_t msstab_v6[] = { 1280 - 60, 1480 - 60, 1500 - 60,
				      9000 - 60 };
#define MSSTAB_LEN 4

/* ------------------------------------------------------------ listener */

/* tcp_listendrop: a SYN or ACK the listener dropped */
void tcp_listendrop(struct sock *lsk)
{
	nds_mib_inc(lsk->ns, MIB_LISTEN_DROPS);
}

/* tcp_synq_overflow: remember that cookies went out (at most once a
 * second), so their ACKs are checked for the next two minutes */
static void tcp_synq_overflow(struct sock *lsk)
{
	int64_t now = lsk->ns->now;

	if (!lsk->synq_overflowed || now < lsk->synq_overflow_stamp ||
	    now > lsk->synq_overflow_stamp + SYNQ_OVERFLOW_HZ) {
		lsk->synq_overflow_stamp = now;
		lsk->synq_overflowed = true;
	}
}

/* tcp_synq_no_recent_overflow: no cookie sent in the last two minutes (a
 * second of slack before the stamp, as Linux allows for a race) */
static bool tcp_synq_no_recent_overflow(const struct sock *lsk)
{
	int64_t now = lsk->ns->now, last = lsk->synq_overflow_stamp;

	if (!lsk->synq_overflowed)
		return true;
	return now < last - SYNQ_OVERFLOW_HZ || now > last + TCP_SYNCOOKIE_VALID;
}

static void sock_addr_text(const struct sock *lsk, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "";

	if (lsk->family == AF_INET) {
		inet_ntop(AF_INET, &lsk->saddr.a.s6_addr[12], a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, lsk->sport);
	} else {
		inet_ntop(AF_INET6, &lsk->saddr.a, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, lsk->sport);
	}
}

/* tcp_syn_flood_action: the SYN queue is full (or tcp_syncookies=2):
 * answer with a cookie, or drop the SYN when cookies are off */
bool tcp_syn_flood_action(struct sock *lsk, const struct tcp_seg *seg)
{
	struct nds *ns = lsk->ns;
	int syncookies = ns->sysctl.tcp_syncookies;
	bool want_cookie = syncookies != 0;
	TRACE_CALL(lsk);

	nds_mib_inc(ns, want_cookie ? MIB_TCP_REQ_Q_FULL_DO_COOKIES
				    : MIB_TCP_REQ_Q_FULL_DROP);
	TRACE_VALUES(lsk, "tcp_syncookies=%d syn_qlen=%d backlog=%d "
		     "want_cookie=%d", syncookies, lsk->syn_qlen, lsk->backlog,
		     want_cookie);
	if (syncookies != 2 && !lsk->synflood_warned) {
		char where[INET6_ADDRSTRLEN + 16];

		lsk->synflood_warned = true;
		sock_addr_text(lsk, where, sizeof(where));
		/* the request's slab names the SYN's family (a v4 SYN to
		 * a v6 listener makes an IPv4 request), the address the
		 * listener's */
		nds_tracef(ns, "%s: Possible SYN flooding on port %s. %s.",
			   seg->v4 ? "request_sock_TCP" : "request_sock_TCPv6",
			   where, want_cookie ? "Sending cookies"
					      : "Dropping request");
	}
	return want_cookie;
}

/* ------------------------------------------------------------ the cookie */

/* The instance's two secrets (Linux: syncookie_secret, random once a
 * boot), drawn from its seed. */
static void cookie_secret(struct nds *ns, int c, uint8_t key[16])
{
	static const char tag[] = "syncookie secret";
	uint8_t in[sizeof(tag) + 1];
	uint64_t h0, h1;

	memcpy(in, tag, sizeof(tag));
	in[sizeof(tag)] = (uint8_t)c;
	h0 = nds_hash(ns, in, sizeof(in));
	in[0] ^= 0x5a;
	h1 = nds_hash(ns, in, sizeof(in));
	memcpy(key, &h0, 8);
	memcpy(key + 8, &h1, 8);
}

/* cookie_hash: SipHash of the 4-tuple (the peer's side first, as the SYN
 * has it) and count under secret c */
static uint32_t cookie_hash(struct nds *ns, const struct tcp_seg *seg,
			    uint32_t count, int c)
{
	uint8_t key[16], in[40];
	uint32_t ports = ((uint32_t)seg->sport << 16) | seg->dport;

	cookie_secret(ns, c, key);
	memcpy(in, &seg->saddr.a, 16);
	memcpy(in + 16, &seg->daddr.a, 16);
	memcpy(in + 32, &ports, 4);
	memcpy(in + 36, &count, 4);
	return (uint32_t)nds_siphash(key, in, sizeof(in));
}

/* tcp_cookie_time: the minute counter (jiffies / TCP_SYNCOOKIE_PERIOD) */
static uint32_t tcp_cookie_time(const struct nds *ns)
{
	return (uint32_t)(ns->now / TCP_SYNCOOKIE_PERIOD);
}

/* secure_tcp_syn_cookie: hash + peer ISN + count in the top 8 bits +
 * (second hash + data) in the low 24 */
static uint32_t secure_tcp_syn_cookie(struct nds *ns,
				      const struct tcp_seg *seg,
				      uint32_t sseq, uint32_t data)
{
	uint32_t count = tcp_cookie_time(ns);

	return cookie_hash(ns, seg, 0, 0) + sseq + (count << COOKIEBITS) +
	       ((cookie_hash(ns, seg, count, 1) + data) & COOKIEMASK);
}

/* check_tcp_syn_cookie: the data of a cookie no older than
 * MAX_SYNCOOKIE_AGE periods, else (uint32_t)-1 */
static uint32_t check_tcp_syn_cookie(struct nds *ns,
				     const struct tcp_seg *seg,
				     uint32_t cookie, uint32_t sseq)
{
	uint32_t diff, count = tcp_cookie_time(ns);

	cookie -= cookie_hash(ns, seg, 0, 0) + sseq;
	diff = (count - (cookie >> COOKIEBITS)) & ((uint32_t)-1 >> COOKIEBITS);
	if (diff >= MAX_SYNCOOKIE_AGE)
		return (uint32_t)-1;
	return (cookie - cookie_hash(ns, seg, count - diff, 1)) & COOKIEMASK;
}

static const uint16_t *msstab(const struct tcp_seg *seg)
{
	return seg->v4 ? msstab_v4 : msstab_v6;
}

/* cookie_init_sequence (__cookie_v4_init_sequence, __cookie_v6_...): the
 * cookie ISN for a SYN; *mssp becomes the MSS the cookie carries */
static uint32_t cookie_init_sequence(struct sock *lsk,
				     const struct tcp_seg *seg,
				     uint16_t *mssp)
{
	const uint16_t *tab = msstab(seg);
	int mssind;
	TRACE_CALL(lsk);

	tcp_synq_overflow(lsk);
	nds_mib_inc(lsk->ns, MIB_SYNCOOKIES_SENT);
	for (mssind = MSSTAB_LEN - 1; mssind; mssind--)
		if (*mssp >= tab[mssind])
			break;
	TRACE_VALUES(lsk, "mss=%u mssind=%d cookie_mss=%u", *mssp, mssind,
		     tab[mssind]);
	*mssp = tab[mssind];
	return secure_tcp_syn_cookie(lsk->ns, seg, seg->seq, (uint32_t)mssind);
}

/* __cookie_v4_check: the MSS of a valid cookie acknowledged by seg, or 0 */
static uint16_t cookie_check_mss(struct nds *ns, const struct tcp_seg *seg)
{
	uint32_t mssind = check_tcp_syn_cookie(ns, seg, seg->ack_seq - 1,
					       seg->seq - 1);

	return mssind < MSSTAB_LEN ? msstab(seg)[mssind] : 0;
}

/* cookie_init_timestamp: the SYN-ACK's timestamp (ms) with the options in
 * its low bits, never ahead of the clock */
static uint32_t cookie_init_timestamp(const struct sock *req)
{
	uint32_t ts_now = (uint32_t)(req->ns->now / USEC_PER_MSEC);
	uint32_t options, ts;

	options = req->wscale_ok ? req->snd_wscale : TS_OPT_WSCALE_MASK;
	if (req->sack_ok)
		options |= TS_OPT_SACK;
	if (req->ecn_ok)
		options |= TS_OPT_ECN;
	ts = (ts_now >> TSBITS) << TSBITS;
	ts |= options;
	if (ts > ts_now)
		ts -= 1U << TSBITS;
	return ts;
}

/* tcp_conn_request with want_cookie: the request is made as for a kept
 * one, answered, and forgotten. A SYN without timestamps leaves no room
 * for the options: tcp_clear_options, and no ECN. */
void cookie_send_synack(struct sock *lsk, const struct tcp_seg *seg)
{
	struct nds *ns = lsk->ns;
	struct tcp_seg syn = *seg;
	struct sock *req;
	uint16_t mss;
	uint32_t isn, ts;
	TRACE_CALL(lsk);

	if (!syn.saw_tstamp || !ns->sysctl.tcp_timestamps) {
		syn.saw_tstamp = false;
		syn.sack_ok = false;
		syn.wscale_ok = false;
		syn.wscale = 0;
	}
	syn.fo_len = -1;	/* no Fast Open with a cookie */
	req = tcp_openreq_child(lsk, &syn);
	if (!req) {
		tcp_listendrop(lsk);
		return;
	}
	if (!req->tstamp_ok) {
		req->ecn_flags &= (uint8_t)~(TCP_ECN_OK | TCP_ECN_MODE_ACCECN);
		req->ecn_ok = false;
	}
	mss = req->rx_opt_mss_clamp;
	isn = cookie_init_sequence(lsk, seg, &mss);
	req->iss = isn;
	req->snd_una = isn;
	req->snd_nxt = isn + 1;
	req->write_seq = isn + 1;
	req->pushed_seq = isn + 1;
	req->snd_sml = isn;
	if (req->tstamp_ok) {
		/* the SYN-ACK's TS val is the cookie timestamp plus this
		 * connection's offset (tcp_tsval adds the clock to ts_off,
		 * so the request's offset takes the difference) */
		ts = cookie_init_timestamp(req);
		req->ts_off += ts - (uint32_t)(ns->now / USEC_PER_MSEC);
	}
	req->synack_fo_len = -1;
	TRACE_VALUES(lsk, "isn=%u mss=%u wscale_ok=%d snd_wscale=%u sack_ok=%d "
		     "ecn_ok=%d tstamp_ok=%d", isn, mss, req->wscale_ok,
		     req->snd_wscale, req->sack_ok, req->ecn_ok,
		     req->tstamp_ok);
	nds_tracef(ns, "listener fd %d: SYN cookie sent (mss %u%s), no "
		   "request kept", lsk->fd, mss,
		   req->tstamp_ok ? ", options in the TS val" :
				    ", no timestamps: options lost");
	tcp_send_synack(req);
	sk_free(req);
}

/* ------------------------------------------------------------ the ACK */

/* cookie_timestamp_decode: the options the cookie SYN-ACK's timestamp
 * carried, from the TS ecr with the connection's offset taken off. False
 * if one of them is now disabled here (the ACK then gets a reset). */
static bool cookie_timestamp_decode(const struct nds *ns,
				    struct tcp_seg *syn, uint32_t tsecr)
{
	if (!syn->saw_tstamp) {
		syn->sack_ok = false;
		syn->wscale_ok = false;
		syn->wscale = 0;
		return true;
	}
	if (!ns->sysctl.tcp_timestamps)
		return false;
	syn->sack_ok = (tsecr & TS_OPT_SACK) != 0;
	if (syn->sack_ok && !ns->sysctl.tcp_sack)
		return false;
	if ((tsecr & TS_OPT_WSCALE_MASK) == TS_OPT_WSCALE_MASK) {
		syn->wscale_ok = false;
		return true;
	}
	syn->wscale_ok = true;
	syn->wscale = (uint8_t)(tsecr & TS_OPT_WSCALE_MASK);
	return ns->sysctl.tcp_window_scaling != 0;
}

/* The TS offset the cookie SYN-ACK of this 4-tuple used
 * (secure_tcp_ts_off): tcp_init_seq's, from the same hash. */
static uint32_t cookie_ts_off(struct sock *lsk, const struct tcp_seg *seg)
{
	return (uint32_t)(tcp_secure_seq_hash(lsk->ns, &seg->daddr,
					      &seg->saddr, seg->dport,
					      seg->sport) >> 32);
}

/* tcp_v4_cookie_check / cookie_v4_check / cookie_v6_check: an ACK (no
 * SYN, no RST) for a listener that sent cookies lately. Returns the
 * listener when the segment is its own (no cookie to check, a bad cookie,
 * an option turned off since), NULL when it is dropped (the accept queue
 * is full, no memory), or the child made from the cookie, in SYN_RECV,
 * for the ACK to complete. */
struct sock *tcp_v4_cookie_check(struct sock *lsk, const struct tcp_seg *seg)
{
	struct nds *ns = lsk->ns;
	struct tcp_seg syn;
	struct sock *sk;
	uint32_t tsecr = 0;
	uint16_t mss;
	bool ecn_ok;

	if (!ns->sysctl.tcp_syncookies || (seg->flags & TCPHDR_SYN) ||
	    !(seg->flags & TCPHDR_ACK) || (seg->flags & TCPHDR_RST))
		return lsk;
	if (tcp_synq_no_recent_overflow(lsk))
		return lsk;
	TRACE_CALL_AS(lsk, "cookie_v4_check");
	mss = cookie_check_mss(ns, seg);
	if (!mss) {
		nds_mib_inc(ns, MIB_SYNCOOKIES_FAILED);
		nds_tracef(ns, "listener fd %d: ACK with a bad SYN cookie",
			   lsk->fd);
		return lsk;
	}
	nds_mib_inc(ns, MIB_SYNCOOKIES_RECV);

	/* the SYN the cookie stands for */
	memset(&syn, 0, sizeof(syn));
	syn.saddr = seg->saddr;
	syn.daddr = seg->daddr;
	syn.v4 = seg->v4;
	syn.tos = seg->tos;
	syn.sport = seg->sport;
	syn.dport = seg->dport;
	syn.seq = seg->seq - 1;
	syn.end_seq = seg->seq;
	syn.flags = TCPHDR_SYN;
	syn.window = seg->window;	/* the ACK's; set again on ESTABLISHED */
	syn.mss = mss;
	syn.fo_len = -1;
	syn.saw_tstamp = seg->saw_tstamp && ns->sysctl.tcp_timestamps;
	syn.tsval = seg->tsval;
	if (syn.saw_tstamp && seg->tsecr)
		tsecr = seg->tsecr - cookie_ts_off(lsk, seg);
	if (!cookie_timestamp_decode(ns, &syn, tsecr)) {
		nds_tracef(ns, "listener fd %d: SYN cookie carries an option "
			   "disabled since", lsk->fd);
		return lsk;
	}
	ecn_ok = (tsecr & TS_OPT_ECN) && ns->sysctl.tcp_ecn;
	TRACE_VALUES(lsk, "mss=%u tstamp_ok=%d sack_ok=%d wscale_ok=%d "
		     "snd_wscale=%u ecn_ok=%d", mss, syn.saw_tstamp,
		     syn.sack_ok, syn.wscale_ok, syn.wscale, ecn_ok);

	/* tcp_v4_syn_recv_sock */
	if (sk_acceptq_is_full(lsk)) {
		nds_mib_inc(ns, MIB_LISTEN_OVERFLOWS);
		tcp_listendrop(lsk);
		return NULL;
	}
	sk = tcp_openreq_child(lsk, &syn);
	if (!sk) {
		tcp_listendrop(lsk);
		return NULL;
	}
	/* the MSS is the cookie's, whatever TCP_MAXSEG says (req->mss) */
	sk->rx_opt_mss_clamp = mss;
	/* the window is chosen for the peer's MSS (cookie_v4_check's
	 * tcp_select_initial_window takes req->mss) */
	{
		uint32_t clamp = (uint32_t)sk->window_clamp_opt;

		if (sk->rcvbuf_lock &&
		    (clamp > (uint32_t)tcp_full_space(sk) || clamp == 0))
			clamp = (uint32_t)tcp_full_space(sk);
		tcp_select_initial_window(sk, tcp_full_space(sk), mss,
					  &sk->rcv_wnd, &clamp, sk->wscale_ok,
					  &sk->rcv_wscale);
		sk->window_clamp = clamp;
		sk->rcv_ssthresh = sk->rcv_wnd;
	}
	tcp_sync_mss(sk, (uint32_t)dst_mtu(sk));
	if (ecn_ok) {
		/* cookie_ecn_ok: classic ECN, whatever the SYN asked */
		sk->ecn_flags |= TCP_ECN_OK;
		sk->ecn_ok = true;
	}
	sk->iss = seg->ack_seq - 1;
	sk->snd_una = sk->iss;
	sk->snd_nxt = sk->iss + 1;
	sk->write_seq = sk->iss + 1;
	sk->pushed_seq = sk->iss + 1;
	sk->snd_sml = sk->iss;
	sk->synack_fo_len = -1;
	sk->syncookie = true;
	sk->parent = lsk;
	nds_tracef(ns, "listener fd %d: SYN cookie accepted: child with mss "
		   "%u%s%s%s", lsk->fd, mss, sk->tstamp_ok ? ", TS" : "",
		   sk->sack_ok ? ", SACK" : "",
		   sk->wscale_ok ? ", wscale" : "");
	return sk;
}
