/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_to_string.c: tcpdump-like text for packets, in the syntax of
 * packetdrill scripts, so an error shows the expected and the actual
 * packet in the same notation the script author wrote. */
#include "packet_to_string.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void hex_bytes(FILE *s, const uint8_t *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(s, "%02x", b[i]);
}

static void option_to_stream(FILE *s, const struct packet *p,
			     const struct tcp_option *opt)
{
	const uint8_t *o = p->buf + opt->off;
	int i;

	switch (opt->kind) {
	case TCPOPT_EOL:
		fputs("eol", s);
		break;
	case TCPOPT_NOP:
		fputs("nop", s);
		break;
	case TCPOPT_MAXSEG:
		fprintf(s, "mss %u", get_be16(o + 2));
		break;
	case TCPOPT_WINDOW:
		fprintf(s, "wscale %u", o[2]);
		break;
	case TCPOPT_SACK_PERMITTED:
		fputs("sackOK", s);
		break;
	case TCPOPT_SACK:
		fputs("sack", s);
		for (i = 2; i + 8 <= opt->len; i += 8)
			fprintf(s, " %u:%u", get_be32(o + i),
				get_be32(o + i + 4));
		break;
	case TCPOPT_TIMESTAMP:
		fprintf(s, "TS val %u ecr %u", get_be32(o + 2),
			get_be32(o + 6));
		break;
	case TCPOPT_MD5SIG:
		fputs("md5", s);
		if (opt->len > 2)
			fputc(' ', s);
		hex_bytes(s, o + 2, opt->len - 2);
		break;
	case TCPOPT_FASTOPEN:
		fputs("FO", s);
		if (opt->len > 2)
			fputc(' ', s);
		hex_bytes(s, o + 2, opt->len - 2);
		break;
	case TCPOPT_ACCECN0:
	case TCPOPT_ACCECN1:
		/* packetdrill's spelling: "ECN" and the 24-bit counters
		 * named in the kind's order */
		if (opt->len < 2 || opt->len > 2 + 3 * 3)
			goto raw;
		fputs("ECN", s);
		for (i = 0; 2 + 3 * (i + 1) <= opt->len; i++) {
			static const char *const names[2][3] = {
				{ "e0b", "ceb", "e1b" },
				{ "e1b", "ceb", "e0b" },
			};
			const uint8_t *f = o + 2 + 3 * i;

			fprintf(s, " %s %u",
				names[opt->kind == TCPOPT_ACCECN1][i],
				(unsigned)((f[0] << 16) | (f[1] << 8) | f[2]));
		}
		break;
	case TCPOPT_EXP:
		if (opt->len >= 4 && get_be16(o + 2) == TCPOPT_FASTOPEN_MAGIC) {
			fputs("FOEXP", s);
			if (opt->len > 4)
				fputc(' ', s);
			hex_bytes(s, o + 4, opt->len - 4);
			break;
		}
		/* fall through */
	default:
	raw:
		/* packetdrill's syntax for raw options */
		fprintf(s, "%u", opt->kind);
		if (opt->len > 1) {
			fputc(' ', s);
			fprintf(s, "%u", opt->len);
			for (i = 2; i < opt->len; i++)
				fprintf(s, " %u", o[i]);
		}
		break;
	}
}

char *tcp_option_to_string(const struct packet *p,
			   const struct tcp_option *opt)
{
	char *out = NULL;
	size_t size = 0;
	FILE *s = open_memstream(&out, &size);

	if (!s)
		return NULL;
	option_to_stream(s, p, opt);
	fclose(s);
	return out;
}

char *tcp_options_to_string(const struct packet *p, char **error)
{
	struct tcp_option_iter it;
	struct tcp_option opt;
	char *out = NULL;
	size_t size = 0;
	FILE *s = open_memstream(&out, &size);
	int r, n = 0;

	if (!s)
		return NULL;
	for (r = tcp_options_begin(p, &it, &opt, error); r > 0;
	     r = tcp_options_next(&it, &opt, error)) {
		if (n++)
			fputc(',', s);
		option_to_stream(s, p, &opt);
	}
	fclose(s);
	if (r < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void addr_to_stream(FILE *s, int family, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, a, buf, sizeof(buf)))
		strcpy(buf, "?");
	fputs(buf, s);
}

static void endpoints_to_stream(FILE *s, const struct packet *p)
{
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	int family;

	packet_get_addrs(p, &family, src, dst);
	packet_get_ports(p, &sport, &dport);
	addr_to_stream(s, family, src);
	fprintf(s, ":%u > ", sport);
	addr_to_stream(s, family, dst);
	fprintf(s, ":%u ", dport);
}

