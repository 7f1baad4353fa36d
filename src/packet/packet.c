/* SPDX-License-Identifier: GPL-2.0-only */
/* packet.c: parse an IP datagram into header layers, walk TCP options,
 * rewrite addresses, and compute checksums. Every length read from the
 * wire is checked against the bytes we really have: a packet that lies
 * about its lengths is rejected with a message, never read past. */
#include "packet.h"

#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

#define IPPROTO_GRE_ 47

const char *packet_header_type_name(enum packet_header_type type)
{
	switch (type) {
	case PH_IPV4:	return "IPv4";
	case PH_IPV6:	return "IPv6";
	case PH_GRE:	return "GRE";
	case PH_MPLS:	return "MPLS";
	case PH_TCP:	return "TCP";
	case PH_UDP:	return "UDP";
	case PH_ICMPV4:	return "ICMPv4";
	case PH_ICMPV6:	return "ICMPv6";
	default:	return "NONE";
	}
}

static int add_header(struct packet *p, enum packet_header_type type, int off,
		      int len, char **error)
{
	if (p->n_headers >= PACKET_MAX_HEADERS)
		return fail(error, "too many headers in packet (max %d)",
			    PACKET_MAX_HEADERS);
	p->headers[p->n_headers].type = type;
	p->headers[p->n_headers].off = off;
	p->headers[p->n_headers].len = len;
	p->n_headers++;
	return 0;
}

/* Is an ICMPv4 type an error that echoes the offending datagram? */
static bool icmpv4_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static bool icmpv6_is_error(uint8_t type)
{
	return type >= 1 && type <= 4;
}

/* Parse the datagram echoed inside an ICMP error at [off, end): record
 * where its IP and L4 headers start; truncated echoes are fine (ICMP
 * carries only the first bytes), garbage is ignored. */
static void parse_echoed(struct packet *p, int off, int end)
{
	const uint8_t *b = p->buf;
	int ihl, proto;

	if (off >= end)
		return;
	if ((b[off] >> 4) == 4 && end - off >= 20) {
		ihl = (b[off] & 0xf) * 4;
		if (ihl < 20 || off + ihl > end)
			return;
		proto = b[off + 9];
		p->echoed_ip_off = off;
		p->echoed_ip_version = 4;
		off += ihl;
	} else if ((b[off] >> 4) == 6 && end - off >= 40) {
		proto = b[off + 6];
		p->echoed_ip_off = off;
		p->echoed_ip_version = 6;
		off += 40;
	} else {
		return;
	}
	p->echoed_l4_proto = proto;
	if (off < end) {
		p->echoed_l4_off = off;
		p->echoed_l4_len = end - off;
	}
}

/* Parse an IP header at off (ending at most at end), and what follows. */
static int parse_ip(struct packet *p, int off, int end, char **error);

