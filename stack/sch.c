/* SPDX-License-Identifier: GPL-2.0-only */
/* sch.c: the root qdisc of the stack's one device (tun0), as far as TCP
 * can tell it apart: every datagram the stack emits passes
 * ip_queue_xmit -> sch_enqueue (dev_queue_xmit). The wire drains the
 * device at once (packetdrill reads each packet as it is written), so a
 * pfifo with a limit of one packet or more never fills, while
 * "pfifo limit 0" rejects every packet: the caller gets NET_XMIT_DROP,
 * which TCP treats as a local transmit failure (tcp_transmit_skb returns
 * it; see tcp_write_xmit, tcp_retransmit_skb, tcp_send_probe0).
 *
 * fq (sch_fq.c) holds packets until their departure time and paces
 * flows; its parameters are tc-fq(8)'s. Other qdiscs (netem, ...) and
 * fq parameters not modelled are refused, so that a script relying on
 * them fails instead of passing by accident.
 */
#include "netdev_priv.h"
#include "nds_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct tc_unit { const char *u; double mul; };

/* a number with one of units[]'s suffixes (case-insensitive), times its
 * multiplier, divided by div; *out as an integer, at most 1.8e19 */
static int parse_tc_value(const char *s, const struct tc_unit *units,
			  size_t n, double div, uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(end, units[i].u)) {
			v = v * units[i].mul / div;
			if (v > 1.8e19)
				return -EINVAL;
			*out = (uint64_t)v;
			return 0;
		}
	return -EINVAL;
}

/* tc's units: a rate is bits per second bare or with bit, kbit, mbit,
 * gbit, tbit (SI) or kibit, mibit, gibit, tibit (IEC), bytes per second
 * with bps, kbps, mbps, gbps, tbps (and the IEC forms); *out is bytes per
 * second. */
