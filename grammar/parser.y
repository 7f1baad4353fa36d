/* SPDX-License-Identifier: GPL-2.0-only */
/* parser.y: the grammar of packetdrill scripts, building the model of
 * ast.h. A pure (reentrant) bison parser; all state is in struct
 * parse_ctx. After a syntax error the parser resynchronises at the next
 * line that starts like an event (see ndyylex below), so one run reports
 * several errors. Range and consistency checks are left to check.c. */

%define api.pure full
%define api.prefix {ndyy}
%define parse.error verbose
%locations
%param {struct parse_ctx *ctx}
%expect 0

%code requires {
#include "parse_priv.h"

struct elist { struct ast_expr_list *head, *tail; };
struct olist { struct ast_tcp_option *head, *tail; };
struct slist { struct ast_sack_block *head, *tail; };
struct mlist { struct ast_mpls_entry *head, *tail; };
struct enlist { struct ast_encap *head, *tail; };
struct ports { bool given; int64_t src, dst; struct ast_loc src_loc, dst_loc; };
struct wlist { char *text; };
}

%code {
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

static int ndyylex(NDYYSTYPE *lval, NDYYLTYPE *lloc, struct parse_ctx *ctx);
static void ndyyerror(NDYYLTYPE *lloc, struct parse_ctx *ctx, const char *msg);

#define A(size) arena_alloc(ctx->arena, (size))
#define NEW(type) ((type *)arena_alloc(ctx->arena, sizeof(type)))

static struct ast_loc mkloc(struct parse_ctx *ctx, const NDYYLTYPE *l)
{
	struct ast_loc loc = {
		.file = ctx->script->name,
		.line = l->first_line, .column = l->first_column,
		.last_line = l->last_line, .last_column = l->last_column,
	};
	return loc;
}
#define LOC(l) mkloc(ctx, &(l))

static void perror_at(struct parse_ctx *ctx, const NDYYLTYPE *l,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perror_at(struct parse_ctx *ctx, const NDYYLTYPE *l,
		      const char *fmt, ...)
{
	struct ast_loc loc = mkloc(ctx, l);
	va_list ap;
	va_start(ap, fmt);
	diag_verror(ctx->diag, &loc, fmt, ap);
	va_end(ap);
}

/* Seconds as written ("1", "0.25", ".1") to microseconds. */
static int64_t parse_time(struct parse_ctx *ctx, const NDYYLTYPE *l,
			  const char *s)
{
	int64_t secs = 0, frac = 0;
	int digits = 0;
	if (*s == '-') {
		perror_at(ctx, l, "negative time");
		return 0;
	}
	for (; isdigit((unsigned char)*s); s++) {
		if (secs > (INT64_MAX / 1000000 - 9) / 10) {
			perror_at(ctx, l, "time out of range");
			return 0;
		}
		secs = secs * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			if (digits < 6) {
				frac = frac * 10 + (*s - '0');
				digits++;
			}
	for (; digits < 6; digits++)
		frac *= 10;
	return secs * 1000000 + frac;
}

static struct ast_expr *new_expr(struct parse_ctx *ctx, enum ast_expr_kind kind,
				 const NDYYLTYPE *l)
{
	struct ast_expr *e = NEW(struct ast_expr);
	e->kind = kind;
	e->loc = mkloc(ctx, l);
	return e;
}

static struct ast_expr *int_expr(struct parse_ctx *ctx, const struct tokval *t,
				 const NDYYLTYPE *l)
{
	struct ast_expr *e = new_expr(ctx, EXPR_INTEGER, l);
	e->u.integer.value = t->num;
	e->u.integer.hex = t->hex;
	e->u.integer.big = t->big;
	e->u.integer.defined_as = t->def;
	return e;
}

static struct elist elist_one(struct parse_ctx *ctx, struct ast_expr *e)
{
	struct ast_expr_list *n = NEW(struct ast_expr_list);
	n->expr = e;
	struct elist l = { n, n };
	return l;
}

static struct elist elist_add(struct parse_ctx *ctx, struct elist l,
			      struct ast_expr *e)
{
	struct ast_expr_list *n = NEW(struct ast_expr_list);
	n->expr = e;
	l.tail->next = n;
	l.tail = n;
	return l;
}

/* Decode a hex blob (FO cookie, md5 digest) into option->bytes; leave
 * bytes NULL if it is not valid hex (check.c reports it). */
static void set_hex(struct parse_ctx *ctx, struct ast_tcp_option *o,
		    const struct tokval *t)
{
	const char *s = t->str;
	size_t n = strlen(s);
	o->hex = t->str;
	o->defined_as = t->def;
	if (n % 2)
		return;
	uint8_t *b = A(n / 2 + 1);
	for (size_t i = 0; i < n; i += 2) {
		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]))
			return;
		char pair[3] = { s[i], s[i + 1], 0 };
		b[i / 2] = (uint8_t)strtoul(pair, NULL, 16);
	}
	o->bytes = b;
	o->nbytes = n / 2;
}

static struct ast_tcp_option *new_opt(struct parse_ctx *ctx,
				      enum ast_tcpopt_kind kind,
				      const NDYYLTYPE *l)
{
	struct ast_tcp_option *o = NEW(struct ast_tcp_option);
	o->kind = kind;
	o->loc = mkloc(ctx, l);
	return o;
}

/* One more AccECN byte counter (the grammar allows three at most). */
static void add_accecn(struct ast_tcp_option *o, const struct tokval *v)
{
	if (o->naccecn < 3)
		o->accecn[o->naccecn++] = v->num;
}

/* Record where event ev (written at l) is: the script keeps its span,
 * not its nodes (parse_event() parses it again). */
