/* SPDX-License-Identifier: GPL-2.0-only */
/* proto/ip.h: IPv4 header wire format (RFC 791). */
#ifndef NETDRILL_PROTO_IP_H
#define NETDRILL_PROTO_IP_H

#include <stdint.h>

struct nds_iphdr {
	uint8_t ihl_version;	/* version << 4 | header length in words */
	uint8_t tos;
	uint16_t tot_len;	/* network order */
	uint16_t id;
	uint16_t frag_off;	/* flags and fragment offset */
	uint8_t ttl;
	uint8_t protocol;
	uint16_t check;
	uint32_t saddr;
	uint32_t daddr;
} __attribute__((packed));

#define NDS_IP_DF 0x4000	/* don't fragment */
#define NDS_IP_MF 0x2000	/* more fragments */
#define NDS_IP_OFFMASK 0x1fff

#endif /* NETDRILL_PROTO_IP_H */
