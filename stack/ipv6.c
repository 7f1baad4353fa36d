/* SPDX-License-Identifier: GPL-2.0-only */
/* ipv6.c: inbound IPv6 (ipv6_rcv -> extension headers skipped ->
 * tcp_v4_rcv / udp_rcv / icmp_rcv; the TCP code is shared by both families,
 * IPv4-mapped IPv6 sockets are handled by the socket address helpers).
 */
#include "nds_priv.h"
#include "proto/ipv6.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

int ipv6_rcv(struct nds *ns, const uint8_t *pkt, size_t len)
{
	struct nds_ip6hdr ip6;
	struct nds_addr src, dst;
	size_t off = sizeof(ip6), plen;
	uint8_t nh;

	if (len < sizeof(ip6))
		return -EINVAL;
	memcpy(&ip6, pkt, sizeof(ip6));
	plen = ntohs(ip6.payload_len);
	if (sizeof(ip6) + plen > len)
		return -EINVAL;
	len = sizeof(ip6) + plen;
	memcpy(src.a.s6_addr, ip6.saddr, 16);
	memcpy(dst.a.s6_addr, ip6.daddr, 16);
	if (!nds_addr_is_local(ns, &dst))
		return 0;
	nh = ip6.nexthdr;
	/* Skip hop-by-hop, routing and destination options headers. */
	while (nh == 0 || nh == 43 || nh == 60) {
		if (off + 8 > len)
			return 0;
		uint8_t next = pkt[off];
		size_t hl = ((size_t)pkt[off + 1] + 1) * 8;
		if (off + hl > len)
			return 0;
		nh = next;
		off += hl;
	}
	if (nh == 44) {
		nds_unsupported(ns, "IPv6 fragments");
		return 0;
	}
	switch (nh) {
	case IPPROTO_TCP:
		tcp_v4_rcv(ns, &src, &dst, false, pkt + off, len - off,
			   (uint8_t)(ntohl(ip6.vtc_flow) >> 20));
		break;
	case IPPROTO_UDP:
		udp_rcv(ns, &src, &dst, false, pkt + off, len - off);
		break;
	case IPPROTO_ICMPV6:
		icmp_rcv(ns, &src, false, pkt + off, len - off);
		break;
	default:
		break;
	}
	return 0;
}
