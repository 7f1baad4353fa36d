/* SPDX-License-Identifier: GPL-2.0-only */
/* run_packet.c: packet events. An inbound packet is built in script space
 * (packet_build.c), mapped to live values through the socket table and
 * injected. For an outbound packet the captured live packets are mapped
 * into script space and compared (packet_match.c), merging consecutive
 * segments the way packetdrill does for TSO/GSO. */
#include "run_packet.h"

#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "packet_build.h"
#include "packet_match.h"
#include "packet_to_string.h"
#include "util.h"

/* One captured outbound packet. */
/* A packet the back end sent, as bytes: it is parsed when a script line
 * looks at it (captured_packet), so a run whose stack sends a million
 * packets that no line expects holds their bytes, not a million parsed
 * packets. */
struct captured {
	struct captured *next;
	long ordinal;		/* capture order, from 0 */
	int64_t t_us;		/* when it was sent */
	uint32_t len;		/* bytes of data (an IP datagram) */
	bool dumped;		/* -v has shown it */
	uint8_t data[];
};

struct packet_ctx {
	const struct config *config;
	struct sut *sut;
	struct socket_table *sockets;
	struct captured *head, **tail;
	int pending;
	long captures;		/* packets captured so far */
	bool have_event_time;
	int64_t event_time;
	/* the last outbound match, for a timing error's dump */
	struct packet *matched_script, *matched_actual;
	int64_t matched_script_time;
};

struct packet_ctx *packet_ctx_new(const struct config *config, struct sut *sut,
				  struct socket_table *t)
{
	struct packet_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->config = config;
	ctx->sut = sut;
	ctx->sockets = t;
	ctx->tail = &ctx->head;
	return ctx;
}

/* Unlink and free the entry *link points to. */
static void drop_at(struct packet_ctx *ctx, struct captured **link)
{
	struct captured *c = *link;

	*link = c->next;
	if (ctx->tail == &c->next)
		ctx->tail = link;
	free(c);
	ctx->pending--;
}

/* The captured packet parsed (the caller frees it), or NULL if it does
 * not parse. */
static struct packet *captured_packet(const struct captured *c)
{
	char *err = NULL;
	struct packet *p = packet_parse(c->data, c->len, &err);

	free(err);
	if (p)
		p->time_us = c->t_us;
	return p;
}

static void drop_head(struct packet_ctx *ctx)
{
	drop_at(ctx, &ctx->head);
}

void packet_ctx_free(struct packet_ctx *ctx)
{
	if (!ctx)
		return;
	while (ctx->head)
		drop_head(ctx);
	packet_free(ctx->matched_script);
	packet_free(ctx->matched_actual);
	free(ctx);
}

int packet_ctx_pending(const struct packet_ctx *ctx)
{
	return ctx->pending;
}

void packet_ctx_set_event_time(struct packet_ctx *ctx, int64_t script_us)
{
	ctx->have_event_time = true;
	ctx->event_time = script_us;
}

struct run_packet_observer *run_packet_observer;

static void verbose_dump(const struct packet_ctx *ctx, const char *type,
			 const struct packet *p, int64_t t_us)
{
	char *s;

	if (!ctx->config->verbose)
		return;
	s = packet_to_string(p, DUMP_VERBOSE);
	printf("%s packet: %9.6f %s\n", type, t_us / 1000000.0, s ? s : "");
	free(s);
}

void packet_ctx_capture(void *opaque, const uint8_t *data, size_t len,
			int64_t t_us)
{
	struct packet_ctx *ctx = opaque;
	struct captured *c = calloc(1, sizeof(*c) + len);

	if (!c)
		abort();
	c->ordinal = ctx->captures++;
	c->t_us = t_us;
	c->len = (uint32_t)len;
	memcpy(c->data, data, len);
	if (run_packet_observer && run_packet_observer->packet)
		run_packet_observer->packet(run_packet_observer->ctx, false,
					    data, len, t_us);
	if (ctx->config->verbose) {
		char *err = NULL;
		struct packet *p = packet_parse(data, len, &err);

		if (!p)
			printf("outbound unparsable packet (%zu bytes): %s\n",
			       len, err ? err : "?");
		packet_free(p);
		free(err);
	}
	*ctx->tail = c;
	ctx->tail = &c->next;
	ctx->pending++;
}

