/* SPDX-License-Identifier: GPL-2.0-only */
/* dump.c: print a script model back as canonical packetdrill syntax
 * (--dump). One option, command or event per line, single spaces, times
 * in seconds with up to 6 decimals, TCP options as "<a,b,c>". Words that
 * came from a -D definition are printed as the name written, so the
 * output parses to the same model under the same definitions. */
#include "script.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"

static void dump_secs(FILE *out, int64_t usecs)
{
	if (usecs < 0) {
		fputc('-', out);
		usecs = -usecs;
	}
	int64_t secs = usecs / 1000000, frac = usecs % 1000000;
	fprintf(out, "%" PRId64, secs);
	if (frac) {
		char buf[8];
		snprintf(buf, sizeof(buf), "%06" PRId64, frac);
		for (int i = 5; i > 0 && buf[i] == '0'; i--)
			buf[i] = '\0';
		fprintf(out, ".%s", buf);
	}
}

static void dump_time(FILE *out, const struct ast_time *t)
{
	switch (t->kind) {
	case TIME_ABSOLUTE:
		dump_secs(out, t->usecs);
		break;
	case TIME_RELATIVE:
		fputc('+', out);
		dump_secs(out, t->usecs);
		break;
	case TIME_ANY:
		fputc('*', out);
		break;
	case TIME_ABSOLUTE_RANGE:
		dump_secs(out, t->usecs);
		fputc('~', out);
		dump_secs(out, t->end_usecs);
		break;
	case TIME_RELATIVE_RANGE:
		fputc('+', out);
		dump_secs(out, t->usecs);
		fputs("~+", out);
		dump_secs(out, t->end_usecs);
		break;
	case TIME_NONE:
		break;
	}
	if (t->has_block_end) {
		fputs("...", out);
		dump_secs(out, t->block_end_usecs);
	}
}

static void dump_string(FILE *out, const char *s, size_t len)
{
	fputc('"', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		default:
			if (isprint(c))
				fputc(c, out);
			else
				fprintf(out, "\\x%02x", c);
		}
	}
	fputc('"', out);
}

static void dump_expr(FILE *out, const struct ast_expr *e);

static void dump_list(FILE *out, const struct ast_expr_list *l)
{
	for (; l; l = l->next) {
		dump_expr(out, l->expr);
		if (l->next)
			fputs(", ", out);
	}
}

static void dump_mpls(FILE *out, const struct ast_mpls_entry *m)
{
	for (; m; m = m->next) {
		fprintf(out, "(label %" PRId64 ", tc %" PRId64 ", %sttl %" PRId64 ")",
			m->label, m->tc, m->bottom ? "[S], " : "", m->ttl);
		if (m->next)
			fputc(' ', out);
	}
}

static void dump_gre(FILE *out, const struct ast_gre *g)
{
	fputs("flags ", out);
	if (g->flags_as_list) {
		const char *sep = "";
		fputc('[', out);
		if (g->flags & AST_GRE_FLAG_C) {
			fputs("checksum present", out);
			sep = ", ";
		}
		if (g->flags & AST_GRE_FLAG_K) {
			fprintf(out, "%skey present", sep);
			sep = ", ";
		}
		if (g->flags & AST_GRE_FLAG_S) {
			fprintf(out, "%ssequence# present", sep);
			sep = ", ";
		}
		if (!*sep)
			fputs("none", out);
		fputc(']', out);
	} else {
		fprintf(out, "%#" PRIx64, (uint64_t)g->flags);
	}
	fprintf(out, ", sum %" PRId64 ", off %" PRId64 ", key %#" PRIx64
		", seq %" PRId64, g->sum, g->off, (uint64_t)g->key, g->seq);
}

