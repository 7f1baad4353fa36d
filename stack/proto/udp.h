/* SPDX-License-Identifier: GPL-2.0-only */
/* proto/udp.h: UDP header wire format (RFC 768). */
#ifndef NETDRILL_PROTO_UDP_H
#define NETDRILL_PROTO_UDP_H

#include <stdint.h>

struct nds_udphdr {
	uint16_t source;
	uint16_t dest;
	uint16_t len;
	uint16_t check;
} __attribute__((packed));

#endif /* NETDRILL_PROTO_UDP_H */