static int parse_l4(struct packet *p, int proto, int off, int end,
		    char **error)
{
	const uint8_t *b = p->buf;
	int avail = end - off;

	switch (proto) {
	case IPPROTO_TCP: {
		int hl;

		if (avail < 20)
			return fail(error, "TCP header overflows packet");
		hl = (b[off + 12] >> 4) * 4;
		if (hl < 20)
			return fail(error, "TCP header length %d too small",
				    hl);
		if (hl > avail)
			return fail(error, "TCP header overflows packet");
		p->l4_type = PH_TCP;
		p->l4_hdr_len = hl;
		break;
	}
	case IPPROTO_UDP: {
		int ulen;

		if (avail < 8)
			return fail(error, "UDP header overflows packet");
		ulen = get_be16(b + off + 4);
		if (ulen < 8 || ulen > avail)
			return fail(error, "UDP length %d does not match "
				    "the %d bytes in the IP payload", ulen,
				    avail);
		end = off + ulen;
		p->l4_type = PH_UDP;
		p->l4_hdr_len = 8;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (avail < 8)
			return fail(error, "ICMP header overflows packet");
		p->l4_type = proto == IPPROTO_ICMP ? PH_ICMPV4 : PH_ICMPV6;
		p->l4_hdr_len = 8;
		if (proto == IPPROTO_ICMP ? icmpv4_is_error(b[off]) :
					    icmpv6_is_error(b[off]))
			parse_echoed(p, off + 8, end);
		break;
	case IPPROTO_GRE_: {
		uint16_t flags, ethertype;
		int hl = 4;

		if (avail < 4)
			return fail(error, "GRE header overflows packet");
		flags = get_be16(b + off);
		ethertype = get_be16(b + off + 2);
		if (flags & (GRE_FLAG_C | GRE_FLAG_R))
			hl += 4;
		if (flags & GRE_FLAG_K)
			hl += 4;
		if (flags & GRE_FLAG_S)
			hl += 4;
		if (hl > avail)
			return fail(error, "GRE header overflows packet");
		if (add_header(p, PH_GRE, off, hl, error))
			return -1;
		off += hl;
		if (ethertype == 0x8847) {	/* MPLS unicast */
			int start = off;

			for (;;) {
				if (end - off < 4)
					return fail(error, "MPLS header "
						    "overflows packet");
				off += 4;
				if (b[off - 2] & 0x1)	/* bottom of stack */
					break;
			}
			if (add_header(p, PH_MPLS, start, off - start, error))
				return -1;
		} else if (ethertype != 0x0800 && ethertype != 0x86DD) {
			return fail(error, "unsupported GRE protocol 0x%04x",
				    ethertype);
		}
		return parse_ip(p, off, end, error);
	}
	case IPPROTO_IPIP:
	case IPPROTO_IPV6:
		return parse_ip(p, off, end, error);
	default:
		return fail(error, "unsupported IP protocol %d", proto);
	}
	p->l4_off = off;
	if (add_header(p, p->l4_type, off, p->l4_hdr_len, error))
		return -1;
	p->payload_off = off + p->l4_hdr_len;
	p->payload_len = end - p->payload_off;
	return 0;
}

static int parse_ip(struct packet *p, int off, int end, char **error)
{
	const uint8_t *b = p->buf;
	int avail = end - off, proto, hl;

	if (avail < 1)
		return fail(error, "IP header overflows packet");
	if ((b[off] >> 4) == 4) {
		int tot;

		if (avail < 20)
			return fail(error, "IPv4 header overflows packet");
		hl = (b[off] & 0xf) * 4;
		if (hl < 20)
			return fail(error, "IPv4 header length %d too small",
				    hl);
		tot = get_be16(b + off + 2);
		if (hl > avail || tot < hl || tot > avail)
			return fail(error, "IPv4 total length %d does not "
				    "match the %d bytes available", tot,
				    avail);
		if (get_be16(b + off + 6) & 0x3fff)
			return fail(error, "IPv4 fragments not supported");
		proto = b[off + 9];
		end = off + tot;
		p->ip_version = 4;
		if (add_header(p, PH_IPV4, off, hl, error))
			return -1;
	} else if ((b[off] >> 4) == 6) {
		int plen;

		if (avail < 40)
			return fail(error, "IPv6 header overflows packet");
		plen = get_be16(b + off + 4);
		if (40 + plen > avail)
			return fail(error, "IPv6 payload length %d does not "
				    "match the %d bytes available", plen,
				    avail - 40);
		end = off + 40 + plen;
		proto = b[off + 6];
		hl = 40;
		/* Skip the common extension headers. */
		while (proto == 0 || proto == 43 || proto == 60 ||
		       proto == 44) {
			int elen;

			if (off + hl + 8 > end)
				return fail(error, "IPv6 extension header "
					    "overflows packet");
			elen = proto == 44 ? 8 : (b[off + hl + 1] + 1) * 8;
			if (off + hl + elen > end)
				return fail(error, "IPv6 extension header "
					    "overflows packet");
			proto = b[off + hl];
			hl += elen;
		}
		p->ip_version = 6;
		if (add_header(p, PH_IPV6, off, hl, error))
			return -1;
	} else {
		return fail(error, "bad IP version %d", b[off] >> 4);
	}
	p->ip_off = off;
	p->ip_hdr_len = hl;
	p->ip_end = end;
	return parse_l4(p, proto, off + hl, end, error);
}

int packet_reparse(struct packet *p, char **error)
{
	p->n_headers = 0;
	p->ip_off = p->l4_off = p->payload_off = -1;
	p->ip_version = p->ip_hdr_len = p->ip_end = 0;
	p->l4_type = PH_NONE;
	p->l4_hdr_len = p->payload_len = 0;
	p->echoed_ip_off = p->echoed_l4_off = -1;
	p->echoed_ip_version = p->echoed_l4_proto = p->echoed_l4_len = 0;
	if (p->len > 65535 + 40)
		return fail(error, "packet too large: %zu bytes", p->len);
	return parse_ip(p, 0, (int)p->len, error);
}

struct packet *packet_parse(const uint8_t *data, size_t len, char **error)
{
	struct packet *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->buf = malloc(len ? len : 1);
	if (!p->buf) {
		free(p);
		return NULL;
	}
	memcpy(p->buf, data, len);
	p->len = len;
	if (packet_reparse(p, error)) {
		packet_free(p);
		return NULL;
	}
	return p;
}

struct packet *packet_copy(const struct packet *p)
{
	struct packet *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *p;
	c->buf = malloc(p->len ? p->len : 1);
	if (!c->buf) {
		free(c);
		return NULL;
	}
	memcpy(c->buf, p->buf, p->len);
	return c;
}

void packet_free(struct packet *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p);
}

