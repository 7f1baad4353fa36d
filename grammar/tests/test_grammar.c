/* SPDX-License-Identifier: GPL-2.0-only */
/* test_grammar.c: unit tests of the script front end: the model the parser
 * builds for each construct, -D substitution, diagnostics and their
 * positions, error recovery, the dump round trip, and the symbol tables.
 * TAP through tests/tap.h; a check whose failure would leave the next
 * lines reading through NULL (a parser regression) stops its case. */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ast.h"
#include "config.h"
#include "symbols.h"
#include "tests/tap.h"

/* Parse text; messages go to a buffer the caller may inspect. */
static struct script *parse(const char *text, const struct config *config,
			    int *nerrors, char **messages)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *err = open_memstream(&buf, &len);
	struct script *s = script_parse_buffer("t.pkt", text, strlen(text),
					       config, err, nerrors);
	fclose(err);
	if (messages)
		*messages = buf;
	else
		free(buf);
	return s;
}

static char *dump(const struct script *s)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *out = open_memstream(&buf, &len);
	script_dump(s, out);
	fclose(out);
	return buf;
}

/* Events are loaded on demand (script_event_load); the ones a test
 * looked at are freed with their script by free_script(). */
static struct ast_event *loaded[64];
static int nloaded;

static struct ast_event *event_at(struct script *s, int i)
{
	struct ast_event *ev = script_event_load(s, i);
	if (ev == NULL || nloaded == 64) {
		ast_event_free(ev);
		return NULL;
	}
	loaded[nloaded++] = ev;
	return ev;
}

static void free_script(struct script *s)
{
	while (nloaded > 0)
		ast_event_free(loaded[--nloaded]);
	script_free(s);
}

static void test_times(void)
{
	int n;
	struct script *s = parse(
		"0.1 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+.25 close(3) = 0\n"
		"* > S. 0:0(0) ack 1\n"
		"1.5~2 > . 1:1(0) ack 1\n"
		"+0.3~+0.303 > . 1:1(0) ack 1\n"
		"+0...0.200 accept(3, ..., ...) = 4\n"
		"3 `echo hi`\n"
		"+0 %{ print(1) }%\n", NULL, &n, NULL);
	REQUIREF(s && n == 0 && s->nevents == 8,
		 "8 events, no errors (%d)", n);
	int k = 0;
	struct ast_event *e = event_at(s, k++);
	CHECKF(e->time.kind == TIME_ABSOLUTE && e->time.usecs == 100000,
	       "absolute time 0.1 is 100000 us");
	e = event_at(s, k++);
	CHECKF(e->time.kind == TIME_RELATIVE && e->time.usecs == 250000,
	       "relative time +.25");
	e = event_at(s, k++);
	CHECKF(e->time.kind == TIME_ANY && e->kind == EVENT_PACKET, "* time");
	e = event_at(s, k++);
	CHECKF(e->time.kind == TIME_ABSOLUTE_RANGE && e->time.usecs == 1500000 &&
	       e->time.end_usecs == 2000000, "absolute range 1.5~2");
	e = event_at(s, k++);
	CHECKF(e->time.kind == TIME_RELATIVE_RANGE && e->time.usecs == 300000 &&
	       e->time.end_usecs == 303000, "relative range");
	e = event_at(s, k++);
	CHECKF(e->kind == EVENT_SYSCALL && e->time.has_block_end &&
	       e->time.block_end_usecs == 200000, "blocking end time");
	e = event_at(s, k++);
	CHECKF(e->kind == EVENT_COMMAND && strcmp(e->u.command->text, "echo hi") == 0,
	       "timed command");
	e = event_at(s, k++);
	CHECKF(e->kind == EVENT_CODE && strcmp(e->u.code->text, "print(1) ") != 0 &&
	       strcmp(e->u.code->text, "print(1)") == 0, "code block trimmed");
	free_script(s);
}

