/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_build.c: AST packet -> wire bytes (script space). The inner
 * datagram (IP + TCP/UDP/ICMP) is built first, then each encapsulation
 * layer is put in front of it, innermost first. */
#include "packet_build.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "symbols.h"
#include "util.h"

#define MAX_TCP_OPTION_BYTES 40
#define DEFAULT_TTL 64

/* A growable byte buffer. */
struct bytes {
	uint8_t *b;
	size_t len, cap;
};

static uint8_t *bytes_grow(struct bytes *x, size_t n)
{
	if (x->len + n > x->cap) {
		size_t cap = x->cap ? x->cap : 128;

		while (cap < x->len + n)
			cap *= 2;
		x->b = realloc(x->b, cap);
		if (!x->b)
			abort();
		x->cap = cap;
	}
	memset(x->b + x->len, 0, n);
	x->len += n;
	return x->b + x->len - n;
}

/* Put n zero bytes in front of x; returns them. */
static uint8_t *bytes_prepend(struct bytes *x, size_t n)
{
	bytes_grow(x, n);
	memmove(x->b + n, x->b, x->len - n);
	memset(x->b, 0, n);
	return x->b;
}

/* --- TCP options --- */

static void put_be24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static int build_tcp_options(const struct ast_tcp *tcp, struct bytes *o,
			     unsigned *flags, char **error)
{
	const struct ast_tcp_option *opt;
	const struct ast_sack_block *blk;
	uint8_t *p;
	int n, i;

	for (opt = tcp->options; opt; opt = opt->next) {
		switch (opt->kind) {
		case TCPOPT_AST_NOP:
			p = bytes_grow(o, 1);
			p[0] = TCPOPT_NOP;
			break;
		case TCPOPT_AST_EOL:
			p = bytes_grow(o, 1);
			p[0] = TCPOPT_EOL;
			break;
		case TCPOPT_AST_MSS:
			p = bytes_grow(o, 4);
			p[0] = TCPOPT_MAXSEG;
			p[1] = 4;
			put_be16(p + 2, (uint16_t)opt->value);
			break;
		case TCPOPT_AST_WSCALE:
			p = bytes_grow(o, 3);
			p[0] = TCPOPT_WINDOW;
			p[1] = 3;
			p[2] = opt->wildcard ? 0 : (uint8_t)opt->value;
			if (opt->wildcard)
				*flags |= PACKET_F_WSCALE_ANY;
			break;
		case TCPOPT_AST_SACKOK:
			p = bytes_grow(o, 2);
			p[0] = TCPOPT_SACK_PERMITTED;
			p[1] = 2;
			break;
		case TCPOPT_AST_SACK:
			for (n = 0, blk = opt->sack; blk; blk = blk->next)
				n++;
			if (2 + 8 * n > MAX_TCP_OPTION_BYTES)
				return fail(error, "TCP option list too long: "
					    "%d SACK blocks", n);
			p = bytes_grow(o, (size_t)(2 + 8 * n));
			p[0] = TCPOPT_SACK;
			p[1] = (uint8_t)(2 + 8 * n);
			for (i = 2, blk = opt->sack; blk; blk = blk->next) {
				put_be32(p + i, (uint32_t)blk->left);
				put_be32(p + i + 4, (uint32_t)blk->right);
				i += 8;
			}
			break;
		case TCPOPT_AST_TS:
			p = bytes_grow(o, 10);
			p[0] = TCPOPT_TIMESTAMP;
			p[1] = 10;
			put_be32(p + 2, (uint32_t)opt->ts_val);
			put_be32(p + 6, (uint32_t)opt->ts_ecr);
			break;
		case TCPOPT_AST_MD5:
		case TCPOPT_AST_FO:
			if (opt->nbytes > MAX_TCP_OPTION_BYTES - 2)
				return fail(error, "TCP option list too long");
			p = bytes_grow(o, 2 + opt->nbytes);
			p[0] = opt->kind == TCPOPT_AST_MD5 ? TCPOPT_MD5SIG :
							      TCPOPT_FASTOPEN;
			p[1] = (uint8_t)(2 + opt->nbytes);
			if (opt->nbytes)
				memcpy(p + 2, opt->bytes, opt->nbytes);
			break;
		case TCPOPT_AST_FOEXP:
			if (opt->nbytes > MAX_TCP_OPTION_BYTES - 4)
				return fail(error, "TCP option list too long");
			p = bytes_grow(o, 4 + opt->nbytes);
			p[0] = TCPOPT_EXP;
			p[1] = (uint8_t)(4 + opt->nbytes);
			put_be16(p + 2, TCPOPT_FASTOPEN_MAGIC);
			if (opt->nbytes)
				memcpy(p + 4, opt->bytes, opt->nbytes);
			break;
		case TCPOPT_AST_ACCECN0:
		case TCPOPT_AST_ACCECN1:
			p = bytes_grow(o, (size_t)(2 + 3 * opt->naccecn));
			p[0] = opt->kind == TCPOPT_AST_ACCECN0 ?
				TCPOPT_ACCECN0 : TCPOPT_ACCECN1;
			p[1] = (uint8_t)(2 + 3 * opt->naccecn);
			for (i = 0; i < opt->naccecn; i++)
				put_be24(p + 2 + 3 * i,
					 (uint32_t)opt->accecn[i]);
			break;
		case TCPOPT_AST_RAW:
			if (opt->nbytes > MAX_TCP_OPTION_BYTES - 2)
				return fail(error, "TCP option list too long");
			p = bytes_grow(o, 2 + opt->nbytes);
			p[0] = (uint8_t)opt->raw_kind;
			p[1] = (uint8_t)(opt->raw_len >= 0 ? opt->raw_len :
					 (int64_t)(2 + opt->nbytes));
			if (opt->nbytes)
				memcpy(p + 2, opt->bytes, opt->nbytes);
			break;
		}
		if (o->len > MAX_TCP_OPTION_BYTES)
			return fail(error, "TCP option list too long: %zu "
				    "bytes (at most %d fit in a TCP header)",
				    o->len, MAX_TCP_OPTION_BYTES);
	}
	if (o->len & 3)
		return fail(error, "TCP options are not padded correctly "
			    "to ensure TCP header is a multiple of 4 bytes: "
			    "%zu excess bytes", o->len & 3);
	return 0;
}

