/* SPDX-License-Identifier: GPL-2.0-only */
/* test_packet.c: unit tests for the packet layer: parsing (and rejecting
 * packets whose lengths lie), checksums, TCP options, building script
 * packets from the AST, matching with packetdrill's messages, segment
 * merging, text output, and run_packet's seq/ack/TS remapping through a
 * fake system under test. TAP through tests/tap.h. */
#include "packet.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet_build.h"
#include "packet_match.h"
#include "packet_to_string.h"
#include "run_packet.h"
#include "socket.h"
#include "tests/tap.h"

/* ---- hand-made wire packets ---- */

/* IPv4 + TCP with the given options, payload of plen zero bytes. */
static size_t make_tcp4(uint8_t *b, uint32_t src, uint32_t dst,
			uint16_t sport, uint16_t dport, uint32_t seq,
			uint32_t ack, uint8_t flags, uint16_t win,
			const uint8_t *opts, int olen, int plen)
{
	size_t len = 20 + 20 + (size_t)olen + (size_t)plen;

	memset(b, 0, len);
	b[0] = 0x45;
	put_be16(b + 2, (uint16_t)len);
	b[8] = 64;
	b[9] = IPPROTO_TCP;
	put_be32(b + 12, src);
	put_be32(b + 16, dst);
	put_be16(b + 20, sport);
	put_be16(b + 22, dport);
	put_be32(b + 24, seq);
	put_be32(b + 28, ack);
	b[32] = (uint8_t)(((20 + olen) / 4) << 4);
	b[33] = flags;
	put_be16(b + 34, win);
	if (olen)
		memcpy(b + 40, opts, (size_t)olen);
	return len;
}

static const uint8_t syn_opts[] = {
	2, 4, 0x05, 0xb4,		/* mss 1460 */
	4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 200,	/* sackOK, TS */
	1, 3, 3, 8,			/* nop, wscale 8 */
};

#define LOCAL_IP  0xc0a80001u	/* 192.168.0.1 */
#define REMOTE_IP 0xc0000201u	/* 192.0.2.1 */

static void test_checksums(void)
{
	/* The classic example header; its checksum is 0xb861. */
	uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00,
			  0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01,
			  0xc0, 0xa8, 0x00, 0xc7 };
	uint8_t b[200];
	size_t len;
	struct packet *p;
	char *err = NULL;

	CHECK(inet_checksum(h, 20) == 0xb861);
	put_be16(h + 10, 0xb861);
	CHECK(inet_checksum(h, 20) == 0);

	len = make_tcp4(b, REMOTE_IP, LOCAL_IP, 40000, 8080, 0, 0,
			TCPH_SYN, 65535, syn_opts, sizeof(syn_opts), 3);
	b[len - 1] = 0x7f;	/* odd length payload */
	p = packet_parse(b, len, &err);
	REQUIRE(p != NULL);
	CHECK(!packet_ipv4_checksums_ok(p));
	packet_fill_checksums(p);
	CHECK(packet_ipv4_checksums_ok(p));
	CHECK(packet_l4_checksum_ok(p));
	/* A flipped bit must be noticed. */
	p->buf[p->payload_off] ^= 0x10;
	CHECK(!packet_l4_checksum_ok(p));
	packet_free(p);
}

static void expect_parse_error(const uint8_t *b, size_t len, const char *want)
{
	char *err = NULL;
	struct packet *p = packet_parse(b, len, &err);

	CHECK(p == NULL);
	if (p) {
		packet_free(p);
		return;
	}
	CHECK_STREQ(err, want);
	free(err);
}

static void test_parse_lies(void)
{
	uint8_t b[200], c[200];
	size_t len = make_tcp4(b, REMOTE_IP, LOCAL_IP, 1, 2, 0, 0,
			       TCPH_SYN, 100, syn_opts, sizeof(syn_opts),
			       0);
	struct packet *p;
	char *err = NULL;

	/* IPv4 total length larger than the bytes we have */
	memcpy(c, b, len);
	put_be16(c + 2, (uint16_t)(len + 10));
	expect_parse_error(c, len, "IPv4 total length 70 does not match the "
			   "60 bytes available");
	/* TCP data offset pointing past the end */
	memcpy(c, b, len);
	c[32] = 0xf0;
	expect_parse_error(c, len, "TCP header overflows packet");
	memcpy(c, b, len);
	c[32] = 0x40;
	expect_parse_error(c, len, "TCP header length 16 too small");
	/* truncated below the IP header */
	expect_parse_error(b, 10, "IPv4 header overflows packet");
	expect_parse_error(b, 0, "IP header overflows packet");
	/* a bad version */
	memcpy(c, b, len);
	c[0] = 0x55;
	expect_parse_error(c, len, "bad IP version 5");

	/* An option whose length byte lies: the packet parses, the options
	 * do not. */
	memcpy(c, b, len);
	c[41] = 40;		/* mss claims 40 bytes */
	p = packet_parse(c, len, &err);
	CHECK(p != NULL);
	if (p) {
		struct tcp_option_iter it;
		struct tcp_option o;

		CHECK(tcp_options_begin(p, &it, &o, &err) == -1);
		CHECK_STREQ(err, "TCP option data extends too far");
		free(err);
		err = NULL;
		p->buf[41] = 1;
		CHECK(tcp_options_begin(p, &it, &o, &err) == -1);
		CHECK_STREQ(err, "TCP option with length byte is too short");
		free(err);
		err = NULL;
		p->buf[41] = 3;
		CHECK(tcp_options_begin(p, &it, &o, &err) == -1);
		CHECK_STREQ(err, "bad TCP option length: was 3 but expected 4");
		free(err);
		err = NULL;
		packet_free(p);
	}

	/* IPv6 with a payload length that lies, and UDP that lies */
	memset(c, 0, sizeof(c));
	c[0] = 0x60;
	put_be16(c + 4, 100);
	c[6] = IPPROTO_UDP;
	expect_parse_error(c, 48, "IPv6 payload length 100 does not match "
			   "the 8 bytes available");
	put_be16(c + 4, 8);
	put_be16(c + 44, 20);
	expect_parse_error(c, 48, "UDP length 20 does not match the 8 bytes "
			   "in the IP payload");
	put_be16(c + 44, 8);
	p = packet_parse(c, 48, &err);
	CHECK(p && p->l4_type == PH_UDP && p->payload_len == 0);
	packet_free(p);
}

