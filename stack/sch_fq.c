/* SPDX-License-Identifier: GPL-2.0-only */
/* sch_fq.c: the fq qdisc (Fair Queue with per-flow pacing) as tun0's root
 * qdisc, modelled on Linux 6.18's sch_fq for what a script can observe:
 *
 *  - every packet has a time to send: its earliest departure time
 *    (skb->tstamp, which TCP sets from tcp_wstamp_ns) or, without one,
 *    the time it is enqueued; a packet beyond the horizon (10 s) is
 *    dropped (horizon_drop, the default) or capped (horizon_cap);
 *  - packets are classified into flows: one per socket, or per hashed
 *    5-tuple for what has no full socket (SYN-ACKs of a listener, resets,
 *    TIME_WAIT, unconnected sockets); a socket seen here switches to
 *    SK_PACING_FQ (with pacing on), so TCP stops pacing itself;
 *  - a packet due now with nothing else eligible takes the fast path;
 *    otherwise flows are served round robin (new flows first), each with
 *    a credit of quantum bytes (2 * MTU; a new flow initial_quantum,
 *    10 * MTU; a flow idle for refill_delay, 40 ms, gets quantum again),
 *    within three priority bands weighted 9:3:1;
 *  - a flow whose next packet is not due is throttled, and the watchdog
 *    (a timer on the virtual clock) runs the queue again when the first
 *    throttled flow is due; flow_max_rate (maxrate) and, for packets
 *    without a departure time, the socket's pacing rate space packets
 *    out (time_next_packet), less half a packet's time for a late
 *    dequeue; below low_rate_threshold every packet waits;
 *  - per band limit (10000) and per flow limit (100) drop packets;
 *    a packet waiting longer than ce_threshold gets CE (if ECT).
 *
 * The device drains at once: a dequeued packet is on the wire, and its
 * memory goes back to its socket (tun orphans the skb), which is where
 * TCP Small Queues learns that room was made (tcp_wfree). */
#include "netdev_priv.h"
#include "nds_priv.h"
#include "tcp_priv.h"
#include "trace_priv.h"
#include "proto/ip.h"
#include "proto/ipv6.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_SEC 1000000000ULL
#define FQ_GC_AGE_MS 3000
#define FQ_GC_MAX 8

struct fq_pkt {
	struct fq_pkt *next;
	uint64_t time_to_send;		/* ns */
	uint64_t tstamp;		/* EDT ns, 0: none */
	struct sock *sk;		/* owner (TSQ), NULL once freed */
	uint32_t truesize;		/* charged to sk->sk_wmem_alloc */
	uint32_t seq;			/* TCP data: first sequence number */
	uint32_t plen;			/* qdisc_pkt_len: with the headers
					 * of each segment of a GSO packet */
	bool data;
	uint8_t band;
	size_t len;
	uint8_t pkt[];
};

struct fq_flow {
	struct fq_flow *next_all;	/* every flow */
	struct fq_flow *next;		/* in a new/old list or delayed */
	uintptr_t key;			/* socket, or (hash << 1) | 1 */
	struct sock *sk;		/* NULL for orphans */
	struct fq_pkt *head, *tail;	/* by time_to_send */
	int qlen;
	int credit;
	int band;
	bool detached;			/* on no list, idle since age */
	int64_t age_ms;
	bool throttled;
	uint64_t time_next_packet;
};

struct fq_list {
	struct fq_flow *first, *last;
};

struct fq_band {
	struct fq_list new_flows, old_flows;
	int credit, quantum;
};

struct fq_sched {
	struct fq_params p;
	struct fq_flow *flows;		/* all flows */
	struct fq_flow internal;	/* the fast path queue */
	struct fq_flow *delayed;	/* throttled, by time_next_packet */
	uint64_t time_next_delayed_flow;
	struct fq_band bands[FQ_BANDS];
	int band_nr;
	int band_pkt_count[FQ_BANDS];
	int nflows, inactive_flows, throttled_flows;
	int qlen;
	struct nds_timer watchdog;
	bool running;
};