/* --- TCP flags --- */

static int parse_tcp_flags(const char *flags, uint8_t *bits, int *ae,
			   unsigned *pflags, char **error)
{
	const char *s;
	bool ecn = false, ace = false;

	*bits = 0;
	*ae = 0;
	for (s = flags ? flags : ""; *s; s++) {
		switch (*s) {
		case 'F': *bits |= TCPH_FIN; break;
		case 'S': *bits |= TCPH_SYN; break;
		case 'R': *bits |= TCPH_RST; break;
		case 'P': *bits |= TCPH_PSH; break;
		case '.': *bits |= TCPH_ACK; break;
		case 'U': *bits |= TCPH_URG; break;
		case 'E': case 'W': case 'A':
			if (ace)
				return fail(error, "Conflicting TCP flag: "
					    "'%c'", *s);
			ecn = true;
			if (*s == 'E')
				*bits |= TCPH_ECE;
			else if (*s == 'W')
				*bits |= TCPH_CWR;
			else
				*ae = 1;
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			int v = *s - '0';

			if (ecn || ace)
				return fail(error, "Conflicting TCP flag: "
					    "'%c'", *s);
			ace = true;
			if (v) {
				*pflags |= PACKET_F_PARSE_ACE;
				if (v & 1)
					*bits |= TCPH_ECE;
				if (v & 2)
					*bits |= TCPH_CWR;
				if (v & 4)
					*ae = 1;
			}
			break;
		}
		default:
			return fail(error, "Invalid TCP flag: '%c'", *s);
		}
	}
	return 0;
}

/* --- IP headers --- */