static void test_to_string(void)
{
	uint8_t b[200];
	size_t len = make_tcp4(b, REMOTE_IP, LOCAL_IP, 40000, 8080, 0, 1,
			       TCPH_SYN | TCPH_ACK, 65535, syn_opts,
			       sizeof(syn_opts), 0);
	char *err = NULL, *s;
	struct packet *p = packet_parse(b, len, &err);

	REQUIRE(p != NULL);
	s = packet_to_string(p, DUMP_SHORT);
	CHECK_STREQ(s, "S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 100 "
		    "ecr 200,nop,wscale 8>");
	free(s);
	s = packet_to_string(p, DUMP_FULL);
	CHECK_STREQ(s, "192.0.2.1:40000 > 192.168.0.1:8080 S. 0:0(0) ack 1 "
		    "win 65535 <mss 1460,sackOK,TS val 100 ecr 200,nop,"
		    "wscale 8>");
	free(s);
	p->flags |= PACKET_F_WIN_NOCHECK | PACKET_F_OPTIONS_NOCHECK;
	s = packet_to_string(p, DUMP_SHORT);
	CHECK_STREQ(s, "S. 0:0(0) ack 1 <...>");
	free(s);
	packet_free(p);

	/* data, FIN, ECN letters, no options: packetdrill's trailing space */
	len = make_tcp4(b, 1, 2, 3, 4, 1001, 1,
			TCPH_FIN | TCPH_PSH | TCPH_ACK |
			TCPH_ECE, 257, NULL, 0, 100);
	p = packet_parse(b, len, &err);
	REQUIRE(p != NULL);
	s = packet_to_string(p, DUMP_SHORT);
	CHECK_STREQ(s, "FP.E 1001:1101(100) ack 1 win 257 ");
	free(s);
	packet_free(p);
}

/* ---- AST helpers ---- */

static struct config cfg;

static void setup_config(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.ip_version = IP_VERSION_4;
	cfg.socket_domain = AF_INET;
	cfg.wire_protocol = AF_INET;
	cfg.live_local_ip.family = AF_INET;
	cfg.live_local_ip.u.v4.s_addr = htonl(LOCAL_IP);
	cfg.live_remote_ip.family = AF_INET;
	cfg.live_remote_ip.u.v4.s_addr = htonl(REMOTE_IP);
	cfg.live_bind_port = 8080;
	cfg.live_connect_port = 8080;
	cfg.tolerance_usecs = 4000;
	cfg.script_path = "t.pkt";
}

struct test_pkt {
	struct ast_event ev;
	struct ast_packet ap;
	struct ast_tcp_option opts[8];
};

static void tcp_pkt(struct test_pkt *t, enum ast_direction dir, int line,
		    const char *flags, int64_t seq, int64_t len, int64_t ack,
		    int64_t win)
{
	memset(t, 0, sizeof(*t));
	t->ev.loc.line = line;
	t->ev.time.kind = TIME_ABSOLUTE;
	t->ev.time.usecs = 100000;
	t->ev.kind = EVENT_PACKET;
	t->ev.u.packet = &t->ap;
	t->ap.direction = dir;
	t->ap.proto = PKT_TCP;
	t->ap.tcp.flags = (char *)flags;
	t->ap.tcp.start_seq = seq;
	t->ap.tcp.end_seq = seq + len;
	t->ap.tcp.payload_len = len;
	if (ack >= 0) {
		t->ap.tcp.has_ack = true;
		t->ap.tcp.ack = ack;
	}
	if (win >= 0) {
		t->ap.tcp.has_win = true;
		t->ap.tcp.win = win;
	}
}

static struct ast_tcp_option *add_opt(struct test_pkt *t,
				      enum ast_tcpopt_kind kind)
{
	int i = 0;
	struct ast_tcp_option *o;

	while (t->opts[i].loc.line)
		i++;
	o = &t->opts[i];
	o->loc.line = 1;
	o->kind = kind;
	o->raw_len = -1;
	if (i > 0)
		t->opts[i - 1].next = o;
	else
		t->ap.tcp.options = o;
	t->ap.tcp.options_given = true;
	return o;
}

