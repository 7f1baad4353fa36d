/* SPDX-License-Identifier: GPL-2.0-only */
/* check.c: semantic checks on a parsed script, run once parsing found no
 * syntax errors: times, wildcards only where packetdrill allows them,
 * value ranges, TCP option sizes, known system calls and symbols, ICMP
 * names (resolved to numbers here for the wire family in effect). The
 * wording follows packetdrill's parser where it has a message. */
#include "parse_priv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbols.h"

/* Linux's limit on TCP option space, and packetdrill's cookie limits. */
#define TCP_OPTIONS_MAX_BYTES 40
#define TCP_FO_COOKIE_MAX_BYTES (TCP_OPTIONS_MAX_BYTES - 2)
#define TCP_FOEXP_COOKIE_MAX_BYTES (TCP_OPTIONS_MAX_BYTES - 4)
#define TCP_MD5_DIGEST_BYTES 16

struct checker {
	struct diag *diag;
	int family;			/* AF_INET or AF_INET6 on the wire */
};

#define ERR(loc, ...) diag_error(ck->diag, (loc), __VA_ARGS__)

static bool fits_unsigned(int64_t v, int bits)
{
	return v >= 0 && (bits >= 63 || v < ((int64_t)1 << bits));
}

static void check_range(struct checker *ck, const struct ast_loc *loc,
			int64_t v, int bits, const char *what)
{
	if (!fits_unsigned(v, bits))
		ERR(loc, "%s out of range", what);
}

/* Render microseconds as seconds for messages. */
static const char *secs(char *buf, size_t size, int64_t usecs)
{
	snprintf(buf, size, "%" PRId64 ".%06" PRId64, usecs / 1000000,
		 usecs % 1000000);
	return buf;
}

/* A word that looks like a -D name the user forgot to define. */
static const char *define_hint(const char *word)
{
	bool upper = false;
	for (const char *p = word; *p; p++) {
		if (islower((unsigned char)*p))
			return "";
		if (isupper((unsigned char)*p))
			upper = true;
	}
	return upper ? " (not defined with -D?)" : "";
}

/* ---- expressions ---- */

static void check_expr(struct checker *ck, const struct ast_expr *e);

static void check_list(struct checker *ck, const struct ast_expr_list *l)
{
	for (; l; l = l->next)
		check_expr(ck, l->expr);
}

