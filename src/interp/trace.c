/* SPDX-License-Identifier: GPL-2.0-only */
/* trace.c: the run's timeline (trace.h): records from the packet observer,
 * the interpreter's events and the back end's trace hook; text and JSON
 * lines writers; the failure tail. */
#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "packet_to_string.h"
#include "run.h"
#include "run_packet.h"

/* Without --trace or --report: keep at least this many recent records
 * for the failure tail. */
#define TRACE_RING 256

/* One TCP connection as the trace saw it: the local and remote ends and
 * each side's initial sequence number (from its SYN, else its first
 * segment). */
struct flow {
	int family;
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	uint32_t lisn, risn;
	bool has_l, has_r;
};

/* The fields of TCP_INFO the trace follows on a back end without a
 * trace hook (the kernel). */
#define NINFO 13

struct trace {
	const struct config *config;
	struct run *run;
	bool keep_all;		/* --trace or --report: every record */
	bool calls;		/* the back end gives its call path */
	bool hooked;		/* the back end's trace hook is set */
	bool has_hook;		/* the back end has one */
	size_t event_start;	/* first record of the current event */
	struct trace_rec *recs;
	size_t n, cap;
	size_t dropped;		/* records dropped from the front */
	struct flow *flows;
	int nflows;
	long outbound;		/* outbound packets seen */
	struct run_packet_observer obs, *prev;
	int64_t info_prev[NINFO];
	int info_fd;
	bool info_seen;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		abort();
	return p;
}

static void rec_clear(struct trace_rec *r)
{
	free(r->name_owned);
	free(r->text);
	free(r->pkt);
}

struct trace *trace_new(const struct config *config)
{
	struct trace *tr = xcalloc(1, sizeof(*tr));

	tr->config = config;
	tr->keep_all = config->trace || config->report;
	tr->info_fd = -1;
	return tr;
}

void trace_free(struct trace *tr)
{
	size_t i;

	if (!tr)
		return;
	for (i = 0; i < tr->n; i++)
		rec_clear(&tr->recs[i]);
	free(tr->recs);
	free(tr->flows);
	free(tr);
}

static struct trace_rec *add(struct trace *tr, enum trace_kind kind,
			     int64_t t_us, int fd)
{
	struct trace_rec *r;

	if (!tr->keep_all && tr->n >= 2 * TRACE_RING) {
		size_t i;

		for (i = 0; i < TRACE_RING; i++)
			rec_clear(&tr->recs[i]);
		memmove(tr->recs, tr->recs + TRACE_RING,
			(tr->n - TRACE_RING) * sizeof(*tr->recs));
		tr->n -= TRACE_RING;
		tr->dropped += TRACE_RING;
		tr->event_start = tr->event_start > TRACE_RING ?
				  tr->event_start - TRACE_RING : 0;
	}
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? 2 * tr->cap : 256;
		tr->recs = realloc(tr->recs, tr->cap * sizeof(*tr->recs));
		if (!tr->recs)
			abort();
	}
	r = &tr->recs[tr->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->t_us = t_us;
	r->fd = fd;
	r->ordinal = -1;
	return r;
}

static int64_t now_of(const struct trace *tr)
{
	return tr->run && tr->run->sut ? run_now(tr->run) : 0;
}

static int line_of(const struct trace *tr)
{
	return tr->run && tr->run->event ? tr->run->event->loc.line : 0;
}

/* ------------------------------------------------------------ packets */

/* Without --trace or --report a packet record keeps its headers only. */
#define TRACE_SNAPLEN 128

/* The TCP header of an IP datagram without options past the IP header
 * (what the trace needs, cheaper than packet_parse); NULL if not TCP. */
static const uint8_t *tcp_of(const uint8_t *d, size_t len, int *family,
			     uint8_t src[16], uint8_t dst[16])
{
	size_t off;

	memset(src, 0, 16);
	memset(dst, 0, 16);
	if (len >= 20 && d[0] >> 4 == 4) {
		off = (size_t)(d[0] & 15) * 4;
		if (d[9] != IPPROTO_TCP || off < 20 || len < off + 20)
			return NULL;
		*family = AF_INET;
		memcpy(src, d + 12, 4);
		memcpy(dst, d + 16, 4);
		return d + off;
	}
	if (len >= 60 && d[0] >> 4 == 6 && d[6] == IPPROTO_TCP) {
		*family = AF_INET6;
		memcpy(src, d + 8, 16);
		memcpy(dst, d + 24, 16);
		return d + 40;
	}
	return NULL;
}

