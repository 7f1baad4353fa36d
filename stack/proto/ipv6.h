/* SPDX-License-Identifier: GPL-2.0-only */
/* proto/ipv6.h: IPv6 fixed header wire format (RFC 8200). */
#ifndef NETDRILL_PROTO_IPV6_H
#define NETDRILL_PROTO_IPV6_H

#include <stdint.h>

struct nds_ip6hdr {
	uint32_t vtc_flow;	/* version 4, traffic class 8, flow label 20 */
	uint16_t payload_len;
	uint8_t nexthdr;
	uint8_t hop_limit;
	uint8_t saddr[16];
	uint8_t daddr[16];
} __attribute__((packed));

#endif /* NETDRILL_PROTO_IPV6_H */