static void test_tcp_packet(void)
{
	int n;
	struct script *s = parse(
		"0 < [ect0] 1234 > 80 SEW 0:10(10) ack 5 win 32792 urg 3 "
		"<mss 1460,TS val 100 ecr 0,nop,wscale 7,sack 1:2 3:4,"
		"FO 00aa>\n"
		"+0 < . 1:1(0) win 1 <md5 00112233445566778899aabbccddeeff,"
		"ECN e1b 1 ceb 2 e0b 3,eol>\n"
		"+0 > - 1:1(0) <...>\n"
		"+0 > F. 1:1(0) ack 1 <wscale *>\n"
		"+0 > P.5 1:1(0) ack 1 <ECN e0b 7 ceb 8,nop,nop,nop>\n",
		NULL, &n, NULL);
	REQUIREF(s && n == 0 && s->nevents == 5, "tcp packet parses (%d errors)",
		 n);
	struct ast_packet *p = event_at(s, 0)->u.packet;
	CHECKF(p->direction == DIR_INBOUND && p->proto == PKT_TCP, "inbound TCP");
	CHECKF(p->ip.given && p->ip.bracket && p->ip.ecn == AST_ECN_ECT0, "[ect0]");
	CHECKF(p->has_ports && p->src_port == 1234 && p->dst_port == 80, "ports");
	CHECKF(strcmp(p->tcp.flags, "SEW") == 0, "flags SEW");
	CHECKF(p->tcp.start_seq == 0 && p->tcp.end_seq == 10 &&
	       p->tcp.payload_len == 10, "sequence 0:10(10)");
	CHECKF(p->tcp.has_ack && p->tcp.ack == 5 && p->tcp.has_win &&
	       p->tcp.win == 32792 && p->tcp.has_urg && p->tcp.urg == 3,
	       "ack, win, urg");
	const struct ast_tcp_option *o = p->tcp.options;
	enum ast_tcpopt_kind kinds[] = {
		TCPOPT_AST_MSS, TCPOPT_AST_TS, TCPOPT_AST_NOP,
		TCPOPT_AST_WSCALE, TCPOPT_AST_SACK, TCPOPT_AST_FO,
	};
	size_t i = 0;
	for (; o && i < sizeof(kinds) / sizeof(kinds[0]); o = o->next, i++)
		if (o->kind != kinds[i])
			break;
	REQUIREF(o == NULL && i == 6, "6 options in order");
	o = p->tcp.options;
	CHECKF(o->value == 1460, "mss 1460");
	o = o->next;
	CHECKF(o->ts_val == 100 && o->ts_ecr == 0, "TS val/ecr");
	o = o->next->next;
	CHECKF(o->value == 7, "wscale 7");
	o = o->next;
	CHECKF(o->sack && o->sack->left == 1 && o->sack->right == 2 &&
	       o->sack->next && o->sack->next->left == 3 && !o->sack->next->next,
	       "two SACK blocks");
	o = o->next;
	CHECKF(o->nbytes == 2 && o->bytes[0] == 0x00 && o->bytes[1] == 0xaa,
	       "FO cookie bytes");
	o = event_at(s, 1)->u.packet->tcp.options;
	REQUIREF(o && o->kind == TCPOPT_AST_MD5 && o->nbytes == 16 && o->bytes[15] == 0xff,
	       "md5 digest bytes");
	o = o->next;
	CHECKF(o && o->kind == TCPOPT_AST_ACCECN1 && o->naccecn == 3 &&
	       o->accecn[2] == 3 && o->next && o->next->kind == TCPOPT_AST_EOL,
	       "ECN e1b ceb e0b: kind 174, counters in wire order");
	p = event_at(s, 2)->u.packet;
	CHECKF(strcmp(p->tcp.flags, "") == 0 && p->tcp.options_any &&
	       !p->tcp.has_ack, "'-' flags and <...>");
	p = event_at(s, 3)->u.packet;
	CHECKF(p->tcp.options && p->tcp.options->wildcard, "wscale *");
	p = event_at(s, 4)->u.packet;
	o = p->tcp.options;
	CHECKF(strcmp(p->tcp.flags, "P.5") == 0, "ACE digit after the flags");
	CHECKF(o && o->kind == TCPOPT_AST_ACCECN0 && o->naccecn == 2 &&
	       o->accecn[0] == 7 && o->accecn[1] == 8, "ECN e0b ceb: kind 172");
	free_script(s);
}

