/* SPDX-License-Identifier: GPL-2.0-only */
/* packet.h: a parsed wire packet (IP datagram): its header layers
 * (IPv4/IPv6, GRE, MPLS, then TCP/UDP/ICMPv4/ICMPv6, and the header an
 * ICMP error echoes), byte-level field accessors, TCP option iteration and
 * checksums.
 *
 * A struct packet owns its bytes. Headers are recorded as offsets into
 * those bytes, so a copy stays valid and fields are read and written in
 * place (network byte order on the wire, host order through the
 * accessors). Script packets built from a .pkt line carry extra "what to
 * check" information (flags, tos_chk, ttl) used by packet_match.c.
 *
 * Ownership: packet_parse() and packet_copy() return packets the caller
 * frees with packet_free(). Error strings are malloc'd; the caller frees.
 */
#ifndef NETDRILL_PACKET_H
#define NETDRILL_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum packet_header_type {
	PH_NONE = 0,
	PH_IPV4,
	PH_IPV6,
	PH_GRE,
	PH_MPLS,
	PH_TCP,
	PH_UDP,
	PH_ICMPV4,
	PH_ICMPV6,
};

/* Name of a header type as packetdrill prints it ("IPv4", "TCP", ...). */
const char *packet_header_type_name(enum packet_header_type type);

#define PACKET_MAX_HEADERS 8

struct packet_header {
	enum packet_header_type type;
	int off;		/* offset of the header in buf */
	int len;		/* header bytes (for MPLS: the whole stack) */
};

/* What to check of an outbound script packet (packetdrill's tos_chk). */
enum tos_check {
	TOS_CHECK_NONE = 0,	/* nothing given in the script */
	TOS_CHECK_ECN,		/* [noecn], [ect0], [ect1], [ce]: ECN bits */
	TOS_CHECK_ECN_ECT01,	/* [ect01]: either ECT(0) or ECT(1) */
	TOS_CHECK_TOS,		/* [tos 0x..]: the whole byte */
};

/* packet->flags, set on script packets */
#define PACKET_F_WIN_NOCHECK	0x1	/* no "win" given: window unchecked */
#define PACKET_F_OPTIONS_NOCHECK 0x2	/* "<...>": options unchecked */
#define PACKET_F_PARSE_ACE	0x4	/* AccECN ACE digit flag given */

/* IP ECN codepoints (low two bits of the TOS / traffic class byte) */
#define IP_ECN_MASK	0x3
#define IP_ECN_NOT_ECT	0x0
#define IP_ECN_ECT1	0x1
#define IP_ECN_ECT0	0x2
#define IP_ECN_CE	0x3

/* TCP option kinds */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MAXSEG		2
#define TCPOPT_WINDOW		3
#define TCPOPT_SACK_PERMITTED	4
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8
#define TCPOPT_MD5SIG		19
#define TCPOPT_MPTCP		30
#define TCPOPT_FASTOPEN		34
#define TCPOPT_ACCECN0		172
#define TCPOPT_ACCECN1		174
#define TCPOPT_EXP		254
#define TCPOPT_FASTOPEN_MAGIC	0xF989

/* TCP flag bits (byte 13 of the header); AE is bit 0 of byte 12 */
#define TCPH_FIN	0x01
#define TCPH_SYN	0x02
#define TCPH_RST	0x04
#define TCPH_PSH	0x08
#define TCPH_ACK	0x10
#define TCPH_URG	0x20
#define TCPH_ECE	0x40
#define TCPH_CWR	0x80

struct packet {
	uint8_t *buf;		/* the IP datagram (owned) */
	size_t len;		/* bytes in buf */
	int64_t time_us;	/* when it was sent (live) or is due (script) */

	struct packet_header headers[PACKET_MAX_HEADERS];
	int n_headers;