static struct flow *flow_of(struct trace *tr, int family,
			    const uint8_t src[16], const uint8_t dst[16],
			    uint16_t sport, uint16_t dport, bool inbound)
{
	const uint8_t *l, *r;
	uint16_t lp, rp;
	int i;

	l = inbound ? dst : src;
	r = inbound ? src : dst;
	lp = inbound ? dport : sport;
	rp = inbound ? sport : dport;
	for (i = 0; i < tr->nflows; i++) {
		struct flow *f = &tr->flows[i];

		if (f->family == family && f->lport == lp && f->rport == rp &&
		    !memcmp(f->laddr, l, 16) && !memcmp(f->raddr, r, 16))
			return f;
	}
	tr->flows = realloc(tr->flows, (size_t)(tr->nflows + 1) *
			    sizeof(*tr->flows));
	if (!tr->flows)
		abort();
	memset(&tr->flows[tr->nflows], 0, sizeof(*tr->flows));
	tr->flows[tr->nflows].family = family;
	memcpy(tr->flows[tr->nflows].laddr, l, 16);
	memcpy(tr->flows[tr->nflows].raddr, r, 16);
	tr->flows[tr->nflows].lport = lp;
	tr->flows[tr->nflows].rport = rp;
	return &tr->flows[tr->nflows++];
}

static void trace_packet(struct trace *tr, bool inbound, const uint8_t *data,
			 size_t len, int64_t t_us)
{
	struct trace_rec *r = add(tr, TR_PACKET, t_us, -1);
	uint8_t src[16], dst[16];
	const uint8_t *t;
	int family = 0;

	r->inbound = inbound;
	r->caplen = tr->keep_all || len < TRACE_SNAPLEN ? len : TRACE_SNAPLEN;
	r->pkt = malloc(r->caplen ? r->caplen : 1);
	if (!r->pkt)
		abort();
	memcpy(r->pkt, data, r->caplen);
	r->len = len;
	if (inbound) {
		r->line = line_of(tr);
		r->scripted = 1;
	} else {
		r->ordinal = tr->outbound++;
	}
	t = tcp_of(data, len, &family, src, dst);
	if (t) {
		struct flow *f = flow_of(tr, family, src, dst,
					 tcph_src_port(t), tcph_dst_port(t),
					 inbound);
		uint32_t *isn = inbound ? &f->risn : &f->lisn;
		bool *has = inbound ? &f->has_r : &f->has_l;
		uint32_t *peer = inbound ? &f->lisn : &f->risn;
		bool has_peer = inbound ? f->has_l : f->has_r;

		if (!*has || tcph_flag(t, TCPH_SYN)) {
			*isn = tcph_seq(t) - (tcph_flag(t, TCPH_SYN) ? 0 : 1);
			*has = true;
		}
		r->rel_seq = tcph_seq(t) - *isn;
		r->rel_ack = tcph_ack_seq(t) - (has_peer ? *peer : 0);
		if (!has_peer && tcph_flag(t, TCPH_ACK)) {
			/* the other side's first number: what it acks - 1 */
			*peer = tcph_ack_seq(t) - 1;
			if (inbound)
				f->has_l = true;
			else
				f->has_r = true;
			r->rel_ack = 1;
		}
	}
}

static void observe_packet(void *ctx, bool inbound, const uint8_t *data,
			   size_t len, int64_t t_us)
{
	struct trace *tr = ctx;

	trace_packet(tr, inbound, data, len, t_us);
	if (tr->prev && tr->prev->packet)
		tr->prev->packet(tr->prev->ctx, inbound, data, len, t_us);
}

static void observe_consumed(void *ctx, long ordinal, int line, bool matched)
{
	struct trace *tr = ctx;
	size_t i;

	for (i = tr->n; i-- > 0;) {
		struct trace_rec *r = &tr->recs[i];

		if (r->kind == TR_PACKET && !r->inbound &&
		    r->ordinal == ordinal) {
			r->scripted = matched ? 1 : 2;
			r->line = line;
			break;
		}
		if (r->kind == TR_PACKET && !r->inbound &&
		    r->ordinal < ordinal)
			break;
	}
	if (tr->prev && tr->prev->consumed)
		tr->prev->consumed(tr->prev->ctx, ordinal, line, matched);
}

