/* SPDX-License-Identifier: GPL-2.0-only */
/* nds.c: one stack instance: life cycle, virtual clock, timer queue, trace.
 *
 * nds_new -> nds_sysctl_defaults; nds_advance -> (due timers in order)
 * -> tcp_*_timer handlers; nds_next_timer scans the timer registry.
 */
#include "stack.h"
#include "nds_priv.h"
#include "tcp_priv.h"
#include "trace_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nds *nds_new(const struct nds_config *config)
{
	struct nds *ns;

	if (!config || (!config->has_v4 && !config->has_v6))
		return NULL;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return NULL;
	ns->cfg = *config;
	ns->mtu = config->mtu > 0 ? config->mtu : 1500;
	ns->seed = config->seed ? config->seed : 0x6e6574647269ULL;
	nds_sysctl_defaults(&ns->sysctl);
	ns->next_port = 0;
	ns->ip_id = 1;
	return ns;
}

void nds_free(struct nds *ns)
{
	if (!ns)
		return;
	while (ns->socks)
		sk_free(ns->socks);
	sch_destroy(ns);
	for (int fd = 0; fd < NDS_MAX_FDS; fd++) {
		if (ns->files[fd].kind == 2) {
			struct nds_epitem *it = ns->files[fd].ep->items;
			while (it) {
				struct nds_epitem *n = it->next;
				free(it);
				it = n;
			}
			free(ns->files[fd].ep);
		}
	}
	free(ns);
}

int64_t nds_now(struct nds *ns)
{
	return ns->now;
}

void nds_set_output(struct nds *ns, nds_output_fn fn, void *ctx)
{
	ns->output = fn;
	ns->output_ctx = ctx;
}

void nds_set_rx_gso_size(struct nds *ns, int size)
{
	ns->rx_gso_size = size > 0 ? (uint32_t)size : 0;
}

void nds_set_trace(struct nds *ns, nds_trace_fn fn, void *ctx)
{
	ns->trace = fn;
	ns->trace_ctx = ctx;
}

void nds_tracef(struct nds *ns, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!ns->trace && !ns->trace_detail)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ns->trace)
		ns->trace(ns->trace_ctx, buf);
	if (ns->trace_detail)
		nds_trace_emit(ns, NDS_TRACE_NOTE, -1, "", buf, 0, 0);
}

void nds_unsupported(struct nds *ns, const char *fmt, ...)
{
	char buf[512];
	int n;
	va_list ap;

	if (!ns->trace && !ns->trace_rec)
		return;
	n = snprintf(buf, sizeof(buf), "not supported: ");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (ns->trace)
		ns->trace(ns->trace_ctx, buf);
	nds_trace_emit(ns, NDS_TRACE_NOTE, -1, "", buf, 0, 0);
}

/* FNV-1a mixed with the instance seed: deterministic per run. */
uint64_t nds_hash(struct nds *ns, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ULL ^ ns->seed;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h;
}

/* ------------------------------------------------------------ timers */

void nds_timer_init(struct nds *ns, struct nds_timer *t,
		    void (*fn)(struct nds_timer *), void *owner)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->owner = owner;
	t->owner_ns = ns;
	t->next_all = ns->timers;
	ns->timers = t;
}

void nds_timer_unregister(struct nds *ns, struct nds_timer *t)
{
	struct nds_timer **pp;

	for (pp = &ns->timers; *pp; pp = &(*pp)->next_all) {
		if (*pp == t) {
			*pp = t->next_all;
			break;
		}
	}
	t->pending = false;
}

/* The length of a jiffy on the instance's clock (CONFIG_HZ). */
int64_t nds_tick_us(const struct nds *ns)
{
	int hz = ns->sysctl.hz;

	return hz > 0 && hz <= 1000000 ? USEC_PER_SEC / hz : 1000;
}