/* --- TCP options --- */

/* Size a fixed-size option kind must have; 0 variable; -1 unknown. */
static int tcp_option_fixed_len(uint8_t kind)
{
	switch (kind) {
	case TCPOPT_EOL:
	case TCPOPT_NOP:		return 1;
	case TCPOPT_MAXSEG:		return 4;
	case TCPOPT_WINDOW:		return 3;
	case TCPOPT_SACK_PERMITTED:	return 2;
	case TCPOPT_TIMESTAMP:		return 10;
	default:			return 0;
	}
}

static int tcp_option_at(struct tcp_option_iter *it, struct tcp_option *opt,
			 char **error)
{
	const uint8_t *b = it->p->buf;
	int fixed, len;

	if (it->pos >= it->end)
		return 0;
	opt->kind = b[it->pos];
	opt->off = it->pos;
	fixed = tcp_option_fixed_len(opt->kind);
	if (fixed == 1) {
		opt->len = 1;
		return 1;
	}
	if (it->pos + 1 >= it->end)
		return fail(error, "TCP option length byte extends too far");
	len = b[it->pos + 1];
	if (len < 2)
		return fail(error, "TCP option with length byte is too short");
	if (it->pos + len > it->end)
		return fail(error, "TCP option data extends too far");
	if (fixed && len != fixed)
		return fail(error,
			    "bad TCP option length: was %u but expected %u",
			    len, fixed);
	opt->len = (uint8_t)len;
	return 1;
}

int tcp_options_begin(const struct packet *p, struct tcp_option_iter *it,
		      struct tcp_option *opt, char **error)
{
	it->p = p;
	if (p->l4_type != PH_TCP) {
		it->pos = it->end = 0;
		return 0;
	}
	it->pos = p->l4_off + 20;
	it->end = p->l4_off + p->l4_hdr_len;
	return tcp_option_at(it, opt, error);
}

int tcp_options_next(struct tcp_option_iter *it, struct tcp_option *opt,
		     char **error)
{
	it->pos += opt->len;
	return tcp_option_at(it, opt, error);
}

int packet_find_tcp_option(const struct packet *p, uint8_t kind,
			   struct tcp_option *opt, char **error)
{
	struct tcp_option_iter it;
	int r;

	for (r = tcp_options_begin(p, &it, opt, error); r > 0;
	     r = tcp_options_next(&it, opt, error))
		if (opt->kind == kind)
			return 1;
	return r;
}