/* ------------------------------------------------------------ back end */

static void on_record(void *ctx, const struct sut_trace_record *s)
{
	static const enum trace_kind kinds[] = {
		[SUT_TRACE_NOTE] = TR_NOTE, [SUT_TRACE_CALL] = TR_CALL,
		[SUT_TRACE_DECISION] = TR_DECISION,
		[SUT_TRACE_STATE] = TR_STATE, [SUT_TRACE_TIMER] = TR_TIMER,
		[SUT_TRACE_COUNTER] = TR_COUNTER,
	};
	struct trace *tr = ctx;
	struct trace_rec *r;

	if ((unsigned)s->kind > SUT_TRACE_COUNTER)
		return;
	r = add(tr, kinds[s->kind], s->t_us, s->fd);
	r->depth = s->depth;
	r->name = s->name;	/* static in the back end (sut.h) */
	r->text = xstrdup(s->text);
	r->value = s->value;
	r->old = s->old;
	r->line = line_of(tr);
}

void trace_attach(struct trace *tr, struct run *run)
{
	const struct sut_ops *ops = run->sut->ops;

	tr->run = run;
	tr->prev = run_packet_observer;
	tr->obs.packet = observe_packet;
	tr->obs.consumed = observe_consumed;
	tr->obs.ctx = tr;
	run_packet_observer = &tr->obs;
	if (ops->set_trace) {
		/* the call path costs the most: only when someone reads it */
		tr->calls = tr->config->report ||
			    (tr->config->trace &&
			     (tr->config->trace_mask & CONFIG_TRACE_CALLS));
		ops->set_trace(run->sut, on_record, tr,
			       (tr->calls ? SUT_TRACE_WANT_CALLS : 0) |
			       (tr->keep_all ? SUT_TRACE_WANT_DETAIL : 0));
		tr->hooked = true;
		tr->has_hook = true;
	}
}

void trace_detach(struct trace *tr)
{
	if (!tr->run)
		return;
	if (tr->hooked)
		tr->run->sut->ops->set_trace(tr->run->sut, NULL, NULL, 0);
	tr->hooked = false;
	if (run_packet_observer == &tr->obs) {
		run_packet_observer = tr->prev;
	}
}

bool trace_has_calls(const struct trace *tr)
{
	return tr->calls && tr->has_hook;
}

/* ------------------------------------------------------------ events */

void trace_syscall(struct trace *tr, int line, int fd, const char *source,
		   const char *result)
{
	struct trace_rec *r;

	if (!tr)
		return;
	r = add(tr, TR_SYSCALL, now_of(tr), fd);
	r->line = line;
	r->name = r->name_owned = xstrdup(source);
	r->text = xstrdup(result);
	/* A call of the event being run goes before what the back end
	 * reported while running it (a parked call's later return stays
	 * where it happened). */
	if (line == line_of(tr) && tr->event_start < tr->n - 1) {
		struct trace_rec tmp = *r;
		size_t at = tr->event_start;

		memmove(&tr->recs[at + 1], &tr->recs[at],
			(tr->n - 1 - at) * sizeof(*r));
		tr->recs[at] = tmp;
		tr->recs[at].t_us = tr->recs[at + 1].t_us < tmp.t_us ?
				    tr->recs[at + 1].t_us : tmp.t_us;
	}
}

void trace_command(struct trace *tr, int line, const char *text)
{
	struct trace_rec *r;

	if (!tr)
		return;
	r = add(tr, TR_COMMAND, now_of(tr), -1);
	r->line = line;
	r->name = r->name_owned = xstrdup(text);
}

void trace_code(struct trace *tr, int line)
{
	struct trace_rec *r;

	if (!tr)
		return;
	r = add(tr, TR_CODE, now_of(tr), -1);
	r->line = line;
	r->name = "code block";
}

/* A back end without a trace hook: TCP_INFO of the socket under test,
 * reported as deltas with tcp_info's names. */