/* sch_default_prio2band: skb->priority (TC_PRIO_*) to band */
static const uint8_t prio2band[16] = { 1, 2, 2, 2, 1, 2, 0, 0,
				       1, 1, 1, 1, 1, 1, 1, 1 };

static uint64_t fq_now(const struct nds *ns)
{
	return (uint64_t)ns->now * NSEC_PER_USEC;
}

/* jiffies, in ms (flow ages, refill_delay and the GC age are kept in
 * ms and compared at the jiffy's granularity) */
static int64_t jiffies_ms(const struct nds *ns)
{
	int64_t tick = nds_tick_us(ns);

	return ns->now / tick * tick / USEC_PER_MSEC;
}

void fq_default_params(struct nds *ns, struct fq_params *p)
{
	uint32_t mtu = (uint32_t)ns->mtu;	/* psched_mtu: tun has no L2 */

	memset(p, 0, sizeof(*p));
	p->limit = 10000;
	p->flow_plimit = 100;
	p->quantum = 2 * mtu < 256 ? 256 : 2 * mtu;
	p->initial_quantum = 10 * mtu;
	p->refill_delay_ms = 40;
	p->flow_max_rate = UINT64_MAX;
	p->rate_enable = true;
	p->low_rate_threshold = 550000 / 8;
	p->horizon_ns = 10 * NSEC_PER_SEC;
	p->horizon_drop = true;
	p->ce_threshold_ns = (uint64_t)NSEC_PER_USEC * 0xffffffffULL;
	p->timer_slack_ns = 10 * NSEC_PER_USEC;
	p->orphan_mask = 1023;
	p->buckets_log = 10;
}

/* ------------------------------------------------------------ lists */

static void list_add_tail(struct fq_sched *q, struct fq_flow *f, bool new)
{
	struct fq_list *l = new ? &q->bands[f->band].new_flows
				: &q->bands[f->band].old_flows;

	f->next = NULL;
	if (l->first)
		l->last->next = f;
	else
		l->first = f;
	l->last = f;
	f->detached = false;
}

static void set_throttled(struct fq_sched *q, struct fq_flow *f)
{
	struct fq_flow **pp = &q->delayed;

	while (*pp && (*pp)->time_next_packet <= f->time_next_packet)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	f->throttled = true;
	q->throttled_flows++;
	if (q->time_next_delayed_flow > f->time_next_packet)
		q->time_next_delayed_flow = f->time_next_packet;
}