static void add_event(struct parse_ctx *ctx, struct ast_event *ev,
		      const NDYYLTYPE *l)
{
	struct script *script = ctx->script;
	struct script_impl *impl = (struct script_impl *)script;
	struct ast_event_span *sp;

	if (ctx->seen_cleanup) {
		struct ast_loc loc = script->cleanup_command->loc;
		diag_error(ctx->diag, &loc,
			   "a command without a time must be the first or "
			   "the last line of the script");
		ctx->seen_cleanup = false;
	}
	ctx->seen_event = true;
	if (script->nevents == impl->events_cap) {
		int cap = impl->events_cap ? 2 * impl->events_cap : 64;
		sp = realloc(script->events, (size_t)cap * sizeof(*sp));
		if (sp == NULL) {
			fprintf(stderr, "netdrill: out of memory\n");
			abort();
		}
		script->events = sp;
		impl->events_cap = cap;
	}
	sp = &script->events[script->nevents++];
	sp->start = (uint32_t)(script->line_starts[ev->loc.line - 1] +
			       (size_t)ev->loc.column - 1);
	sp->end = (uint32_t)(script->line_starts[l->last_line - 1] +
			     (size_t)l->last_column - 1);
	sp->line = ev->loc.line;
	sp->kind = ev->kind;
}

static char *dup_or_null(const char *s, size_t len)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = malloc(len + 1);
	if (d == NULL) {
		fprintf(stderr, "netdrill: out of memory\n");
		abort();
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static char *arena_take(struct parse_ctx *ctx, char *s, size_t len)
{
	char *a = s ? arena_strndup(ctx->arena, s, len) : NULL;

	free(s);
	return a;
}

/* The event just recorded needs its nodes no more: the arena goes back
 * to where the event began, so a script of a million packets does not
 * hold a million packet models. The token the parser has read ahead
 * (lookahead, or <= 0 for none) lives past that point: it is copied
 * over. Not for a script with errors (error recovery replays tokens),
 * nor when the next token is an option or a command line, whose lexing
 * may have added a definition the script keeps. */
static void release_event_nodes(struct parse_ctx *ctx, int lookahead,
				struct tokval *tok)
{
	size_t slen = 0, dlen = 0, vlen = 0;
	char *str, *def, *value;

	if (ctx->one_event || ctx->diag->nerrors || lookahead == OPTION ||
	    lookahead == COMMAND || lookahead == SYNC) {
		ctx->event_mark = arena_mark(ctx->arena);
		return;
	}
	if (lookahead <= 0) {
		arena_release(ctx->arena, ctx->event_mark);
		memset(&ctx->saved_val, 0, sizeof(ctx->saved_val));
		return;
	}
	if (tok->str)
		slen = tok->len > strlen(tok->str) ? tok->len : strlen(tok->str);
	if (tok->def)
		dlen = strlen(tok->def);
	if (tok->value)
		vlen = strlen(tok->value);
	str = dup_or_null(tok->str, slen);
	def = dup_or_null(tok->def, dlen);
	value = dup_or_null(tok->value, vlen);
	arena_release(ctx->arena, ctx->event_mark);
	/* above the mark: the next event's release frees them too */
	tok->str = arena_take(ctx, str, slen);
	tok->def = arena_take(ctx, def, dlen);
	tok->value = arena_take(ctx, value, vlen);
	ctx->saved_val = *tok;
}

static void merge_ipinfo(struct parse_ctx *ctx, struct ast_ip_info *into,
			 const struct ast_ip_info *item, const NDYYLTYPE *l)
{
	if ((item->ecn && (into->ecn || into->has_tos)) ||
	    (item->has_tos && (into->ecn || into->has_tos)) ||
	    (item->has_flowlabel && into->has_flowlabel) ||
	    (item->has_ttl && into->has_ttl)) {
		perror_at(ctx, l, "IP field given twice (ecn and tos count as one)");
		return;
	}
	if (item->ecn)
		into->ecn = item->ecn;
	if (item->has_tos) {
		into->has_tos = true;
		into->tos = item->tos;
	}
	if (item->has_flowlabel) {
		into->has_flowlabel = true;
		into->flowlabel = item->flowlabel;
	}
	if (item->has_ttl) {
		into->has_ttl = true;
		into->ttl = item->ttl;
	}
}
}

%union {
	struct tokval tok;
	int64_t usecs;
	struct ast_time time;
	struct ast_event *event;
	struct ast_packet *packet;
	struct ast_syscall *syscall;
	struct ast_expr *expr;
	struct elist elist;
	struct olist olist;
	struct slist slist;
	struct mlist mlist;
	struct enlist enlist;
	struct ast_encap *encap;
	struct ast_mpls_entry *mpls;
	struct ast_tcp_option *opt;
	struct ast_ip_info ipinfo;
	struct ast_gre gre;
	struct ast_psp psp;
	struct ports ports;
	struct wlist words;
	int num;
}

%token END 0 "end of file"
%token <tok> INTEGER "integer" FLOAT "number" WORD "word" STRING "string"
%token <tok> COMMAND "`command`" CODE "%{ code }%"
%token <tok> IPV4_ADDR "IPv4 address" IPV6_ADDR "IPv6 address"
%token <tok> OPTION "option" ELLIPSIS "..."
%token SYNC "start of a new line"
%token START_EVENT "start of one event"
%token <tok> ACK "ack" WIN "win" URG "urg" MSS "mss" WSCALE "wscale"
%token <tok> SACKOK "sackOK" SACK "sack" TS "TS" VAL "val" ECR "ecr"
%token <tok> NOP "nop" EOL "eol" MD5 "md5" FO "FO" FOEXP "FOEXP"
%token <tok> ACCECN0 "AccECN0" ACCECN1 "AccECN1"
%token <tok> ECN "ECN" E0B "e0b" CEB "ceb" E1B "e1b"
%token <tok> TOS "tos" FLOWLABEL "flowlabel" TTL "ttl"
%token <tok> ECT0 "ect0" ECT1 "ect1" ECT01 "ect01" NOECN "noecn" CE "ce"
%token <tok> IPV4 "ipv4" IPV6 "ipv6" ICMP "icmp" UDP "udp" GRE "gre" RAW "raw"
%token <tok> SUM "sum" OFF "off" KEY "key" SEQ "seq" NONE "none"
%token <tok> CHECKSUM "checksum" SEQUENCE "sequence#" PRESENT "present"
%token <tok> MPLS "mpls" LABEL "label" TC "tc" MTU "mtu" ID "id"
%token <tok> FLAGS "flags" PSP "psp" SPI "spi" VC "vc" ENCAP "encap"

