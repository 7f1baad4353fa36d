/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_ipv4.c: TCP entry from IP for both families (tcp_v4_rcv /
 * tcp_v6_rcv): checksum, parse, socket lookup -> tcp_listen_rcv, or
 * tcp_v4_do_rcv -> tcp_rcv_established | tcp_rcv_state_process; for a
 * listener, tcp_v4_cookie_check (syncookies.c) first; resets for segments
 * with no socket (tcp_v4_send_reset).
 */
#include "tcp_priv.h"
#include "trace_priv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

/* tcp_v4_send_reset: answer a segment that has no connection. */
void tcp_v4_send_reset(struct nds *ns, const struct tcp_seg *seg)
{
	struct nds_tcphdr th;
	uint32_t sum;

	if (seg->flags & TCPHDR_RST)
		return;
	memset(&th, 0, sizeof(th));
	th.source = htons(seg->dport);
	th.dest = htons(seg->sport);
	th.doff_res = 5 << 4;
	if (seg->flags & TCPHDR_ACK) {
		th.seq = htonl(seg->ack_seq);
		th.flags = TCPHDR_RST;
	} else {
		th.ack_seq = htonl(seg->seq + seg->len +
				   ((seg->flags & TCPHDR_SYN) ? 1 : 0) +
				   ((seg->flags & TCPHDR_FIN) ? 1 : 0));
		th.flags = TCPHDR_RST | TCPHDR_ACK;
	}
	sum = csum_pseudo(&seg->daddr, &seg->saddr, seg->v4, IPPROTO_TCP,
			  sizeof(th));
	th.check = htons(csum_fold(csum_partial(&th, sizeof(th), sum)));
	nds_mib_inc(ns, MIB_TCP_OUT_SEGS);
	nds_mib_inc(ns, MIB_TCP_OUT_RSTS);
	ip_queue_xmit(ns, &seg->daddr, &seg->saddr, IPPROTO_TCP,
		      (const uint8_t *)&th, sizeof(th), -1, -1, 0, true);
}

/* tcp_v4_do_rcv: count the segment (tcp_segs_in), then the established
 * state's own path or the state machine for every other state */
static void tcp_v4_do_rcv(struct sock *sk, struct tcp_seg *seg)
{
	sk->segs_in++;
	if (seg->len)
		sk->data_segs_in++;
	if (sk->state == NDS_TCP_ESTABLISHED)
		tcp_rcv_established(sk, seg);
	else
		tcp_rcv_state_process(sk, seg);
}

void tcp_v4_rcv(struct nds *ns, const struct nds_addr *src,
		const struct nds_addr *dst, bool v4, const uint8_t *buf,
		size_t len, uint8_t tos)
{
	struct nds_tcphdr th;
	struct tcp_seg seg;
	struct sock *sk;
	size_t doff;
	TRACE_CALL_NS(ns, -1);

	if (len < sizeof(th))
		return;
	memcpy(&th, buf, sizeof(th));
	doff = (size_t)(th.doff_res >> 4) * 4;
	if (doff < sizeof(th) || doff > len)
		return;
	nds_mib_inc(ns, MIB_TCP_IN_SEGS);
	if (csum_fold(csum_partial(buf, len, csum_pseudo(src, dst, v4,
							 IPPROTO_TCP,
							 (uint32_t)len))) != 0) {
		nds_mib_inc(ns, MIB_TCP_IN_ERRS);
		nds_mib_inc(ns, MIB_TCP_IN_CSUM_ERRORS);
		nds_tracef(ns, "drop: bad TCP checksum");
		return;
	}
	memset(&seg, 0, sizeof(seg));
	seg.saddr = *src;
	seg.daddr = *dst;
	seg.v4 = v4;
	seg.tos = tos;
	seg.sport = ntohs(th.source);
	seg.dport = ntohs(th.dest);
	seg.seq = ntohl(th.seq);
	seg.ack_seq = ntohl(th.ack_seq);
	seg.flags = th.flags;
	seg.ae = th.doff_res & 1;
	seg.window = ntohs(th.window);
	seg.urg_ptr = ntohs(th.urg_ptr);
	seg.data = buf + doff;
	seg.len = (uint32_t)(len - doff);
	seg.doff = (uint16_t)doff;
	if (ns->rx_gso_size && seg.len > ns->rx_gso_size)
		seg.gso_size = ns->rx_gso_size;	/* a GRO packet */
	seg.end_seq = seg.seq + seg.len + ((seg.flags & TCPHDR_SYN) ? 1 : 0) +
		      ((seg.flags & TCPHDR_FIN) ? 1 : 0);
	tcp_parse_options(buf + sizeof(th), (int)(doff - sizeof(th)), &seg);
	if (seg.md5) {
		nds_unsupported(ns, "TCP MD5 signature option (segment "
				"dropped)");
		return;
	}
	sk = inet_lookup_established(ns, src, seg.sport, dst, seg.dport,
				     SOCK_STREAM);
	if (sk) {
		tcp_v4_do_rcv(sk, &seg);
		sk_destroy_if_done(sk);
		return;
	}
	sk = inet_lookup_listener(ns, dst, seg.dport, v4, SOCK_STREAM);
	if (sk) {
		/* tcp_v4_do_rcv for a listener: an ACK may carry a SYN
		 * cookie (tcp_v4_cookie_check); a valid one makes the child
		 * the segment goes to, a dropped one ends here */
		struct sock *nsk = tcp_v4_cookie_check(sk, &seg);

		if (!nsk)
			return;
		if (nsk != sk) {
			tcp_v4_do_rcv(nsk, &seg);
			sk_destroy_if_done(nsk);
			return;
		}
		tcp_listen_rcv(sk, &seg);
		return;
	}
	tcp_v4_send_reset(ns, &seg);
}
