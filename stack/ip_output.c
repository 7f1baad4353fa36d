/* SPDX-License-Identifier: GPL-2.0-only */
/* ip_output.c: checksums, address helpers and datagram output for IPv4 and
 * IPv6 (ip_queue_xmit -> ip_build_header / ipv6_build_header -> output hook).
 */
#include "nds_priv.h"
#include "trace_priv.h"
#include "proto/ip.h"
#include "proto/ipv6.h"

#include <arpa/inet.h>
#include <string.h>

uint32_t csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* Returns the one's complement sum folded to 16 bits, host order. */
uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo(const struct nds_addr *src, const struct nds_addr *dst,
		     bool v4, uint8_t proto, uint32_t len)
{
	uint32_t sum = 0;

	if (v4) {
		sum = csum_partial(&src->a.s6_addr[12], 4, sum);
		sum = csum_partial(&dst->a.s6_addr[12], 4, sum);
	} else {
		sum = csum_partial(src->a.s6_addr, 16, sum);
		sum = csum_partial(dst->a.s6_addr, 16, sum);
	}
	sum += proto;
	sum += len & 0xffff;
	sum += len >> 16;
	return sum;
}

bool nds_addr_is_v4(const struct nds_addr *a)
{
	return IN6_IS_ADDR_V4MAPPED(&a->a);
}

void nds_addr_from_v4(struct nds_addr *a, uint32_t be_addr)
{
	memset(a, 0, sizeof(*a));
	a->a.s6_addr[10] = 0xff;
	a->a.s6_addr[11] = 0xff;
	memcpy(&a->a.s6_addr[12], &be_addr, 4);
}

uint32_t nds_addr_v4(const struct nds_addr *a)
{
	uint32_t v;

	memcpy(&v, &a->a.s6_addr[12], 4);
	return v;
}

bool nds_addr_any(const struct nds_addr *a)
{
	if (nds_addr_is_v4(a))
		return nds_addr_v4(a) == 0;
	return IN6_IS_ADDR_UNSPECIFIED(&a->a);
}

bool nds_addr_eq(const struct nds_addr *a, const struct nds_addr *b)
{
	return !memcmp(&a->a, &b->a, 16);
}

bool nds_addr_is_local(struct nds *ns, const struct nds_addr *a)
{
	if (nds_addr_is_v4(a)) {
		uint32_t v = nds_addr_v4(a);
		if ((ntohl(v) >> 24) == 127)
			return true;
		return ns->cfg.has_v4 && v == ns->cfg.local_v4.s_addr;
	}
	if (IN6_IS_ADDR_LOOPBACK(&a->a))
		return true;
	return ns->cfg.has_v6 && !memcmp(&a->a, &ns->cfg.local_v6, 16);
}

int ip_queue_xmit(struct nds *ns, const struct nds_addr *src,
		   const struct nds_addr *dst, uint8_t proto, const uint8_t *l4,
		   size_t l4len, int tos, int ttl, uint16_t id, bool df)
{
	uint8_t pkt[65536 + 40];
	size_t len;
	TRACE_CALL_NS(ns, -1);

	if (nds_addr_is_v4(dst)) {
		struct nds_iphdr *ip = (struct nds_iphdr *)pkt;

		len = sizeof(*ip) + l4len;
		if (len > 65535)
			return 0;
		memset(ip, 0, sizeof(*ip));
		ip->ihl_version = 0x45;
		ip->tos = tos < 0 ? 0 : (uint8_t)tos;
		ip->tot_len = htons((uint16_t)len);
		ip->id = htons(id);
		ip->frag_off = htons(df ? NDS_IP_DF : 0);
		ip->ttl = ttl < 0 ? (uint8_t)ns->sysctl.ip_default_ttl
				  : (uint8_t)ttl;
		ip->protocol = proto;
		ip->saddr = nds_addr_v4(src);
		ip->daddr = nds_addr_v4(dst);
		ip->check = htons(csum_fold(csum_partial(ip, sizeof(*ip), 0)));
		memcpy(pkt + sizeof(*ip), l4, l4len);
	} else {
		struct nds_ip6hdr *ip6 = (struct nds_ip6hdr *)pkt;

		len = sizeof(*ip6) + l4len;
		if (l4len > 65535)
			return 0;
		memset(ip6, 0, sizeof(*ip6));
		ip6->vtc_flow = htonl(6u << 28 | (uint32_t)(tos < 0 ? 0 : tos)
						      << 20);
		ip6->payload_len = htons((uint16_t)l4len);
		ip6->nexthdr = proto;
		ip6->hop_limit = ttl < 0 ? (uint8_t)ns->sysctl.ipv6_hop_limit
					 : (uint8_t)ttl;
		memcpy(ip6->saddr, src->a.s6_addr, 16);
		memcpy(ip6->daddr, dst->a.s6_addr, 16);
		memcpy(pkt + sizeof(*ip6), l4, l4len);
	}
	/* dev_queue_xmit: the root qdisc puts it on the wire (sch.c) */
	return sch_enqueue(ns, pkt, len) ? NET_XMIT_DROP : 0;
}