static void test_build(void)
{
	struct test_pkt t;
	struct packet *p = NULL;
	char *err = NULL, *s;
	int i;

	tcp_pkt(&t, DIR_INBOUND, 3, "S", 0, 0, -1, 32792);
	add_opt(&t, TCPOPT_AST_MSS)->value = 1000;
	add_opt(&t, TCPOPT_AST_SACKOK);
	add_opt(&t, TCPOPT_AST_NOP);
	add_opt(&t, TCPOPT_AST_NOP);
	add_opt(&t, TCPOPT_AST_NOP);
	add_opt(&t, TCPOPT_AST_WSCALE)->value = 7;
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == 0);
	REQUIREF(p != NULL, "build: %s", err ? err : "");
	s = packet_to_string(p, DUMP_FULL);
	CHECK_STREQ(s, "192.0.2.1:0 > 192.168.0.1:0 S 0:0(0) win 32792 "
		    "<mss 1000,sackOK,nop,nop,nop,wscale 7>");
	free(s);
	CHECK(p->len == 52);
	CHECK(packet_ipv4_checksums_ok(p));
	CHECK(packet_l4_checksum_ok(p));
	CHECK(p->flags == 0);
	packet_free(p);

	/* outbound without win and with <...>: unchecked */
	tcp_pkt(&t, DIR_OUTBOUND, 4, "S.", 0, 0, 1, -1);
	t.ap.tcp.options_any = true;
	t.ap.ip.ecn = AST_ECN_ECT0;
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == 0);
	if (p) {
		CHECK(p->flags == (PACKET_F_WIN_NOCHECK |
				   PACKET_F_OPTIONS_NOCHECK));
		CHECK(p->tos_chk == TOS_CHECK_ECN);
		CHECK((packet_ip_tos(p) & 3) == IP_ECN_ECT0);
		packet_free(p);
	}

	/* inbound without a window is an error, as in packetdrill */
	tcp_pkt(&t, DIR_INBOUND, 5, ".", 1, 0, 1, -1);
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == -1);
	CHECK_STREQ(err, "window must be specified for inbound packets");
	free(err);
	err = NULL;

	/* options over 40 bytes */
	tcp_pkt(&t, DIR_INBOUND, 6, ".", 1, 0, 1, 100);
	for (i = 0; i < 4; i++) {
		struct ast_tcp_option *o = add_opt(&t, TCPOPT_AST_TS);

		o->ts_val = 1;
	}
	add_opt(&t, TCPOPT_AST_MSS)->value = 1;
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == -1);
	CHECK_STREQ(err, "TCP option list too long: 44 bytes (at most 40 fit "
		    "in a TCP header)");
	free(err);
	err = NULL;

	/* misaligned options */
	tcp_pkt(&t, DIR_INBOUND, 7, ".", 1, 0, 1, 100);
	add_opt(&t, TCPOPT_AST_NOP);
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == -1);
	CHECK_STREQ(err, "TCP options are not padded correctly to ensure TCP "
		    "header is a multiple of 4 bytes: 1 excess bytes");
	free(err);
	err = NULL;

	/* bad flag letter */
	tcp_pkt(&t, DIR_INBOUND, 8, "SX", 0, 0, -1, 100);
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == -1);
	CHECK_STREQ(err, "Invalid TCP flag: 'X'");
	free(err);
	err = NULL;

	/* FO cookie, FOEXP, md5, sack */
	{
		uint8_t cookie[4] = { 0xab, 0xcd, 0x12, 0x34 };
		struct ast_sack_block b2 = { 3001, 4001, NULL };
		struct ast_sack_block b1 = { 1001, 2001, &b2 };
		struct ast_tcp_option *o;

		tcp_pkt(&t, DIR_INBOUND, 9, ".", 1, 0, 1, 100);
		o = add_opt(&t, TCPOPT_AST_FO);
		o->bytes = cookie;
		o->nbytes = 4;
		add_opt(&t, TCPOPT_AST_NOP);
		add_opt(&t, TCPOPT_AST_NOP);
		o = add_opt(&t, TCPOPT_AST_FOEXP);
		o->bytes = cookie;
		o->nbytes = 4;
		add_opt(&t, TCPOPT_AST_NOP);
		add_opt(&t, TCPOPT_AST_NOP);
		add_opt(&t, TCPOPT_AST_SACK)->sack = &b1;
		CHECK(packet_build(&t.ap, &cfg, &p, &err) == 0);
		if (p) {
			s = packet_to_string(p, DUMP_SHORT);
			CHECK_STREQ(s, ". 1:1(0) ack 1 win 100 <FO abcd1234,nop,"
				    "nop,FOEXP abcd1234,nop,nop,sack 1001:2001 "
				    "3001:4001>");
			free(s);
			packet_free(p);
		}
	}

	/* AccECN: ACE digit, both option kinds, as packetdrill prints them */
	{
		struct ast_tcp_option *o;

		tcp_pkt(&t, DIR_INBOUND, 10, "P.5", 1, 0, 1, 100);
		o = add_opt(&t, TCPOPT_AST_ACCECN1);
		o->naccecn = 3;
		o->accecn[0] = 1;
		o->accecn[1] = 16777215;
		o->accecn[2] = 65536;
		add_opt(&t, TCPOPT_AST_NOP);
		o = add_opt(&t, TCPOPT_AST_ACCECN0);
		o->naccecn = 2;
		o->accecn[0] = 7;
		o->accecn[1] = 0;
		for (i = 0; i < 4; i++)
			add_opt(&t, TCPOPT_AST_NOP);
		CHECK(packet_build(&t.ap, &cfg, &p, &err) == 0);
		if (p) {
			const uint8_t *tcp = packet_tcp(p);

			CHECK(tcph_ace(tcp) == 5 &&
			      (p->flags & PACKET_F_PARSE_ACE));
			CHECK(packet_tcp_options(p)[0] == TCPOPT_ACCECN1 &&
			      packet_tcp_options(p)[1] == 11 &&
			      packet_tcp_options(p)[12] == TCPOPT_ACCECN0 &&
			      packet_tcp_options(p)[13] == 8);
			s = packet_to_string(p, DUMP_SHORT);
			CHECK_STREQ(s, "P.5 1:1(0) ack 1 win 100 <ECN e1b 1 ceb "
				    "16777215 e0b 65536,nop,ECN e0b 7 ceb 0,"
				    "nop,nop,nop,nop>");
			free(s);
			packet_free(p);
		}
	}
}