	/* The innermost IP header and the layer-4 header (-1 if none). */
	int ip_off;
	int ip_version;		/* 4 or 6; 0 if none */
	int ip_hdr_len;		/* incl. options / extension headers */
	int ip_end;		/* offset just past the innermost datagram */
	int l4_off;
	enum packet_header_type l4_type;	/* PH_TCP, ..., PH_NONE */
	int l4_hdr_len;
	int payload_off;
	int payload_len;

	/* For ICMP errors: the echoed IP header and the start of the
	 * echoed layer-4 header (-1 if absent). */
	int echoed_ip_off;
	int echoed_ip_version;
	int echoed_l4_off;
	int echoed_l4_proto;	/* IPPROTO_TCP, IPPROTO_UDP, ... */
	int echoed_l4_len;	/* bytes of the echoed L4 header present */

	/* Script packets only: what to check. */
	unsigned flags;		/* PACKET_F_* */
	enum tos_check tos_chk;
	uint8_t ttl;		/* 0: unchecked */
};

/* --- byte helpers --- */
static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}
static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* --- life cycle --- */

/* Parse a copy of the len bytes at data (an IPv4 or IPv6 datagram). On
 * malformed bytes returns NULL and sets *error. */
struct packet *packet_parse(const uint8_t *data, size_t len, char **error);
/* Re-parse p's own bytes after they were rewritten. 0 or -1 + *error. */
int packet_reparse(struct packet *p, char **error);
struct packet *packet_copy(const struct packet *p);
void packet_free(struct packet *p);

/* --- the TCP header (NULL accessors must not be called without TCP) --- */
static inline uint8_t *packet_tcp(const struct packet *p)
{
	return p->l4_type == PH_TCP ? p->buf + p->l4_off : NULL;
}
static inline uint8_t *packet_udp(const struct packet *p)
{
	return p->l4_type == PH_UDP ? p->buf + p->l4_off : NULL;
}
static inline uint8_t *packet_icmp(const struct packet *p)
{
	return (p->l4_type == PH_ICMPV4 || p->l4_type == PH_ICMPV6) ?
		p->buf + p->l4_off : NULL;
}
static inline uint8_t *packet_ip(const struct packet *p)
{
	return p->ip_off >= 0 ? p->buf + p->ip_off : NULL;
}

static inline uint16_t tcph_src_port(const uint8_t *t) { return get_be16(t); }
static inline uint16_t tcph_dst_port(const uint8_t *t) { return get_be16(t + 2); }
static inline uint32_t tcph_seq(const uint8_t *t) { return get_be32(t + 4); }
static inline uint32_t tcph_ack_seq(const uint8_t *t) { return get_be32(t + 8); }
static inline int tcph_doff(const uint8_t *t) { return t[12] >> 4; }
static inline int tcph_res1(const uint8_t *t) { return (t[12] >> 1) & 0x7; }
static inline int tcph_ae(const uint8_t *t) { return t[12] & 1; }
static inline uint8_t tcph_flags(const uint8_t *t) { return t[13]; }
static inline int tcph_flag(const uint8_t *t, uint8_t f) { return (t[13] & f) != 0; }
static inline uint16_t tcph_window(const uint8_t *t) { return get_be16(t + 14); }
static inline uint16_t tcph_urg_ptr(const uint8_t *t) { return get_be16(t + 18); }
static inline void tcph_set_seq(uint8_t *t, uint32_t v) { put_be32(t + 4, v); }
static inline void tcph_set_ack_seq(uint8_t *t, uint32_t v) { put_be32(t + 8, v); }
static inline void tcph_set_window(uint8_t *t, uint16_t v) { put_be16(t + 14, v); }

/* AccECN ACE field: AE<<2 | CWR<<1 | ECE */
static inline int tcph_ace(const uint8_t *t)
{
	return (tcph_ae(t) << 2) | (tcph_flag(t, TCPH_CWR) << 1) |
	       tcph_flag(t, TCPH_ECE);
}