/* Replace *msg with *msg + a formatted suffix. */
static void append(char **msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void append(char **msg, const char *fmt, ...)
{
	va_list ap;
	char *tail, *all;

	va_start(ap, fmt);
	tail = vstrdup_printf(fmt, ap);
	va_end(ap);
	all = strdup_printf("%s%s", *msg ? *msg : "", tail);
	free(tail);
	free(*msg);
	*msg = all;
}

static int64_t script_time_of(const struct packet_ctx *ctx,
			      const struct ast_event *event)
{
	if (ctx->have_event_time)
		return ctx->event_time;
	if (event->time.kind == TIME_ABSOLUTE ||
	    event->time.kind == TIME_ABSOLUTE_RANGE)
		return event->time.usecs;
	return ctx->sut->ops->now(ctx->sut);
}

/* "file:line: error handling packet: <err>" */
static char *wrap_error(const struct packet_ctx *ctx,
			const struct ast_event *event, const char *err)
{
	const char *file = ctx->config->script_path ?
		ctx->config->script_path :
		(event->loc.file ? event->loc.file : "script");

	return strdup_printf("%s:%d: error handling packet: %s", file,
			     event->loc.line, err ? err : "unknown error");
}

/* Add "script packet: ..." / "actual packet: ..." lines. */
static void add_dump(char **msg, const char *type, const struct packet *p,
		     int64_t t_us)
{
	char *s;

	if (!p)
		return;
	s = packet_to_string(p, DUMP_SHORT);
	append(msg, "\n%s packet: %9.6f %s", type, t_us / 1000000.0,
	       s ? s : "");
	free(s);
}

void run_packet_add_matched(struct packet_ctx *ctx, char **msg)
{
	add_dump(msg, "script", ctx->matched_script,
		 ctx->matched_script_time);
	if (ctx->matched_actual)
		add_dump(msg, "actual", ctx->matched_actual,
			 ctx->matched_actual->time_us);
}

/* Then say what the stack was doing, in script-relative numbers where
 * the socket table knows the ISNs. */
static void add_stack_state(const struct packet_ctx *ctx, char **msg,
			    const struct socket *s)
{
	struct sut_sock_state st;
	uint32_t loc = 0, rem = 0;

	if (!s || s->fd < 0 || !ctx->sut->ops->sock_state ||
	    ctx->sut->ops->sock_state(ctx->sut, s->fd, &st) < 0)
		return;
	if (s->state != SOCKET_NEW && s->state != SOCKET_ACTIVE_CONNECTING &&
	    s->state != SOCKET_PASSIVE_LISTENING) {
		loc = s->live.local_isn;
		rem = s->live.remote_isn;
	}
	append(msg, "\nstack state (fd %d): %s snd_una %u snd_nxt %u "
	       "rcv_nxt %u (script-relative) snd_cwnd %u snd_ssthresh %u",
	       s->fd, st.state, st.snd_una - loc, st.snd_nxt - loc,
	       st.rcv_nxt - rem, st.snd_cwnd, st.snd_ssthresh);
	append(msg, "\nstack state (fd %d): packets_out %u retrans_out %u "
	       "sacked_out %u lost_out %u write_queue %u bytes "
	       "recv_queue %u bytes rto %u us srtt %u us", s->fd,
	       st.packets_out, st.retrans_out, st.sacked_out, st.lost_out,
	       st.write_queue_bytes, st.recv_queue_bytes, st.rto_us,
	       st.srtt_us);
}

/* --- sockets for packets --- */

static void endpoint_default_ip(struct endpoint *e,
				const struct ip_address *ip)
{
	if (e->family == AF_UNSPEC)
		endpoint_from_ip(e, ip);
}

/* An inbound TCP packet while the socket under test listens (or there is
 * none): a new child socket for the connection (packetdrill's
 * handle_listen_for_script_packet). */
static struct socket *handle_listen(struct packet_ctx *ctx,
				    const struct packet *sp)
{
	struct socket_table *t = ctx->sockets;
	struct socket *l = t->under_test, *s;
	const uint8_t *tcp = packet_tcp(sp);

	if (l && l->state != SOCKET_PASSIVE_LISTENING)
		return NULL;
	s = socket_table_add(t);
	s->state = SOCKET_PASSIVE_PACKET_RECEIVED;
	s->protocol = IPPROTO_TCP;
	s->domain = l ? l->domain : ctx->config->socket_domain;
	s->type = SOCK_STREAM;
	s->listen_fd = l ? l->fd : -1;
	s->script.remote_isn = tcph_seq(tcp);
	s->live.remote_isn = tcph_seq(tcp);
	endpoint_from_ip(&s->live.remote, &ctx->config->live_remote_ip);
	s->live.remote.port = socket_table_next_remote_port(t);
	endpoint_from_ip(&s->live.local, &ctx->config->live_local_ip);
	s->live.local.port = (l && l->live.local.port) ?
		l->live.local.port : ctx->config->live_bind_port;
	return s;
}

static bool socket_takes(const struct socket *s, const struct packet *p)
{
	bool icmp = p->l4_type == PH_ICMPV4 || p->l4_type == PH_ICMPV6;

	switch (s->protocol) {
	case IPPROTO_TCP:	return p->l4_type == PH_TCP || icmp;
	case IPPROTO_UDP:	return p->l4_type == PH_UDP || icmp;
	case IPPROTO_ICMP:	return p->l4_type == PH_ICMPV4;
	case IPPROTO_ICMPV6:	return p->l4_type == PH_ICMPV6;
	default:		return false;
	}
}

static struct socket *socket_for_script_packet(struct packet_ctx *ctx,
					       const struct packet *sp,
					       bool inbound, char **err)
{
	struct socket_table *t = ctx->sockets;
	struct socket *s = t->under_test;
	const uint8_t *tcp = packet_tcp(sp);
	uint16_t sport, dport;

	if (tcp && inbound) {
		struct socket *child = handle_listen(ctx, sp);

		if (child)
			return child;
	}
	if (tcp && !inbound && tcph_flag(tcp, TCPH_SYN) &&
	    !tcph_flag(tcp, TCPH_ACK) && s &&
	    s->state == SOCKET_ACTIVE_CONNECTING) {
		s->state = SOCKET_ACTIVE_SYN_SENT;
		s->script.local_isn = tcph_seq(tcp);
		return s;
	}
	if (s && socket_takes(s, sp))
		return s;
	packet_get_ports(sp, &sport, &dport);
	if (s && (sport || dport))
		return s;
	*err = strdup_printf("no matching socket for script packet");
	return NULL;
}

/* Is the live packet outbound from socket s? Learns the local end of a
 * connecting socket from its first SYN (packetdrill's
 * find_socket_for_live_packet and find_connect_for_live_packet). */
static bool live_packet_is_from(const struct socket *s_in,
				const struct packet *p)
{
	struct socket *s = (struct socket *)s_in;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	int family;
	bool icmp = p->l4_type == PH_ICMPV4 || p->l4_type == PH_ICMPV6;
	bool icmp_sock = (s->protocol == IPPROTO_ICMP && p->l4_type == PH_ICMPV4) ||
			 (s->protocol == IPPROTO_ICMPV6 &&
			  p->l4_type == PH_ICMPV6);
	const uint8_t *tcp = packet_tcp(p);

	packet_get_addrs(p, &family, src, dst);
	packet_get_ports(p, &sport, &dport);
	if (family == s->live.local.family &&
	    family == s->live.remote.family &&
	    !memcmp(src, s->live.local.ip, 16) &&
	    !memcmp(dst, s->live.remote.ip, 16) &&
	    (icmp_sock || (sport == s->live.local.port &&
			   dport == s->live.remote.port))) {
		/* a socket connecting again after connect(AF_UNSPEC) knows
		 * its ends already, but its SYN starts a new sequence */
		if (tcp && tcph_flag(tcp, TCPH_SYN) &&
		    !tcph_flag(tcp, TCPH_ACK) &&
		    s->protocol == IPPROTO_TCP &&
		    s->state == SOCKET_ACTIVE_SYN_SENT)
			s->live.local_isn = tcph_seq(tcp);
		return true;
	}

	/* A connecting socket's first packet. */
	if ((tcp && tcph_flag(tcp, TCPH_SYN) &&
	     !tcph_flag(tcp, TCPH_ACK) && s->protocol == IPPROTO_TCP &&
	     s->state == SOCKET_ACTIVE_SYN_SENT) ||
	    (p->l4_type == PH_UDP && s->protocol == IPPROTO_UDP &&
	     s->state == SOCKET_ACTIVE_CONNECTING) ||
	    (icmp && icmp_sock && s->state == SOCKET_ACTIVE_CONNECTING)) {
		if (family != s->live.remote.family ||
		    memcmp(dst, s->live.remote.ip, 16) ||
		    (!icmp && dport != s->live.remote.port))
			return false;
		s->live.local.family = family;
		memcpy(s->live.local.ip, src, 16);
		s->live.local.port = sport;
		if (tcp)
			s->live.local_isn = tcph_seq(tcp);
		return true;
	}
	return false;
}

/* Do two live packets have the same addresses and ports? */
static bool same_flow(const struct packet *a, const struct packet *b)
{
	uint8_t asrc[16], adst[16], bsrc[16], bdst[16];
	uint16_t asp, adp, bsp, bdp;
	int af, bf;

	packet_get_addrs(a, &af, asrc, adst);
	packet_get_addrs(b, &bf, bsrc, bdst);
	packet_get_ports(a, &asp, &adp);
	packet_get_ports(b, &bsp, &bdp);
	return af == bf && !memcmp(asrc, bsrc, 16) && !memcmp(adst, bdst, 16) &&
	       asp == bsp && adp == bdp;
}

/* Live seq/ack/SACK -> script space. */
static int live_to_script_seq(const struct socket *s, struct packet *p,
			      char **err)
{
	uint8_t *tcp = packet_tcp(p);
	bool syn = tcph_flag(tcp, TCPH_SYN);
	uint32_t ack_off = remote_seq_script_to_live_offset(s, syn);

	tcph_set_seq(tcp, tcph_seq(tcp) - local_seq_script_to_live_offset(s,
									 syn));
	if (tcph_flag(tcp, TCPH_ACK))
		tcph_set_ack_seq(tcp, tcph_ack_seq(tcp) - ack_off);
	return packet_offset_sack_blocks(p, (uint32_t)0 - ack_off, err);
}

/* --- inbound --- */

static int map_inbound(struct packet_ctx *ctx, struct socket *s,
		       struct packet *p, char **err)
{
	uint8_t *tcp = packet_tcp(p);
	uint16_t sport, dport;
	bool syn;
	int ts;

	endpoint_default_ip(&s->live.remote, &ctx->config->live_remote_ip);
	endpoint_default_ip(&s->live.local, &ctx->config->live_local_ip);
	packet_get_ports(p, &sport, &dport);
	packet_set_tuple(p, s->live.remote.ip, s->live.local.ip,
			 sport ? sport : s->live.remote.port,
			 dport ? dport : s->live.local.port);

	if (p->l4_type == PH_ICMPV4 || p->l4_type == PH_ICMPV6) {
		/* The echoed TCP header carries one of our (local)
		 * sequence numbers: Linux ignores ICMP errors whose
		 * sequence number is not in flight. */
		if (p->echoed_l4_proto == IPPROTO_TCP &&
		    p->echoed_l4_off >= 0 && p->echoed_l4_len >= 8) {
			uint8_t *e = p->buf + p->echoed_l4_off;

			put_be32(e + 4, get_be32(e + 4) +
				 local_seq_script_to_live_offset(s, false));
		}
		return 0;
	}
	if (!tcp)
		return 0;

	syn = tcph_flag(tcp, TCPH_SYN);
	tcph_set_seq(tcp, tcph_seq(tcp) + remote_seq_script_to_live_offset(s,
									 syn));
	if (tcph_flag(tcp, TCPH_ACK))
		tcph_set_ack_seq(tcp, tcph_ack_seq(tcp) +
				local_seq_script_to_live_offset(s, syn));
	if (packet_offset_sack_blocks(p, local_seq_script_to_live_offset(s,
									 syn),
				      err))
		return -1;

	ts = packet_tcp_ts_val_off(p);
	if (tcph_flag(tcp, TCPH_ACK) && ts >= 0) {
		uint32_t script_ecr = packet_tcp_ts_ecr(p, ts), live_ecr;

		if (socket_get_ts_mapping(s, script_ecr, &live_ecr)) {
			put_be32(p->buf + ts + 4, live_ecr);
		} else if (ctx->config->tcp_ts_ecr_scaled &&
			   s->found_first_ts) {
			put_be32(p->buf + ts + 4, script_ecr -
				 s->first_script_ts_val +
				 s->first_live_ts_val);
		} else {
			*err = strdup_printf("unable to infer live TS ecr for "
					     "script TS ecr %u;  no matching "
					     "or preceding outbound TS val",
					     script_ecr);
			return -1;
		}
	}
	return 0;
}

int run_packet_inbound(struct packet_ctx *ctx, const struct ast_event *event,
		       char **error)
{
	const struct ast_packet *ap = event->u.packet;
	struct packet *sp = NULL, *live = NULL;
	struct socket *s;
	char *err = NULL;
	const uint8_t *tcp;
	int r;

	*error = NULL;
	if (packet_build(ap, ctx->config, &sp, &err))
		goto fail;
	s = socket_for_script_packet(ctx, sp, true, &err);
	if (!s)
		goto fail;
	tcp = packet_tcp(sp);
	if (tcp && s->state == SOCKET_PASSIVE_SYNACK_SENT &&
	    tcph_flag(tcp, TCPH_ACK)) {
		s->state = SOCKET_PASSIVE_SYNACK_ACKED;
	} else if (tcp && s->state == SOCKET_ACTIVE_SYN_SENT &&
		   tcph_flag(tcp, TCPH_SYN) &&
		   tcph_flag(tcp, TCPH_ACK)) {
		s->state = SOCKET_ACTIVE_SYN_ACKED;
		s->script.remote_isn = tcph_seq(tcp);
		s->live.remote_isn = tcph_seq(tcp);
	}
	live = packet_copy(sp);
	if (!live)
		abort();
	if (map_inbound(ctx, s, live, &err))
		goto fail;
	packet_fill_checksums(live);
	verbose_dump(ctx, "inbound injected", live,
		     ctx->sut->ops->now(ctx->sut));
	if (run_packet_observer && run_packet_observer->packet)
		run_packet_observer->packet(run_packet_observer->ctx, true,
					    live->buf, live->len,
					    ctx->sut->ops->now(ctx->sut));
	r = ctx->sut->ops->inject(ctx->sut, live->buf, live->len);
	if (r < 0) {
		err = strdup_printf("the system under test refused the "
				    "packet: %s", strerror(-r));
		goto fail;
	}
	packet_free(sp);
	packet_free(live);
	return 0;
fail:
	*error = wrap_error(ctx, event, err);
	free(err);
	packet_free(sp);
	packet_free(live);
	return -1;
}

int run_packet_check(const struct config *config,
		     const struct ast_event *event, char **error)
{
	struct packet_ctx ctx = { .config = config };
	const struct ast_encap *e;
	struct packet *sp = NULL;
	char *err = NULL;

	*error = NULL;
	/* PSP layers are valid text that netdrill cannot build yet: the run
	 * says so ("PSP encapsulation is not supported"), --dry_run not. */
	for (e = event->u.packet->encaps; e; e = e->next)
		if (e->kind == ENCAP_PSP || e->kind == ENCAP_PSP_TRANSPORT)
			return 0;
	if (!packet_build(event->u.packet, config, &sp, &err)) {
		packet_free(sp);
		return 0;
	}
	*error = wrap_error(&ctx, event, err);
	free(err);
	return -1;
}

/* --- outbound --- */

/* Map the (merged) live packet's TS val into script space, learning the
 * script -> live TS val mapping (packetdrill's map_outbound_live_packet). */
static void map_outbound_ts(struct socket *s, struct packet *actual,
			    const struct packet *sp)
{
	int sts = packet_tcp_ts_val_off(sp), ats = packet_tcp_ts_val_off(actual);
	uint32_t script_val, live_val;

	if (sts < 0 || ats < 0)
		return;
	script_val = packet_tcp_ts_val(sp, sts);
	live_val = packet_tcp_ts_val(actual, ats);
	socket_set_ts_mapping(s, script_val, live_val);
	if (!s->found_first_ts) {
		s->found_first_ts = true;
		s->first_script_ts_val = script_val;
		s->first_live_ts_val = live_val;
	}
	put_be32(actual->buf + ats,
		 s->first_script_ts_val + (live_val - s->first_live_ts_val));
}

static int check_flowlabel(struct socket *s, const struct packet *actual,
			   const struct packet *sp, char **err)
{
	uint32_t want = packet_ipv6_flowlabel(sp);
	uint32_t got = packet_ipv6_flowlabel(actual);

	if (!want)
		return 0;
	if (!got) {
		*err = strdup_printf("flowlabel unmarked in the live packet");
		return -1;
	}
	if (!s->flowlabel_script) {
		s->flowlabel_script = want;
		s->flowlabel_live = got;
		return 0;
	}
	if (want != s->flowlabel_script) {
		if (got == s->flowlabel_live) {
			*err = strdup_printf("expected a different flowlabel "
					     "but got the same");
			return -1;
		}
		s->flowlabel_script = want;
		s->flowlabel_live = got;
		return 0;
	}
	if (got != s->flowlabel_live) {
		*err = strdup_printf("inconsistent flowlabels for this packet: "
				     "expected: 0x%x vs actual: 0x%x",
				     s->flowlabel_live, got);
		return -1;
	}
	return 0;
}

static int verify_outbound(struct packet_ctx *ctx, struct socket *s,
			   const struct packet *sp, struct packet *actual,
			   char **err)
{
	if (!packet_ipv4_checksums_ok(actual)) {
		*err = strdup_printf("bad outbound IP checksum");
		return -1;
	}
	if (packet_tcp(actual))
		map_outbound_ts(s, actual, sp);
	if (packet_match_headers(actual, sp, true, err))
		return -1;
	if (sp->ip_version == 6 && check_flowlabel(s, actual, sp, err))
		return -1;
	if (packet_tcp(sp) &&
	    packet_match_tcp_options(ctx->config, actual, sp, err))
		return -1;
	if (actual->l4_type != PH_ICMPV4 && actual->l4_type != PH_ICMPV6 &&
	    packet_match_payload(actual, sp, err))
		return -1;
	return 0;
}

/* The ordinals of the first `used` captured packets, which the script
 * line is about to consume (for run_packet_observer->consumed). */
static void note_consumed(const struct packet_ctx *ctx, int used, int line,
			  long **out, int *n)
{
	const struct captured *c = ctx->head;

	(void)line;
	if (!run_packet_observer || !run_packet_observer->consumed ||
	    used <= 0)
		return;
	*out = calloc((size_t)used, sizeof(**out));
	if (!*out)
		abort();
	for (*n = 0; c && *n < used; c = c->next)
		(*out)[(*n)++] = c->ordinal;
}

int run_packet_outbound(struct packet_ctx *ctx, const struct ast_event *event,
			int64_t *t_us, char **error)
{
	const struct ast_packet *ap = event->u.packet;
	struct packet *sp = NULL, *actual = NULL;
	struct packet **frags = NULL;
	struct captured **link;
	struct socket *s;
	char *err = NULL;
	const uint8_t *stcp;
	int n = 0, cap = 0, used = 0, scanned = 0, sniffed = 0, expected, i;
	int result = RUN_PACKET_ERROR;
	bool done = false;
	long *consumed = NULL;
	int nconsumed = 0;

	*error = NULL;
	if (packet_build(ap, ctx->config, &sp, &err))
		goto fail;
	s = socket_for_script_packet(ctx, sp, false, &err);
	if (!s)
		goto fail;
	stcp = packet_tcp(sp);
	if (stcp && s->state == SOCKET_PASSIVE_PACKET_RECEIVED &&
	    tcph_flag(stcp, TCPH_SYN) && tcph_flag(stcp, TCPH_ACK))
		s->script.local_isn = tcph_seq(stcp);
	expected = sp->payload_len;

	for (link = &ctx->head; *link && !done; link = &(*link)->next) {
		struct captured *c = *link;
		struct packet *lp;

		/* Not from the socket under test: packetdrill reads past
		 * it and forgets it. */
		while (!(lp = captured_packet(c)) ||
		       !live_packet_is_from(s, lp)) {
			packet_free(lp);
			lp = NULL;
			drop_at(ctx, link);
			c = *link;
			if (!c)
				break;
		}
		if (!c)
			break;
		scanned++;
		used = scanned;
		if (stcp && s->state == SOCKET_PASSIVE_PACKET_RECEIVED &&
		    tcph_flag(stcp, TCPH_SYN) &&
		    tcph_flag(stcp, TCPH_ACK) && packet_tcp(lp)) {
			s->state = SOCKET_PASSIVE_SYNACK_SENT;
			s->live.local_isn = tcph_seq(packet_tcp(lp));
		}
		if (!c->dumped) {
			verbose_dump(ctx, "outbound sniffed", lp, lp->time_us);
			c->dumped = true;
		}
		if (packet_tcp(lp) && live_to_script_seq(s, lp, &err)) {
			packet_free(lp);
			goto consume_fail;
		}
		/* A connecting socket's script SYN can first match a stale
		 * SYN of an older socket to the same peer (e.g. one the
		 * kernel retransmits after answering a bad SYN-ACK with a
		 * RST); a packet of another flow starts the merge anew, as
		 * packetdrill discards what it merged so far. */
		if (n > 0 && !same_flow(lp, frags[n - 1])) {
			for (i = 0; i < n; i++)
				packet_free(frags[i]);
			n = 0;
			sniffed = 0;
		}
		if (n > 0 && packet_check_fragment(lp, frags[n - 1], sniffed,
						   expected, &err)) {
			packet_free(lp);
			goto consume_fail;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			frags = realloc(frags, (size_t)cap * sizeof(*frags));
			if (!frags)
				abort();
		}
		frags[n++] = lp;
		sniffed += lp->payload_len;
		if (sniffed >= expected || ctx->config->strict_segments)
			done = true;
	}
	if (!done) {
		result = RUN_PACKET_NONE;
		goto out;
	}
	note_consumed(ctx, used, event->loc.line, &consumed, &nconsumed);
	for (i = 0; i < used; i++)
		drop_head(ctx);
	actual = packet_aggregate(frags, n);
	if (!actual) {
		err = strdup_printf("live packet payload: %d bytes in %d "
				    "segments do not fit in one IP datagram",
				    sniffed, n);
		goto fail;
	}
	if (sniffed != expected) {
		err = strdup_printf("live packet payload: expected %d bytes "
				    "vs actual %d bytes", expected, sniffed);
		goto dump_fail;
	}
	*t_us = actual->time_us;
	if (verify_outbound(ctx, s, sp, actual, &err))
		goto dump_fail;
	result = RUN_PACKET_MATCHED;
	/* kept until the next match: the caller checks its time next */
	packet_free(ctx->matched_script);
	packet_free(ctx->matched_actual);
	ctx->matched_script = sp;
	ctx->matched_actual = actual;
	ctx->matched_script_time = script_time_of(ctx, event);
	sp = actual = NULL;
	goto out;

consume_fail:
	note_consumed(ctx, used, event->loc.line, &consumed, &nconsumed);
	for (i = 0; i < used; i++)
		drop_head(ctx);
fail:
	*error = wrap_error(ctx, event, err);
	add_dump(error, "script", sp, script_time_of(ctx, event));
	if (sp)
		add_stack_state(ctx, error, ctx->sockets->under_test);
	goto out;
dump_fail:
	*error = wrap_error(ctx, event, err);
	add_dump(error, "script", sp, script_time_of(ctx, event));
	add_dump(error, "actual", actual, actual->time_us);
	add_stack_state(ctx, error, s);
out:
	if (run_packet_observer && run_packet_observer->consumed)
		for (i = 0; i < nconsumed; i++)
			run_packet_observer->consumed(
				run_packet_observer->ctx, consumed[i],
				event->loc.line, result == RUN_PACKET_MATCHED);
	free(consumed);
	free(err);
	for (i = 0; i < n; i++)
		packet_free(frags[i]);
	free(frags);
	packet_free(sp);
	packet_free(actual);
	return result;
}