static void test_build_v6_and_encap(void)
{
	struct config c6 = cfg;
	struct test_pkt t;
	struct packet *p = NULL;
	struct ast_encap outer, gre, mpls;
	struct ast_mpls_entry m2 = { { 0 }, 2000, 1, true, 64, NULL };
	struct ast_mpls_entry m1 = { { 0 }, 1000, 0, false, 255, &m2 };
	char *err = NULL, *s;

	c6.wire_protocol = AF_INET6;
	c6.live_local_ip.family = AF_INET6;
	inet_pton(AF_INET6, "fd3d:a0b:17d6::1", &c6.live_local_ip.u.v6);
	c6.live_remote_ip.family = AF_INET6;
	inet_pton(AF_INET6, "fd3d:fa7b:d17d::1", &c6.live_remote_ip.u.v6);
	tcp_pkt(&t, DIR_OUTBOUND, 3, "S.", 0, 0, 1, 65535);
	t.ap.ip.has_flowlabel = true;
	t.ap.ip.flowlabel = 0x12345;
	t.ap.ip.has_tos = true;
	t.ap.ip.tos = 0x10;
	t.ap.ip.has_ttl = true;
	t.ap.ip.ttl = 9;
	CHECK(packet_build(&t.ap, &c6, &p, &err) == 0);
	if (p) {
		CHECK(p->ip_version == 6 && p->len == 60);
		CHECK(packet_ipv6_flowlabel(p) == 0x12345);
		CHECK(packet_ip_tos(p) == 0x10);
		CHECK(packet_ip_ttl(p) == 9);
		CHECK(p->tos_chk == TOS_CHECK_TOS && p->ttl == 9);
		CHECK(!(p->flags & PACKET_F_WIN_NOCHECK));
		s = packet_to_string(p, DUMP_FULL);
		CHECK_STREQ(s, "fd3d:a0b:17d6::1:0 > fd3d:fa7b:d17d::1:0 S. "
			    "0:0(0) ack 1 win 65535 ");
		free(s);
		packet_free(p);
	}

	/* ipv4 A > B: gre: mpls (...) (...): <inner IPv4 TCP> */
	memset(&outer, 0, sizeof(outer));
	memset(&gre, 0, sizeof(gre));
	memset(&mpls, 0, sizeof(mpls));
	outer.kind = ENCAP_IPV4;
	outer.src = "1.1.1.1";
	outer.dst = "2.2.2.2";
	outer.next = &gre;
	gre.kind = ENCAP_GRE;
	gre.gre.has_fields = true;
	gre.gre.flags = 0xa000;	/* checksum and key */
	gre.gre.key = 0x1234;
	gre.next = &mpls;
	mpls.kind = ENCAP_MPLS;
	mpls.mpls = &m1;
	tcp_pkt(&t, DIR_INBOUND, 4, ".", 1, 0, 1, 100);
	t.ap.encaps = &outer;
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == 0);
	REQUIREF(p != NULL, "build: %s", err ? err : "");
	CHECK(p->n_headers == 5);
	CHECK(p->headers[1].type == PH_GRE && p->headers[1].len == 12);
	CHECK(p->headers[2].type == PH_MPLS && p->headers[2].len == 8);
	CHECK(p->headers[3].type == PH_IPV4 && p->headers[4].type == PH_TCP);
	CHECK(packet_ipv4_checksums_ok(p));
	CHECK(packet_l4_checksum_ok(p));
	/* the GRE checksum covers GRE and all it carries */
	CHECK(inet_checksum(p->buf + 20, p->len - 20) == 0);
	s = packet_to_string(p, DUMP_SHORT);
	CHECK_STREQ(s, "ipv4 1.1.1.1 > 2.2.2.2: gre flags 0xa000 proto 0x8847 "
		    "sum 0xc34e off 0x0 key 0x1234: mpls (label 1000, tc 0, ttl "
		    "255) (label 2000, tc 1, [S], ttl 64): . 1:1(0) ack 1 "
		    "win 100 ");
	free(s);
	packet_free(p);

	/* PSP is refused with a clear message */
	outer.next = NULL;
	outer.kind = ENCAP_PSP;
	CHECK(packet_build(&t.ap, &cfg, &p, &err) == -1);
	CHECK_STREQ(err, "PSP encapsulation is not supported");
	free(err);
}

/* Parse helper for matching tests. */
static struct packet *live(uint32_t seq, uint32_t ack, uint8_t flags,
			   uint16_t win, const uint8_t *opts, int olen,
			   int plen)
{
	uint8_t b[3000];
	size_t len = make_tcp4(b, LOCAL_IP, REMOTE_IP, 8080, 48123, seq, ack,
			       flags, win, opts, olen, plen);
	char *err = NULL;
	struct packet *p = packet_parse(b, len, &err);

	REQUIREF(p != NULL, "live packet parses: %s", err ? err : "");
	packet_fill_checksums(p);
	return p;
}

static void test_match(void)
{
	struct test_pkt t;
	struct packet *sp = NULL, *ap;
	char *err = NULL;

	tcp_pkt(&t, DIR_OUTBOUND, 24, ".", 1, 0, 1001, 257);
	CHECK(packet_build(&t.ap, &cfg, &sp, &err) == 0);
	if (!sp)
		return;
	ap = live(1, 1, TCPH_ACK, 257, NULL, 0, 0);
	CHECK(packet_match_headers(ap, sp, true, &err) == -1);
	CHECK_STREQ(err, "live packet field tcp_ack_seq: expected: 1001 "
		    "(0x3e9) vs actual: 1 (0x1)");
	free(err);
	err = NULL;
	packet_free(ap);

	ap = live(1, 1001, TCPH_ACK, 256, NULL, 0, 0);
	CHECK(packet_match_headers(ap, sp, true, &err) == -1);
	CHECK_STREQ(err, "live packet field tcp_window: expected: 257 (0x101) "
		    "vs actual: 256 (0x100)");
	free(err);
	err = NULL;
	/* without "win" the window is not checked */
	sp->flags |= PACKET_F_WIN_NOCHECK;
	CHECK(packet_match_headers(ap, sp, true, &err) == 0);
	packet_free(ap);

	/* options the script did not list */
	ap = live(1, 1001, TCPH_ACK, 256, syn_opts + 16, 4, 0);
	CHECK(packet_match_headers(ap, sp, true, &err) == -1);
	CHECK_STREQ(err, "live packet field ipv4_total_length: expected: 40 "
		    "(0x28) vs actual: 44 (0x2c)");
	free(err);
	err = NULL;
	/* ... are fine with <...> */
	sp->flags |= PACKET_F_OPTIONS_NOCHECK;
	CHECK(packet_match_headers(ap, sp, true, &err) == 0);
	CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == 0);
	packet_free(ap);
	packet_free(sp);

	/* option values */
	{
		struct test_pkt u;
		uint8_t mss1440[] = { 2, 4, 0x05, 0xa0 };

		tcp_pkt(&u, DIR_OUTBOUND, 9, "S", 0, 0, -1, 65535);
		add_opt(&u, TCPOPT_AST_MSS)->value = 1460;
		CHECK(packet_build(&u.ap, &cfg, &sp, &err) == 0);
		ap = live(0, 0, TCPH_SYN, 65535, mss1440, 4, 0);
		CHECK(packet_match_headers(ap, sp, true, &err) == 0);
		CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == -1);
		CHECK_STREQ(err, "bad value in outbound TCP option (kind=2): "
			    "expected: mss 1460 actual: mss 1440");
		free(err);
		err = NULL;
		packet_free(ap);
		ap = live(0, 0, TCPH_SYN, 65535, syn_opts + 16, 4, 0);
		CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == -1);
		CHECK_STREQ(err, "bad outbound TCP options");
		free(err);
		err = NULL;
		packet_free(ap);
		packet_free(sp);
	}
}