static void encap_to_stream(FILE *s, const struct packet *p, int layer)
{
	const struct packet_header *h = &p->headers[layer];
	const uint8_t *b = p->buf + h->off;
	int i;

	switch (h->type) {
	case PH_IPV4:
		fputs("ipv4 ", s);
		addr_to_stream(s, AF_INET, b + 12);
		fputs(" > ", s);
		addr_to_stream(s, AF_INET, b + 16);
		fputs(": ", s);
		break;
	case PH_IPV6:
		fputs("ipv6 ", s);
		addr_to_stream(s, AF_INET6, b + 8);
		fputs(" > ", s);
		addr_to_stream(s, AF_INET6, b + 24);
		fputs(": ", s);
		break;
	case PH_GRE: {
		uint16_t flags = get_be16(b);
		int off = 4;

		fprintf(s, "gre flags 0x%x proto 0x%04x", flags,
			get_be16(b + 2));
		if (flags & (GRE_FLAG_C | GRE_FLAG_R)) {
			fprintf(s, " sum 0x%x off 0x%x", get_be16(b + 4),
				get_be16(b + 6));
			off += 4;
		}
		if (flags & GRE_FLAG_K) {
			fprintf(s, " key 0x%x", get_be32(b + off));
			off += 4;
		}
		if (flags & GRE_FLAG_S)
			fprintf(s, " seq 0x%x", get_be32(b + off));
		fputs(": ", s);
		break;
	}
	case PH_MPLS:
		fputs("mpls", s);
		for (i = 0; i + 4 <= h->len; i += 4) {
			uint32_t e = get_be32(b + i);

			fprintf(s, " (label %u, tc %u,%s ttl %u)", e >> 12,
				(e >> 9) & 7, (e & 0x100) ? " [S]," : "",
				e & 0xff);
		}
		fputs(": ", s);
		break;
	default:
		break;
	}
}

static void tcp_to_stream(FILE *s, const struct packet *p)
{
	const uint8_t *t = packet_tcp(p);
	uint32_t seq = tcph_seq(t);

	if (tcph_flag(t, TCPH_FIN))
		fputc('F', s);
	if (tcph_flag(t, TCPH_SYN))
		fputc('S', s);
	if (tcph_flag(t, TCPH_RST))
		fputc('R', s);
	if (tcph_flag(t, TCPH_PSH))
		fputc('P', s);
	if (tcph_flag(t, TCPH_ACK))
		fputc('.', s);
	if (tcph_flag(t, TCPH_URG))
		fputc('U', s);
	if (p->flags & PACKET_F_PARSE_ACE) {
		fputc('0' + tcph_ace(t), s);
	} else {
		if (tcph_flag(t, TCPH_ECE))
			fputc('E', s);
		if (tcph_flag(t, TCPH_CWR))
			fputc('W', s);
		if (tcph_ae(t))
			fputc('A', s);
	}
	fprintf(s, " %u:%u(%u) ", seq, seq + (uint32_t)p->payload_len,
		(unsigned)p->payload_len);
	if (tcph_flag(t, TCPH_ACK))
		fprintf(s, "ack %u ", tcph_ack_seq(t));
	if (!(p->flags & PACKET_F_WIN_NOCHECK))
		fprintf(s, "win %u ", tcph_window(t));
	if (p->flags & PACKET_F_OPTIONS_NOCHECK) {
		fputs("<...>", s);
	} else if (packet_tcp_options_len(p) > 0) {
		char *err = NULL, *opts = tcp_options_to_string(p, &err);

		if (opts)
			fprintf(s, "<%s>", opts);
		else
			fprintf(s, "<bad options: %s>", err ? err : "?");
		free(opts);
		free(err);
	}
}

char *packet_to_string(const struct packet *p, enum dump_format format)
{
	char *out = NULL;
	size_t size = 0;
	FILE *s = open_memstream(&out, &size);
	int i;

	if (!s)
		return NULL;
	for (i = 0; i < p->n_headers - 2; i++)
		encap_to_stream(s, p, i);
	if (p->ip_off < 0) {
		fputs("[NO IP HEADER]", s);
	} else if (p->l4_type == PH_NONE) {
		fputs("[NO TCP OR ICMP HEADER]", s);
	} else {
		if (format != DUMP_SHORT)
			endpoints_to_stream(s, p);
		switch (p->l4_type) {
		case PH_TCP:
			tcp_to_stream(s, p);
			break;
		case PH_UDP:
			fprintf(s, "udp (%u)", (unsigned)p->payload_len);
			break;
		case PH_ICMPV4:
			fputs("icmpv4", s);
			break;
		case PH_ICMPV6:
			fputs("icmpv6", s);
			break;
		default:
			break;
		}
	}
	if (format == DUMP_VERBOSE) {
		for (i = 0; i < (int)p->len; i++) {
			if (i % 16 == 0)
				fprintf(s, "\n0x%04x:", i);
			if (i % 2 == 0)
				fputc(' ', s);
			fprintf(s, "%02x", p->buf[i]);
		}
	}
	fclose(s);
	return out;
}