static uint8_t ecn_bits(enum ast_ecn ecn)
{
	switch (ecn) {
	case AST_ECN_ECT1:	return IP_ECN_ECT1;
	case AST_ECN_ECT0:	return IP_ECN_ECT0;
	case AST_ECN_CE:	return IP_ECN_CE;
	default:		return 0;
	}
}

static uint8_t ip_info_tos(const struct ast_ip_info *ip)
{
	uint8_t tos = ip->has_tos ? (uint8_t)ip->tos : 0;

	return (uint8_t)(tos | ecn_bits(ip->ecn));
}

/* Put an IP header for a payload of plen bytes in front of x. */
static int prepend_ip(struct bytes *x, int family, const void *src,
		      const void *dst, int proto,
		      const struct ast_ip_info *info, char **error)
{
	size_t plen = x->len;
	uint8_t tos = ip_info_tos(info);
	uint8_t ttl = info->has_ttl ? (uint8_t)info->ttl : DEFAULT_TTL;
	uint8_t *h;

	if (family == AF_INET) {
		if (plen + 20 > 65535)
			return fail(error, "IPv4 datagram too large: %zu bytes",
				    plen + 20);
		h = bytes_prepend(x, 20);
		h[0] = 0x45;
		h[1] = tos;
		put_be16(h + 2, (uint16_t)(plen + 20));
		h[8] = ttl;
		h[9] = (uint8_t)proto;
		memcpy(h + 12, src, 4);
		memcpy(h + 16, dst, 4);
	} else {
		uint32_t fl = info->has_flowlabel ?
			(uint32_t)info->flowlabel & 0xfffff : 0;

		if (plen > 65535)
			return fail(error, "IPv6 payload too large: %zu bytes",
				    plen);
		h = bytes_prepend(x, 40);
		put_be32(h, (6u << 28) | ((uint32_t)tos << 20) | fl);
		put_be16(h + 4, (uint16_t)plen);
		h[6] = (uint8_t)proto;
		h[7] = ttl;
		memcpy(h + 8, src, 16);
		memcpy(h + 24, dst, 16);
	}
	return 0;
}

/* --- layer 4 --- */

static int build_tcp(const struct ast_packet *ap, struct bytes *x,
		     unsigned *pflags, char **error)
{
	const struct ast_tcp *tcp = &ap->tcp;
	struct bytes opts = { 0 };
	uint8_t bits, *t;
	int ae;

	if (parse_tcp_flags(tcp->flags, &bits, &ae, pflags, error))
		return -1;
	if (tcp->options_any) {
		if (ap->direction == DIR_INBOUND) {
			return fail(error, "<...> for TCP options is only "
				    "allowed in outbound packets");
		}
		*pflags |= PACKET_F_OPTIONS_NOCHECK;
	} else if (build_tcp_options(tcp, &opts, pflags, error)) {
		free(opts.b);
		return -1;
	}
	if (!tcp->has_win) {
		if (ap->direction == DIR_INBOUND) {
			free(opts.b);
			return fail(error, "window must be specified for "
				    "inbound packets");
		}
		*pflags |= PACKET_F_WIN_NOCHECK;
	}
	t = bytes_grow(x, 20 + opts.len + (size_t)tcp->payload_len);
	if (ap->has_ports) {
		put_be16(t, (uint16_t)ap->src_port);
		put_be16(t + 2, (uint16_t)ap->dst_port);
	}
	put_be32(t + 4, (uint32_t)tcp->start_seq);
	put_be32(t + 8, (uint32_t)(tcp->has_ack ? tcp->ack : 0));
	t[12] = (uint8_t)((((20 + opts.len) / 4) << 4) | (ae ? 1 : 0));
	t[13] = bits;
	put_be16(t + 14, (uint16_t)(tcp->has_win ? tcp->win : 0));
	put_be16(t + 18, (uint16_t)(tcp->has_urg ? tcp->urg : 0));
	if (opts.len)
		memcpy(t + 20, opts.b, opts.len);
	free(opts.b);
	return 0;
}

