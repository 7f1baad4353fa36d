/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_match.c: field-by-field comparison of a live outbound packet with
 * the expected script packet, in the order and with the messages
 * packetdrill uses (its run_packet.c verify_* functions), so people can
 * grep netdrill's failures like packetdrill's. */
#include "packet_match.h"

#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet_build.h"
#include "packet_to_string.h"
#include "util.h"

static int check_field(const char *name, uint32_t expected, uint32_t actual,
		       char **error)
{
	if (expected == actual)
		return 0;
	return fail(error, "live packet field %s: expected: %u (0x%x) vs "
		    "actual: %u (0x%x)", name, expected, expected, actual,
		    actual);
}

/* Extra header bytes to allow when the script said <...>. */
static int options_allowance(const struct packet *actual,
			     const struct packet *script)
{
	return (script->flags & PACKET_F_OPTIONS_NOCHECK) ?
		packet_tcp_options_len(actual) : 0;
}

static int check_tos(const struct packet *script, uint8_t script_tos,
		     uint8_t actual_tos, char **error)
{
	uint8_t ecn = actual_tos & IP_ECN_MASK;

	switch (script->tos_chk) {
	case TOS_CHECK_ECN_ECT01:
		if (ecn != IP_ECN_ECT0 && ecn != IP_ECN_ECT1)
			return fail(error, "live packet field ip_ecn: "
				    "expected: 0x1 or 0x2 vs actual: 0x%x",
				    ecn);
		return 0;
	case TOS_CHECK_ECN:
		return check_field("ip_ecn", script_tos & IP_ECN_MASK, ecn,
				   error);
	case TOS_CHECK_TOS:
		return check_field("tos", script_tos, actual_tos, error);
	default:
		return 0;
	}
}

static uint8_t ipv6_tclass(const uint8_t *h)
{
	return (uint8_t)(((h[0] & 0xf) << 4) | (h[1] >> 4));
}

static int match_ipv4(const struct packet *actual, const struct packet *script,
		      int layer, bool strict, char **error)
{
	const uint8_t *a = actual->buf + actual->headers[layer].off;
	const uint8_t *s = script->buf + script->headers[layer].off;

	if (check_field("ipv4_version", s[0] >> 4, a[0] >> 4, error) ||
	    check_field("ipv4_protocol", s[9], a[9], error) ||
	    check_field("ipv4_header_length", s[0] & 0xf, a[0] & 0xf,
			error) ||
	    (strict && check_field("ipv4_total_length",
				   get_be16(s + 2) +
				   (uint32_t)options_allowance(actual, script),
				   get_be16(a + 2), error)))
		return -1;
	if (strict && check_tos(script, s[1], a[1], error))
		return -1;
	if (strict && script->ttl && check_field("ttl", script->ttl, a[8],
						 error))
		return -1;
	return 0;
}

static int match_ipv6(const struct packet *actual, const struct packet *script,
		      int layer, bool strict, char **error)
{
	const uint8_t *a = actual->buf + actual->headers[layer].off;
	const uint8_t *s = script->buf + script->headers[layer].off;

	if (check_field("ipv6_version", s[0] >> 4, a[0] >> 4, error) ||
	    (strict && check_field("ipv6_payload_len",
				   get_be16(s + 4) +
				   (uint32_t)options_allowance(actual, script),
				   get_be16(a + 4), error)) ||
	    check_field("ipv6_next_header", s[6], a[6], error))
		return -1;
	if (strict && check_tos(script, ipv6_tclass(s), ipv6_tclass(a), error))
		return -1;
	if (strict && script->ttl && check_field("ttl", script->ttl, a[7],
						 error))
		return -1;
	return 0;
}