static void test_match_ts(void)
{
	struct test_pkt u;
	struct ast_tcp_option *o;
	struct packet *sp = NULL, *ap;
	uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 103, 0, 0, 0, 8 };
	char *err = NULL;

	tcp_pkt(&u, DIR_OUTBOUND, 9, ".", 1, 0, 1, -1);
	add_opt(&u, TCPOPT_AST_NOP);
	add_opt(&u, TCPOPT_AST_NOP);
	o = add_opt(&u, TCPOPT_AST_TS);
	o->ts_val = 100;
	o->ts_ecr = 7;
	CHECK(packet_build(&u.ap, &cfg, &sp, &err) == 0);
	if (!sp)
		return;
	ap = live(1, 1, TCPH_ACK, 256, ts, sizeof(ts), 0);
	/* TS val unchecked without a tick; the echo always is */
	CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == -1);
	CHECK_STREQ(err, "live packet field tcp_ts_ecr: expected: 7 (0x7) vs "
		    "actual: 8 (0x8)");
	free(err);
	err = NULL;
	ts[11] = 7;
	packet_free(ap);
	ap = live(1, 1, TCPH_ACK, 256, ts, sizeof(ts), 0);
	CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == 0);
	/* 3 ticks of 1 ms are within 4 ms; 5 are not */
	cfg.tcp_ts_tick_usecs = 1000;
	CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == 0);
	packet_free(ap);
	ts[7] = 95;
	ap = live(1, 1, TCPH_ACK, 256, ts, sizeof(ts), 0);
	CHECK(packet_match_tcp_options(&cfg, ap, sp, &err) == -1);
	CHECK_STREQ(err, "bad outbound TCP timestamp value, tolerance 4000");
	free(err);
	cfg.tcp_ts_tick_usecs = 0;
	packet_free(ap);
	packet_free(sp);
}

static void test_aggregate(void)
{
	struct packet *f[3], *m, *sp = NULL;
	struct test_pkt t;
	char *err = NULL, *s;

	f[0] = live(1, 1, TCPH_ACK | TCPH_CWR, 300, NULL, 0, 1000);
	f[1] = live(1001, 1, TCPH_ACK, 300, NULL, 0, 1000);
	f[2] = live(2001, 1, TCPH_ACK | TCPH_PSH, 300, NULL, 0, 500);
	f[2]->time_us = 777;
	CHECK(packet_check_fragment(f[1], f[0], 1000, 2500, &err) == 0);
	CHECK(packet_check_fragment(f[2], f[1], 2000, 2500, &err) == 0);
	/* packetdrill compares the window of fragments too */
	put_be16(packet_tcp(f[2]) + 14, 301);
	CHECK(packet_check_fragment(f[2], f[1], 2000, 2500, &err) == -1);
	CHECK_STREQ(err, "live packet field tcp_window: expected: 300 (0x12c) "
		    "vs actual: 301 (0x12d)");
	free(err);
	err = NULL;
	put_be16(packet_tcp(f[2]) + 14, 300);
	/* a gap in sequence space is not a continuation */
	CHECK(packet_check_fragment(f[2], f[0], 1000, 2500, &err) == -1);
	CHECK_STREQ(err, "live packet field tcp_seq: expected: 1001 (0x3e9) vs "
		    "actual: 2001 (0x7d1)");
	free(err);
	err = NULL;
	/* a short segment that is not the last one */
	CHECK(packet_check_fragment(f[2], f[1], 1000, 5000, &err) == -1);
	CHECK_STREQ(err, "fragment payload: expected 1000 bytes vs actual 500 "
		    "bytes; total payload: expected 5000 bytes vs actual 1500 "
		  "bytes");
	free(err);
	err = NULL;

	m = packet_aggregate(f, 3);
	CHECK(m != NULL);
	if (m) {
		s = packet_to_string(m, DUMP_SHORT);
		CHECK_STREQ(s, "P.W 1:2501(2500) ack 1 win 300 ");
		free(s);
		CHECK(m->time_us == 777);
		CHECK(packet_ipv4_checksums_ok(m));
		CHECK(packet_l4_checksum_ok(m));
		tcp_pkt(&t, DIR_OUTBOUND, 30, "P.", 1, 2500, 1, -1);
		CHECK(packet_build(&t.ap, &cfg, &sp, &err) == 0);
		/* CWR only compared strictly: the script has none */
		CHECK(packet_match_headers(m, sp, true, &err) == -1);
		CHECK_STREQ(err, "live packet field tcp_cwr: expected: 0 (0x0) "
			    "vs actual: 1 (0x1)");
		free(err);
		err = NULL;
		packet_free(sp);
		packet_free(m);
	}
	packet_free(f[0]);
	packet_free(f[1]);
	packet_free(f[2]);

	/* Segments that cannot make one IPv4 datagram are refused. */
	{
		static uint8_t big[40100];
		size_t len;

		len = make_tcp4(big, LOCAL_IP, REMOTE_IP, 1, 2, 1, 1,
				TCPH_ACK, 9, NULL, 0, 40000);
		f[0] = packet_parse(big, len, &err);
		len = make_tcp4(big, LOCAL_IP, REMOTE_IP, 1, 2, 40001, 1,
				TCPH_ACK, 9, NULL, 0, 40000);
		f[1] = packet_parse(big, len, &err);
		CHECK(f[0] && f[1]);
		if (f[0] && f[1])
			CHECK(packet_aggregate(f, 2) == NULL);
		packet_free(f[0]);
		packet_free(f[1]);
	}
}