%type <time> time_spec
%type <usecs> time
%type <event> event
%type <packet> packet tcp_packet udp_packet icmp_packet packet_head
%type <num> direction ip_ecn gre_flag gre_flag_list gre_flags
%type <enlist> encaps
%type <encap> encap
%type <ipinfo> opt_ip_info ip_info ip_info_item
%type <ports> opt_ports
%type <tok> flags name any_word hex_blob
%type <opt> tcp_option opt_cookie accecn_opt
%type <olist> tcp_option_list
%type <slist> sack_blocks
%type <mlist> mpls_stack mpls_entries
%type <mpls> mpls_entry
%type <num> opt_bottom
%type <gre> gre_fields
%type <psp> psp_fields
%type <syscall> syscall
%type <expr> expr primary lhs
%type <elist> expr_list
%type <words> note note_words
%type <tok> opt_errno

%precedence '='
%left '|'
%precedence NAME_ALONE
%precedence '('

%%

script
: items
| START_EVENT event {
	ctx->event = $2;
}
;

items
: %empty
| items item
;

item
: OPTION {
	ctx->pipes = 0;
	struct ast_option *o = NEW(struct ast_option);
	o->loc = LOC(@1);
	o->name = $1.str;
	o->value = $1.value;
	if (ctx->seen_event || ctx->script->init_command)
		perror_at(ctx, &@1, "option lines must come before the "
			  "first event");
	*ctx->options_tail = o;
	ctx->options_tail = &o->next;
	ctx->script->noptions++;
	ctx->event_mark = arena_mark(ctx->arena);
}
| event {
	ctx->pipes = 0;
	add_event(ctx, $1, &@1);
	if (ctx->checker && ctx->diag->nerrors == 0)
		script_checker_event(ctx->checker, $1);
	release_event_nodes(ctx, yychar, &yylval.tok);
}
| COMMAND {
	struct ast_command *c = NEW(struct ast_command);
	c->loc = LOC(@1);
	c->text = $1.str;
	c->defined_as = $1.def;
	if (!ctx->seen_event && !ctx->script->init_command) {
		ctx->script->init_command = c;
	} else if (ctx->seen_event && !ctx->script->cleanup_command) {
		ctx->script->cleanup_command = c;
		ctx->seen_cleanup = true;
	} else {
		perror_at(ctx, &@1, "a command without a time must be the "
			  "first or the last line of the script");
	}
	ctx->event_mark = arena_mark(ctx->arena);
}
| error SYNC {
	yyerrok;
	ctx->event_mark = arena_mark(ctx->arena);
}
;

event
: time_spec packet {
	$$ = NEW(struct ast_event);
	$$->loc = $1.loc;
	$$->time = $1;
	$$->kind = EVENT_PACKET;
	$$->u.packet = $2;
}
| time_spec syscall {
	$$ = NEW(struct ast_event);
	$$->loc = $1.loc;
	$$->time = $1;
	$$->kind = EVENT_SYSCALL;
	$$->u.syscall = $2;
}
| time_spec ELLIPSIS time syscall {
	$$ = NEW(struct ast_event);
	$$->loc = $1.loc;
	$$->time = $1;
	$$->time.has_block_end = true;
	$$->time.block_end_usecs = $3;
	$$->kind = EVENT_SYSCALL;
	$$->u.syscall = $4;
}
| time_spec COMMAND {
	$$ = NEW(struct ast_event);
	$$->loc = $1.loc;
	$$->time = $1;
	$$->kind = EVENT_COMMAND;
	$$->u.command = NEW(struct ast_command);
	$$->u.command->loc = LOC(@2);
	$$->u.command->text = $2.str;
	$$->u.command->defined_as = $2.def;
}
| time_spec CODE {
	$$ = NEW(struct ast_event);
	$$->loc = $1.loc;
	$$->time = $1;
	$$->kind = EVENT_CODE;
	$$->u.code = NEW(struct ast_code);
	$$->u.code->loc = LOC(@2);
	$$->u.code->text = $2.str;
}
;

time_spec
: time {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.kind = TIME_ABSOLUTE;
	$$.usecs = $1;
	$$.end_usecs = -1;
}
| '+' time {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@$);
	$$.kind = TIME_RELATIVE;
	$$.usecs = $2;
	$$.end_usecs = -1;
}
| '*' {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.kind = TIME_ANY;
	$$.end_usecs = -1;
}
| time '~' time {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@$);
	$$.kind = TIME_ABSOLUTE_RANGE;
	$$.usecs = $1;
	$$.end_usecs = $3;
}
| '+' time '~' '+' time {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@$);
	$$.kind = TIME_RELATIVE_RANGE;
	$$.usecs = $2;
	$$.end_usecs = $5;
}
;

time
: INTEGER	{ $$ = parse_time(ctx, &@1, $1.str); }
| FLOAT		{ $$ = parse_time(ctx, &@1, $1.str); }
;

/* ---- packets ---- */

packet
: tcp_packet
| udp_packet
| icmp_packet
;