static int build_udp(const struct ast_packet *ap, struct bytes *x,
		     char **error)
{
	uint8_t *u;

	if (ap->udp.payload_len + 8 > 65535)
		return fail(error, "UDP payload too large");
	u = bytes_grow(x, 8 + (size_t)ap->udp.payload_len);
	if (ap->has_ports) {
		put_be16(u, (uint16_t)ap->src_port);
		put_be16(u + 2, (uint16_t)ap->dst_port);
	}
	put_be16(u + 4, (uint16_t)(8 + ap->udp.payload_len));
	return 0;
}

/* ICMP: the header, then for errors the datagram it complains about (as
 * packetdrill builds it): an IP header of a packet that went local ->
 * remote, the first 8 bytes of its TCP or UDP header (ports and TCP
 * sequence number, filled at run time) and payload_len zero bytes. A
 * "raw" echo makes the whole ICMP message that many bytes instead. */
static int build_icmp(const struct ast_packet *ap, int family,
		      const void *local, const void *remote, struct bytes *x,
		      char **error)
{
	const struct ast_icmp *ic = &ap->icmp;
	struct bytes echoed = { 0 };
	struct ast_ip_info none = { 0 };
	uint8_t *h;
	int proto = IPPROTO_TCP;
	size_t l4len = 0, icmp_len = 8;
	bool is_error;
	int type = ic->type, code = ic->code;

	/* Names resolve for the wire family of this run, which may differ
	 * from the one the script was checked for. */
	if (ic->type_name) {
		int rc = icmp_lookup(family, ic->type_name, ic->code_name,
				     &type, &code);

		if (rc == -1)
			return fail(error, "bad ICMP type %s", ic->type_name);
		if (rc == -2)
			return fail(error, "bad ICMP code %s", ic->code_name);
	}
	if (type < 0 || code < 0 || type > 255 || code > 255)
		return fail(error, "bad ICMP type %s",
			    ic->type_name ? ic->type_name : "?");
	if (ic->has_mtu) {
		if (family == AF_INET && (type != 3 || code != 4))
			return fail(error, "ICMPv4 MTU is only valid for "
				    "unreachable-frag_needed");
		if (family == AF_INET6 && (type != 2 || code != 0))
			return fail(error, "ICMPv6 MTU is only valid for "
				    "packet_too_big-0");
		if (family == AF_INET && (ic->mtu < 0 || ic->mtu > 65535))
			return fail(error, "ICMPv4 MTU out of 16-bit range");
		if (ic->mtu < 0 || ic->mtu > 0xffffffffLL)
			return fail(error, "ICMPv6 MTU out of 32-bit range");
	}
	if (ic->has_id && (ic->id < 0 || ic->id > 65535))
		return fail(error, "invalid echo_id, must be between 0 and "
			    "65535");
	if (family == AF_INET)
		is_error = type == 3 || type == 4 || type == 5 ||
			   type == 11 || type == 12;
	else
		is_error = type >= 1 && type <= 4;

	if (ic->echoed == ICMP_ECHOED_RAW) {
		if (ic->echoed_len < 8)
			return fail(error, "icmp_bytes %d smaller than icmp "
				    "header length 8", (int)ic->echoed_len);
		icmp_len = (size_t)ic->echoed_len;
	} else if (is_error) {
		uint8_t *e;
		size_t plen = ic->echoed == ICMP_ECHOED_NONE ? 0 :
			(size_t)ic->echoed_len;

		e = bytes_grow(&echoed, 8 + plen);
		if (ic->echoed == ICMP_ECHOED_UDP) {
			proto = IPPROTO_UDP;
			put_be16(e + 4, (uint16_t)(8 + plen));
			l4len = 8 + plen;
		} else {
			put_be32(e + 4, (uint32_t)(ic->echoed == ICMP_ECHOED_TCP ?
					       ic->echoed_start_seq : 0));
			l4len = 20 + plen;
		}
		/* The echoed IP header claims the original length. */
		if (prepend_ip(&echoed, family, local, remote, proto, &none,
			       error)) {
			free(echoed.b);
			return -1;
		}
		if (family == AF_INET)
			put_be16(echoed.b + 2, (uint16_t)(20 + l4len));
		else
			put_be16(echoed.b + 4, (uint16_t)l4len);
		icmp_len = 8 + echoed.len;
	}
	h = bytes_grow(x, icmp_len);
	h[0] = (uint8_t)type;
	h[1] = (uint8_t)code;
	if (ic->has_mtu) {
		if (family == AF_INET)
			put_be16(h + 6, (uint16_t)ic->mtu);
		else
			put_be32(h + 4, (uint32_t)ic->mtu);
	}
	if (ic->has_id && ic->id > 0)
		put_be16(h + 4, (uint16_t)ic->id);
	if (echoed.len)
		memcpy(h + 8, echoed.b, echoed.len);
	free(echoed.b);
	return 0;
}