static void test_other_packets(void)
{
	int n;
	struct script *s = parse(
		"0 < udp (100)\n"
		"+0 < (tos 0x10, flowlabel 0x12345) udp 53 > 1000 (10)\n"
		"+0 < icmp unreachable frag_needed mtu 1200 [1:1001(1000)]\n"
		"+0 < icmp echo_request id 7\n"
		"+0 < ipv4 (ttl 3) 2.2.2.2 > 1.1.1.1: gre flags [key present], "
		"sum 1, off 2, key=0x80001234, seq 4: mpls (label 1, tc 2, ttl 3) "
		"(label 1048575, tc 7, [S], ttl 255): . 1:1001(1000) ack 1\n"
		"+0 < ipv6 2::2 > 1::1 : psp spi 0x12, vc 5: . 1:1(0) ack 1\n"
		"+0 < encap psp spi 42 . 1:1(0) ack 1\n", NULL, &n, NULL);
	REQUIREF(s && n == 0 && s->nevents == 7,
		 "udp, icmp and encapsulated packets parse (%d)", n);
	struct ast_packet *p = event_at(s, 0)->u.packet;
	CHECKF(p->proto == PKT_UDP && p->udp.payload_len == 100, "udp (100)");
	p = event_at(s, 1)->u.packet;
	CHECKF(p->ip.has_tos && p->ip.tos == 0x10 && p->ip.has_flowlabel &&
	       p->ip.flowlabel == 0x12345 && p->src_port == 53, "tos, flowlabel");
	p = event_at(s, 2)->u.packet;
	CHECKF(p->proto == PKT_ICMP && p->icmp.type == 3 && p->icmp.code == 4 &&
	       p->icmp.has_mtu && p->icmp.mtu == 1200 &&
	       p->icmp.echoed == ICMP_ECHOED_TCP && p->icmp.echoed_len == 1000,
	       "icmp unreachable frag_needed resolved to 3/4");
	p = event_at(s, 3)->u.packet;
	CHECKF(p->icmp.type == 8 && p->icmp.has_id && p->icmp.id == 7,
	       "icmp echo_request id");
	p = event_at(s, 4)->u.packet;
	struct ast_encap *en = p->encaps;
	REQUIREF(en && en->kind == ENCAP_IPV4 && en->ip.has_ttl && en->ip.ttl == 3 &&
	       strcmp(en->src, "2.2.2.2") == 0, "outer ipv4 header");
	en = en->next;
	REQUIREF(en && en->kind == ENCAP_GRE && en->gre.flags == AST_GRE_FLAG_K &&
	       en->gre.key == 0x80001234 && en->gre.seq == 4, "gre fields");
	en = en->next;
	CHECKF(en && en->kind == ENCAP_MPLS && en->mpls && !en->mpls->bottom &&
	       en->mpls->next && en->mpls->next->bottom &&
	       en->mpls->next->label == 1048575 && !en->next, "mpls stack");
	p = event_at(s, 5)->u.packet;
	CHECKF(p->encaps && p->encaps->kind == ENCAP_IPV6 && p->encaps->next &&
	       p->encaps->next->kind == ENCAP_PSP &&
	       p->encaps->next->psp.spi == 0x12 && p->encaps->next->psp.vc == 5,
	       "psp tunnel mode");
	p = event_at(s, 6)->u.packet;
	CHECKF(p->encaps && p->encaps->kind == ENCAP_PSP_TRANSPORT &&
	       p->encaps->psp.spi == 42,
	       "psp transport mode");
	free_script(s);
}

