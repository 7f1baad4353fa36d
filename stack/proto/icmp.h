/* SPDX-License-Identifier: GPL-2.0-only */
/* proto/icmp.h: ICMP (RFC 792) and ICMPv6 (RFC 4443) header wire format. */
#ifndef NETDRILL_PROTO_ICMP_H
#define NETDRILL_PROTO_ICMP_H

#include <stdint.h>

struct nds_icmphdr {
	uint8_t type;
	uint8_t code;
	uint16_t check;
	uint32_t un;		/* unused / next-hop MTU (low 16 bits) */
} __attribute__((packed));

#define NDS_ICMP_DEST_UNREACH 3
#define NDS_ICMP_FRAG_NEEDED 4	/* code of DEST_UNREACH */
#define NDS_ICMP_TIME_EXCEEDED 11
#define NDS_ICMPV6_DEST_UNREACH 1
#define NDS_ICMPV6_PKT_TOOBIG 2
#define NDS_ICMPV6_TIME_EXCEED 3

#endif /* NETDRILL_PROTO_ICMP_H */
