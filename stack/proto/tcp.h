/* SPDX-License-Identifier: GPL-2.0-only */
/* proto/tcp.h: TCP header and option wire format (RFC 9293, 7323, 2018). */
#ifndef NETDRILL_PROTO_TCP_H
#define NETDRILL_PROTO_TCP_H

#include <stdint.h>

struct nds_tcphdr {
	uint16_t source;
	uint16_t dest;
	uint32_t seq;
	uint32_t ack_seq;
	uint8_t doff_res;	/* data offset << 4 | reserved, AE */
	uint8_t flags;		/* TCPHDR_* below */
	uint16_t window;
	uint16_t check;
	uint16_t urg_ptr;
} __attribute__((packed));

/* flags byte */
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40
#define TCPHDR_CWR 0x80
#define TCPHDR_AE 0x100		/* in the low bit of doff_res on the wire */
#define TCPHDR_ACE (TCPHDR_ECE | TCPHDR_CWR | TCPHDR_AE)

/* option kinds */
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WINDOW 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8
#define TCPOPT_MD5SIG 19
#define TCPOPT_ACCECN0 172	/* AccECN, counters e0b ceb e1b */
#define TCPOPT_ACCECN1 174	/* AccECN, counters e1b ceb e0b */
#define TCPOPT_FASTOPEN 34
#define TCPOPT_EXP 254

#define TCPOLEN_MSS 4
#define TCPOLEN_WINDOW 3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_TIMESTAMP 10
#define TCPOLEN_TSTAMP_ALIGNED 12	/* NOP, NOP, timestamp */
#define TCPOLEN_MD5SIG 18

#define TCP_MAX_WSCALE 14

#endif /* NETDRILL_PROTO_TCP_H */
