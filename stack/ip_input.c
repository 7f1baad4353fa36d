/* SPDX-License-Identifier: GPL-2.0-only */
/* ip_input.c: inbound datagrams: nds_input -> ip_rcv (IPv4) / ipv6_rcv ->
 * tcp_v4_rcv, udp_rcv or icmp_rcv. Validates lengths and checksums; drops
 * fragments and datagrams not addressed to us.
 */
#include "nds_priv.h"
#include "trace_priv.h"
#include "proto/ip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

int nds_input(struct nds *ns, const uint8_t *ip_packet, size_t len)
{
	int ret;

	if (!ip_packet || len < 1)
		return -EINVAL;
	switch (ip_packet[0] >> 4) {
	case 4:
		ret = ip_rcv(ns, ip_packet, len);
		break;
	case 6:
		ret = ipv6_rcv(ns, ip_packet, len);
		break;
	default:
		return -EINVAL;
	}
	/* timers that became due "now" (a 0 ms delayed ACK) run right after
	 * the packet, as a softirq timer would */
	nds_trace_sync_detail(ns);
	nds_advance(ns, ns->now);
	nds_reap(ns);
	return ret;
}

int ip_rcv(struct nds *ns, const uint8_t *pkt, size_t len)
{
	struct nds_iphdr ip;
	struct nds_addr src, dst;
	size_t ihl, tot;

	if (len < sizeof(ip))
		return -EINVAL;
	memcpy(&ip, pkt, sizeof(ip));
	ihl = (size_t)(ip.ihl_version & 0xf) * 4;
	tot = ntohs(ip.tot_len);
	if (ihl < sizeof(ip) || tot < ihl || tot > len)
		return -EINVAL;
	if (csum_fold(csum_partial(pkt, ihl, 0)) != 0)
		return 0;		/* bad header checksum: drop */
	if (ntohs(ip.frag_off) & (NDS_IP_MF | NDS_IP_OFFMASK)) {
		nds_unsupported(ns, "IPv4 fragments");
		return 0;
	}
	nds_addr_from_v4(&src, ip.saddr);
	nds_addr_from_v4(&dst, ip.daddr);
	if (!nds_addr_is_local(ns, &dst))
		return 0;
	switch (ip.protocol) {
	case IPPROTO_TCP:
		tcp_v4_rcv(ns, &src, &dst, true, pkt + ihl, tot - ihl, ip.tos);
		break;
	case IPPROTO_UDP:
		udp_rcv(ns, &src, &dst, true, pkt + ihl, tot - ihl);
		break;
	case IPPROTO_ICMP:
		icmp_rcv(ns, &src, true, pkt + ihl, tot - ihl);
		break;
	default:
		break;
	}
	return 0;
}