packet_head
: direction encaps opt_ip_info {
	$$ = NEW(struct ast_packet);
	$$->loc = LOC(@1);
	$$->direction = (enum ast_direction)$1;
	$$->encaps = $2.head;
	$$->ip = $3;
}
;

direction
: '<'	{ $$ = DIR_INBOUND; }
| '>'	{ $$ = DIR_OUTBOUND; }
;

tcp_packet
: packet_head opt_ports flags INTEGER ':' INTEGER '(' INTEGER ')' {
	$$ = $1;
	$$->proto = PKT_TCP;
	$$->has_ports = $2.given;
	$$->src_port = $2.src;
	$$->dst_port = $2.dst;
	$$->src_port_loc = $2.src_loc;
	$$->dst_port_loc = $2.dst_loc;
	$$->tcp.flags = $3.str;
	$$->tcp.flags_loc = LOC(@3);
	$$->tcp.seq_loc = LOC(@4);
	$$->tcp.start_seq = $4.num;
	$$->tcp.end_seq = $6.num;
	$$->tcp.payload_len = $8.num;
}
| tcp_packet ACK INTEGER {
	$$ = $1;
	if ($$->tcp.has_ack || $$->tcp.has_win || $$->tcp.has_urg ||
	    $$->tcp.options_given)
		perror_at(ctx, &@2, "ack must come right after the sequence numbers, once");
	$$->tcp.has_ack = true;
	$$->tcp.ack = $3.num;
	$$->tcp.ack_loc = LOC(@3);
}
| tcp_packet WIN INTEGER {
	$$ = $1;
	if ($$->tcp.has_win || $$->tcp.has_urg || $$->tcp.options_given)
		perror_at(ctx, &@2, "win must come before urg and the options, once");
	$$->tcp.has_win = true;
	$$->tcp.win = $3.num;
	$$->tcp.win_loc = LOC(@3);
}
| tcp_packet URG INTEGER {
	$$ = $1;
	if ($$->tcp.has_urg || $$->tcp.options_given)
		perror_at(ctx, &@2, "urg must come before the options, once");
	$$->tcp.has_urg = true;
	$$->tcp.urg = $3.num;
	$$->tcp.urg_loc = LOC(@3);
}
| tcp_packet '<' tcp_option_list '>' {
	$$ = $1;
	if ($$->tcp.options_given)
		perror_at(ctx, &@2, "TCP options given twice");
	$$->tcp.options_given = true;
	$$->tcp.options = $3.head;
}
| tcp_packet '<' ELLIPSIS '>' {
	$$ = $1;
	if ($$->tcp.options_given)
		perror_at(ctx, &@2, "TCP options given twice");
	$$->tcp.options_given = true;
	$$->tcp.options_any = true;
}
;

/* As packetdrill: a digit 0-7 among the flags is the AccECN ACE field;
 * ".5" and "P.5" reach here as a number (with the word before it). */
flags
: WORD		{ $$ = $1; }
| '.'		{ memset(&$$, 0, sizeof($$)); $$.str = "."; }
| WORD '.'	{ $$ = $1; $$.str = arena_printf(ctx->arena, "%s.", $1.str); }
| FLOAT		{ $$ = $1; }
| WORD FLOAT	{ $$ = $1; $$.str = arena_printf(ctx->arena, "%s%s", $1.str, $2.str); }
| '-'		{ memset(&$$, 0, sizeof($$)); $$.str = ""; }
;

opt_ports
: %empty			{ memset(&$$, 0, sizeof($$)); }
| INTEGER '>' INTEGER	{
	$$.given = true;
	$$.src = $1.num;
	$$.dst = $3.num;
	$$.src_loc = LOC(@1);
	$$.dst_loc = LOC(@3);
}
;

udp_packet
: packet_head UDP opt_ports '(' INTEGER ')' {
	$$ = $1;
	$$->proto = PKT_UDP;
	$$->has_ports = $3.given;
	$$->src_port = $3.src;
	$$->dst_port = $3.dst;
	$$->src_port_loc = $3.src_loc;
	$$->dst_port_loc = $3.dst_loc;
	$$->udp.payload_len = $5.num;
	$$->udp.len_loc = LOC(@5);
}
;