/* TCP options of p (between the fixed header and the payload). */
static inline uint8_t *packet_tcp_options(const struct packet *p)
{
	return p->buf + p->l4_off + 20;
}
static inline int packet_tcp_options_len(const struct packet *p)
{
	return p->l4_type == PH_TCP ? p->l4_hdr_len - 20 : 0;
}

/* --- TCP option iteration (packetdrill's rules: EOL and NOP are one
 * byte, every other kind has a length byte >= 2 that must fit, and
 * fixed-size kinds must have their size) --- */
struct tcp_option {
	uint8_t kind;
	uint8_t len;		/* total bytes incl. kind (and len) */
	int off;		/* offset of the option in the packet */
};
struct tcp_option_iter {
	const struct packet *p;
	int pos, end;		/* packet offsets */
};
/* Start iterating; returns the first option in *opt: 1 if one, 0 at the
 * end, -1 on malformed options (*error set). */
int tcp_options_begin(const struct packet *p, struct tcp_option_iter *it,
		      struct tcp_option *opt, char **error);
int tcp_options_next(struct tcp_option_iter *it, struct tcp_option *opt,
		     char **error);
/* Find the first option of kind; 1 found, 0 not, -1 malformed. */
int packet_find_tcp_option(const struct packet *p, uint8_t kind,
			   struct tcp_option *opt, char **error);
/* The TS option: offsets of the val and ecr fields, or -1 when there is
 * no (well-formed) timestamp option. */
int packet_tcp_ts_val_off(const struct packet *p);
static inline uint32_t packet_tcp_ts_val(const struct packet *p, int ts_off)
{
	return get_be32(p->buf + ts_off);
}
static inline uint32_t packet_tcp_ts_ecr(const struct packet *p, int ts_off)
{
	return get_be32(p->buf + ts_off + 4);
}

/* Add delta to every SACK block edge; -1 + *error on bad options. */
int packet_offset_sack_blocks(struct packet *p, uint32_t delta, char **error);

/* --- the IP layer --- */
uint8_t packet_ip_tos(const struct packet *p);	/* TOS / traffic class */
uint8_t packet_ip_ttl(const struct packet *p);	/* TTL / hop limit */
uint32_t packet_ipv6_flowlabel(const struct packet *p);
/* Source and destination of the innermost IP header, as 16 bytes (IPv4 in
 * the first 4) and the family (AF_INET/AF_INET6). */
void packet_get_addrs(const struct packet *p, int *family, uint8_t src[16],
		      uint8_t dst[16]);
/* Ports of the TCP or UDP header (0 if none). */
void packet_get_ports(const struct packet *p, uint16_t *sport,
		      uint16_t *dport);
/* Rewrite the innermost addresses (of the packet's own family) and the
 * TCP/UDP ports; ICMP errors get the reversed tuple in the echoed
 * headers. A port of 0 is left unchanged. */
void packet_set_tuple(struct packet *p, const uint8_t src[16],
		      const uint8_t dst[16], uint16_t sport, uint16_t dport);

/* --- checksums --- */
/* Internet checksum (RFC 1071) of len bytes, folded and complemented. */
uint16_t inet_checksum(const void *data, size_t len);
/* Fill every checksum: IPv4 headers, GRE (if present), TCP/UDP/ICMPv6
 * with their pseudo-header, ICMPv4. */
void packet_fill_checksums(struct packet *p);
/* true if every IPv4 header checksum in p is correct */
bool packet_ipv4_checksums_ok(const struct packet *p);
/* true if the TCP/UDP/ICMP checksum is correct */
bool packet_l4_checksum_ok(const struct packet *p);

/* GRE header bits */
#define GRE_FLAG_C	0x8000
#define GRE_FLAG_R	0x4000
#define GRE_FLAG_K	0x2000
#define GRE_FLAG_S	0x1000

#endif /* NETDRILL_PACKET_H */