int packet_tcp_ts_val_off(const struct packet *p)
{
	struct tcp_option opt;

	if (packet_find_tcp_option(p, TCPOPT_TIMESTAMP, &opt, NULL) == 1)
		return opt.off + 2;
	return -1;
}

int packet_offset_sack_blocks(struct packet *p, uint32_t delta, char **error)
{
	struct tcp_option_iter it;
	struct tcp_option opt;
	int r, i;

	for (r = tcp_options_begin(p, &it, &opt, error); r > 0;
	     r = tcp_options_next(&it, &opt, error)) {
		if (opt.kind != TCPOPT_SACK)
			continue;
		if ((opt.len - 2) % 8 != 0)
			return fail(error, "TCP SACK option has bad length "
				    "%u", opt.len);
		for (i = opt.off + 2; i < opt.off + opt.len; i += 4)
			put_be32(p->buf + i, get_be32(p->buf + i) + delta);
	}
	return r < 0 ? -1 : 0;
}

/* --- IP layer --- */

uint8_t packet_ip_tos(const struct packet *p)
{
	const uint8_t *ip = packet_ip(p);

	if (!ip)
		return 0;
	if (p->ip_version == 4)
		return ip[1];
	return (uint8_t)(((ip[0] & 0xf) << 4) | (ip[1] >> 4));
}

uint8_t packet_ip_ttl(const struct packet *p)
{
	const uint8_t *ip = packet_ip(p);

	if (!ip)
		return 0;
	return p->ip_version == 4 ? ip[8] : ip[7];
}

uint32_t packet_ipv6_flowlabel(const struct packet *p)
{
	const uint8_t *ip = packet_ip(p);

	if (!ip || p->ip_version != 6)
		return 0;
	return ((uint32_t)(ip[1] & 0xf) << 16) | ((uint32_t)ip[2] << 8) |
	       ip[3];
}

void packet_get_addrs(const struct packet *p, int *family, uint8_t src[16],
		      uint8_t dst[16])
{
	const uint8_t *ip = packet_ip(p);

	memset(src, 0, 16);
	memset(dst, 0, 16);
	*family = AF_UNSPEC;
	if (!ip)
		return;
	if (p->ip_version == 4) {
		*family = AF_INET;
		memcpy(src, ip + 12, 4);
		memcpy(dst, ip + 16, 4);
	} else {
		*family = AF_INET6;
		memcpy(src, ip + 8, 16);
		memcpy(dst, ip + 24, 16);
	}
}

void packet_get_ports(const struct packet *p, uint16_t *sport,
		      uint16_t *dport)
{
	*sport = *dport = 0;
	if (p->l4_type == PH_TCP || p->l4_type == PH_UDP) {
		*sport = get_be16(p->buf + p->l4_off);
		*dport = get_be16(p->buf + p->l4_off + 2);
	}
}

static void set_ip_addrs(uint8_t *ip, int version, const uint8_t src[16],
			 const uint8_t dst[16])
{
	if (version == 4) {
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
	} else {
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
	}
}

void packet_set_tuple(struct packet *p, const uint8_t src[16],
		      const uint8_t dst[16], uint16_t sport, uint16_t dport)
{
	uint8_t *ip = packet_ip(p);

	if (!ip)
		return;
	set_ip_addrs(ip, p->ip_version, src, dst);
	if (p->l4_type == PH_TCP || p->l4_type == PH_UDP) {
		if (sport)
			put_be16(p->buf + p->l4_off, sport);
		if (dport)
			put_be16(p->buf + p->l4_off + 2, dport);
	}
	if (p->echoed_ip_off >= 0) {
		/* The echoed datagram flowed the other way. */
		set_ip_addrs(p->buf + p->echoed_ip_off, p->echoed_ip_version,
			     dst, src);
		if ((p->echoed_l4_proto == IPPROTO_TCP ||
		     p->echoed_l4_proto == IPPROTO_UDP) &&
		    p->echoed_l4_off >= 0 && p->echoed_l4_len >= 4) {
			if (dport)
				put_be16(p->buf + p->echoed_l4_off, dport);
			if (sport)
				put_be16(p->buf + p->echoed_l4_off + 2, sport);
		}
	}
}

