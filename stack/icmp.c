/* SPDX-License-Identifier: GPL-2.0-only */
/* icmp.c: ICMP and ICMPv6 errors delivered to sockets (icmp_rcv ->
 * tcp_v4_err / udp_err): port/host unreachable set sk_err (hard errors
 * abort a connecting TCP socket), "fragmentation needed" / "packet too
 * big" lowers the path MTU used by TCP.
 */
#include "nds_priv.h"
#include "proto/icmp.h"
#include "proto/ip.h"
#include "proto/ipv6.h"
#include "proto/tcp.h"
#include "proto/udp.h"
#include "tcp_priv.h"
#include "udp_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

/* icmp_err_convert for destination unreachable codes */
static int unreach_errno(int code, bool *fatal)
{
	static const int tab[] = { ENETUNREACH, EHOSTUNREACH, ENOPROTOOPT,
				   ECONNREFUSED, EMSGSIZE, EOPNOTSUPP,
				   ENETUNREACH, EHOSTDOWN, ENONET, ENETUNREACH,
				   ENETUNREACH, ENETUNREACH, ENETUNREACH,
				   EHOSTUNREACH, EHOSTUNREACH, EHOSTUNREACH };
	*fatal = code == 2 || code == 3 || code == 5 || code == 9 ||
		 code == 10 || code == 13;
	if (code < 0 || code > 15)
		return EHOSTUNREACH;
	return tab[code];
}

/* The quoted segment's sequence number is not one we have outstanding:
 * for a request (SYN_RECV), anything but the SYN-ACK's ISN; otherwise
 * outside [snd_una, snd_nxt] (tcp_v4_err's check, tcp_req_err's). */
static bool tcp_icmp_out_of_window(const struct sock *sk,
				   const uint8_t *th)
{
	uint32_t seq;

	memcpy(&seq, th + 4, 4);
	seq = ntohl(seq);
	if (sk->state == NDS_TCP_LISTEN)
		return false;
	if (sk->state == NDS_TCP_SYN_RECV && !sk->tfo_child && !sk->simopen)
		return seq != sk->iss;
	/* a Fast Open child counts from its SYN-ACK's ISN */
	return !between(seq, sk->tfo_child ? sk->iss : sk->snd_una,
			sk->snd_nxt);
}

void icmp_rcv(struct nds *ns, const struct nds_addr *src, bool v4,
	      const uint8_t *msg, size_t len)
{
	struct nds_icmphdr ih;
	struct nds_addr isrc, idst;
	const uint8_t *inner;
	size_t ilen, ihl;
	uint8_t proto;
	int err = 0;
	bool fatal = false;
	uint32_t mtu = 0;
	uint16_t sport, dport;
	struct sock *sk;

	if (len < sizeof(ih))
		return;
	memcpy(&ih, msg, sizeof(ih));
	inner = msg + sizeof(ih);
	ilen = len - sizeof(ih);
	if (v4) {
		struct nds_iphdr ip;
		if (ih.type == NDS_ICMP_DEST_UNREACH) {
			if (ih.code == NDS_ICMP_FRAG_NEEDED)
				mtu = ntohl(ih.un) & 0xffff;
			else
				err = unreach_errno(ih.code, &fatal);
		} else if (ih.type == NDS_ICMP_TIME_EXCEEDED) {
			err = EHOSTUNREACH;
		} else {
			return;
		}
		if (ilen < sizeof(ip))
			return;
		memcpy(&ip, inner, sizeof(ip));
		ihl = (size_t)(ip.ihl_version & 0xf) * 4;
		if (ihl < sizeof(ip) || ilen < ihl + 8)
			return;
		proto = ip.protocol;
		nds_addr_from_v4(&isrc, ip.saddr);
		nds_addr_from_v4(&idst, ip.daddr);
		inner += ihl;
	} else {
		struct nds_ip6hdr ip6;
		if (ih.type == NDS_ICMPV6_DEST_UNREACH) {
			static const int t6[] = { ENETUNREACH, EACCES,
						  EHOSTUNREACH, EHOSTUNREACH,
						  ECONNREFUSED, EACCES, EACCES };
			err = ih.code < 7 ? t6[ih.code] : EHOSTUNREACH;
			fatal = ih.code == 1 || ih.code == 4;
		} else if (ih.type == NDS_ICMPV6_PKT_TOOBIG) {
			mtu = ntohl(ih.un);
		} else if (ih.type == NDS_ICMPV6_TIME_EXCEED) {
			err = EHOSTUNREACH;
		} else {
			return;
		}
		if (ilen < sizeof(ip6) + 8)
			return;
		memcpy(&ip6, inner, sizeof(ip6));
		proto = ip6.nexthdr;
		memcpy(isrc.a.s6_addr, ip6.saddr, 16);
		memcpy(idst.a.s6_addr, ip6.daddr, 16);
		inner += sizeof(ip6);
	}
	memcpy(&sport, inner, 2);
	memcpy(&dport, inner + 2, 2);
	sport = ntohs(sport);
	dport = ntohs(dport);
	/* the quoted packet is one we sent: we are its source */
	sk = inet_lookup_established(ns, &idst, dport, &isrc, sport,
				     proto == IPPROTO_TCP ? SOCK_STREAM
							  : SOCK_DGRAM);
	if (!sk)
		return;
	if (proto == IPPROTO_TCP && tcp_icmp_out_of_window(sk, inner)) {
		nds_tracef(ns, "fd %d: ICMP about a segment outside "
			   "[snd_una, snd_nxt] ignored", sk->fd);
		nds_mib_inc(ns, MIB_OUT_OF_WINDOW_ICMPS);
		return;		/* tcp_v4_err / tcp_v6_err ignore it */
	}
	if (mtu) {
		if (proto == IPPROTO_TCP && mtu >= 68 &&
		    (int)mtu < ns->mtu) {
			nds_unsupported(ns, "per-route PMTU (ICMP too big "
					"applied to the whole stack)");
			ns->mtu = (int)mtu;
			tcp_sync_mss(sk, mtu);
			tcp_fastopen_mtu_reduced(sk);	/* SYN with data */
			tcp_simple_retransmit(sk);
		}
		return;
	}
	if (proto == IPPROTO_UDP) {
		udp_err(sk, err);
		return;
	}
	if (sk->state == NDS_TCP_SYN_RECV && !sk->tfo_child) {
		/* tcp_req_err: an error about our SYN-ACK drops the request
		 * silently when it is net/host unreachable or time exceeded
		 * (v4), or fatal (v6) */
		uint32_t seq;
		bool abort = v4 ? (ih.type == NDS_ICMP_TIME_EXCEEDED ||
				   (ih.type == NDS_ICMP_DEST_UNREACH &&
				    ih.code <= 1))
				: fatal;
		memcpy(&seq, inner + 4, 4);
		if (ntohl(seq) == sk->iss && abort)
			inet_csk_reqsk_queue_drop(sk);
		return;
	}
	if (sk->state == NDS_TCP_SYN_RECV && sk->tfo_child) {
		/* tcp_v4_err: a Fast Open child not yet accepted-and-acked
		 * takes the error and closes, staying in the accept queue */
		sk->sk_err = err;
		tcp_done(sk);
		return;
	}
	if (sk->state == NDS_TCP_SYN_SENT && fatal) {
		sk->sk_err = err;
		tcp_done(sk);
		return;
	}
	sk->sk_err_soft = err;
	(void)src;
}