/* ---- run_packet through a fake system under test ---- */

struct fake {
	struct sut sut;
	struct sut_ops ops;
	int64_t now;
	uint8_t last[3000];
	size_t last_len;
	int injected;
};

static int64_t fake_now(struct sut *sut)
{
	return ((struct fake *)sut->priv)->now;
}

static int fake_inject(struct sut *sut, const uint8_t *p, size_t len)
{
	struct fake *f = sut->priv;

	memcpy(f->last, p, len);
	f->last_len = len;
	f->injected++;
	return 0;
}

static int fake_state(struct sut *sut, int fd, struct sut_sock_state *st)
{
	memset(st, 0, sizeof(*st));
	strcpy(st->state, "ESTABLISHED");
	st->snd_una = 1000001;
	st->snd_nxt = 1001001;
	st->rcv_nxt = 1;
	st->snd_cwnd = 10;
	st->snd_ssthresh = 0x7fffffff;
	return 0;
}

static void emit(struct packet_ctx *ctx, struct packet *p, int64_t t)
{
	packet_fill_checksums(p);
	packet_ctx_capture(ctx, p->buf, p->len, t);
	packet_free(p);
}

/* run_packet's cases share one fake system under test and one socket
 * table, each case going on from where the previous one left the
 * connection (the script lines 5 to 24 they play). */
static struct {
	struct fake f;
	struct socket_table *tab;
	struct packet_ctx *ctx;
	struct test_pkt t;
	char *err;
	int64_t when;
	uint8_t ts_opts[12];
} rp;

/* The script packet as the fake injected it, as text. */
static char *rp_injected(enum dump_format style)
{
	struct packet *inj = packet_parse(rp.f.last, rp.f.last_len, &rp.err);
	char *s;

	REQUIREF(inj != NULL, "the injected packet parses");
	s = packet_to_string(inj, style);
	packet_free(inj);
	return s;
}

static void rp_free_err(void)
{
	free(rp.err);
	rp.err = NULL;
}

static void rp_setup(void)
{
	struct sockaddr_in sin;
	static const uint8_t ts_opts[12] = { 1, 1, 8, 10, 0, 0, 0x30, 0x39 };

	memset(&rp, 0, sizeof(rp));
	memcpy(rp.ts_opts, ts_opts, sizeof(ts_opts));
	rp.when = -1;
	rp.tab = socket_table_new(&cfg);
	rp.f.sut.ops = &rp.f.ops;
	rp.f.sut.priv = &rp.f;
	rp.f.ops.now = fake_now;
	rp.f.ops.inject = fake_inject;
	rp.f.ops.sock_state = fake_state;
	rp.ctx = packet_ctx_new(&cfg, &rp.f.sut, rp.tab);

	sockets_on_socket(rp.tab, 3, AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(8080);
	sockets_on_bind(rp.tab, 3, (struct sockaddr *)&sin, sizeof(sin));
	sockets_on_listen(rp.tab, 3);
	CHECK(sockets_fd_under_test(rp.tab) == 3);
}

/* < S 0:0(0) win 32792 <nop,nop,TS val 5 ecr 0> */
static void rp_inbound_syn(void)
{
	struct packet *inj;
	char *s;

	tcp_pkt(&rp.t, DIR_INBOUND, 5, "S", 0, 0, -1, 32792);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_TS)->ts_val = 5;
	CHECK(run_packet_inbound(rp.ctx, &rp.t.ev, &rp.err) == 0);
	CHECK(rp.f.injected == 1);
	inj = packet_parse(rp.f.last, rp.f.last_len, &rp.err);
	REQUIRE(inj != NULL);
	s = packet_to_string(inj, DUMP_FULL);
	CHECK_STREQ(s, "192.0.2.1:48123 > 192.168.0.1:8080 S 0:0(0) "
		    "win 32792 <nop,nop,TS val 5 ecr 0>");
	free(s);
	CHECK(packet_l4_checksum_ok(inj));
	packet_free(inj);
}

/* > S. 0:0(0) ack 1 <nop,nop,TS val 700 ecr 5>: live ISN 1000000, live
 * TS val 12345 */