static int match_tcp(const struct packet *actual, const struct packet *script,
		     int layer, bool strict, char **error)
{
	const uint8_t *a = actual->buf + actual->headers[layer].off;
	const uint8_t *s = script->buf + script->headers[layer].off;
	bool ace = (script->flags & PACKET_F_PARSE_ACE) != 0;

	if (check_field("tcp_data_offset",
			(uint32_t)(tcph_doff(s) +
				   options_allowance(actual, script) / 4),
			(uint32_t)tcph_doff(a), error) ||
	    (strict && check_field("tcp_fin", tcph_flag(s, TCPH_FIN),
				   tcph_flag(a, TCPH_FIN), error)) ||
	    check_field("tcp_syn", tcph_flag(s, TCPH_SYN),
			tcph_flag(a, TCPH_SYN), error) ||
	    check_field("tcp_rst", tcph_flag(s, TCPH_RST),
			tcph_flag(a, TCPH_RST), error) ||
	    (strict && check_field("tcp_psh", tcph_flag(s, TCPH_PSH),
				   tcph_flag(a, TCPH_PSH), error)) ||
	    check_field("tcp_ack", tcph_flag(s, TCPH_ACK),
			tcph_flag(a, TCPH_ACK), error) ||
	    check_field("tcp_urg", tcph_flag(s, TCPH_URG),
			tcph_flag(a, TCPH_URG), error))
		return -1;
	if (ace) {
		if (check_field("tcp_ace", (uint32_t)tcph_ace(s),
				(uint32_t)tcph_ace(a), error))
			return -1;
	} else if (check_field("tcp_ece", tcph_flag(s, TCPH_ECE),
			       tcph_flag(a, TCPH_ECE), error) ||
		   (strict && check_field("tcp_cwr",
					  tcph_flag(s, TCPH_CWR),
					  tcph_flag(a, TCPH_CWR), error)) ||
		   check_field("tcp_ae", (uint32_t)tcph_ae(s),
			       (uint32_t)tcph_ae(a), error)) {
		return -1;
	}
	if (check_field("tcp_reserved_bits", (uint32_t)tcph_res1(s),
			(uint32_t)tcph_res1(a), error) ||
	    check_field("tcp_seq",
			strict ? tcph_seq(s) :
				 tcph_seq(s) + (uint32_t)script->payload_len,
			tcph_seq(a), error) ||
	    check_field("tcp_ack_seq", tcph_ack_seq(s), tcph_ack_seq(a),
			error) ||
	    (!(script->flags & PACKET_F_WIN_NOCHECK) &&
	     check_field("tcp_window", tcph_window(s), tcph_window(a), error)) ||
	    check_field("tcp_urg_ptr", tcph_urg_ptr(s), tcph_urg_ptr(a), error))
		return -1;
	return 0;
}

static int match_udp(const struct packet *actual, const struct packet *script,
		     int layer, bool strict, char **error)
{
	const uint8_t *a = actual->buf + actual->headers[layer].off;
	const uint8_t *s = script->buf + script->headers[layer].off;

	if (strict && check_field("udp_len", get_be16(s + 4), get_be16(a + 4),
				  error))
		return -1;
	return 0;
}

static int match_gre(const struct packet *actual, const struct packet *script,
		     int layer, bool strict, char **error)
{
	const struct packet_header *ah = &actual->headers[layer];
	const struct packet_header *sh = &script->headers[layer];
	const uint8_t *a = actual->buf + ah->off;
	const uint8_t *s = script->buf + sh->off;
	uint16_t flags = get_be16(s);
	int off = 4;

	if (check_field("gre_len", (uint32_t)sh->len, (uint32_t)ah->len,
			error))
		return -1;
	if (get_be16(s) != get_be16(a))
		return fail(error, "mismatch in GRE flags");
	if (get_be16(s + 2) != get_be16(a + 2))
		return fail(error, "mismatch in GRE proto");
	if (flags & (GRE_FLAG_C | GRE_FLAG_R)) {
		if (get_be16(s + 4) != get_be16(a + 4))
			return fail(error, "mismatch in GRE sum");
		if (get_be16(s + 6) != get_be16(a + 6))
			return fail(error, "mismatch in GRE off");
		off += 4;
	}
	if (flags & GRE_FLAG_K) {
		if (get_be32(s + off) != get_be32(a + off))
			return fail(error, "mismatch in GRE key");
		off += 4;
	}
	if ((flags & GRE_FLAG_S) && get_be32(s + off) != get_be32(a + off))
		return fail(error, "mismatch in GRE seq");
	return 0;
}