icmp_packet
: packet_head ICMP WORD {
	$$ = $1;
	$$->proto = PKT_ICMP;
	$$->icmp.type_name = $3.str;
	$$->icmp.type_defined_as = $3.def;
	$$->icmp.type_loc = LOC(@3);
	$$->icmp.type = -1;
	$$->icmp.code = -1;
}
| icmp_packet WORD {
	$$ = $1;
	if ($$->icmp.code_name || $$->icmp.has_mtu || $$->icmp.has_id ||
	    $$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP code must come right after the type");
	$$->icmp.code_name = $2.str;
	$$->icmp.code_defined_as = $2.def;
	$$->icmp.code_loc = LOC(@2);
}
| icmp_packet MTU INTEGER {
	$$ = $1;
	if ($$->icmp.has_mtu || $$->icmp.has_id || $$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP mtu must come before id and the echoed packet, once");
	$$->icmp.has_mtu = true;
	$$->icmp.mtu = $3.num;
	$$->icmp.mtu_loc = LOC(@3);
}
| icmp_packet ID INTEGER {
	$$ = $1;
	if ($$->icmp.has_id || $$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP id must come before the echoed packet, once");
	$$->icmp.has_id = true;
	$$->icmp.id = $3.num;
	$$->icmp.id_loc = LOC(@3);
}
| icmp_packet '[' INTEGER ':' INTEGER '(' INTEGER ')' ']' {
	$$ = $1;
	if ($$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP echoed packet given twice");
	$$->icmp.echoed = ICMP_ECHOED_TCP;
	$$->icmp.echoed_loc = LOC(@3);
	$$->icmp.echoed_start_seq = $3.num;
	$$->icmp.echoed_end_seq = $5.num;
	$$->icmp.echoed_len = $7.num;
}
| icmp_packet '[' UDP '(' INTEGER ')' ']' {
	$$ = $1;
	if ($$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP echoed packet given twice");
	$$->icmp.echoed = ICMP_ECHOED_UDP;
	$$->icmp.echoed_loc = LOC(@3);
	$$->icmp.echoed_len = $5.num;
}
| icmp_packet '[' RAW '(' INTEGER ')' ']' {
	$$ = $1;
	if ($$->icmp.echoed)
		perror_at(ctx, &@2, "ICMP echoed packet given twice");
	$$->icmp.echoed = ICMP_ECHOED_RAW;
	$$->icmp.echoed_loc = LOC(@3);
	$$->icmp.echoed_len = $5.num;
}
;

encaps
: %empty		{ $$.head = $$.tail = NULL; }
| encaps encap	{
	$$ = $1;
	if ($$.tail)
		$$.tail->next = $2;
	else
		$$.head = $2;
	$$.tail = $2;
}
;

encap
: IPV4 opt_ip_info IPV4_ADDR '>' IPV4_ADDR ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_IPV4;
	$$->ip = $2;
	$$->src = $3.str;
	$$->dst = $5.str;
	$$->src_loc = LOC(@3);
	$$->dst_loc = LOC(@5);
}
| IPV6 opt_ip_info IPV6_ADDR '>' IPV6_ADDR ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_IPV6;
	$$->ip = $2;
	$$->src = $3.str;
	$$->dst = $5.str;
	$$->src_loc = LOC(@3);
	$$->dst_loc = LOC(@5);
}
| GRE ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_GRE;
	$$->gre.loc = LOC(@1);
}
| GRE gre_fields ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_GRE;
	$$->gre = $2;
}
| GRE ',' gre_fields ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_GRE;
	$$->gre = $3;
}
| MPLS mpls_stack ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_MPLS;
	$$->mpls = $2.head;
}
| PSP psp_fields ':' {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_PSP;
	$$->psp = $2;
}
| ENCAP PSP psp_fields {
	$$ = NEW(struct ast_encap);
	$$->loc = LOC(@1);
	$$->kind = ENCAP_PSP_TRANSPORT;
	$$->psp = $3;
}
;

opt_comma
: %empty
| ','
;

gre_fields
: FLAGS gre_flag_list opt_comma SUM INTEGER opt_comma OFF INTEGER opt_comma
  KEY opt_equals INTEGER opt_comma SEQ INTEGER {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.has_fields = true;
	$$.flags_as_list = true;
	$$.flags = $2;
	$$.sum = $5.num;
	$$.off = $8.num;
	$$.key = $12.num;
	$$.seq = $15.num;
}
| FLAGS INTEGER opt_comma SUM INTEGER opt_comma OFF INTEGER opt_comma
  KEY opt_equals INTEGER opt_comma SEQ INTEGER {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.has_fields = true;
	$$.flags = $2.num;
	$$.sum = $5.num;
	$$.off = $8.num;
	$$.key = $12.num;
	$$.seq = $15.num;
}
;

opt_equals
: %empty
| '='
;

gre_flag_list
: '[' gre_flags ']'		{ $$ = $2; }
;

gre_flags
: gre_flag			{ $$ = $1; }
| gre_flags ',' gre_flag	{ $$ = $1 | $3; }
;

gre_flag
: NONE			{ $$ = 0; }
| CHECKSUM PRESENT	{ $$ = AST_GRE_FLAG_C; }
| KEY PRESENT		{ $$ = AST_GRE_FLAG_K; }
| SEQUENCE PRESENT	{ $$ = AST_GRE_FLAG_S; }
;

mpls_stack
: %empty			{ $$.head = $$.tail = NULL; }
| mpls_entries		{ $$ = $1; }
;

mpls_entries
: mpls_entry			{ $$.head = $$.tail = $1; }
| mpls_entries mpls_entry	{ $$ = $1; $$.tail->next = $2; $$.tail = $2; }
;

mpls_entry
: '(' LABEL INTEGER ',' TC INTEGER ',' opt_bottom TTL INTEGER ')' {
	$$ = NEW(struct ast_mpls_entry);
	$$->loc = LOC(@1);
	$$->label = $3.num;
	$$->tc = $6.num;
	$$->bottom = $8;
	$$->ttl = $10.num;
}
;

opt_bottom
: %empty		{ $$ = 0; }
| '[' WORD ']' ','	{
	if (strcmp($2.str, "S") != 0)
		perror_at(ctx, &@2, "expected [S] for the bottom of the MPLS label stack");
	$$ = 1;
}
;

psp_fields
: SPI INTEGER {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.spi = $2.num;
	$$.spi_hex = $2.hex;
}
| SPI INTEGER ',' VC INTEGER {
	memset(&$$, 0, sizeof($$));
	$$.loc = LOC(@1);
	$$.spi = $2.num;
	$$.spi_hex = $2.hex;
	$$.has_vc = true;
	$$.vc = $5.num;
	$$.vc_hex = $5.hex;
}
;

opt_ip_info
: %empty		{ memset(&$$, 0, sizeof($$)); }
| '(' ip_info ')'	{ $$ = $2; $$.given = true; $$.loc = LOC(@1); }
| '[' ip_info ']'	{
	$$ = $2;
	$$.given = true;
	$$.bracket = true;
	$$.loc = LOC(@1);
}
;

ip_info
: ip_info_item			{ $$ = $1; }
| ip_info ',' ip_info_item	{ $$ = $1; merge_ipinfo(ctx, &$$, &$3, &@3); }
;