static void test_syscalls(void)
{
	int n;
	struct script *s = parse(
		"0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 1000}], "
		"msg_flags=0, msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, "
		"cmsg_data=1000}]}, 0) = 1000\n"
		"+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1\n"
		"+0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), "
		"sin_addr=inet_addr(\"1.2.3.4\")}, 16) = -1 EINPROGRESS "
		"(Operation now in progress)\n"
		"+0 write(4, \"a\\n\\x01\"..., 0x7fffffffffffffff) = 18446744073709551615\n",
		NULL, &n, NULL);
	REQUIREF(s && n == 0 && s->nevents == 4, "syscalls parse (%d)", n);
	struct ast_syscall *c = event_at(s, 0)->u.syscall;
	struct ast_expr *msg = c->args->next->expr;
	REQUIREF(strcmp(c->name, "recvmsg") == 0 && msg->kind == EXPR_STRUCT &&
		 msg->u.list && msg->u.list->next, "msghdr is a struct");
	struct ast_expr *f = msg->u.list->expr;
	CHECKF(f->kind == EXPR_ASSIGN && f->u.binary.lhs->kind == EXPR_CALL &&
	       strcmp(f->u.binary.lhs->u.call.name, "msg_name") == 0 &&
	       f->u.binary.lhs->u.call.args->expr->kind == EXPR_ELLIPSIS &&
	       f->u.binary.rhs->kind == EXPR_ELLIPSIS, "msg_name(...)=...");
	f = msg->u.list->next->expr;
	CHECKF(f->u.binary.rhs->kind == EXPR_ARRAY &&
	       f->u.binary.rhs->u.list->expr->kind == EXPR_STRUCT,
	       "msg_iov(1)=[{...}]");
	c = event_at(s, 1)->u.syscall;
	REQUIREF(c->args->expr->kind == EXPR_ARRAY && c->args->expr->u.list &&
		 c->args->expr->u.list->expr->kind == EXPR_STRUCT &&
		 c->args->expr->u.list->expr->u.list &&
		 c->args->expr->u.list->expr->u.list->next,
		 "pollfd array of structs");
	struct ast_expr *pfd = c->args->expr->u.list->expr;
	f = pfd->u.list->next->expr;
	CHECKF(f->kind == EXPR_ASSIGN && f->u.binary.rhs->kind == EXPR_BINARY &&
	       f->u.binary.rhs->u.binary.op == '|', "events=POLLIN|POLLOUT");
	c = event_at(s, 2)->u.syscall;
	CHECKF(c->result->kind == EXPR_INTEGER && c->result->u.integer.value == -1 &&
	       c->errno_name && strcmp(c->errno_name, "EINPROGRESS") == 0 &&
	       c->note && strcmp(c->note, "Operation now in progress") == 0,
	       "result, errno, note");
	c = event_at(s, 3)->u.syscall;
	struct ast_expr *str = c->args->next->expr;
	CHECKF(str->kind == EXPR_STRING && str->u.string.len == 3 &&
	       str->u.string.bytes[1] == '\n' && str->u.string.bytes[2] == 1 &&
	       str->u.string.ellipsis, "string escapes and trailing ...");
	struct ast_expr *big = c->args->next->next->expr;
	CHECKF(big->u.integer.hex && big->u.integer.value == INT64_MAX,
	       "hex integer");
	CHECKF(c->result->u.integer.big &&
	       (uint64_t)c->result->u.integer.value == UINT64_MAX,
	       "decimal integer up to 2^64-1");
	free_script(s);
}

static void test_defines(void)
{
	struct config config;
	config_init(&config);
	char *error = NULL;
	config_set_option(&config, "define", "TFO_COOKIE=3021b9d889017eeb", &error);
	config_set_option(&config, "define", "CODE=host_unreachable", &error);
	config_set_option(&config, "define", "LVL=SOL_IP", &error);
	config_set_option(&config, "define", "MSG=\"hi\"", &error);
	config_set_option(&config, "define", "CMD=`true`", &error);
	config_set_option(&config, "define", "PORT=8080", &error);
	int n;
	const char *text =
		"--define=LATE=IP_RECVERR\n"
		"0 < S 0:0(0) win 100 <FO TFO_COOKIE>\n"
		"+0 < icmp unreachable CODE\n"
		"+0 setsockopt(3, LVL, LATE, [1], 4) = 0\n"
		"+0 send(3, MSG, 2, 0) = 2\n"
		"+0 CMD\n"
		"+0 bind(3, PORT, 0) = 0\n";
	struct script *s = parse(text, &config, &n, NULL);
	REQUIREF(s && n == 0 && s->nevents == 6, "defines substitute (%d errors)",
		 n);
	const struct ast_tcp_option *o = event_at(s, 0)->u.packet->tcp.options;
	CHECKF(o && o->nbytes == 8 && o->bytes[0] == 0x30 &&
	       strcmp(o->defined_as, "TFO_COOKIE") == 0, "FO TFO_COOKIE");
	CHECKF(event_at(s, 1)->u.packet->icmp.code == 1, "icmp code from CODE");
	struct ast_syscall *c = event_at(s, 2)->u.syscall;
	CHECKF(c->args->next->expr->kind == EXPR_WORD &&
	       strcmp(c->args->next->expr->u.word.name, "SOL_IP") == 0 &&
	       c->args->next->next->expr->kind == EXPR_WORD &&
	       strcmp(c->args->next->next->expr->u.word.name, "IP_RECVERR") == 0,
	       "words from -D and from a script --define line");
	c = event_at(s, 3)->u.syscall;
	CHECKF(c->args->next->expr->kind == EXPR_STRING &&
	       strcmp(c->args->next->expr->u.string.bytes, "hi") == 0,
	       "quoted value becomes a string");
	CHECKF(event_at(s, 4)->kind == EVENT_COMMAND &&
	       strcmp(event_at(s, 4)->u.command->text, "true") == 0,
	       "backquoted value becomes a command");
	c = event_at(s, 5)->u.syscall;
	CHECKF(c->args->next->expr->kind == EXPR_INTEGER &&
	       c->args->next->expr->u.integer.value == 8080, "number value");
	char *d1 = dump(s);
	CHECKF(strstr(d1, "FO TFO_COOKIE") && strstr(d1, "icmp unreachable CODE") &&
	       strstr(d1, "send(3, MSG, 2, 0)"), "dump keeps the -D names");
	int n2;
	struct script *s2 = parse(d1, &config, &n2, NULL);
	REQUIREF(s2 != NULL, "the dump parses again");
	char *d2 = dump(s2);
	CHECKF(n2 == 0 && strcmp(d1, d2) == 0, "dump round trip with defines");
	free(d1);
	free(d2);
	free_script(s2);
	free_script(s);

	char *msg = NULL;
	s = parse("0 < S 0:0(0) win 100 <FO TFO_COOKIE>\n", NULL, &n, &msg);
	CHECKF(n == 1 && strstr(msg, "not defined with -D?"),
	       "undefined name where a value is needed: %.*s",
	       (int)strcspn(msg, "\n"), msg);
	free(msg);
	free_script(s);
	config_free(&config);
}