/* --- encapsulation --- */

static int parse_addr(const char *s, int *family, uint8_t a[16])
{
	memset(a, 0, 16);
	if (s && inet_pton(AF_INET, s, a) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (s && inet_pton(AF_INET6, s, a) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

/* The protocol number (for IP) or ethertype (for GRE) of what x starts
 * with, given the kind of the next inner layer (-1 = the packet's own IP
 * header of family inner_family). */
static int inner_ip_proto(int next_kind, int inner_family)
{
	if (next_kind == ENCAP_GRE)
		return 47;
	if (next_kind == ENCAP_IPV4 ||
	    (next_kind < 0 && inner_family == AF_INET))
		return IPPROTO_IPIP;
	return IPPROTO_IPV6;
}

static int inner_ethertype(int next_kind, int inner_family)
{
	if (next_kind == ENCAP_MPLS)
		return 0x8847;
	if (next_kind == ENCAP_IPV4 ||
	    (next_kind < 0 && inner_family == AF_INET))
		return 0x0800;
	return 0x86DD;
}

static int prepend_encaps(const struct ast_encap *e, struct bytes *x,
			  int inner_family, char **error)
{
	int next_kind;

	if (!e)
		return 0;
	/* Innermost first: recurse, then put this layer in front. */
	if (prepend_encaps(e->next, x, inner_family, error))
		return -1;
	next_kind = e->next ? (int)e->next->kind : -1;
	switch (e->kind) {
	case ENCAP_IPV4:
	case ENCAP_IPV6: {
		uint8_t src[16], dst[16];
		int fs, fd;
		int want = e->kind == ENCAP_IPV4 ? AF_INET : AF_INET6;

		if (parse_addr(e->src, &fs, src) || fs != want ||
		    parse_addr(e->dst, &fd, dst) || fd != want)
			return fail(error, "bad %s address in encapsulation "
				    "header: %s > %s",
				    want == AF_INET ? "IPv4" : "IPv6",
				    e->src ? e->src : "?",
				    e->dst ? e->dst : "?");
		if (next_kind == ENCAP_MPLS)
			return fail(error, "MPLS directly inside IP is not "
				    "supported (use gre: mpls)");
		return prepend_ip(x, want, src, dst,
				  inner_ip_proto(next_kind, inner_family),
				  &e->ip, error);
	}
	case ENCAP_GRE: {
		uint16_t flags = e->gre.has_fields ? (uint16_t)e->gre.flags : 0;
		size_t hl = 4;
		uint8_t *g;
		size_t off = 4;

		if (flags & (GRE_FLAG_C | GRE_FLAG_R))
			hl += 4;
		if (flags & GRE_FLAG_K)
			hl += 4;
		if (flags & GRE_FLAG_S)
			hl += 4;
		g = bytes_prepend(x, hl);
		put_be16(g, flags);
		put_be16(g + 2, (uint16_t)inner_ethertype(next_kind,
							  inner_family));
		if (flags & (GRE_FLAG_C | GRE_FLAG_R)) {
			put_be16(g + 4, (uint16_t)e->gre.sum);
			put_be16(g + 6, (uint16_t)e->gre.off);
			off += 4;
		}
		if (flags & GRE_FLAG_K) {
			put_be32(g + off, (uint32_t)e->gre.key);
			off += 4;
		}
		if (flags & GRE_FLAG_S)
			put_be32(g + off, (uint32_t)e->gre.seq);
		return 0;
	}
	case ENCAP_MPLS: {
		const struct ast_mpls_entry *m;
		size_t n = 0, i = 0;
		uint8_t *p;

		for (m = e->mpls; m; m = m->next)
			n++;
		if (n == 0)
			return fail(error, "empty MPLS label stack");
		if (next_kind >= 0 && next_kind != ENCAP_IPV4 &&
		    next_kind != ENCAP_IPV6)
			return fail(error, "MPLS must be followed by IP");
		p = bytes_prepend(x, 4 * n);
		for (m = e->mpls; m; m = m->next, i++)
			put_be32(p + 4 * i,
				 ((uint32_t)m->label << 12) |
				 (((uint32_t)m->tc & 7) << 9) |
				 (m->bottom ? 0x100u : 0) |
				 ((uint32_t)m->ttl & 0xff));
		return 0;
	}
	case ENCAP_PSP:
	case ENCAP_PSP_TRANSPORT:
		return fail(error, "PSP encapsulation is not supported");
	}
	return fail(error, "unknown encapsulation");
}

int packet_build(const struct ast_packet *ap, const struct config *config,
		 struct packet **out, char **error)
{
	struct bytes x = { 0 };
	const void *local, *remote, *src, *dst;
	int family = config->wire_protocol;
	int proto;
	unsigned flags = 0;
	struct packet *p;

	*out = NULL;
	if (family == AF_INET) {
		local = &config->live_local_ip.u.v4;
		remote = &config->live_remote_ip.u.v4;
	} else {
		local = &config->live_local_ip.u.v6;
		remote = &config->live_remote_ip.u.v6;
	}
	if (ap->direction == DIR_INBOUND) {
		src = remote;
		dst = local;
	} else {
		src = local;
		dst = remote;
	}

	switch (ap->proto) {
	case PKT_TCP:
		proto = IPPROTO_TCP;
		if (build_tcp(ap, &x, &flags, error))
			goto fail;
		break;
	case PKT_UDP:
		proto = IPPROTO_UDP;
		if (build_udp(ap, &x, error))
			goto fail;
		break;
	case PKT_ICMP:
		proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
		if (build_icmp(ap, family, local, remote, &x, error))
			goto fail;
		break;
	default:
		fail(error, "unsupported packet type");
		goto fail;
	}
	if (ap->ip.ecn == AST_ECN_ECT01 && ap->direction == DIR_INBOUND) {
		fail(error, "ect01 is only allowed in outbound packets");
		goto fail;
	}
	if (prepend_ip(&x, family, src, dst, proto, &ap->ip, error))
		goto fail;
	if (prepend_encaps(ap->encaps, &x, family, error))
		goto fail;

	p = packet_parse(x.b, x.len, error);
	free(x.b);
	if (!p)
		return -1;
	p->flags = flags;
	if (ap->ip.has_tos) {
		p->tos_chk = TOS_CHECK_TOS;
	} else if (ap->ip.ecn == AST_ECN_ECT01) {
		p->tos_chk = TOS_CHECK_ECN_ECT01;
	} else if (ap->ip.ecn != AST_ECN_UNSPEC) {
		p->tos_chk = TOS_CHECK_ECN;
	}
	p->ttl = ap->ip.has_ttl ? (uint8_t)ap->ip.ttl : 0;
	/* Outbound script packets keep what the script wrote (a GRE
	 * checksum there is a value to compare); inbound ones are
	 * checksummed again after mapping to live values. */
	if (ap->direction == DIR_INBOUND)
		packet_fill_checksums(p);
	*out = p;
	return 0;
fail:
	free(x.b);
	return -1;
}