static bool known_function(const char *name)
{
	static const char *const names[] = {
		"htons", "htonl", "inet_addr", "inet6_addr", "msg_name",
		"msg_iov", "msg_control",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static void check_call(struct checker *ck, const struct ast_expr *e)
{
	const struct ast_call *c = &e->u.call;
	if (!known_function(c->name)) {
		ERR(&e->loc, "unknown function: %s", c->name);
		return;
	}
	/* inet_addr("...") takes an IPv6 address too inside an AF_INET6
	 * sockaddr, as in packetdrill's sockaddr syntax. */
	bool v4 = strcmp(c->name, "inet_addr") == 0;
	bool v6 = strcmp(c->name, "inet6_addr") == 0;
	if (v4 || v6) {
		const struct ast_expr *a = c->args ? c->args->expr : NULL;
		if (a == NULL || c->args->next || a->kind != EXPR_STRING) {
			ERR(&e->loc, "%s takes one string argument", c->name);
			return;
		}
		unsigned char buf[16];
		if ((v6 || inet_pton(AF_INET, a->u.string.bytes, buf) != 1) &&
		    inet_pton(AF_INET6, a->u.string.bytes, buf) != 1)
			ERR(&a->loc, "invalid %s address: %s", v4 ? "IP" : "IPv6",
			    a->u.string.bytes);
		return;
	}
	check_list(ck, c->args);
}

static void check_expr(struct checker *ck, const struct ast_expr *e)
{
	int64_t v;
	switch (e->kind) {
	case EXPR_ELLIPSIS:
	case EXPR_INTEGER:
	case EXPR_STRING:
		break;
	case EXPR_WORD:
		if (!symbol_lookup(e->u.word.name, &v))
			ERR(&e->loc, "unknown symbol: %s%s", e->u.word.name,
			    e->u.word.defined_as ? "" :
			    define_hint(e->u.word.name));
		break;
	case EXPR_BINARY:
		check_expr(ck, e->u.binary.lhs);
		check_expr(ck, e->u.binary.rhs);
		break;
	case EXPR_ASSIGN:
		/* the left side names a field; only its arguments are values */
		if (e->u.binary.lhs->kind == EXPR_CALL)
			check_list(ck, e->u.binary.lhs->u.call.args);
		check_expr(ck, e->u.binary.rhs);
		break;
	case EXPR_ARRAY:
	case EXPR_STRUCT:
		check_list(ck, e->u.list);
		break;
	case EXPR_CALL:
		check_call(ck, e);
		break;
	case EXPR_MPLS:
	case EXPR_GRE:
	case EXPR_PSP:
		break;
	}
}

static void check_syscall(struct checker *ck, const struct ast_syscall *s)
{
	if (!syscall_known(s->name))
		ERR(&s->loc, "unknown system call: %s", s->name);
	check_list(ck, s->args);
	check_expr(ck, s->result);
	if (s->errno_name) {
		int64_t v;
		if (s->errno_name[0] != 'E' || !symbol_lookup(s->errno_name, &v))
			ERR(&s->errno_loc, "unknown errno symbol: %s",
			    s->errno_name);
	}
}

/* ---- packets ---- */

static void check_ip_info(struct checker *ck, const struct ast_ip_info *ip)
{
	const struct ast_loc *loc = &ip->loc;
	if (ip->has_tos && !fits_unsigned(ip->tos, 8))
		ERR(loc, "tos out of range for 8 bits");
	if (ip->has_flowlabel && !fits_unsigned(ip->flowlabel, 20))
		ERR(loc, "flowlabel out of range for 20 bits");
	if (ip->has_ttl && !fits_unsigned(ip->ttl, 8))
		ERR(loc, "ttl out of range for 8 bits");
}

static void check_mpls(struct checker *ck, const struct ast_mpls_entry *m)
{
	for (; m; m = m->next) {
		if (!fits_unsigned(m->label, 20))
			ERR(&m->loc, "MPLS label out of range for 20 bits");
		if (!fits_unsigned(m->tc, 3))
			ERR(&m->loc, "MPLS traffic class out of range for 3 bits");
		if (!fits_unsigned(m->ttl, 8))
			ERR(&m->loc, "MPLS ttl out of range for 8 bits");
	}
}

static void check_gre(struct checker *ck, const struct ast_loc *loc,
		      const struct ast_gre *g)
{
	if (!g->has_fields)
		return;
	check_range(ck, loc, g->flags, 16, "GRE flags");
	check_range(ck, loc, g->sum, 16, "GRE checksum");
	check_range(ck, loc, g->off, 16, "GRE offset");
	check_range(ck, loc, g->key, 32, "GRE key");
	check_range(ck, loc, g->seq, 32, "GRE sequence number");
}

static void check_encap(struct checker *ck, const struct ast_encap *en)
{
	unsigned char buf[16];
	switch (en->kind) {
	case ENCAP_IPV4:
	case ENCAP_IPV6: {
		int af = en->kind == ENCAP_IPV4 ? AF_INET : AF_INET6;
		const char *name = af == AF_INET ? "IPv4" : "IPv6";
		if (inet_pton(af, en->src, buf) != 1)
			ERR(&en->src_loc, "invalid %s address: %s", name, en->src);
		if (inet_pton(af, en->dst, buf) != 1)
			ERR(&en->dst_loc, "invalid %s address: %s", name, en->dst);
		check_ip_info(ck, &en->ip);
		break;
	}
	case ENCAP_GRE:
		check_gre(ck, &en->loc, &en->gre);
		break;
	case ENCAP_MPLS:
		check_mpls(ck, en->mpls);
		break;
	case ENCAP_PSP:
	case ENCAP_PSP_TRANSPORT:
		check_range(ck, &en->loc, en->psp.spi, 32, "PSP spi");
		break;
	}
}

static void check_hex_option(struct checker *ck, const struct ast_tcp_option *o)
{
	bool fo = o->kind != TCPOPT_AST_MD5;
	if (o->hex == NULL)
		return;		/* FO without a cookie */
	const char *hint = o->defined_as ? "" : define_hint(o->hex);
	size_t digits = strlen(o->hex);
	if (fo && digits % 2) {
		ERR(&o->loc, "TCP fast open cookie has an odd number of digits");
		return;
	}
	if (o->bytes == NULL) {
		if (fo)
			ERR(&o->loc, "TCP fast open cookie '%s' is not a valid "
			    "hex string%s", o->hex, hint);
		else
			ERR(&o->loc, "TCP MD5 digest is not a valid hex string%s",
			    hint);
		return;
	}
	int max = o->kind == TCPOPT_AST_FO ? TCP_FO_COOKIE_MAX_BYTES :
		TCP_FOEXP_COOKIE_MAX_BYTES;
	if (fo && o->nbytes > (size_t)max)
		ERR(&o->loc, "TCP fast open cookie of %zu bytes exceeds maximum "
		    "cookie length of %d bytes", o->nbytes, max);
	if (!fo && o->nbytes > TCP_MD5_DIGEST_BYTES)
		ERR(&o->loc, "TCP MD5 digest longer than 16 bytes");
}

/* Bytes an option takes on the wire. */
static size_t tcp_option_size(const struct ast_tcp_option *o)
{
	size_t n = 0;
	switch (o->kind) {
	case TCPOPT_AST_NOP:
	case TCPOPT_AST_EOL: return 1;
	case TCPOPT_AST_MSS: return 4;
	case TCPOPT_AST_WSCALE: return 3;
	case TCPOPT_AST_SACKOK: return 2;
	case TCPOPT_AST_SACK:
		for (const struct ast_sack_block *b = o->sack; b; b = b->next)
			n++;
		return 2 + 8 * n;
	case TCPOPT_AST_TS: return 10;
	case TCPOPT_AST_MD5:
	case TCPOPT_AST_FO: return 2 + o->nbytes;
	case TCPOPT_AST_FOEXP: return 4 + o->nbytes;
	case TCPOPT_AST_ACCECN0:
	case TCPOPT_AST_ACCECN1: return 2 + 3 * (size_t)o->naccecn;
	case TCPOPT_AST_RAW: return o->raw_len >= 0 ? (size_t)o->raw_len :
		2 + o->nbytes;
	}
	return 0;
}

static void check_tcp_options(struct checker *ck, const struct ast_tcp *t)
{
	size_t total = 0;
	for (const struct ast_tcp_option *o = t->options; o; o = o->next) {
		switch (o->kind) {
		case TCPOPT_AST_MSS:
			check_range(ck, &o->loc, o->value, 16, "mss value");
			break;
		case TCPOPT_AST_WSCALE:
			if (!o->wildcard)
				check_range(ck, &o->loc, o->value, 8,
					    "window scale shift count");
			break;
		case TCPOPT_AST_SACK:
			for (const struct ast_sack_block *b = o->sack; b; b = b->next) {
				check_range(ck, &o->loc, b->left, 32,
					    "TCP SACK left sequence number");
				check_range(ck, &o->loc, b->right, 32,
					    "TCP SACK right sequence number");
			}
			break;
		case TCPOPT_AST_TS:
			check_range(ck, &o->loc, o->ts_val, 32, "ts val");
			check_range(ck, &o->loc, o->ts_ecr, 32, "ecr val");
			break;
		case TCPOPT_AST_MD5:
		case TCPOPT_AST_FO:
		case TCPOPT_AST_FOEXP:
			check_hex_option(ck, o);
			break;
		case TCPOPT_AST_ACCECN0:
		case TCPOPT_AST_ACCECN1:
			for (int i = 0; i < o->naccecn; i++)
				check_range(ck, &o->loc, o->accecn[i], 24,
					    "AccECN counter");
			break;
		default:
			break;
		}
		total += tcp_option_size(o);
	}
	if (total > TCP_OPTIONS_MAX_BYTES && t->options)
		ERR(&t->options->loc, "TCP option list too long: %zu bytes, "
		    "more than %d", total, TCP_OPTIONS_MAX_BYTES);
}

static void check_tcp(struct checker *ck, const struct ast_packet *p)
{
	const struct ast_tcp *t = &p->tcp;
	const struct ast_loc *loc = &t->seq_loc;
	bool ecn = false, ace = false;
	for (const char *f = t->flags; *f; f++) {
		if (!strchr("FSRP.EWUA01234567", *f)) {
			ERR(&t->flags_loc, "unknown TCP flag '%c' in '%s'", *f,
			    t->flags);
			break;
		}
		/* as packetdrill: one ACE digit, never with E, W or A */
		bool digit = *f >= '0' && *f <= '7';
		if ((digit && (ecn || ace)) || (strchr("EWA", *f) && ace)) {
			ERR(&t->flags_loc, "Conflicting TCP flag: '%c' in '%s' "
			    "(one ACE digit 0-7, in place of E, W and A)", *f,
			    t->flags);
			break;
		}
		ecn = ecn || strchr("EWA", *f);
		ace = ace || digit;
	}
	check_range(ck, loc, t->start_seq, 32, "TCP start sequence number");
	check_range(ck, loc, t->end_seq, 32, "TCP end sequence number");
	check_range(ck, loc, t->payload_len, 16, "TCP payload size");
	if (fits_unsigned(t->start_seq, 32) && fits_unsigned(t->payload_len, 16) &&
	    t->end_seq != t->start_seq + t->payload_len)
		ERR(loc, "inconsistent TCP sequence numbers and payload size");
	if (t->has_ack)
		check_range(ck, &t->ack_loc, t->ack, 32, "TCP ack sequence number");
	if (t->has_win)
		check_range(ck, &t->win_loc, t->win, 16, "TCP window value");
	if (t->has_urg)
		check_range(ck, &t->urg_loc, t->urg, 16, "urg_ptr value");
	if (t->options_any && p->direction != DIR_OUTBOUND)
		ERR(&p->loc, "<...> for TCP options can only be used with "
		    "outbound packets");
	check_tcp_options(ck, t);
}

static void check_icmp(struct checker *ck, struct ast_packet *p)
{
	struct ast_icmp *ic = &p->icmp;
	const struct ast_loc *loc = &p->loc;
	int type, code;
	int rc = icmp_lookup(ck->family, ic->type_name, ic->code_name, &type,
			     &code);
	int other = ck->family == AF_INET6 ? AF_INET : AF_INET6;
	if (rc < 0 && icmp_lookup(other, ic->type_name, ic->code_name, &type,
				  &code) == 0) {
		/* A name of the other ICMP family: the script may be meant
		 * for it (suite mode runs one script in several versions),
		 * so this is not an error here; the packet builder resolves
		 * the names for the wire family of the run and fails there
		 * with this line's number. */
		char msg[256];
		snprintf(msg, sizeof(msg), "ICMP %s %s is not an %s name; "
			 "a run over %s fails at this packet",
			 rc == -1 ? "type" : "code",
			 rc == -1 ? ic->type_name : ic->code_name,
			 ck->family == AF_INET6 ? "ICMPv6" : "ICMPv4",
			 ck->family == AF_INET6 ? "IPv6" : "IPv4");
		if (ck->diag->out)
			diag_print(ck->diag->out, ck->diag->script,
				   rc == -1 ? &ic->type_loc : &ic->code_loc,
				   "warning", msg);
		ic->type = -1;
		ic->code = -1;
		return;
	}
	if (rc == -1) {
		ERR(&ic->type_loc, "bad ICMP type %s%s", ic->type_name,
		    ic->type_defined_as ? "" : define_hint(ic->type_name));
		return;
	}
	if (rc == -2) {
		ERR(&ic->code_loc, "bad ICMP code %s%s", ic->code_name,
		    ic->code_defined_as ? "" : define_hint(ic->code_name));
		return;
	}
	ic->type = type;
	ic->code = code;
	loc = &ic->mtu_loc;
	if (ic->has_mtu) {
		if (ck->family == AF_INET6) {
			if (type != 2 || code != 0)
				ERR(loc, "ICMPv6 MTU is only valid for packet_too_big-0");
			else
				check_range(ck, loc, ic->mtu, 32, "ICMPv6 MTU");
		} else {
			if (type != 3 || code != 4)
				ERR(loc, "ICMPv4 MTU is only valid for "
				    "unreachable-frag_needed");
			else
				check_range(ck, loc, ic->mtu, 16, "ICMPv4 MTU");
		}
	}
	if (ic->has_id && !fits_unsigned(ic->id, 16))
		ERR(&ic->id_loc, "invalid echo_id, must be between 0 and 65535");
	loc = &ic->echoed_loc;
	if (ic->echoed == ICMP_ECHOED_TCP) {
		check_range(ck, loc, ic->echoed_start_seq, 32,
			    "TCP start sequence number");
		check_range(ck, loc, ic->echoed_end_seq, 32,
			    "TCP end sequence number");
		if (fits_unsigned(ic->echoed_start_seq, 32) &&
		    fits_unsigned(ic->echoed_len, 16) &&
		    ic->echoed_end_seq != ic->echoed_start_seq + ic->echoed_len)
			ERR(loc, "inconsistent TCP sequence numbers and payload "
			    "size");
	}
	if (ic->echoed != ICMP_ECHOED_NONE)
		check_range(ck, loc, ic->echoed_len, 16, "echoed payload size");
}

static void check_packet(struct checker *ck, struct ast_packet *p)
{
	for (const struct ast_encap *en = p->encaps; en; en = en->next)
		check_encap(ck, en);
	check_ip_info(ck, &p->ip);
	if (p->ip.ecn == AST_ECN_ECT01 && p->direction != DIR_OUTBOUND)
		ERR(&p->ip.loc, "[ect01] can only be used with outbound packets");
	if (p->has_ports) {
		check_range(ck, &p->src_port_loc, p->src_port, 16, "src port");
		check_range(ck, &p->dst_port_loc, p->dst_port, 16, "dst port");
	}
	switch (p->proto) {
	case PKT_TCP:
		check_tcp(ck, p);
		break;
	case PKT_UDP:
		if (p->ip.ecn)
			ERR(&p->ip.loc, "ECN can only be used with TCP packets");
		check_range(ck, &p->udp.len_loc, p->udp.payload_len, 16,
			    "UDP payload size");
		break;
	case PKT_ICMP:
		check_icmp(ck, p);
		break;
	}
}

/* ---- events and times ---- */

static void check_event_time(struct checker *ck, const struct ast_event *ev,
			     int64_t *now, bool first)
{
	const struct ast_time *t = &ev->time;
	char a[32], b[32];
	bool outbound = ev->kind == EVENT_PACKET &&
		ev->u.packet->direction == DIR_OUTBOUND;
	int64_t start = *now;

	switch (t->kind) {
	case TIME_ABSOLUTE:
	case TIME_ABSOLUTE_RANGE:
		start = t->usecs;
		if (!first && start < *now)
			ERR(&t->loc, "time goes backward in script: %s is before "
			    "the previous event's %s", secs(a, sizeof(a), start),
			    secs(b, sizeof(b), *now));
		break;
	case TIME_RELATIVE:
	case TIME_RELATIVE_RANGE:
		if (__builtin_add_overflow(*now, t->usecs, &start)) {
			ERR(&t->loc, "time out of range");
			start = *now;
		}
		break;
	case TIME_ANY:
	case TIME_NONE:
		break;
	}
	if (t->kind == TIME_ANY && !outbound)
		ERR(&t->loc, "event time <star> can only be used with outbound "
		    "packets");
	if ((t->kind == TIME_ABSOLUTE_RANGE || t->kind == TIME_RELATIVE_RANGE) &&
	    !outbound)
		ERR(&t->loc, "event time range can only be used with outbound "
		    "packets");
	if ((t->kind == TIME_ABSOLUTE_RANGE || t->kind == TIME_RELATIVE_RANGE) &&
	    t->end_usecs < t->usecs)
		ERR(&t->loc, "time range is backwards");
	if (t->has_block_end) {
		int64_t end = t->block_end_usecs;
		if (t->kind == TIME_RELATIVE &&
		    __builtin_add_overflow(*now, t->block_end_usecs, &end))
			end = INT64_MAX;
		if (t->kind != TIME_ABSOLUTE && t->kind != TIME_RELATIVE)
			ERR(&t->loc, "a blocking system call needs a plain "
			    "start time");
		else if (end < start)
			ERR(&t->loc, "blocking system call ends (%s) before it "
			    "starts (%s)", secs(a, sizeof(a), end),
			    secs(b, sizeof(b), start));
	}
	*now = start;
}

/* The wire family: the config's, or a script's --ip_version line when
 * the config is at its IPv4 default (the command line wins otherwise). */
static int wire_family(const struct script *script, const struct config *config)
{
	if (config && config->ip_version == IP_VERSION_6)
		return AF_INET6;
	if (config && config->ip_version == IP_VERSION_4_MAPPED_6)
		return AF_INET;
	int family = AF_INET;
	for (const struct ast_option *o = script->options; o; o = o->next)
		if (strcmp(o->name, "ip_version") == 0 && o->value)
			family = strcmp(o->value, "ipv6") == 0 ? AF_INET6 : AF_INET;
	return family;
}

static void check_model(struct checker *ck, struct ast_event *ev)
{
	switch (ev->kind) {
	case EVENT_PACKET:
		check_packet(ck, ev->u.packet);
		break;
	case EVENT_SYSCALL:
		check_syscall(ck, ev->u.syscall);
		break;
	case EVENT_COMMAND:
	case EVENT_CODE:
		break;
	}
}

void check_event_model(struct ast_event *ev, int family, struct diag *diag)
{
	struct checker checker = { .diag = diag, .family = family };

	check_model(&checker, ev);
}

/* The checks run on each event as the parser records it (its nodes are
 * let go right after). Their messages wait in a buffer: they are
 * printed, in event order, only when the whole script parsed without
 * errors, as when checking was a pass after the parse. */
struct script_checker {
	struct checker ck;
	struct diag diag;
	const struct config *config;
	FILE *err;
	char *buf;
	size_t len;
	int64_t now;
	bool started;
};

struct script_checker *script_checker_new(struct script *script,
					  const struct config *config,
					  FILE *err)
{
	struct script_checker *sc = calloc(1, sizeof(*sc));

	if (sc == NULL) {
		fprintf(stderr, "netdrill: out of memory\n");
		abort();
	}
	sc->diag.script = script;
	sc->config = config;
	sc->err = err;
	if (err)
		sc->diag.out = open_memstream(&sc->buf, &sc->len);
	if (err && sc->diag.out == NULL)
		sc->diag.out = err;	/* no buffer: print at once */
	sc->ck.diag = &sc->diag;
	return sc;
}

void script_checker_event(struct script_checker *sc, struct ast_event *ev)
{
	struct script *script = (struct script *)sc->diag.script;

	if (!sc->started) {
		/* option lines all come before the first event */
		sc->ck.family = wire_family(script, sc->config);
		((struct script_impl *)script)->family = sc->ck.family;
	}
	check_event_time(&sc->ck, ev, &sc->now, !sc->started);
	sc->started = true;
	check_model(&sc->ck, ev);
}

void script_checker_finish(struct script_checker *sc, struct diag *diag)
{
	if (sc->diag.out && sc->diag.out != sc->err)
		fclose(sc->diag.out);
	if (diag->nerrors == 0) {
		if (sc->err && sc->len)
			fwrite(sc->buf, 1, sc->len, sc->err);
		diag->nerrors = sc->diag.nerrors;
		if (sc->diag.nerrors) {
			diag->first_loc = sc->diag.first_loc;
			memcpy(diag->first, sc->diag.first, sizeof(diag->first));
		}
	}
	free(sc->buf);
	free(sc);
}