static void test_errors(void)
{
	int n;
	char *msg = NULL;
	struct script *s = parse(
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+0 bind(3, ..., ...) 0\n"
		"+0 listen(3, 1) = 0\n"
		"+0 < S 0:0(0) win <mss 1460>\n"
		"+0 accept(3, ..., ...) = 4\n", NULL, &n, &msg);
	CHECKF(n == 2, "two syntax errors reported (%d)", n);
	CHECKF(strstr(msg, "t.pkt:2:22: error: syntax error, unexpected integer, "
		       "expecting '='\n+0 bind(3, ..., ...) 0\n"
		       "                     ^\n") != NULL, "message, line and caret");
	REQUIREF(s != NULL, "a script with errors is still returned");
	CHECKF(s->nevents == 3, "events around the errors kept (%d)", s->nevents);
	free(msg);
	free_script(s);

	struct {
		const char *text, *message;
	} cases[] = {
		{ "0 < S 0:0(0) win 65536\n", "t.pkt:1:18: error: TCP window value out of range" },
		{ "0 < S 0:1(2) win 1\n", "inconsistent TCP sequence numbers and payload size" },
		{ "1 close(3) = 0\n0.5 close(3) = 0\n", "time goes backward" },
		{ "* close(3) = 0\n", "event time <star> can only be used with outbound packets" },
		{ "0~1 < S 0:0(0) win 1\n", "event time range can only be used with outbound packets" },
		{ "0 frob(3) = 0\n", "unknown system call: frob" },
		{ "0 close(SO_NOPE) = 0\n", "unknown symbol: SO_NOPE" },
		{ "0 close(3) = -1 ENOPE\n", "unknown errno symbol: ENOPE" },
		{ "0 < S 0:0(0) win 1 <mss 70000>\n", "mss value out of range" },
		{ "0 < S 0:0(0) win 1 <FO 123>\n", "odd number of digits" },
		{ "0 < S 0:0(0) win 1 <...>\n", "<...> for TCP options can only be used with outbound packets" },
		{ "0 close(99999999999999999999) = 0\n", "integer out of range" },
		{ "0 close(\"abc) = 0\n", "unterminated string" },
		{ "0 close(3) = 0\n\x01", "unexpected byte 0x01" },
		{ "", "script has no events" },
		{ "0 < icmp nope\n", "bad ICMP type nope" },
		{ "0 < [ect01] S 0:0(0) win 1\n", "[ect01] can only be used with outbound packets" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = parse(cases[i].text, NULL, &n, &msg);
		CHECKF(n >= 1 && strstr(msg, cases[i].message) != NULL,
		       "error \"%s\" (got: %.*s)", cases[i].message,
		       (int)strcspn(msg, "\n"), msg);
		free(msg);
		free_script(s);
	}

	/* Deep nesting is an error, not a crash. */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 32);
	strcpy(deep, "0 close(");
	memset(deep + 8, '[', depth);
	strcpy(deep + 8 + depth, ") = 0\n");
	s = parse(deep, NULL, &n, &msg);
	CHECKF(n >= 1 && strstr(msg, "nesting deeper than 256 levels"),
	       "deep nesting refused");
	free(msg);
	free(deep);
	free_script(s);
}