ip_info_item
: ip_ecn		{ memset(&$$, 0, sizeof($$)); $$.ecn = (enum ast_ecn)$1; }
| TOS INTEGER	{ memset(&$$, 0, sizeof($$)); $$.has_tos = true; $$.tos = $2.num; }
| FLOWLABEL INTEGER {
	memset(&$$, 0, sizeof($$));
	$$.has_flowlabel = true;
	$$.flowlabel = $2.num;
}
| TTL INTEGER	{ memset(&$$, 0, sizeof($$)); $$.has_ttl = true; $$.ttl = $2.num; }
;

ip_ecn
: NOECN	{ $$ = AST_ECN_NOECN; }
| ECT0	{ $$ = AST_ECN_ECT0; }
| ECT1	{ $$ = AST_ECN_ECT1; }
| ECT01	{ $$ = AST_ECN_ECT01; }
| CE	{ $$ = AST_ECN_CE; }
;

tcp_option_list
: tcp_option			{ $$.head = $$.tail = $1; }
| tcp_option_list ',' tcp_option { $$ = $1; $$.tail->next = $3; $$.tail = $3; }
;

hex_blob
: WORD		{ $$ = $1; }
| INTEGER	{ $$ = $1; }
;

opt_cookie
: %empty	{ $$ = NULL; }
| hex_blob	{
	$$ = NEW(struct ast_tcp_option);
	set_hex(ctx, $$, &$1);
}
;

tcp_option
: NOP		{ $$ = new_opt(ctx, TCPOPT_AST_NOP, &@1); }
| EOL		{ $$ = new_opt(ctx, TCPOPT_AST_EOL, &@1); }
| MSS INTEGER	{ $$ = new_opt(ctx, TCPOPT_AST_MSS, &@$); $$->value = $2.num; }
| WSCALE INTEGER {
	$$ = new_opt(ctx, TCPOPT_AST_WSCALE, &@$);
	$$->value = $2.num;
}
| WSCALE '*' {
	$$ = new_opt(ctx, TCPOPT_AST_WSCALE, &@$);
	$$->wildcard = true;
}
| SACKOK	{ $$ = new_opt(ctx, TCPOPT_AST_SACKOK, &@1); }
| SACK sack_blocks {
	$$ = new_opt(ctx, TCPOPT_AST_SACK, &@$);
	$$->sack = $2.head;
}
| TS VAL INTEGER ECR INTEGER {
	$$ = new_opt(ctx, TCPOPT_AST_TS, &@$);
	$$->ts_val = $3.num;
	$$->ts_ecr = $5.num;
}
| MD5 hex_blob {
	$$ = new_opt(ctx, TCPOPT_AST_MD5, &@$);
	set_hex(ctx, $$, &$2);
}
| FO opt_cookie {
	$$ = new_opt(ctx, TCPOPT_AST_FO, &@$);
	if ($2) {
		$$->bytes = $2->bytes; $$->nbytes = $2->nbytes;
		$$->hex = $2->hex; $$->defined_as = $2->defined_as;
	}
}
| FOEXP opt_cookie {
	$$ = new_opt(ctx, TCPOPT_AST_FOEXP, &@$);
	if ($2) {
		$$->bytes = $2->bytes; $$->nbytes = $2->nbytes;
		$$->hex = $2->hex; $$->defined_as = $2->defined_as;
	}
}
| accecn_opt	{ $$ = $1; }
;

/* packetdrill's AccECN option: "ECN" and one to three byte counters,
 * e0b ceb e1b (kind 172) or e1b ceb e0b (kind 174), in that order. */
accecn_opt
: ECN E0B INTEGER		{ $$ = new_opt(ctx, TCPOPT_AST_ACCECN0, &@$); add_accecn($$, &$3); }
| ECN E1B INTEGER		{ $$ = new_opt(ctx, TCPOPT_AST_ACCECN1, &@$); add_accecn($$, &$3); }
| accecn_opt CEB INTEGER	{
	$$ = $1;
	if ($$->naccecn != 1)
		perror_at(ctx, &@2, "AccECN option: ceb comes second, once");
	add_accecn($$, &$3);
	$$->loc = LOC(@$);
}
| accecn_opt E0B INTEGER	{
	$$ = $1;
	if ($$->kind != TCPOPT_AST_ACCECN1 || $$->naccecn != 2)
		perror_at(ctx, &@2, "AccECN option: e0b comes first or last, after e1b and ceb");
	add_accecn($$, &$3);
	$$->loc = LOC(@$);
}
| accecn_opt E1B INTEGER	{
	$$ = $1;
	if ($$->kind != TCPOPT_AST_ACCECN0 || $$->naccecn != 2)
		perror_at(ctx, &@2, "AccECN option: e1b comes first or last, after e0b and ceb");
	add_accecn($$, &$3);
	$$->loc = LOC(@$);
}
| ACCECN0 legacy_counters	{
	perror_at(ctx, &@1, "'AccECN0' is not packetdrill syntax: write the "
		  "AccECN option as 'ECN e0b N ceb N e1b N' (kind 172)");
	$$ = new_opt(ctx, TCPOPT_AST_ACCECN0, &@$);
}
| ACCECN1 legacy_counters	{
	perror_at(ctx, &@1, "'AccECN1' is not packetdrill syntax: write the "
		  "AccECN option as 'ECN e1b N ceb N e0b N' (kind 174)");
	$$ = new_opt(ctx, TCPOPT_AST_ACCECN1, &@$);
}
;

/* netdrill's former spelling, refused above; read to its end */
legacy_counters
: %empty
| legacy_counters INTEGER
;