static void dump_psp(FILE *out, const struct ast_psp *p)
{
	if (p->spi_hex)
		fprintf(out, "spi %#" PRIx64, (uint64_t)p->spi);
	else
		fprintf(out, "spi %" PRId64, p->spi);
	if (p->has_vc) {
		if (p->vc_hex)
			fprintf(out, ", vc %#" PRIx64, (uint64_t)p->vc);
		else
			fprintf(out, ", vc %" PRIu64, (uint64_t)p->vc);
	}
}

static void dump_integer(FILE *out, const struct ast_integer *i)
{
	if (i->defined_as)
		fputs(i->defined_as, out);
	else if (i->hex)
		fprintf(out, "0x%" PRIx64, (uint64_t)i->value);
	else if (i->big)
		fprintf(out, "%" PRIu64, (uint64_t)i->value);
	else
		fprintf(out, "%" PRId64, i->value);
}

static void dump_expr(FILE *out, const struct ast_expr *e)
{
	switch (e->kind) {
	case EXPR_ELLIPSIS:
		fputs("...", out);
		break;
	case EXPR_INTEGER:
		dump_integer(out, &e->u.integer);
		break;
	case EXPR_WORD:
		fputs(e->u.word.defined_as ? e->u.word.defined_as :
		      e->u.word.name, out);
		break;
	case EXPR_STRING:
		if (e->u.string.defined_as)
			fputs(e->u.string.defined_as, out);
		else
			dump_string(out, e->u.string.bytes, e->u.string.len);
		if (e->u.string.ellipsis)
			fputs("...", out);
		break;
	case EXPR_BINARY:
	case EXPR_ASSIGN:
		dump_expr(out, e->u.binary.lhs);
		fputc(e->u.binary.op, out);
		dump_expr(out, e->u.binary.rhs);
		break;
	case EXPR_ARRAY:
		fputc('[', out);
		dump_list(out, e->u.list);
		fputc(']', out);
		break;
	case EXPR_STRUCT:
		fputc('{', out);
		dump_list(out, e->u.list);
		fputc('}', out);
		break;
	case EXPR_CALL:
		fprintf(out, "%s(", e->u.call.name);
		dump_list(out, e->u.call.args);
		fputc(')', out);
		break;
	case EXPR_MPLS:
		fputc('{', out);
		dump_mpls(out, e->u.mpls);
		fputc('}', out);
		break;
	case EXPR_GRE:
		fputc('{', out);
		dump_gre(out, &e->u.gre);
		fputc('}', out);
		break;
	case EXPR_PSP:
		fputc('{', out);
		dump_psp(out, &e->u.psp);
		fputc('}', out);
		break;
	}
}

static void dump_ip_info(FILE *out, const struct ast_ip_info *ip)
{
	if (!ip->given)
		return;
	const char *sep = "";
	fputc(ip->bracket ? '[' : '(', out);
	if (ip->ecn) {
		fputs(ast_ecn_name(ip->ecn), out);
		sep = ", ";
	}
	if (ip->has_tos) {
		fprintf(out, "%stos %#" PRIx64, sep, (uint64_t)ip->tos);
		sep = ", ";
	}
	if (ip->has_flowlabel) {
		fprintf(out, "%sflowlabel %#" PRIx64, sep, (uint64_t)ip->flowlabel);
		sep = ", ";
	}
	if (ip->has_ttl)
		fprintf(out, "%sttl %" PRId64, sep, ip->ttl);
	fputs(ip->bracket ? "] " : ") ", out);
}

static void dump_encap(FILE *out, const struct ast_encap *en)
{
	switch (en->kind) {
	case ENCAP_IPV4:
	case ENCAP_IPV6:
		fputs(en->kind == ENCAP_IPV4 ? "ipv4 " : "ipv6 ", out);
		dump_ip_info(out, &en->ip);
		fprintf(out, "%s > %s: ", en->src, en->dst);
		break;
	case ENCAP_GRE:
		fputs("gre", out);
		if (en->gre.has_fields) {
			fputc(' ', out);
			dump_gre(out, &en->gre);
		}
		fputs(": ", out);
		break;
	case ENCAP_MPLS:
		fputs("mpls ", out);
		dump_mpls(out, en->mpls);
		fputs(": ", out);
		break;
	case ENCAP_PSP:
		fputs("psp ", out);
		dump_psp(out, &en->psp);
		fputs(": ", out);
		break;
	case ENCAP_PSP_TRANSPORT:
		fputs("encap psp ", out);
		dump_psp(out, &en->psp);
		fputc(' ', out);
		break;
	}
}