static int match_mpls(const struct packet *actual, const struct packet *script,
		      int layer, bool strict, char **error)
{
	const struct packet_header *ah = &actual->headers[layer];
	const struct packet_header *sh = &script->headers[layer];
	int i;

	if (ah->len != sh->len)
		return fail(error, "mismatch in MPLS label stack depth");
	for (i = 0; i < sh->len / 4; i++)
		if (memcmp(actual->buf + ah->off + 4 * i,
			   script->buf + sh->off + 4 * i, 4))
			return fail(error, "mismatch in MPLS label %d", i);
	return 0;
}

static int match_icmp(const struct packet *actual, const struct packet *script,
		      int layer, bool strict, char **error)
{
	const uint8_t *a = actual->buf + actual->headers[layer].off;
	const uint8_t *s = script->buf + script->headers[layer].off;

	if (check_field("icmp_type", s[0], a[0], error) ||
	    check_field("icmp_code", s[1], a[1], error))
		return -1;
	return 0;
}

int packet_match_headers(const struct packet *actual,
			 const struct packet *script, bool strict,
			 char **error)
{
	int i;

	if (actual->n_headers != script->n_headers)
		return fail(error, "%s packet header layers: expected: %d "
			    "headers vs actual: %d headers",
			    strict ? "live" : "aggregate candidate",
			    script->n_headers, actual->n_headers);
	for (i = 0; i < script->n_headers; i++) {
		enum packet_header_type st = script->headers[i].type;
		int r = 0;

		if (st != actual->headers[i].type)
			return fail(error, "live packet header layer %d: "
				    "expected: %s header vs actual: %s header",
				    i, packet_header_type_name(st),
				    packet_header_type_name(
				    actual->headers[i].type));
		switch (st) {
		case PH_IPV4:
			r = match_ipv4(actual, script, i, strict, error);
			break;
		case PH_IPV6:
			r = match_ipv6(actual, script, i, strict, error);
			break;
		case PH_GRE:
			r = match_gre(actual, script, i, strict, error);
			break;
		case PH_MPLS:
			r = match_mpls(actual, script, i, strict, error);
			break;
		case PH_TCP:
			r = match_tcp(actual, script, i, strict, error);
			break;
		case PH_UDP:
			r = match_udp(actual, script, i, strict, error);
			break;
		case PH_ICMPV4:
		case PH_ICMPV6:
			r = match_icmp(actual, script, i, strict, error);
			break;
		default:
			break;
		}
		if (r)
			return r;
	}
	return 0;
}

static int match_one_option(const struct config *config,
			    const struct packet *actual,
			    const struct packet *script,
			    const struct tcp_option *a,
			    const struct tcp_option *s, char **error)
{
	const uint8_t *ab = actual->buf + a->off;
	const uint8_t *sb = script->buf + s->off;

	switch (a->kind) {
	case TCPOPT_EOL:
	case TCPOPT_NOP:
		return 0;
	case TCPOPT_TIMESTAMP: {
		uint32_t sv = get_be32(sb + 2), av = get_be32(ab + 2);
		int64_t diff = (int32_t)(av - sv);

		if (diff < 0)
			diff = -diff;
		if (config->tcp_ts_tick_usecs &&
		    diff * config->tcp_ts_tick_usecs > config->tolerance_usecs)
			return fail(error, "bad outbound TCP timestamp value, "
				    "tolerance %d", config->tolerance_usecs);
		/* The peer's TS vals go out unmapped, so the echo the stack
		 * sends back must be exactly what the script says (the
		 * last in-window TS val it injected). packetdrill leaves
		 * ecr unchecked; netdrill checks it, after everything
		 * packetdrill checks in this option. */
		return check_field("tcp_ts_ecr", get_be32(sb + 6),
				   get_be32(ab + 6), error);
	}
	case TCPOPT_WINDOW:
		if (script->flags & PACKET_F_WSCALE_ANY)
			return 0;
		/* fall through */
	default:
		if (s->len != a->len)
			return fail(error, "bad lengths for outbound TCP "
				    "option %d", s->kind);
		if (s->len > 2 && memcmp(ab + 2, sb + 2, a->len - 2) != 0) {
			char *e = tcp_option_to_string(script, s);
			char *v = tcp_option_to_string(actual, a);
			int r = fail(error, "bad value in outbound TCP option "
				     "(kind=%d): expected: %s actual: %s",
				     s->kind, e ? e : "?", v ? v : "?");

			free(e);
			free(v);
			return r;
		}
		return 0;
	}
}