sack_blocks
: INTEGER ':' INTEGER {
	struct ast_sack_block *b = NEW(struct ast_sack_block);
	b->left = $1.num;
	b->right = $3.num;
	$$.head = $$.tail = b;
}
| sack_blocks INTEGER ':' INTEGER {
	struct ast_sack_block *b = NEW(struct ast_sack_block);
	b->left = $2.num;
	b->right = $4.num;
	$$ = $1;
	$$.tail->next = b;
	$$.tail = b;
}
;

/* ---- system calls and expressions ---- */

syscall
: WORD '(' ')' '=' expr opt_errno note {
	$$ = NEW(struct ast_syscall);
	$$->loc = LOC(@1);
	$$->name = $1.str;
	$$->result = $5;
	$$->errno_name = $6.str;
	$$->errno_loc = LOC(@6);
	$$->note = $7.text;
}
| WORD '(' expr_list ')' '=' expr opt_errno note {
	$$ = NEW(struct ast_syscall);
	$$->loc = LOC(@1);
	$$->name = $1.str;
	$$->args = $3.head;
	$$->result = $6;
	$$->errno_name = $7.str;
	$$->errno_loc = LOC(@7);
	$$->note = $8.text;
}
;

opt_errno
: %empty	{ memset(&$$, 0, sizeof($$)); }
| WORD		{ $$ = $1; }
;

note
: %empty			{ $$.text = NULL; }
| '(' note_words ')'	{ $$ = $2; }
;

note_words
: any_word		{ $$.text = $1.str; }
| note_words any_word	{ $$.text = arena_printf(ctx->arena, "%s %s", $1.text, $2.str); }
;

any_word
: name
| INTEGER
| '|'	{ memset(&$$, 0, sizeof($$)); $$.str = "|"; }
| ','	{ memset(&$$, 0, sizeof($$)); $$.str = ","; }
| '.'	{ memset(&$$, 0, sizeof($$)); $$.str = "."; }
| '-'	{ memset(&$$, 0, sizeof($$)); $$.str = "-"; }
| ':'	{ memset(&$$, 0, sizeof($$)); $$.str = ":"; }
| '='	{ memset(&$$, 0, sizeof($$)); $$.str = "="; }
;

expr_list
: expr			{ $$ = elist_one(ctx, $1); }
| expr_list ',' expr	{ $$ = elist_add(ctx, $1, $3); }
;

expr
: primary		{ $$ = $1; }
| expr '|' expr	{
	$$ = new_expr(ctx, EXPR_BINARY, &@$);
	$$->u.binary.op = '|';
	$$->u.binary.lhs = $1;
	$$->u.binary.rhs = $3;
}
| lhs '=' expr	{
	$$ = new_expr(ctx, EXPR_ASSIGN, &@$);
	$$->u.binary.op = '=';
	$$->u.binary.lhs = $1;
	$$->u.binary.rhs = $3;
}
;

lhs
: name %prec NAME_ALONE {
	$$ = new_expr(ctx, EXPR_WORD, &@1);
	$$->u.word.name = $1.str;
	$$->u.word.defined_as = $1.def;
}
| name '(' ')' {
	$$ = new_expr(ctx, EXPR_CALL, &@$);
	$$->u.call.name = $1.str;
}
| name '(' expr_list ')' {
	$$ = new_expr(ctx, EXPR_CALL, &@$);
	$$->u.call.name = $1.str;
	$$->u.call.args = $3.head;
}
;

primary
: ELLIPSIS		{ $$ = new_expr(ctx, EXPR_ELLIPSIS, &@1); }
| INTEGER		{ $$ = int_expr(ctx, &$1, &@1); }
| lhs			{ $$ = $1; }
| STRING {
	$$ = new_expr(ctx, EXPR_STRING, &@1);
	$$->u.string.bytes = $1.str;
	$$->u.string.len = $1.len;
	$$->u.string.defined_as = $1.def;
}
| STRING ELLIPSIS {
	$$ = new_expr(ctx, EXPR_STRING, &@$);
	$$->u.string.bytes = $1.str;
	$$->u.string.len = $1.len;
	$$->u.string.defined_as = $1.def;
	$$->u.string.ellipsis = true;
}
| '[' ']'		{ $$ = new_expr(ctx, EXPR_ARRAY, &@$); }
| '[' expr_list ']'	{ $$ = new_expr(ctx, EXPR_ARRAY, &@$); $$->u.list = $2.head; }
| '{' '}'		{ $$ = new_expr(ctx, EXPR_STRUCT, &@$); }
| '{' expr_list '}'	{ $$ = new_expr(ctx, EXPR_STRUCT, &@$); $$->u.list = $2.head; }
| '{' mpls_entries '}'	{ $$ = new_expr(ctx, EXPR_MPLS, &@$); $$->u.mpls = $2.head; }
| '{' gre_fields '}'	{ $$ = new_expr(ctx, EXPR_GRE, &@$); $$->u.gre = $2; }
| '{' psp_fields '}'	{ $$ = new_expr(ctx, EXPR_PSP, &@$); $$->u.psp = $2; }
;

/* Names in expressions and notes: plain words, and the keywords of the
 * packet syntax, which are ordinary names there. */
name
: WORD | ACK | WIN | URG | MSS | WSCALE | SACKOK | SACK | TS | VAL | ECR
| NOP | EOL | MD5 | FO | FOEXP | ACCECN0 | ACCECN1 | ECN | E0B | CEB | E1B
| TOS | FLOWLABEL | TTL
| ECT0 | ECT1 | ECT01 | NOECN | CE | IPV4 | IPV6 | ICMP | UDP | GRE | RAW
| SUM | OFF | KEY | SEQ | NONE | CHECKSUM | PRESENT | MPLS | LABEL
| TC | MTU | ID | FLAGS | PSP | SPI | VC | ENCAP
;

%%