static void rp_outbound_synack(void)
{
	struct ast_tcp_option *o;

	tcp_pkt(&rp.t, DIR_OUTBOUND, 6, "S.", 0, 0, 1, -1);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	o = add_opt(&rp.t, TCPOPT_AST_TS);
	o->ts_val = 700;
	o->ts_ecr = 5;
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_NONE);
	/* an unrelated packet (another port) is ignored */
	{
		struct packet *other = live(5, 5, TCPH_RST, 0, NULL, 0, 0);

		put_be16(packet_tcp(other) + 2, 9999);
		emit(rp.ctx, other, 1000);
		CHECK(packet_ctx_pending(rp.ctx) == 1);
		CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when,
					  &rp.err) == RUN_PACKET_NONE);
		CHECK(packet_ctx_pending(rp.ctx) == 0);
	}
	rp.ts_opts[11] = 5;	/* ecr 5 */
	emit(rp.ctx, live(1000000, 1, TCPH_SYN | TCPH_ACK, 65535,
			  rp.ts_opts, sizeof(rp.ts_opts), 0), 2000);
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_MATCHED);
	if (rp.err)
		tap_diag("%s", rp.err);
	rp_free_err();
	CHECK(rp.when == 2000);
	CHECK(packet_ctx_pending(rp.ctx) == 0);
}

/* < . 1:1(0) ack 1 win 257 <nop,nop,TS val 6 ecr 700>: the ack is mapped
 * to the live ISN + 1 and ecr to the live TS val. */
static void rp_inbound_ack_remapped(void)
{
	struct ast_tcp_option *o;
	char *s;

	tcp_pkt(&rp.t, DIR_INBOUND, 7, ".", 1, 0, 1, 257);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	o = add_opt(&rp.t, TCPOPT_AST_TS);
	o->ts_val = 6;
	o->ts_ecr = 700;
	CHECK(run_packet_inbound(rp.ctx, &rp.t.ev, &rp.err) == 0);
	s = rp_injected(DUMP_SHORT);
	CHECK_STREQ(s, ". 1:1(0) ack 1000001 win 257 <nop,nop,TS val 6 "
		    "ecr 12345>");
	free(s);
	/* an ecr the SUT never sent cannot be mapped */
	rp.t.opts[2].ts_ecr = 701;
	CHECK(run_packet_inbound(rp.ctx, &rp.t.ev, &rp.err) == -1);
	CHECK_STREQ(rp.err, "t.pkt:7: error handling packet: unable to infer "
		    "live TS ecr for script TS ecr 701;  no matching or "
		    "preceding outbound TS val");
	rp_free_err();
}

/* an ICMP error echoes our header: reversed tuple, live seq */
static void rp_inbound_icmp(void)
{
	struct test_pkt u;
	struct packet *inj;
	const uint8_t *e;

	memset(&u, 0, sizeof(u));
	u.ev.loc.line = 8;
	u.ev.kind = EVENT_PACKET;
	u.ev.u.packet = &u.ap;
	u.ap.direction = DIR_INBOUND;
	u.ap.proto = PKT_ICMP;
	u.ap.icmp.type_name = "unreachable";
	u.ap.icmp.code_name = "frag_needed";
	u.ap.icmp.type = 3;
	u.ap.icmp.code = 4;
	u.ap.icmp.has_mtu = true;
	u.ap.icmp.mtu = 1200;
	u.ap.icmp.echoed = ICMP_ECHOED_TCP;
	u.ap.icmp.echoed_start_seq = 1;
	u.ap.icmp.echoed_end_seq = 101;
	u.ap.icmp.echoed_len = 100;
	CHECK(run_packet_inbound(rp.ctx, &u.ev, &rp.err) == 0);
	inj = packet_parse(rp.f.last, rp.f.last_len, &rp.err);
	REQUIRE(inj != NULL);
	CHECK(inj->l4_type == PH_ICMPV4);
	CHECK(packet_l4_checksum_ok(inj));
	CHECK(inj->echoed_ip_off == 28);
	CHECK(inj->echoed_l4_off == 48);
	e = inj->buf + inj->echoed_ip_off;
	CHECK(get_be32(e + 12) == LOCAL_IP);
	CHECK(get_be32(e + 16) == REMOTE_IP);
	CHECK(get_be16(e + 2) == 20 + 20 + 100);
	e = inj->buf + inj->echoed_l4_off;
	CHECK(get_be16(e) == 8080);
	CHECK(get_be16(e + 2) == 48123);
	CHECK(get_be32(e + 4) == 1000001);
	CHECK(get_be16(inj->buf + 20 + 6) == 1200);
	CHECK(inj->len == 20 + 8 + 20 + 8 + 100);
	packet_free(inj);
	u.ap.icmp.type_name = "echo_reply";	/* no MTU allowed */
	u.ap.icmp.code_name = NULL;
	u.ap.icmp.type = 0;
	CHECK(run_packet_inbound(rp.ctx, &u.ev, &rp.err) == -1);
	CHECK_STREQ(rp.err, "t.pkt:8: error handling packet: ICMPv4 MTU is "
		    "only valid for unreachable-frag_needed");
	rp_free_err();
}

/* inbound SACK blocks are relative to our ISN */
static void rp_inbound_sack(void)
{
	static struct ast_sack_block blk = { 101, 201, NULL };
	char *s;

	tcp_pkt(&rp.t, DIR_INBOUND, 9, ".", 1, 0, 1, 257);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_NOP);
	add_opt(&rp.t, TCPOPT_AST_SACK)->sack = &blk;
	CHECK(run_packet_inbound(rp.ctx, &rp.t.ev, &rp.err) == 0);
	s = rp_injected(DUMP_SHORT);
	CHECK_STREQ(s, ". 1:1(0) ack 1000001 win 257 <nop,nop,"
		    "sack 1000101:1000201>");
	free(s);
}

/* > P. 1:2001(2000) ack 1 on the accepted socket: two segments merged */
static void rp_outbound_merged(void)
{
	sockets_on_accept(rp.tab, 3, 4);
	CHECK(sockets_fd_under_test(rp.tab) == 4);
	tcp_pkt(&rp.t, DIR_OUTBOUND, 9, "P.", 1, 2000, 1, -1);
	rp.t.ap.tcp.options_any = true;
	emit(rp.ctx, live(1000001, 1, TCPH_ACK, 257, NULL, 0, 1000), 3000);
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_NONE);
	CHECK(packet_ctx_pending(rp.ctx) == 1);
	emit(rp.ctx, live(1001001, 1, TCPH_ACK | TCPH_PSH, 257, NULL, 0,
			  1000), 3100);
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_MATCHED);
	if (rp.err)
		tap_diag("%s", rp.err);
	rp_free_err();
	CHECK(rp.when == 3100);
}