static void info_snapshot(struct trace *tr)
{
	static const char *const names[NINFO] = {
		"tcpi_state", "tcpi_ca_state", "tcpi_rto", "tcpi_snd_mss",
		"tcpi_unacked", "tcpi_sacked", "tcpi_lost", "tcpi_retrans",
		"tcpi_rtt", "tcpi_rttvar", "tcpi_snd_ssthresh",
		"tcpi_snd_cwnd", "tcpi_total_retrans",
	};
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	struct sut *sut = tr->run->sut;
	int64_t v[NINFO], t = now_of(tr);
	int fd = run_fd_under_test(tr->run), i;

	if (fd < 0 || !sut->ops->getsockopt)
		return;
	memset(&ti, 0, sizeof(ti));
	if (sut->ops->getsockopt(sut, fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return;
	v[0] = ti.tcpi_state;
	v[1] = ti.tcpi_ca_state;
	v[2] = ti.tcpi_rto;
	v[3] = ti.tcpi_snd_mss;
	v[4] = ti.tcpi_unacked;
	v[5] = ti.tcpi_sacked;
	v[6] = ti.tcpi_lost;
	v[7] = ti.tcpi_retrans;
	v[8] = ti.tcpi_rtt;
	v[9] = ti.tcpi_rttvar;
	v[10] = ti.tcpi_snd_ssthresh;
	v[11] = ti.tcpi_snd_cwnd;
	v[12] = ti.tcpi_total_retrans;
	if (fd != tr->info_fd)
		tr->info_seen = false;
	for (i = 0; i < NINFO; i++) {
		struct trace_rec *r;

		if (tr->info_seen && v[i] == tr->info_prev[i])
			continue;
		r = add(tr, TR_STATE, t, fd);
		r->name = names[i];
		r->text = xstrdup("TCP_INFO");
		r->value = v[i];
		r->old = tr->info_seen ? tr->info_prev[i] : v[i];
		r->line = line_of(tr);
		tr->info_prev[i] = v[i];
	}
	tr->info_seen = true;
	tr->info_fd = fd;
}

void trace_event_done(struct trace *tr)
{
	if (!tr || !tr->run)
		return;
	if (tr->hooked && tr->run->sut->ops->trace_sync)
		tr->run->sut->ops->trace_sync(tr->run->sut);
	else if (tr->keep_all)
		info_snapshot(tr);
	tr->event_start = tr->n;
}

const struct trace_rec *trace_records(const struct trace *tr, size_t *n)
{
	*n = tr->n;
	return tr->recs;
}

/* ------------------------------------------------------------ writers */

struct buf {
	char *s;
	size_t n, cap;
};

static void bprintf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int w;

	for (;;) {
		size_t room = b->cap - b->n;

		va_start(ap, fmt);
		w = vsnprintf(b->s ? b->s + b->n : NULL, room, fmt, ap);
		va_end(ap);
		if (w < 0)
			abort();
		if ((size_t)w < room) {
			b->n += (size_t)w;
			return;
		}
		b->cap = b->cap * 2 + (size_t)w + 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
}

/* bytes as lower-case hex, without printf per byte (packets are big) */
static void bhex(struct buf *b, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (b->cap - b->n < 2 * n + 1) {
		b->cap = b->n + 2 * n + 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	for (i = 0; i < n; i++) {
		b->s[b->n++] = digits[p[i] >> 4];
		b->s[b->n++] = digits[p[i] & 15];
	}
	b->s[b->n] = 0;
}

static void bputc(struct buf *b, char c)
{
	if (b->cap - b->n < 2) {
		b->cap = b->cap * 2 + 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	b->s[b->n++] = c;
	b->s[b->n] = 0;
}

static void bjson_str(struct buf *b, const char *s)
{
	bputc(b, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			bputc(b, '\\');
			bputc(b, (char)c);
		} else if (c == '\n') {
			bputc(b, '\\');
			bputc(b, 'n');
		} else if (c == '\t') {
			bputc(b, '\\');
			bputc(b, 't');
		} else if (c < 0x20 || c >= 0x7f) {
			bprintf(b, "\\u%04x", c);
		} else {
			bputc(b, (char)c);
		}
	}
	bputc(b, '"');
}

static const char *kind_name(enum trace_kind k)
{
	static const char *const names[] = {
		[TR_PACKET] = "packet", [TR_SYSCALL] = "syscall",
		[TR_COMMAND] = "command", [TR_CODE] = "code",
		[TR_NOTE] = "note", [TR_CALL] = "call",
		[TR_DECISION] = "decision", [TR_STATE] = "state",
		[TR_TIMER] = "timer", [TR_COUNTER] = "counter",
	};

	return names[k];
}

static void addr_port(char *out, size_t len, int family, const uint8_t *a,
		      uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(family, a, s, sizeof(s));
	snprintf(out, len, family == AF_INET6 ? "[%s]:%u" : "%s:%u", s,
		 port);
}

/* The fields of a packet record. */
struct pkt_view {
	char src[64], dst[64];
	char flags[12];
	bool tcp;
	uint32_t seq, ack, rel_seq, rel_ack;
	int len;
	unsigned win;
	char *options;		/* malloc'd, "" if none */
	char *summary;		/* non-TCP: packet_to_string */
};

static void pkt_view(const struct trace_rec *r, struct pkt_view *v)
{
	struct packet *p;
	char *err = NULL;
	uint8_t src[16], dst[16];
	uint16_t sport = 0, dport = 0;
	int family;

	memset(v, 0, sizeof(*v));
	if (r->caplen < r->len) {
		/* headers only: parse them as the datagram they began */
		uint8_t *full = calloc(1, r->len);

		if (!full)
			abort();
		memcpy(full, r->pkt, r->caplen);
		p = packet_parse(full, r->len, &err);
		free(full);
	} else {
		p = packet_parse(r->pkt, r->len, &err);
	}
	free(err);
	err = NULL;
	if (!p) {
		v->summary = xstrdup("unparsable packet");
		v->options = xstrdup("");
		return;
	}
	packet_get_addrs(p, &family, src, dst);
	packet_get_ports(p, &sport, &dport);
	addr_port(v->src, sizeof(v->src), family, src, sport);
	addr_port(v->dst, sizeof(v->dst), family, dst, dport);
	if (packet_tcp(p)) {
		const uint8_t *t = packet_tcp(p);
		uint8_t f = tcph_flags(t);
		char *o = v->flags;

		v->tcp = true;
		if (f & TCPH_SYN) *o++ = 'S';
		if (f & TCPH_FIN) *o++ = 'F';
		if (f & TCPH_RST) *o++ = 'R';
		if (f & TCPH_PSH) *o++ = 'P';
		if (f & TCPH_URG) *o++ = 'U';
		if (f & TCPH_ECE) *o++ = 'E';
		if (f & TCPH_CWR) *o++ = 'W';
		if (f & TCPH_ACK) *o++ = '.';
		*o = 0;
		v->seq = tcph_seq(t);
		v->ack = tcph_ack_seq(t);
		v->rel_seq = r->rel_seq;
		v->rel_ack = r->rel_ack;
		v->len = p->payload_len;
		v->win = tcph_window(t);
		v->options = tcp_options_to_string(p, &err);
		if (!v->options)
			v->options = xstrdup("");
		free(err);
	} else {
		v->summary = packet_to_string(p, DUMP_SHORT);
		v->options = xstrdup("");
	}
	packet_free(p);
}

static void pkt_view_free(struct pkt_view *v)
{
	free(v->options);
	free(v->summary);
}

/* "snd_nxt +1 -> +10001" (sequence numbers from the ISN), "state
 * ESTABLISHED", "snd_cwnd 10 -> 20"; "= v" the first time. */
static void state_item(struct buf *b, const struct trace_rec *r)
{
	bool first = r->old == r->value;

	if (r->text[0] == '+') {
		uint32_t rel = (uint32_t)strtoul(r->text + 1, NULL, 10);
		uint32_t old = rel - (uint32_t)(r->value - r->old);

		if (first)
			bprintf(b, "%s = +%u", r->name, rel);
		else
			bprintf(b, "%s +%u -> +%u", r->name, old, rel);
	} else if (!strcmp(r->name, "state") && *r->text) {
		bprintf(b, "state %s", r->text);
	} else if (first) {
		bprintf(b, "%s = %" PRId64, r->name, r->value);
	} else {
		bprintf(b, "%s %" PRId64 " -> %" PRId64, r->name, r->old,
			r->value);
	}
}

static void text_of(struct buf *b, const struct trace_rec *r)
{
	bprintf(b, "%11.6f ", r->t_us / 1000000.0);
	switch (r->kind) {
	case TR_PACKET: {
		struct pkt_view v;

		pkt_view(r, &v);
		bprintf(b, "%s %s > %s ", r->inbound ? "<  in" : " > out",
			v.src, v.dst);
		if (v.tcp) {
			bprintf(b, "%s %u:%u(%d) ack %u win %u", v.flags,
				v.rel_seq, v.rel_seq + (uint32_t)v.len, v.len,
				v.rel_ack, v.win);
			if (*v.options)
				bprintf(b, " <%s>", v.options);
			bprintf(b, "  [abs seq %u ack %u]", v.seq, v.ack);
		} else {
			bprintf(b, "%s", v.summary ? v.summary : "");
		}
		if (r->scripted == 2)
			bprintf(b, "  line %d FAILED on it", r->line);
		else if (r->scripted)
			bprintf(b, "  (line %d)", r->line);
		else
			bprintf(b, "  (not in the script)");
		pkt_view_free(&v);
		break;
	}
	case TR_SYSCALL:
		bprintf(b, "sys    %s -> %s  (line %d)", r->name, r->text,
			r->line);
		break;
	case TR_COMMAND:
		bprintf(b, "cmd    `%s`  (line %d)", r->name, r->line);
		break;
	case TR_CODE:
		bprintf(b, "code   %s  (line %d)", r->name, r->line);
		break;
	case TR_NOTE:
		bprintf(b, "note   %s", r->text);
		break;
	case TR_CALL:
		bprintf(b, "call   %*s%s", 2 * r->depth, "", r->name);
		if (r->fd >= 0)
			bprintf(b, " [fd %d]", r->fd);
		break;
	case TR_DECISION:
		bprintf(b, "       %*s| %s", 2 * r->depth, "", r->text);
		break;
	case TR_STATE:
		bprintf(b, "state  fd %d ", r->fd);
		state_item(b, r);
		break;
	case TR_TIMER:
		bprintf(b, "timer  fd %d %s %s", r->fd, r->name, r->text);
		if (!strcmp(r->text, "armed"))
			bprintf(b, " for %.6f", r->value / 1000000.0);
		break;
	case TR_COUNTER:
		bprintf(b, "count  %s %" PRId64 " -> %" PRId64, r->name,
			r->old, r->value);
		break;
	}
}

/* Text of record i; state records of one socket at one time share a
 * line. Returns the index of the last record written. */
static size_t text_run(struct buf *b, const struct trace_rec *recs,
		       size_t i, size_t n)
{
	size_t j = i;

	text_of(b, &recs[i]);
	if (recs[i].kind != TR_STATE)
		return i;
	while (j + 1 < n && recs[j + 1].kind == TR_STATE &&
	       recs[j + 1].fd == recs[i].fd &&
	       recs[j + 1].t_us == recs[i].t_us) {
		j++;
		bprintf(b, ", ");
		state_item(b, &recs[j]);
	}
	if (!strcmp(recs[i].text, "TCP_INFO"))
		bprintf(b, " [TCP_INFO]");
	return j;
}

char *trace_rec_text(const struct trace *tr, const struct trace_rec *r)
{
	struct buf b = { 0 };

	(void)tr;
	text_of(&b, r);
	return b.s;
}

/* Decision text "k=v k=v; reason": the k=v with a number as an object. */
static void json_values(struct buf *b, const char *text)
{
	const char *p = text, *semi = strchr(text, ';');
	bool first = true;

	bprintf(b, ",\"values\":{");
	while (*p && (!semi || p < semi)) {
		const char *eq, *end;
		size_t klen;

		p += strspn(p, " ");
		end = p + strcspn(p, " ;");
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq && eq > p) {
			char key[64], val[64];
			char *num_end;

			klen = (size_t)(eq - p) < sizeof(key) - 1 ?
			       (size_t)(eq - p) : sizeof(key) - 1;
			memcpy(key, p, klen);
			key[klen] = 0;
			snprintf(val, sizeof(val), "%.*s",
				 (int)(end - eq - 1), eq + 1);
			bprintf(b, "%s", first ? "" : ",");
			bjson_str(b, key);
			bprintf(b, ":");
			strtoll(val, &num_end, 10);
			if (*val && !*num_end && val[0] != '+')
				bprintf(b, "%s", val);
			else
				bjson_str(b, val);
			first = false;
		}
		if (end == p)
			break;
		p = end;
	}
	bprintf(b, "}");
	if (semi) {
		bprintf(b, ",\"reason\":");
		bjson_str(b, semi + 1 + strspn(semi + 1, " "));
	}
}

static void json_of(struct buf *b, const struct trace_rec *r)
{
	bprintf(b, "{\"t\":%.6f,\"type\":\"%s\"", r->t_us / 1000000.0,
		kind_name(r->kind));
	if (r->fd >= 0)
		bprintf(b, ",\"fd\":%d", r->fd);
	if (r->line > 0)
		bprintf(b, ",\"line\":%d", r->line);
	switch (r->kind) {
	case TR_PACKET: {
		struct pkt_view v;

		pkt_view(r, &v);
		bprintf(b, ",\"dir\":\"%s\",\"src\":", r->inbound ? "in" :
			"out");
		bjson_str(b, v.src);
		bprintf(b, ",\"dst\":");
		bjson_str(b, v.dst);
		if (v.tcp) {
			bprintf(b, ",\"flags\":\"%s\",\"seq\":%u,\"end_seq\":%u,"
				"\"len\":%d,\"ack\":%u,\"win\":%u,"
				"\"abs_seq\":%u,\"abs_ack\":%u,\"options\":",
				v.flags, v.rel_seq,
				v.rel_seq + (uint32_t)v.len, v.len, v.rel_ack,
				v.win, v.seq, v.ack);
			bjson_str(b, v.options);
		} else {
			bprintf(b, ",\"summary\":");
			bjson_str(b, v.summary);
		}
		bprintf(b, ",\"scripted\":%s%s,\"ip_len\":%zu,\"ip\":\"",
			r->scripted ? "true" : "false",
			r->scripted == 2 ? ",\"failed\":true" : "", r->len);
		bhex(b, r->pkt, r->caplen);
		bprintf(b, "\"");
		pkt_view_free(&v);
		break;
	}
	case TR_SYSCALL:
		bprintf(b, ",\"call\":");
		bjson_str(b, r->name);
		bprintf(b, ",\"result\":");
		bjson_str(b, r->text);
		break;
	case TR_COMMAND:
		bprintf(b, ",\"command\":");
		bjson_str(b, r->name);
		break;
	case TR_CODE:
		break;
	case TR_NOTE:
		bprintf(b, ",\"text\":");
		bjson_str(b, r->text);
		break;
	case TR_CALL:
		bprintf(b, ",\"depth\":%d,\"fn\":", r->depth);
		bjson_str(b, r->name);
		break;
	case TR_DECISION:
		bprintf(b, ",\"depth\":%d,\"fn\":", r->depth);
		bjson_str(b, r->name);
		bprintf(b, ",\"text\":");
		bjson_str(b, r->text);
		json_values(b, r->text);
		break;
	case TR_STATE:
		bprintf(b, ",\"field\":");
		bjson_str(b, r->name);
		bprintf(b, ",\"value\":%" PRId64 ",\"old\":%" PRId64,
			r->value, r->old);
		if (*r->text) {
			bprintf(b, ",\"note\":");
			bjson_str(b, r->text);
		}
		break;
	case TR_TIMER:
		bprintf(b, ",\"timer\":");
		bjson_str(b, r->name);
		bprintf(b, ",\"action\":");
		bjson_str(b, r->text);
		bprintf(b, ",\"expires\":%.6f", r->value / 1000000.0);
		break;
	case TR_COUNTER:
		bprintf(b, ",\"counter\":");
		bjson_str(b, r->name);
		bprintf(b, ",\"value\":%" PRId64 ",\"delta\":%" PRId64,
			r->value, r->value - r->old);
		break;
	}
	bprintf(b, "}");
}

char *trace_rec_json(const struct trace *tr, const struct trace_rec *r)
{
	struct buf b = { 0 };

	(void)tr;
	json_of(&b, r);
	return b.s;
}

/* Is the record in the --trace=LIST categories? */
static bool wanted(const struct trace *tr, const struct trace_rec *r)
{
	unsigned m = tr->config->trace_mask;

	switch (r->kind) {
	case TR_PACKET:
		return m & CONFIG_TRACE_PACKETS;
	case TR_CALL:
	case TR_DECISION:
		return m & CONFIG_TRACE_CALLS;
	case TR_STATE:
		return m & CONFIG_TRACE_STATE;
	case TR_TIMER:
		return m & CONFIG_TRACE_TIMERS;
	case TR_COUNTER:
		return m & CONFIG_TRACE_COUNTERS;
	default:
		return true;
	}
}

static int write_trace(struct trace *tr, char **error)
{
	const struct config *c = tr->config;
	FILE *f = stdout;
	size_t i;

	if (c->trace_file) {
		f = fopen(c->trace_file, "w");
		if (!f) {
			if (asprintf(error, "cannot write the trace to %s: %s",
				     c->trace_file, strerror(errno)) < 0)
				*error = NULL;
			return -1;
		}
	}
	if (!c->trace_json) {
		fprintf(f, "# netdrill trace of %s (%s stack)%s\n",
			c->script_path ? c->script_path : "script",
			tr->run ? tr->run->sut->ops->name : "?",
			tr->has_hook ? "" :
			"; the call path, timers and counters need the "
			"embedded stack: this back end shows packets, system "
			"calls and TCP_INFO after each event");
	} else if (!tr->has_hook && tr->run) {
		fprintf(f, "{\"t\":0.000000,\"type\":\"note\",\"text\":"
			"\"%s stack: the call path, timers and counters need "
			"the embedded stack; packets, system calls and "
			"TCP_INFO after each event only\"}\n",
			tr->run->sut->ops->name);
	}
	for (i = 0; i < tr->n; i++) {
		struct buf b = { 0 };

		if (!wanted(tr, &tr->recs[i]))
			continue;
		if (c->trace_json)
			json_of(&b, &tr->recs[i]);
		else
			i = text_run(&b, tr->recs, i, tr->n);
		fprintf(f, "%s\n", b.s);
		free(b.s);
	}
	if (f != stdout) {
		if (fclose(f)) {
			if (asprintf(error, "cannot write the trace to %s: %s",
				     c->trace_file, strerror(errno)) < 0)
				*error = NULL;
			return -1;
		}
	} else {
		fflush(f);
	}
	return 0;
}

trace_report_fn trace_report_writer;

int trace_finish(struct trace *tr, int status, const char *error,
		 char **werror)
{
	*werror = NULL;
	if (tr->config->trace && write_trace(tr, werror))
		return -1;
	if (tr->config->report) {
		if (!trace_report_writer) {
			*werror = strdup("--report: no report writer in this program");
			return -1;
		}
		if (trace_report_writer(tr->config->report, tr,
					tr->run->script, tr->config, status,
					error, werror))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ tail */

static bool about(const struct trace_rec *r, int fd)
{
	switch (r->kind) {
	case TR_PACKET:
	case TR_SYSCALL:
	case TR_COMMAND:
	case TR_CODE:
	case TR_NOTE:
	case TR_COUNTER:
		return true;
	case TR_CALL:
	case TR_DECISION:
		return false;	/* the call path is --trace's */
	default:
		return fd < 0 || r->fd == fd || r->fd < 0;
	}
}

char *trace_tail(struct trace *tr, int fd, int n)
{
	struct buf b = { 0 };
	size_t i, start, count = 0;

	if (!tr || !tr->n)
		return NULL;
	start = tr->n;
	for (i = tr->n; i-- > 0 && count < (size_t)n;) {
		const struct trace_rec *r = &tr->recs[i];

		if (!about(r, fd))
			continue;
		start = i;
		/* a socket's state deltas at one time are one line */
		if (r->kind == TR_STATE && i > 0 &&
		    tr->recs[i - 1].kind == TR_STATE &&
		    tr->recs[i - 1].fd == r->fd &&
		    tr->recs[i - 1].t_us == r->t_us)
			continue;
		count++;
	}
	bprintf(&b, "trace before the failure (the last records");
	if (fd >= 0)
		bprintf(&b, " about fd %d", fd);
	bprintf(&b, "; --trace shows them all, with the call path):");
	for (i = start; i < tr->n; i++) {
		if (!about(&tr->recs[i], fd))
			continue;
		bprintf(&b, "\n  ");
		i = text_run(&b, tr->recs, i, tr->n);
	}
	return b.s;
}