static void unset_throttled(struct fq_sched *q, struct fq_flow *f)
{
	struct fq_flow **pp;

	for (pp = &q->delayed; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	f->throttled = false;
	q->throttled_flows--;
	list_add_tail(q, f, false);
}

static void fq_check_throttled(struct fq_sched *q, uint64_t now)
{
	if (q->time_next_delayed_flow > now)
		return;
	q->time_next_delayed_flow = UINT64_MAX;
	while (q->delayed) {
		struct fq_flow *f = q->delayed;

		if (f->time_next_packet > now) {
			q->time_next_delayed_flow = f->time_next_packet;
			break;
		}
		unset_throttled(q, f);
	}
}

/* ------------------------------------------------------------ classify */

/* fq_gc: forget flows idle for 3 s (at most 8 at a time); a socket that
 * sends again then starts over with initial_quantum. */
static void fq_gc(struct nds *ns, struct fq_sched *q, uintptr_t keep)
{
	struct fq_flow **pp = &q->flows;
	int n = 0;

	while (*pp && n < FQ_GC_MAX) {
		struct fq_flow *f = *pp;

		if (f->key != keep && f->detached && !f->qlen &&
		    jiffies_ms(ns) > f->age_ms + FQ_GC_AGE_MS) {
			*pp = f->next_all;
			q->nflows--;
			q->inactive_flows--;
			free(f);
			n++;
			continue;
		}
		pp = &f->next_all;
	}
}

static bool fq_fastpath_check(struct fq_sched *q, const struct fq_pkt *p,
			      uint64_t now)
{
	if (p->time_to_send > now)
		return false;
	if (q->qlen) {
		if (q->nflows != q->inactive_flows + q->throttled_flows)
			return false;
		if (q->internal.qlen >= 8)
			return false;
		if (q->time_next_delayed_flow <= now)
			return false;
	}
	return q->p.flow_max_rate == UINT64_MAX;
}

static void set_pacing_fq(struct fq_sched *q, struct sock *sk)
{
	if (sk && q->p.rate_enable && sk->sk_pacing_status != SK_PACING_FQ) {
		sk->sk_pacing_status = SK_PACING_FQ;
		nds_tracef(sk->ns, "fd %d fq: sk_pacing_status = SK_PACING_FQ "
			   "(fq paces, TCP's internal pacing is off)", sk->fd);
	}
}

static struct fq_flow *fq_classify(struct nds *ns, struct fq_sched *q,
				   struct fq_pkt *p, uintptr_t hash,
				   uint64_t now)
{
	struct sock *sk = p->sk;
	uintptr_t key;
	struct fq_flow *f;

	/* listeners, request and TIME_WAIT sockets, unconnected ones:
	 * orphans, hashed by their addresses and ports */
	if (!sk || sk->state == NDS_TCP_LISTEN || sk->state == NDS_TCP_CLOSE ||
	    sk->state == NDS_TCP_TIME_WAIT || sk->state == NDS_TCP_SYN_RECV) {
		sk = NULL;
		key = ((hash & q->p.orphan_mask) << 1) | 1;
	} else {
		key = (uintptr_t)sk;
	}
	if (fq_fastpath_check(q, p, now)) {
		set_pacing_fq(q, sk);
		return &q->internal;
	}
	fq_gc(ns, q, key);
	for (f = q->flows; f; f = f->next_all)
		if (f->key == key)
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return &q->internal;
	f->key = key;
	f->sk = sk;
	f->detached = true;
	f->age_ms = jiffies_ms(ns);
	f->credit = (int)q->p.initial_quantum;
	set_pacing_fq(q, sk);
	f->next_all = q->flows;
	q->flows = f;
	q->nflows++;
	q->inactive_flows++;
	return f;
}

static void flow_queue_add(struct fq_flow *f, struct fq_pkt *p)
{
	struct fq_pkt **pp;

	p->next = NULL;
	if (!f->head || p->time_to_send >= f->tail->time_to_send) {
		if (f->head)
			f->tail->next = p;
		else
			f->head = p;
		f->tail = p;
		return;
	}
	for (pp = &f->head; *pp && (*pp)->time_to_send <= p->time_to_send;
	     pp = &(*pp)->next)
		;
	p->next = *pp;
	*pp = p;
}

static struct fq_pkt *flow_dequeue_head(struct fq_flow *f)
{
	struct fq_pkt *p = f->head;

	f->head = p->next;
	if (!f->head)
		f->tail = NULL;
	p->next = NULL;
	return p;
}

/* ------------------------------------------------------------ dequeue */

/* INET_ECN_set_ce on the IP header, if the packet is ECT */
static void fq_set_ce(struct fq_pkt *p)
{
	if (p->len >= sizeof(struct nds_iphdr) && (p->pkt[0] >> 4) == 4) {
		struct nds_iphdr *ip = (struct nds_iphdr *)p->pkt;

		if (ip->tos & 3) {
			ip->tos |= 3;
			ip->check = 0;
			ip->check = htons(csum_fold(csum_partial(ip,
							sizeof(*ip), 0)));
		}
	} else if (p->len >= sizeof(struct nds_ip6hdr)) {
		struct nds_ip6hdr *ip6 = (struct nds_ip6hdr *)p->pkt;
		uint32_t v = ntohl(ip6->vtc_flow);

		if ((v >> 20) & 3)
			ip6->vtc_flow = htonl(v | (3u << 20));
	}
}

static struct fq_pkt *fq_dequeue(struct nds *ns, struct fq_sched *q)
{
	uint64_t now = fq_now(ns), rate;
	struct fq_band *pband;
	struct fq_list *head;
	struct fq_flow *f;
	struct fq_pkt *p;
	int retry = 0;
	uint32_t plen;

	if (!q->qlen)
		return NULL;
	if (q->internal.head) {
		q->internal.qlen--;
		q->qlen--;
		return flow_dequeue_head(&q->internal);
	}
	fq_check_throttled(q, now);
	pband = &q->bands[q->band_nr];
	for (;;) {
		head = NULL;
		if (pband->credit > 0)
			head = pband->new_flows.first ? &pband->new_flows :
			       pband->old_flows.first ? &pband->old_flows :
			       NULL;
		if (!head) {
			bool found = false;

			while (++retry <= FQ_BANDS) {
				if (++q->band_nr == FQ_BANDS)
					q->band_nr = 0;
				pband = &q->bands[q->band_nr];
				pband->credit = pband->credit + pband->quantum <
						pband->quantum ?
						pband->credit + pband->quantum :
						pband->quantum;
				if (pband->credit > 0) {
					found = true;
					break;
				}
				retry = 0;
			}
			if (found)
				continue;
			if (q->time_next_delayed_flow != UINT64_MAX) {
				int64_t at = (int64_t)((q->time_next_delayed_flow +
						       NSEC_PER_USEC - 1) /
						      NSEC_PER_USEC);

				nds_timer_mod(ns, &q->watchdog, at);
			}
			return NULL;
		}
		f = head->first;
		retry = 0;
		if (f->credit <= 0) {
			f->credit += (int)q->p.quantum;
			head->first = f->next;
			list_add_tail(q, f, false);
			continue;
		}
		p = f->head;
		if (p) {
			uint64_t tnp = p->time_to_send > f->time_next_packet ?
				       p->time_to_send : f->time_next_packet;

			if (now < tnp) {
				head->first = f->next;
				f->time_next_packet = tnp;
				set_throttled(q, f);
				if (f->sk)
					TRACE_VALUES_IN(f->sk, "fq_dequeue",
						"time_next_packet=+%lluns; "
						"flow throttled until then",
						(unsigned long long)(tnp - now));
				continue;
			}
			flow_dequeue_head(f);
			if ((int64_t)(now - tnp - q->p.ce_threshold_ns) > 0)
				fq_set_ce(p);
			if (--f->qlen == 0)
				q->inactive_flows++;
			q->band_pkt_count[p->band]--;
			q->qlen--;
			break;
		}
		head->first = f->next;
		if (head == &pband->new_flows) {
			list_add_tail(q, f, false);
		} else {
			f->detached = true;
			f->age_ms = jiffies_ms(ns);
		}
	}
	plen = p->plen;
	f->credit -= (int)plen;
	pband->credit -= (int)plen;
	if (!q->p.rate_enable)
		return p;
	rate = q->p.flow_max_rate;
	if (!p->tstamp) {
		if (f->sk && f->sk->sk_pacing_rate < rate)
			rate = f->sk->sk_pacing_rate;
		if (rate <= q->p.low_rate_threshold) {
			f->credit = 0;
		} else {
			if (plen < q->p.quantum)
				plen = q->p.quantum;
			if (f->credit > 0)
				return p;
		}
	}
	if (rate != UINT64_MAX) {
		uint64_t len = (uint64_t)plen * NSEC_PER_SEC;

		if (rate)
			len /= rate;
		if (len > NSEC_PER_SEC)
			len = NSEC_PER_SEC;
		if (f->time_next_packet) {
			int64_t drift = (int64_t)(now - f->time_next_packet);

			if (drift > 0)
				len -= len / 2 < (uint64_t)drift ? len / 2
								 : (uint64_t)drift;
		}
		f->time_next_packet = now + len;
	}
	return p;
}

/* The device: a dequeued packet is on the wire at once; the skb is
 * orphaned there, which gives its memory back to the socket. */
static void fq_xmit(struct nds *ns, struct fq_pkt *p)
{
	if (ns->output)
		ns->output(ns->output_ctx, p->pkt, p->len, ns->now);
	if (p->sk && p->truesize)
		tcp_wfree(p->sk, p->truesize);
	free(p);
}

/* qdisc_run: dequeue what is due, in order. */
static void fq_run(struct nds *ns, struct fq_sched *q)
{
	struct fq_pkt *p;

	if (q->running)
		return;
	q->running = true;
	while ((p = fq_dequeue(ns, q)))
		fq_xmit(ns, p);
	q->running = false;
}

static void fq_watchdog(struct nds_timer *t)
{
	struct nds *ns = t->owner_ns;
	struct fq_sched *q = ns->netdev.fq;

	if (q)
		fq_run(ns, q);
}

/* ------------------------------------------------------------ enqueue */

/* A hash of the addresses, protocol and ports (skb_get_hash) */
static uintptr_t fq_pkt_hash(struct nds *ns, const uint8_t *pkt, size_t len)
{
	size_t hl = (pkt[0] >> 4) == 4 ? (size_t)(pkt[0] & 15) * 4 : 40;
	uint8_t key[40];
	size_t n;

	if ((pkt[0] >> 4) == 4) {
		memcpy(key, pkt + 12, 8);
		key[8] = pkt[9];
		n = 9;
	} else {
		memcpy(key, pkt + 8, 32);
		key[32] = pkt[6];
		n = 33;
	}
	if (len >= hl + 4) {
		memcpy(key + n, pkt + hl, 4);
		n += 4;
	}
	return (uintptr_t)nds_hash(ns, key, n);
}

int fq_enqueue(struct nds *ns, const uint8_t *pkt, size_t len)
{
	struct fq_sched *q = ns->netdev.fq;
	struct sock *sk = ns->xmit.sk;
	uint64_t now = fq_now(ns);
	struct fq_flow *f;
	struct fq_pkt *p;
	uint8_t band;

	band = prio2band[(sk ? sk->sk_priority : 0) & 15];
	if (q->band_pkt_count[band] >= (int)q->p.limit) {
		nds_tracef(ns, "qdisc tun0: fq band %d limit %u drops a "
			   "%zu-byte packet", band, q->p.limit, len);
		return NET_XMIT_DROP;
	}
	p = malloc(sizeof(*p) + len);
	if (!p)
		return NET_XMIT_DROP;
	memcpy(p->pkt, pkt, len);
	p->len = len;
	p->next = NULL;
	p->sk = sk;
	p->truesize = sk ? ns->xmit.truesize : 0;
	p->seq = ns->xmit.seq;
	p->data = ns->xmit.data;
	p->band = band;
	p->plen = (uint32_t)len;
	if (ns->xmit.gso_segs > 1) {
		size_t hl = (pkt[0] >> 4) == 4 ? (size_t)(pkt[0] & 15) * 4 : 40;

		if (len >= hl + 20)	/* IP and TCP headers, options too */
			hl += (size_t)(pkt[hl + 12] >> 4) * 4;
		p->plen += (uint32_t)((ns->xmit.gso_segs - 1) * hl);
	}
	p->tstamp = ns->xmit.tstamp_ns;
	if (!p->tstamp) {
		p->time_to_send = now;
	} else {
		if (p->tstamp > now + q->p.horizon_ns) {
			if (q->p.horizon_drop) {
				nds_tracef(ns, "qdisc tun0: fq drops a packet "
					   "%llu ns ahead, beyond the horizon",
					   (unsigned long long)(p->tstamp -
								now));
				free(p);
				return NET_XMIT_DROP;
			}
			p->tstamp = now + q->p.horizon_ns;
		}
		p->time_to_send = p->tstamp;
	}
	f = fq_classify(ns, q, p, fq_pkt_hash(ns, pkt, len), now);
	if (f != &q->internal) {
		if (f->qlen >= (int)q->p.flow_plimit) {
			nds_tracef(ns, "qdisc tun0: fq flow_limit %u drops a "
				   "%zu-byte packet", q->p.flow_plimit, len);
			free(p);
			return NET_XMIT_DROP;
		}
		if (f->detached) {
			f->band = band;
			list_add_tail(q, f, true);
			if (jiffies_ms(ns) > f->age_ms + q->p.refill_delay_ms &&
			    f->credit < (int)q->p.quantum)
				f->credit = (int)q->p.quantum;
		}
		f->band = band;
		q->band_pkt_count[band]++;
		if (f->qlen == 0)
			q->inactive_flows--;
	}
	f->qlen++;
	flow_queue_add(f, p);
	q->qlen++;
	if (sk && p->truesize)
		sk->sk_wmem_alloc += (int)p->truesize;
	if (sk && p->time_to_send > now)
		TRACE_VALUES_IN(sk, "fq_enqueue", "len=%zu time_to_send=+%lluns"
				"; held until its departure time", len,
				(unsigned long long)(p->time_to_send - now));
	fq_run(ns, q);
	return 0;
}

/* ------------------------------------------------------------ life */

/* fq_reset: a qdisc replaced or deleted drops what it holds */
static void fq_purge(struct nds *ns, struct fq_sched *q)
{
	struct fq_flow *f, *n;

	(void)ns;
	for (f = &q->internal; f; f = f == &q->internal ? q->flows
							 : f->next_all) {
		while (f->head) {
			struct fq_pkt *p = flow_dequeue_head(f);

			/* kfree_skb: the destructor still runs (TSQ) */
			if (p->sk && p->truesize)
				tcp_wfree(p->sk, p->truesize);
			free(p);
		}
	}
	for (f = q->flows; f; f = n) {
		n = f->next_all;
		free(f);
	}
}

int fq_init(struct nds *ns, const struct fq_params *params)
{
	struct fq_sched *q = ns->netdev.fq;

	if (q) {	/* fq_change: new parameters, the queue stays */
		q->p = *params;
		fq_run(ns, q);
		return 0;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->p = *params;
	q->time_next_delayed_flow = UINT64_MAX;
	q->bands[0].quantum = 9 << 16;
	q->bands[1].quantum = 3 << 16;
	q->bands[2].quantum = 1 << 16;
	nds_timer_init(ns, &q->watchdog, fq_watchdog, NULL);
	q->watchdog.owner_ns = ns;
	q->watchdog.name = "fq watchdog";
	ns->netdev.fq = q;
	return 0;
}

void fq_destroy(struct nds *ns)
{
	struct fq_sched *q = ns->netdev.fq;

	if (!q)
		return;
	nds_timer_unregister(ns, &q->watchdog);
	fq_purge(ns, q);
	free(q);
	ns->netdev.fq = NULL;
}

/* A socket goes away: its packets stay queued (the skbs hold it in
 * Linux) but no longer report back to it. */
void fq_sock_gone(struct nds *ns, struct sock *sk)
{
	struct fq_sched *q = ns->netdev.fq;

	if (!q)
		return;
	for (struct fq_flow *f = &q->internal; f;
	     f = f == &q->internal ? q->flows : f->next_all) {
		if (f->sk == sk)
			f->sk = NULL;
		for (struct fq_pkt *p = f->head; p; p = p->next)
			if (p->sk == sk)
				p->sk = NULL;
	}
}

/* skb_still_in_host_queue: is the last transmission of the data at seq
 * still waiting in the qdisc? */
bool fq_holds_seq(struct nds *ns, const struct sock *sk, uint32_t seq)
{
	struct fq_sched *q = ns->netdev.fq;

	if (!q)
		return false;
	for (struct fq_flow *f = &q->internal; f;
	     f = f == &q->internal ? q->flows : f->next_all)
		for (struct fq_pkt *p = f->head; p; p = p->next)
			if (p->sk == sk && p->data && p->seq == seq)
				return true;
	return false;
}