static void dump_hex_opt(FILE *out, const char *name,
			 const struct ast_tcp_option *o)
{
	fputs(name, out);
	if (o->defined_as)
		fprintf(out, " %s", o->defined_as);
	else if (o->hex)
		fprintf(out, " %s", o->hex);
}

static void dump_tcp_option(FILE *out, const struct ast_tcp_option *o)
{
	switch (o->kind) {
	case TCPOPT_AST_NOP: fputs("nop", out); break;
	case TCPOPT_AST_EOL: fputs("eol", out); break;
	case TCPOPT_AST_MSS: fprintf(out, "mss %" PRId64, o->value); break;
	case TCPOPT_AST_WSCALE:
		if (o->wildcard)
			fputs("wscale *", out);
		else
			fprintf(out, "wscale %" PRId64, o->value);
		break;
	case TCPOPT_AST_SACKOK: fputs("sackOK", out); break;
	case TCPOPT_AST_SACK:
		fputs("sack", out);
		for (const struct ast_sack_block *b = o->sack; b; b = b->next)
			fprintf(out, " %" PRId64 ":%" PRId64, b->left, b->right);
		break;
	case TCPOPT_AST_TS:
		fprintf(out, "TS val %" PRId64 " ecr %" PRId64, o->ts_val,
			o->ts_ecr);
		break;
	case TCPOPT_AST_MD5: dump_hex_opt(out, "md5", o); break;
	case TCPOPT_AST_FO: dump_hex_opt(out, "FO", o); break;
	case TCPOPT_AST_FOEXP: dump_hex_opt(out, "FOEXP", o); break;
	case TCPOPT_AST_ACCECN0:
	case TCPOPT_AST_ACCECN1:
	{
		static const char *const names[2][3] = {
			{ "e0b", "ceb", "e1b" }, { "e1b", "ceb", "e0b" },
		};
		int order = o->kind == TCPOPT_AST_ACCECN1;

		fputs("ECN", out);
		for (int i = 0; i < o->naccecn; i++)
			fprintf(out, " %s %" PRId64, names[order][i],
				o->accecn[i]);
	}
		break;
	case TCPOPT_AST_RAW:
		fprintf(out, "kind %" PRId64, o->raw_kind);
		break;
	}
}