static int parse_rate(const char *s, uint64_t *out)
{
	static const struct tc_unit units[] = {
		{ "", 1 }, { "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 },
		{ "gbit", 1e9 }, { "tbit", 1e12 }, { "kibit", 1024. },
		{ "mibit", 1048576. }, { "gibit", 1073741824. },
		{ "tibit", 1099511627776. }, { "bps", 8 }, { "kbps", 8e3 },
		{ "mbps", 8e6 }, { "gbps", 8e9 }, { "tbps", 8e12 },
		{ "kibps", 8 * 1024. }, { "mibps", 8 * 1048576. },
		{ "gibps", 8 * 1073741824. }, { "tibps", 8 * 1099511627776. },
	};

	return parse_tc_value(s, units, sizeof(units) / sizeof(units[0]), 8,
			      out);
}

/* a time: usecs bare or with us/usec/usecs, ms/msec/msecs, s/sec/secs;
 * *out in ns */
static int parse_time(const char *s, uint64_t *out)
{
	static const struct tc_unit units[] = {
		{ "", 1e3 }, { "us", 1e3 }, { "usec", 1e3 }, { "usecs", 1e3 },
		{ "ms", 1e6 }, { "msec", 1e6 }, { "msecs", 1e6 },
		{ "s", 1e9 }, { "sec", 1e9 }, { "secs", 1e9 },
	};

	return parse_tc_value(s, units, sizeof(units) / sizeof(units[0]), 1,
			      out);
}

/* a size: bytes bare or with b, k/kb (1024), m/mb, g/gb */
static int parse_size(const char *s, uint32_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -EINVAL;
	if (!strcasecmp(end, "k") || !strcasecmp(end, "kb"))
		v *= 1024;
	else if (!strcasecmp(end, "m") || !strcasecmp(end, "mb"))
		v *= 1048576;
	else if (!strcasecmp(end, "g") || !strcasecmp(end, "gb"))
		v *= 1073741824.;
	else if (*end && strcasecmp(end, "b"))
		return -EINVAL;
	if (v > 4294967295.)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (end == s || *end || v > 0xffffffffUL || *s == '-')
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* "fq [limit N] [flow_limit N] [quantum B] [initial_quantum B]
 * [maxrate R] [buckets N] [orphan_mask M] [pacing|nopacing]
 * [refill_delay T] [low_rate_threshold R] [ce_threshold T]
 * [timer_slack T] [horizon T] [horizon_drop|horizon_cap]", the words
 * after "fq" in words[0..n). fq_change keeps what is not given. */
static int fq_parse(struct nds *ns, char **w, int n, struct fq_params *p)
{
	for (int i = 0; i < n; i++) {
		const char *k = w[i], *v = i + 1 < n ? w[i + 1] : NULL;
		uint64_t t;
		int rc = 0;

		if (!strcmp(k, "pacing")) {
			p->rate_enable = true;
			continue;
		}
		if (!strcmp(k, "nopacing")) {
			p->rate_enable = false;
			continue;
		}
		if (!strcmp(k, "horizon_drop") || !strcmp(k, "horizon_cap")) {
			p->horizon_drop = !strcmp(k, "horizon_drop");
			continue;
		}
		if (!strcmp(k, "limit") || !strcmp(k, "flow_limit") ||
		    !strcmp(k, "quantum") || !strcmp(k, "initial_quantum") ||
		    !strcmp(k, "maxrate") || !strcmp(k, "buckets") ||
		    !strcmp(k, "orphan_mask") || !strcmp(k, "refill_delay") ||
		    !strcmp(k, "low_rate_threshold") ||
		    !strcmp(k, "ce_threshold") || !strcmp(k, "timer_slack") ||
		    !strcmp(k, "horizon")) {
			if (!v)
				return -EINVAL;
			i++;
		} else {
			nds_unsupported(ns, "fq parameter %s on tun0", k);
			return -EOPNOTSUPP;
		}
		if (!strcmp(k, "limit"))
			rc = parse_u32(v, &p->limit);
		else if (!strcmp(k, "flow_limit"))
			rc = parse_u32(v, &p->flow_plimit);
		else if (!strcmp(k, "quantum")) {
			rc = parse_size(v, &p->quantum);
			/* clamped to 256 .. 1 MB */
			if (p->quantum < 256)
				p->quantum = 256;
			if (p->quantum > 1 << 20)
				p->quantum = 1 << 20;
		} else if (!strcmp(k, "initial_quantum")) {
			rc = parse_size(v, &p->initial_quantum);
			if (!rc && p->initial_quantum > 1 << 20)
				rc = -EINVAL;
		} else if (!strcmp(k, "maxrate")) {
			rc = parse_rate(v, &t);
			/* TCA_FQ_FLOW_MAX_RATE is 32 bits: ~0U means none */
			p->flow_max_rate = t >= 0xffffffffULL ? UINT64_MAX : t;
		} else if (!strcmp(k, "buckets")) {
			uint32_t b;

			rc = parse_u32(v, &b);
			if (!rc && !b)
				rc = -EINVAL;
			p->buckets_log = 0;
			while (!rc && (2u << p->buckets_log) <= b)
				p->buckets_log++;
		} else if (!strcmp(k, "orphan_mask"))
			rc = parse_u32(v, &p->orphan_mask);
		else if (!strcmp(k, "refill_delay")) {
			rc = parse_time(v, &t);
			p->refill_delay_ms = (uint32_t)((t + 999999) / 1000000);
		} else if (!strcmp(k, "low_rate_threshold"))
			rc = parse_rate(v, &p->low_rate_threshold);
		else if (!strcmp(k, "ce_threshold"))
			rc = parse_time(v, &p->ce_threshold_ns);
		else if (!strcmp(k, "timer_slack"))
			rc = parse_time(v, &p->timer_slack_ns);
		else if (!strcmp(k, "horizon"))
			rc = parse_time(v, &p->horizon_ns);
		if (rc)
			return rc;
	}
	return 0;
}

/* spec: "none" (no root qdisc: the device default), "pfifo",
 * "pfifo limit N" or "fq [parameters]"; surrounding blanks and a
 * trailing newline allowed. */
int sch_set(struct nds *ns, const char *spec)
{
	char buf[512], *w[40], *save = NULL, *tok;
	int n = 0;

	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	for (tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (n == (int)(sizeof(w) / sizeof(w[0])))
			return -EINVAL;
		w[n++] = tok;
	}
	if (!n)
		return -EINVAL;
	if (!strcmp(w[0], "none")) {
		if (n != 1)
			return -EINVAL;
		fq_destroy(ns);
		ns->netdev.qdisc = QDISC_NONE;
		ns->netdev.qdisc_limit = -1;
		nds_tracef(ns, "qdisc tun0: none");
		return 0;
	}
	if (!strcmp(w[0], "fq")) {
		struct fq_params p;
		int rc;

		if (ns->netdev.qdisc == QDISC_FQ && ns->netdev.fq)
			p = ns->netdev.fq_params;
		else
			fq_default_params(ns, &p);
		rc = fq_parse(ns, w + 1, n - 1, &p);
		if (rc)
			return rc;
		rc = fq_init(ns, &p);
		if (rc)
			return rc;
		ns->netdev.fq_params = p;
		ns->netdev.qdisc = QDISC_FQ;
		ns->netdev.qdisc_limit = -1;
		nds_tracef(ns, "qdisc tun0: fq (quantum %u initial_quantum %u "
			   "horizon %llu us%s)", p.quantum, p.initial_quantum,
			   (unsigned long long)(p.horizon_ns / 1000),
			   p.rate_enable ? "" : " nopacing");
		return 0;
	}
	if (strcmp(w[0], "pfifo")) {
		nds_unsupported(ns, "qdisc %s on tun0", w[0]);
		return -EOPNOTSUPP;
	}
	long limit = -1;

	if (n == 3 && !strcmp(w[1], "limit")) {
		char *end;

		limit = strtol(w[2], &end, 10);
		if (end == w[2] || *end || limit < 0 || limit > 0x7fffffff)
			return -EINVAL;
	} else if (n != 1) {
		return -EINVAL;
	}
	fq_destroy(ns);
	ns->netdev.qdisc = QDISC_PFIFO;
	ns->netdev.qdisc_limit = (int)limit;
	nds_tracef(ns, "qdisc tun0: pfifo limit %ld", limit);
	return 0;
}

/* tc's way of showing a rate (bytes/s in, bits shown) */
static int show_rate(char *buf, size_t len, uint64_t bytes)
{
	uint64_t bits = bytes * 8;

	if (bits >= 1000000000 && bits % 1000000000 == 0)
		return snprintf(buf, len, "%lluGbit",
				(unsigned long long)(bits / 1000000000));
	if (bits >= 1000000 && bits % 1000000 == 0)
		return snprintf(buf, len, "%lluMbit",
				(unsigned long long)(bits / 1000000));
	if (bits >= 1000 && bits % 1000 == 0)
		return snprintf(buf, len, "%lluKbit",
				(unsigned long long)(bits / 1000));
	return snprintf(buf, len, "%llubit", (unsigned long long)bits);
}

/* tc's way of showing a time (ns in) */
static int show_time(char *buf, size_t len, uint64_t ns)
{
	uint64_t us = ns / 1000;

	if (us >= 1000000 && us % 1000000 == 0)
		return snprintf(buf, len, "%llus",
				(unsigned long long)(us / 1000000));
	if (us >= 1000 && us % 1000 == 0)
		return snprintf(buf, len, "%llums",
				(unsigned long long)(us / 1000));
	return snprintf(buf, len, "%lluus", (unsigned long long)us);
}

int sch_show(struct nds *ns, char *buf, size_t len)
{
	int n;

	if (ns->netdev.qdisc == QDISC_FQ) {
		const struct fq_params *p = &ns->netdev.fq_params;
		char rate[32], lrt[32], rd[32], hz[32];

		show_rate(rate, sizeof(rate), p->flow_max_rate);
		show_rate(lrt, sizeof(lrt), p->low_rate_threshold);
		show_time(rd, sizeof(rd), (uint64_t)p->refill_delay_ms *
					  1000000);
		show_time(hz, sizeof(hz), p->horizon_ns);
		n = snprintf(buf, len, "fq limit %u flow_limit %u buckets %u "
			     "orphan_mask %u quantum %u initial_quantum %u "
			     "low_rate_threshold %s%s%s refill_delay %s "
			     "horizon %s %s%s", p->limit, p->flow_plimit,
			     1u << p->buckets_log, p->orphan_mask, p->quantum,
			     p->initial_quantum, lrt,
			     p->flow_max_rate != UINT64_MAX ? " maxrate " : "",
			     p->flow_max_rate != UINT64_MAX ? rate : "", rd, hz,
			     p->horizon_drop ? "horizon_drop" : "horizon_cap",
			     p->rate_enable ? "" : " nopacing");
	} else if (ns->netdev.qdisc == QDISC_NONE)
		n = snprintf(buf, len, "none");
	else if (ns->netdev.qdisc_limit < 0)
		n = snprintf(buf, len, "pfifo");
	else
		n = snprintf(buf, len, "pfifo limit %d",
			     ns->netdev.qdisc_limit);
	return n >= 0 && (size_t)n < len ? 0 : -EINVAL;
}

int sch_enqueue(struct nds *ns, const uint8_t *pkt, size_t len)
{
	if (ns->netdev.qdisc == QDISC_FQ && ns->netdev.fq)
		return fq_enqueue(ns, pkt, len);
	if (ns->netdev.qdisc == QDISC_PFIFO && ns->netdev.qdisc_limit == 0) {
		nds_tracef(ns, "qdisc tun0: pfifo limit 0 drops a %zu-byte "
			   "packet", len);
		return NET_XMIT_DROP;
	}
	/* on the wire at once; the skb's memory goes back at once too */
	if (ns->output)
		ns->output(ns->output_ctx, pkt, len, ns->now);
	return 0;
}

void sch_destroy(struct nds *ns)
{
	fq_destroy(ns);
}