/* Linux's timer wheel (kernel/time/timer.c, calc_wheel_index): a timer
 * armed at jiffy j for expires e (the timeout rounded up to whole
 * jiffies, as usecs_to_jiffies does) goes to level n, the first whose
 * range 63 << 3n takes e - j, and fires when the jiffies reach the end of
 * its bucket: e rounded up (never down, and one jiffy on past an exact
 * boundary) to that level's granularity of 8^n jiffies. So a timeout of
 * 63 jiffies or more fires up to an eighth late. Returns the bucket's
 * time; *level the level. */
/* The jiffies tick an eighth of a jiffy into each jiffy of the virtual
 * clock (the kernel's phase is random; this one puts no event at a whole
 * millisecond on a tick). */
static int64_t wheel_bucket(const struct nds *ns, int64_t expires, int *level)
{
	int64_t tick = nds_tick_us(ns), phase = tick / 8;

	if (!ns->sysctl.timer_wheel) {
		*level = 0;
		return expires;
	}
	int64_t clk = (ns->now + tick - phase) / tick;	/* jiffies + 1 */
	int64_t e = clk + (expires - ns->now + tick - 1) / tick;
	int lvl = 0;

	while (lvl < 8 && e - clk >= (63LL << (3 * lvl)))
		lvl++;
	*level = lvl;
	return (((e >> (3 * lvl)) + 1) << (3 * lvl)) * tick - tick + phase;
}

void nds_timer_mod(struct nds *ns, struct nds_timer *t, int64_t expires)
{
	int64_t fire = expires;
	int level = 0;

	if (expires < ns->now)
		expires = ns->now;
	if (t->wheel)
		fire = wheel_bucket(ns, expires, &level);
	else
		fire = expires;
	t->expires = expires;
	/* mod_timer: a pending timer whose new expiry lands in the bucket
	 * it is in stays where it is (and keeps its place in the bucket) */
	if (!(t->pending && t->wheel && t->fire == fire && t->level == level))
		t->order = ++ns->timer_order;
	t->fire = fire;
	t->level = level;
	t->pending = true;
	if (ns->trace_detail && (t->owner || t->name))
		nds_trace_emit(ns, NDS_TRACE_TIMER,
			       t->owner ? ((struct sock *)t->owner)->fd : -1,
			       tcp_timer_name(t), "armed", t->fire, 0);
}

void nds_timer_del(struct nds_timer *t)
{
	struct sock *sk = t->owner;

	if (t->pending && sk && sk->ns->trace_detail)
		nds_trace_emit(sk->ns, NDS_TRACE_TIMER, sk->fd,
			       tcp_timer_name(t), "cancelled", t->expires, 0);
	t->pending = false;
}

static struct nds_timer *first_due(struct nds *ns)
{
	struct nds_timer *best = NULL;

	for (struct nds_timer *t = ns->timers; t; t = t->next_all) {
		if (!t->pending)
			continue;
		if (!best || t->fire < best->fire) {
			best = t;
			continue;
		}
		if (t->fire > best->fire)
			continue;
		/* one instant: hrtimers (in arming order) before the tick's
		 * timer softirq, which takes the coarser levels first and
		 * each bucket's list from its head, the last armed */
		if (t->wheel != best->wheel) {
			if (!t->wheel)
				best = t;
		} else if (!t->wheel ? t->order < best->order
			   : t->level != best->level ? t->level > best->level
			   : t->order > best->order) {
			best = t;
		}
	}
	return best;
}

int64_t nds_next_timer(struct nds *ns)
{
	struct nds_timer *t = first_due(ns);

	return t ? t->fire : INT64_MAX;
}

void nds_advance(struct nds *ns, int64_t t_us)
{
	struct nds_timer *t;

	while ((t = first_due(ns)) && t->fire <= t_us) {
		if (t->fire > ns->now)
			ns->now = t->fire;
		t->pending = false;
		if (ns->trace_rec && (t->owner || t->name))
			nds_trace_emit(ns, NDS_TRACE_TIMER,
				       t->owner ? ((struct sock *)t->owner)->fd
						: -1,
				       tcp_timer_name(t), "fired", t->fire,
				       0);
		t->fn(t);
		nds_trace_sync_detail(ns);
		nds_reap(ns);
	}
	if (t_us > ns->now)
		ns->now = t_us;
}