static void dump_packet(FILE *out, const struct ast_packet *p)
{
	fprintf(out, "%s ", ast_direction_name(p->direction));
	for (const struct ast_encap *en = p->encaps; en; en = en->next)
		dump_encap(out, en);
	dump_ip_info(out, &p->ip);
	switch (p->proto) {
	case PKT_TCP: {
		const struct ast_tcp *t = &p->tcp;
		if (p->has_ports)
			fprintf(out, "%" PRId64 " > %" PRId64 " ", p->src_port,
				p->dst_port);
		fprintf(out, "%s %" PRId64 ":%" PRId64 "(%" PRId64 ")",
			t->flags[0] ? t->flags : "-", t->start_seq, t->end_seq,
			t->payload_len);
		if (t->has_ack)
			fprintf(out, " ack %" PRId64, t->ack);
		if (t->has_win)
			fprintf(out, " win %" PRId64, t->win);
		if (t->has_urg)
			fprintf(out, " urg %" PRId64, t->urg);
		if (t->options_any) {
			fputs(" <...>", out);
		} else if (t->options_given) {
			fputs(" <", out);
			for (const struct ast_tcp_option *o = t->options; o;
			     o = o->next) {
				dump_tcp_option(out, o);
				if (o->next)
					fputc(',', out);
			}
			fputc('>', out);
		}
		break;
	}
	case PKT_UDP:
		fputs("udp ", out);
		if (p->has_ports)
			fprintf(out, "%" PRId64 " > %" PRId64 " ", p->src_port,
				p->dst_port);
		fprintf(out, "(%" PRId64 ")", p->udp.payload_len);
		break;
	case PKT_ICMP: {
		const struct ast_icmp *ic = &p->icmp;
		fprintf(out, "icmp %s", ic->type_defined_as ? ic->type_defined_as :
			ic->type_name);
		if (ic->code_name)
			fprintf(out, " %s", ic->code_defined_as ?
				ic->code_defined_as : ic->code_name);
		if (ic->has_mtu)
			fprintf(out, " mtu %" PRId64, ic->mtu);
		if (ic->has_id)
			fprintf(out, " id %" PRId64, ic->id);
		switch (ic->echoed) {
		case ICMP_ECHOED_NONE:
			break;
		case ICMP_ECHOED_TCP:
			fprintf(out, " [%" PRId64 ":%" PRId64 "(%" PRId64 ")]",
				ic->echoed_start_seq, ic->echoed_end_seq,
				ic->echoed_len);
			break;
		case ICMP_ECHOED_UDP:
			fprintf(out, " [udp (%" PRId64 ")]", ic->echoed_len);
			break;
		case ICMP_ECHOED_RAW:
			fprintf(out, " [raw (%" PRId64 ")]", ic->echoed_len);
			break;
		}
		break;
	}
	}
}

static void dump_syscall(FILE *out, const struct ast_syscall *s)
{
	fprintf(out, "%s(", s->name);
	dump_list(out, s->args);
	fputs(") = ", out);
	dump_expr(out, s->result);
	if (s->errno_name)
		fprintf(out, " %s", s->errno_name);
	if (s->note)
		fprintf(out, " (%s)", s->note);
}

static void dump_command(FILE *out, const struct ast_command *c)
{
	if (c->defined_as)
		fputs(c->defined_as, out);
	else
		fprintf(out, "`%s`", c->text);
}

static bool needs_quotes(const char *v)
{
	if (!*v)
		return true;
	for (; *v; v++)
		if (isspace((unsigned char)*v) || *v == '"')
			return true;
	return false;
}

void script_dump(const struct script *script, FILE *out)
{
	for (const struct ast_option *o = script->options; o; o = o->next) {
		if (o->value == NULL)
			fprintf(out, "--%s\n", o->name);
		else if (needs_quotes(o->value) && !strchr(o->value, '"'))
			fprintf(out, "--%s=\"%s\"\n", o->name, o->value);
		else
			fprintf(out, "--%s=%s\n", o->name, o->value);
	}
	if (script->init_command) {
		dump_command(out, script->init_command);
		fputc('\n', out);
	}
	for (int i = 0; i < script->nevents; i++) {
		const struct ast_event *ev = script_event_load(script, i);

		if (ev == NULL) {	/* a script with errors */
			fprintf(out, "# line %d: not dumped\n",
				script->events[i].line);
			continue;
		}
		dump_time(out, &ev->time);
		fputc(' ', out);
		switch (ev->kind) {
		case EVENT_PACKET:
			dump_packet(out, ev->u.packet);
			break;
		case EVENT_SYSCALL:
			dump_syscall(out, ev->u.syscall);
			break;
		case EVENT_COMMAND:
			dump_command(out, ev->u.command);
			break;
		case EVENT_CODE:
			fprintf(out, "%%{%s}%%", ev->u.code->text);
			break;
		}
		fputc('\n', out);
		ast_event_free(ev);
	}
	if (script->cleanup_command) {
		dump_command(out, script->cleanup_command);
		fputc('\n', out);
	}
}
