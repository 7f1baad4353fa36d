/* SPDX-License-Identifier: GPL-2.0-only */
/* trace.c: the structured trace (stack.h, NDS_TRACE_*): call records,
 * decision values, per-socket state deltas with Linux's field names,
 * timers armed/fired/cancelled and counter increments.
 *
 * Nothing here prints: records go to the hook the interpreter set. */
#include "stack.h"
#include "trace_priv.h"
#include "tcp_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void nds_set_trace_records(struct nds *ns, nds_trace_record_fn fn,
			   void *ctx, int want)
{
	ns->trace_rec = fn;
	ns->trace_rec_ctx = ctx;
	ns->trace_calls = fn && (want & NDS_TRACE_WANT_CALLS);
	ns->trace_detail = fn && (want & (NDS_TRACE_WANT_DETAIL |
					  NDS_TRACE_WANT_CALLS));
	ns->trace_depth = 0;
}

/* The stack's own syncs (after each packet and timer): detail only. */
void nds_trace_sync_detail(struct nds *ns)
{
	if (ns->trace_detail)
		nds_trace_sync(ns);
}

void nds_trace_emit(struct nds *ns, enum nds_trace_kind kind, int fd,
		    const char *name, const char *text, int64_t value,
		    int64_t old)
{
	struct nds_trace_record r;

	if (!ns->trace_rec)
		return;
	r.kind = kind;
	r.t_us = ns->now;
	r.fd = fd;
	r.depth = ns->trace_depth;
	r.name = name ? name : "";
	r.text = text ? text : "";
	r.value = value;
	r.old = old;
	ns->trace_rec(ns->trace_rec_ctx, &r);
}

void nds_trace_call(struct nds *ns, int fd, const char *fn)
{
	nds_trace_emit(ns, NDS_TRACE_CALL, fd, fn, "", 0, 0);
}

void nds_trace_values(struct nds *ns, int fd, const char *fn,
		      const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	nds_trace_emit(ns, NDS_TRACE_DECISION, fd, fn, buf, 0, 0);
}

/* ------------------------------------------------------------ state */

static const char *const field_names[NDS_TRACE_FIELDS] = {
	"state", "snd_una", "snd_nxt", "snd_wnd", "rcv_nxt", "rcv_wnd",
	"snd_cwnd", "snd_ssthresh", "icsk_ca_state", "packets_out",
	"sacked_out", "lost_out", "retrans_out", "packets_in_flight",
	"srtt_us", "rttvar_us", "icsk_rto", "sk_wmem_queued", "sk_sndbuf",
	"sk_rmem_alloc", "sk_rcvbuf", "write_queue", "rtx_queue",
	"icsk_backoff",
};

enum { F_STATE, F_SND_UNA, F_SND_NXT, F_SND_WND, F_RCV_NXT, F_RCV_WND,
       F_WRITE_QUEUE = 21, F_RTX_QUEUE = 22 };

static int64_t queue_len(const struct sk_buff_head *q)
{
	int64_t n = 0;

	for (const struct sk_buff *s = q->head; s; s = s->next)
		n++;
	return n;
}

/* The fields' values now; the queue lengths (a walk of each queue) only
 * with NDS_TRACE_WANT_DETAIL. */
static void snapshot(const struct sock *sk, int64_t *v)
{
	bool detail = sk->ns->trace_detail;
	int i = 0;

	v[i++] = sk->state;
	v[i++] = sk->snd_una;
	v[i++] = sk->snd_nxt;
	v[i++] = sk->snd_wnd;
	v[i++] = sk->rcv_nxt;
	v[i++] = sk->rcv_wnd;
	v[i++] = sk->snd_cwnd;
	v[i++] = sk->snd_ssthresh;
	v[i++] = sk->ca_state;
	v[i++] = sk->packets_out;
	v[i++] = sk->sacked_out;
	v[i++] = sk->lost_out;
	v[i++] = sk->retrans_out;
	v[i++] = tcp_packets_in_flight(sk);
	v[i++] = sk->srtt_us >> 3;
	v[i++] = sk->mdev_us >> 2;
	v[i++] = sk->rto;
	v[i++] = sk->sk_wmem_queued;
	v[i++] = sk->sk_sndbuf;
	v[i++] = sk->sk_rmem_alloc;
	v[i++] = sk->sk_rcvbuf;
	v[i++] = detail ? queue_len(&sk->write_queue) : 0;
	v[i++] = detail ? queue_len(&sk->rtx_queue) : 0;
	v[i++] = sk->backoff;
}

static void sync_one(struct nds *ns, struct sock *sk)
{
	int64_t v[NDS_TRACE_FIELDS];
	char text[32];
	int n = sk->state == NDS_TCP_LISTEN ? 1 : NDS_TRACE_FIELDS;

	snapshot(sk, v);
	for (int i = 0; i < n; i++) {
		if (sk->trace_seen && v[i] == sk->trace_prev[i])
			continue;
		if (i >= F_WRITE_QUEUE && i <= F_RTX_QUEUE && !ns->trace_detail)
			continue;	/* not counted: see snapshot() */
		text[0] = 0;
		if (i == F_STATE)
			snprintf(text, sizeof(text), "%s",
				 tcp_state_name((int)v[i]));
		else if (i == F_SND_UNA || i == F_SND_NXT)
			snprintf(text, sizeof(text), "+%u",
				 (uint32_t)v[i] - sk->iss);
		else if (i == F_RCV_NXT)
			snprintf(text, sizeof(text), "+%u",
				 (uint32_t)v[i] - sk->irs);
		nds_trace_emit(ns, NDS_TRACE_STATE, sk->fd, field_names[i],
			       text, v[i],
			       sk->trace_seen ? sk->trace_prev[i] : v[i]);
		sk->trace_prev[i] = v[i];
	}
	sk->trace_seen = true;
}

void nds_trace_sync(struct nds *ns)
{
	if (!ns->trace_rec)
		return;
	for (struct sock *sk = ns->socks; sk; sk = sk->next) {
		if (sk->type != SOCK_STREAM || sk->fd < 0 || sk->dead)
			continue;
		sync_one(ns, sk);
	}
}