/* with --strict_segments the first segment alone is compared */
static void rp_strict_segments(void)
{
	cfg.strict_segments = true;
	emit(rp.ctx, live(1002001, 1, TCPH_ACK, 257, NULL, 0, 1000), 4000);
	emit(rp.ctx, live(1003001, 1, TCPH_ACK | TCPH_PSH, 257, NULL, 0,
			  1000), 4000);
	tcp_pkt(&rp.t, DIR_OUTBOUND, 11, "P.", 2001, 2000, 1, -1);
	rp.t.ap.tcp.options_any = true;
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_ERROR);
	CHECK_STREQ(rp.err, "t.pkt:11: error handling packet: live packet "
		    "payload: expected 2000 bytes vs actual 1000 bytes\n"
		    "script packet:  0.100000 P. 2001:4001(2000) ack 1 <...>\n"
		    "actual packet:  0.004000 . 2001:3001(1000) ack 1 win 257 \n"
		    "stack state (fd 4): ESTABLISHED snd_una 1 snd_nxt 1001 "
		    "rcv_nxt 1 (script-relative) snd_cwnd 10 snd_ssthresh "
		    "2147483647\n"
		    "stack state (fd 4): packets_out 0 retrans_out 0 "
		    "sacked_out 0 lost_out 0 write_queue 0 bytes recv_queue 0 "
		    "bytes rto 0 us srtt 0 us");
	rp_free_err();
	cfg.strict_segments = false;
}

/* the second segment is still there: its payload, then (once it is gone)
 * the classic field mismatch */
static void rp_mismatches(void)
{
	tcp_pkt(&rp.t, DIR_OUTBOUND, 24, ".", 3001, 0, 1001, -1);
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_ERROR);
	if (!CHECK(rp.err && strncmp(rp.err, "t.pkt:24: error handling "
				     "packet: live packet payload: expected 0 "
				     "bytes vs actual 1000 bytes\nscript "
				     "packet:  0.100000 . 3001:3001(0) ack "
				     "1001 \nactual packet:  0.004000 P. "
				     "3001:4001(1000) ack 1 win 257 \n",
				     179) == 0) && rp.err)
		tap_diag("%s", rp.err);
	rp_free_err();

	emit(rp.ctx, live(1003001, 1, TCPH_ACK, 257, NULL, 0, 0), 5000);
	CHECK(run_packet_outbound(rp.ctx, &rp.t.ev, &rp.when, &rp.err) ==
	      RUN_PACKET_ERROR);
	if (!CHECK(rp.err && strncmp(rp.err, "t.pkt:24: error handling "
				     "packet: live packet field tcp_ack_seq: "
				     "expected: 1001 (0x3e9) vs actual: 1 "
				     "(0x1)\n", 104) == 0) && rp.err)
		tap_diag("%s", rp.err);
	rp_free_err();
}

static void rp_teardown(void)
{
	packet_ctx_free(rp.ctx);
	socket_table_free(rp.tab);
}

/* Random corruption of valid packets must never crash or read out of
 * bounds (run under ASan in the sanitizer build). */
static void test_corruption(void)
{
	uint8_t b[300], c[300];
	size_t len = make_tcp4(b, REMOTE_IP, LOCAL_IP, 1, 2, 0, 0,
			       TCPH_SYN, 100, syn_opts, sizeof(syn_opts),
			       16);
	uint32_t rnd = 12345;
	int i, j, parsed = 0;
	bool in_ip = true, in_l4 = true;

	for (i = 0; i < 20000; i++) {
		struct packet *p, *q;
		size_t n = len;
		char *err = NULL, *s;

		memcpy(c, b, len);
		for (j = 0; j < 1 + i % 4; j++) {
			rnd = rnd * 1103515245u + 12345u;
			c[(rnd >> 8) % len] = (uint8_t)(rnd >> 20);
		}
		if (i % 3 == 0) {
			rnd = rnd * 1103515245u + 12345u;
			n = (rnd >> 8) % (len + 1);
		}
		p = packet_parse(c, n, &err);
		free(err);
		if (!p)
			continue;
		parsed++;
		in_ip &= p->ip_end <= (int)n;
		in_l4 &= p->payload_off + p->payload_len <= p->ip_end;
		s = packet_to_string(p, DUMP_VERBOSE);
		free(s);
		packet_tcp_ts_val_off(p);
		err = NULL;
		packet_offset_sack_blocks(p, 5, &err);
		free(err);
		packet_fill_checksums(p);
		q = packet_copy(p);
		err = NULL;
		if (packet_match_headers(q, p, true, &err) != 0 ||
		    packet_match_tcp_options(&cfg, q, p, &err) != 0)
			free(err);
		packet_free(q);
		packet_free(p);
	}
	/* one TAP line each for all the parsed packets, not 20000 */
	CHECKF(in_ip, "every parsed packet: p->ip_end <= (int)n");
	CHECKF(in_l4, "every parsed packet: p->payload_off + p->payload_len "
	       "<= p->ip_end");
	CHECK(parsed > 1000);
}

int main(void)
{
	setup_config();
	return TAP_RUN(test_checksums, test_parse_lies, test_to_string,
		       test_build, test_build_v6_and_encap, test_match,
		       test_match_ts, test_aggregate, rp_setup, rp_inbound_syn,
		       rp_outbound_synack, rp_inbound_ack_remapped,
		       rp_inbound_icmp, rp_inbound_sack, rp_outbound_merged,
		       rp_strict_segments, rp_mismatches, rp_teardown,
		       test_corruption);
}