static bool starts_event(int token)
{
	return token == INTEGER || token == FLOAT || token == '+' ||
	       token == '*' || token == COMMAND || token == CODE ||
	       token == OPTION;
}

/* The parser's view of the scanner: adds the SYNC token that ends error
 * recovery at the next line that starts like an event. */
static int ndyylex(NDYYSTYPE *lval, NDYYLTYPE *lloc, struct parse_ctx *ctx)
{
	if (ctx->one_event && !ctx->start_sent) {
		ctx->start_sent = true;
		memset(&lval->tok, 0, sizeof(lval->tok));
		lloc->first_line = lloc->last_line = ctx->line;
		lloc->first_column = lloc->last_column = ctx->column;
		return START_EVENT;
	}
	if (ctx->replay) {
		ctx->replay = false;
		lval->tok = ctx->saved_val;
		lloc->first_line = ctx->saved_loc.line;
		lloc->first_column = ctx->saved_loc.column;
		lloc->last_line = ctx->saved_loc.last_line;
		lloc->last_column = ctx->saved_loc.last_column;
		return ctx->saved_token;
	}
	if (ctx->resync && ctx->have_saved &&
	    ctx->token_first_on_line && starts_event(ctx->saved_token)) {
		/* The token that showed the error starts a new event:
		 * resume there. */
		ctx->resync = false;
		ctx->have_saved = false;
		ctx->replay = true;
		return SYNC;
	}
	for (;;) {
		int t = ndlex_lex(lval, lloc, ctx->scanner);
		if (t == 0) {
			ctx->have_saved = false;
			ctx->at_eof = true;
			return 0;
		}
		bool first = lloc->first_line != ctx->last_token_line;
		ctx->last_token_line = lloc->last_line;
		if (ctx->resync) {
			ctx->have_saved = false;
			if (!first || !starts_event(t))
				continue;
			ctx->resync = false;
			ctx->replay = true;
			ctx->token_first_on_line = first;
			ctx->saved_token = t;
			ctx->saved_val = lval->tok;
			ctx->saved_loc = mkloc(ctx, lloc);
			return SYNC;
		}
		ctx->token_first_on_line = first;
		ctx->prev_token = ctx->have_saved ? ctx->saved_token : 0;
		ctx->prev_loc = ctx->saved_loc;
		ctx->have_saved = true;
		ctx->saved_token = t;
		ctx->saved_val = lval->tok;
		ctx->saved_loc = mkloc(ctx, lloc);
		return t;
	}
}

static void ndyyerror(NDYYLTYPE *lloc, struct parse_ctx *ctx, const char *msg)
{
	ctx->resync = true;
	if (ctx->depth_error || (ctx->at_eof && ctx->eof_reported))
		return;		/* already reported by the scanner */
	/* A system call whose line ends without "= result": say so after
	 * the call, not at the start of the next line. */
	/* (at the end of the file the last token read is the one before) */
	int before = ctx->at_eof ? ctx->saved_token : ctx->prev_token;
	const struct ast_loc *bl = ctx->at_eof ? &ctx->saved_loc :
				   &ctx->prev_loc;
	if (before == ')' && strstr(msg, "expecting '='") &&
	    (ctx->at_eof || lloc->first_line > bl->last_line)) {
		NDYYLTYPE after = {
			bl->last_line, bl->last_column,
			bl->last_line, bl->last_column,
		};

		perror_at(ctx, &after, "missing '= RESULT' after the system "
			  "call (e.g. '= 0', '= -1 EAGAIN (...)')");
		return;
	}
	perror_at(ctx, lloc, "%s", msg);
}

void parse_run(struct parse_ctx *ctx)
{
	ctx->options_tail = &ctx->script->options;
	ctx->script_defines_tail = &ctx->script_defines;
	ctx->event_mark = arena_mark(ctx->arena);
	if (lexer_create(ctx, ctx->script->text, ctx->script->len, 1, 1) != 0) {
		diag_error(ctx->diag, NULL, "cannot create the scanner");
		return;
	}
	ndyyparse(ctx);
	lexer_destroy(ctx);
	if (ctx->script->nevents == 0 && ctx->diag->nerrors == 0) {
		struct ast_loc loc = { ctx->script->name, ctx->line,
				       ctx->column, ctx->line, ctx->column };
		diag_error(ctx->diag, &loc, "script has no events");
	}
}

struct ast_event *parse_event(const struct script *script, int i,
			      struct diag *diag)
{
	const struct script_impl *impl = (const struct script_impl *)script;
	const struct ast_event_span *sp = &script->events[i];
	struct arena arena = { .chunk_size = 4000 };
	struct parse_ctx ctx = {
		.script = (struct script *)script,
		.arena = &arena,
		.diag = diag,
		.defines = impl->defines,
		.script_defines = impl->script_defines,
		.one_event = true,
	};
	struct event_impl *ev;
	int nerrors = diag->nerrors;
	int column = (int)(sp->start - script->line_starts[sp->line - 1]) + 1;

	ctx.script_defines_tail = &ctx.script_defines;
	if (lexer_create(&ctx, script->text + sp->start, sp->end - sp->start,
			 sp->line, column) != 0)
		return NULL;
	ndyyparse(&ctx);
	lexer_destroy(&ctx);
	if (diag->nerrors != nerrors || ctx.event == NULL) {
		arena_free(&arena);
		return NULL;
	}
	ev = malloc(sizeof(*ev));
	if (ev == NULL) {
		arena_free(&arena);
		return NULL;
	}
	ev->pub = *ctx.event;
	ev->arena = arena;
	return &ev->pub;
}

void ast_event_free(const struct ast_event *ev)
{
	struct event_impl *impl = (struct event_impl *)ev;

	if (impl == NULL)
		return;
	arena_free(&impl->arena);
	free(impl);
}