/* Inputs that would make a scanner rescan the same bytes again and again
 * (an address-like run that never becomes an address, unterminated
 * quotes) must still scan in linear time. */
static void test_linear_scan(void)
{
	const char *units[] = { "1:", "--x=\"", "a.", "::1.", "\"\\" };
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t ulen = strlen(units[u]), reps = 100000;
		char *text = malloc(ulen * reps + 32);
		char *p = text + sprintf(text, "0 close(");
		for (size_t i = 0; i < reps; i++, p += ulen)
			memcpy(p, units[u], ulen);
		strcpy(p, ") = 0\n");
		struct timespec t0, t1;
		int n;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct script *s = parse(text, NULL, &n, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		CHECKF(n >= 1 && secs < 2.0, "100000 x '%s' scanned in %.3f s",
		       units[u], secs);
		free_script(s);
		free(text);
	}
}

static void test_round_trip(void)
{
	const char *text =
		"--tolerance_usecs=10000\n"
		"--strict_segments\n"
		"`setup`\n"
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
		"+.1 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
		"+0 < [ce] S 0:0(0) win 1 <nop,nop,TS val 1 ecr 0>\n"
		"+0.000001~+0.5 > (ect0) S. 0:0(0) ack 1 <...>\n"
		"+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN|EPOLLET, fd=4}) = 0\n"
		"+0 < ipv4 1.1.1.1 > 2.2.2.2: gre flags 0xb000, sum 1, off 2, "
		"key 3, seq 4: . 1:1(0) ack 1 win 1\n"
		"`cleanup`\n";
	int n, n2;
	struct script *s = parse(text, NULL, &n, NULL);
	REQUIREF(s && n == 0 && s->noptions == 2 && s->init_command &&
	       s->cleanup_command && s->nevents == 6,
	       "options, init and cleanup commands (%d errors)", n);
	char *d1 = dump(s);
	struct script *s2 = parse(d1, NULL, &n2, NULL);
	REQUIREF(s2 != NULL, "the dump parses again");
	char *d2 = dump(s2);
	CHECKF(n2 == 0 && strcmp(d1, d2) == 0, "dump is stable");
	CHECKF(strstr(d1, "+0.1 setsockopt") && strstr(d1, "+0.000001~+0.5 >"),
	       "canonical times");
	free(d1);
	free(d2);
	free_script(s);
	free_script(s2);
}

static void test_symbols(void)
{
	int64_t v = 0;
	CHECKF(symbol_lookup("SOL_SOCKET", &v) && v == 1, "SOL_SOCKET = 1");
	CHECKF(symbol_lookup("TCP_NODELAY", &v) && v == 1, "TCP_NODELAY = 1");
	CHECKF(symbol_lookup("EAGAIN", &v) && v == 11, "EAGAIN = 11");
	CHECKF(symbol_lookup("EPOLLET", &v) && v == 0x80000000LL, "EPOLLET");
	CHECKF(symbol_lookup("SIOCINQ", &v) && v == 0x541B, "SIOCINQ");
	CHECKF(symbol_lookup("TCP_CA_LOSS", &v) && v == 4, "TCP_CA_LOSS");
	CHECKF(symbol_lookup("SOF_TIMESTAMPING_OPT_ID", &v) && v == 128,
	       "SOF_TIMESTAMPING_OPT_ID");
	CHECKF(!symbol_lookup("NOT_A_SYMBOL", &v), "unknown symbol");
	CHECKF(syscall_known("epoll_wait") && !syscall_known("frob"),
	       "syscall table");
	int t, c;
	CHECKF(icmp_lookup(AF_INET6, "unreachable", "no_route", &t, &c) == 0 &&
	       t == 1 && c == 0, "ICMPv6 unreachable no_route");
	CHECKF(icmp_lookup(AF_INET6, "unreachable", "frag_needed", &t, &c) == -2,
	       "frag_needed is not an ICMPv6 code");
}

int main(void)
{
	return TAP_RUN(test_times, test_tcp_packet, test_other_packets,
		       test_syscalls, test_defines, test_errors,
		       test_round_trip, test_linear_scan, test_symbols);
}