int packet_match_tcp_options(const struct config *config,
			     const struct packet *actual,
			     const struct packet *script, char **error)
{
	struct tcp_option_iter ai, si;
	struct tcp_option a, s;
	int ra, rs;

	if (script->flags & PACKET_F_OPTIONS_NOCHECK)
		return 0;
	/* Malformed options on either side count as a mismatch; the
	 * iterator's own message is not packetdrill's, so drop it. */
	ra = tcp_options_begin(actual, &ai, &a, NULL);
	rs = tcp_options_begin(script, &si, &s, NULL);
	for (;;) {
		if (ra < 0 || rs < 0)
			return fail(error, "bad outbound TCP options");
		if (ra == 0 && rs == 0)
			return 0;
		if (ra == 0 || rs == 0 || a.kind != s.kind)
			return fail(error, "bad outbound TCP options");
		if (match_one_option(config, actual, script, &a, &s, error))
			return -1;
		ra = tcp_options_next(&ai, &a, NULL);
		rs = tcp_options_next(&si, &s, NULL);
	}
}

int packet_match_payload(const struct packet *actual,
			 const struct packet *script, char **error)
{
	if (actual->payload_len != script->payload_len ||
	    memcmp(actual->buf + actual->payload_off,
		   script->buf + script->payload_off,
		   (size_t)script->payload_len) != 0)
		return fail(error, "incorrect outbound data payload");
	return 0;
}

int packet_check_fragment(const struct packet *cur,
			  const struct packet *prev, int sniffed, int expected,
			  char **error)
{
	if (packet_match_headers(cur, prev, false, error))
		return -1;
	if (cur->payload_len < expected - sniffed &&
	    cur->payload_len != prev->payload_len)
		return fail(error, "fragment payload: expected %d bytes vs "
			    "actual %d bytes; total payload: expected %d bytes "
			    "vs actual %d bytes", prev->payload_len,
			    cur->payload_len, expected,
			    cur->payload_len + sniffed);
	return 0;
}

struct packet *packet_aggregate(struct packet *const *frags, int n)
{
	const struct packet *first = frags[0], *last = frags[n - 1];
	size_t total = 0, hdr = (size_t)last->payload_off, off;
	uint8_t *buf;
	struct packet *p;
	char *err = NULL;
	int i;

	if (n == 1)
		return packet_copy(first);
	for (i = 0; i < n; i++)
		total += (size_t)frags[i]->payload_len;
	buf = malloc(hdr + total);
	if (!buf)
		return NULL;
	memcpy(buf, last->buf, hdr);
	off = hdr;
	for (i = 0; i < n; i++) {
		memcpy(buf + off, frags[i]->buf + frags[i]->payload_off,
		       (size_t)frags[i]->payload_len);
		off += (size_t)frags[i]->payload_len;
	}
	/* Fix every IP length to cover the merged datagram. */
	for (i = 0; i < last->n_headers; i++) {
		const struct packet_header *h = &last->headers[i];
		size_t len = hdr + total - (size_t)h->off;

		if (h->type == PH_IPV4)
			put_be16(buf + h->off + 2, (uint16_t)len);
		else if (h->type == PH_IPV6)
			put_be16(buf + h->off + 4, (uint16_t)(len - 40));
	}
	if (last->l4_type == PH_TCP) {
		uint8_t *t = buf + last->l4_off;
		const uint8_t *ft = packet_tcp(first);

		tcph_set_seq(t, tcph_seq(ft));
		t[13] = (uint8_t)((t[13] & ~TCPH_CWR) |
				  (ft[13] & TCPH_CWR));
	}
	p = packet_parse(buf, hdr + total, &err);
	free(buf);
	free(err);
	if (!p)
		return NULL;
	p->time_us = last->time_us;
	packet_fill_checksums(p);
	return p;
}