/* --- checksums --- */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)((b[i] << 8) | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t inet_checksum(const void *data, size_t len)
{
	return fold(sum_bytes(0, data, len));
}

/* Sum of the pseudo-header for an L4 segment of len bytes, proto. */
static uint32_t pseudo_sum(const struct packet *p, int proto, int len)
{
	const uint8_t *ip = packet_ip(p);
	uint32_t sum = 0;

	if (p->ip_version == 4) {
		sum = sum_bytes(sum, ip + 12, 8);
		sum += (uint32_t)proto;
		sum += (uint32_t)len;
	} else {
		sum = sum_bytes(sum, ip + 8, 32);
		sum += (uint32_t)(len >> 16);
		sum += (uint32_t)(len & 0xffff);
		sum += (uint32_t)proto;
	}
	return sum;
}

static int l4_check_off(const struct packet *p, int *proto)
{
	switch (p->l4_type) {
	case PH_TCP:	*proto = IPPROTO_TCP; return 16;
	case PH_UDP:	*proto = IPPROTO_UDP; return 6;
	case PH_ICMPV4:	*proto = IPPROTO_ICMP; return 2;
	case PH_ICMPV6:	*proto = IPPROTO_ICMPV6; return 2;
	default:	return -1;
	}
}

static uint16_t l4_checksum(const struct packet *p)
{
	int proto, len = p->ip_end - p->l4_off;
	uint32_t sum = 0;

	if (l4_check_off(p, &proto) < 0)
		return 0;
	if (proto != IPPROTO_ICMP)
		sum = pseudo_sum(p, proto, len);
	return fold(sum_bytes(sum, p->buf + p->l4_off, (size_t)len));
}

void packet_fill_checksums(struct packet *p)
{
	int i, proto, coff = l4_check_off(p, &proto);

	/* Inner layers first: outer checksums cover them (GRE). */
	if (coff >= 0) {
		uint16_t c;

		put_be16(p->buf + p->l4_off + coff, 0);
		c = l4_checksum(p);
		if (proto == IPPROTO_UDP && c == 0)
			c = 0xffff;
		put_be16(p->buf + p->l4_off + coff, c);
	}
	for (i = p->n_headers - 1; i >= 0; i--) {
		struct packet_header *h = &p->headers[i];
		uint8_t *b = p->buf + h->off;

		if (h->type == PH_IPV4) {
			put_be16(b + 10, 0);
			put_be16(b + 10, inet_checksum(b, (size_t)h->len));
		} else if (h->type == PH_GRE &&
			   (get_be16(b) & GRE_FLAG_C)) {
			/* GRE checksum covers GRE header and payload,
			 * to the end of the enclosing IP datagram. */
			int end = (int)p->len;
			int j;

			for (j = i - 1; j >= 0; j--)
				if (p->headers[j].type == PH_IPV4 ||
				    p->headers[j].type == PH_IPV6) {
					const uint8_t *ip =
						p->buf + p->headers[j].off;
					end = p->headers[j].off +
					      (p->headers[j].type == PH_IPV4 ?
					       get_be16(ip + 2) :
					       40 + get_be16(ip + 4));
					break;
				}
			put_be16(b + 4, 0);
			put_be16(b + 4, inet_checksum(b,
					(size_t)(end - h->off)));
		}
	}
}

bool packet_ipv4_checksums_ok(const struct packet *p)
{
	int i;

	for (i = 0; i < p->n_headers; i++)
		if (p->headers[i].type == PH_IPV4 &&
		    inet_checksum(p->buf + p->headers[i].off,
				  (size_t)p->headers[i].len) != 0)
			return false;
	return true;
}

bool packet_l4_checksum_ok(const struct packet *p)
{
	int proto;

	if (l4_check_off(p, &proto) < 0)
		return true;
	if (proto == IPPROTO_UDP &&
	    get_be16(p->buf + p->l4_off + 6) == 0 && p->ip_version == 4)
		return true;	/* no checksum */
	return l4_checksum(p) == 0;
}
