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
 * Other qdiscs (fq with its pacing, netem, ...) are not modelled and are
 * refused, so that a script relying on them fails instead of passing by
 * accident.
 */
#include "netdev_priv.h"
#include "nds_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* spec: "none" (no root qdisc: the device default), "pfifo" or
 * "pfifo limit N"; surrounding blanks and a trailing newline allowed. */
int sch_set(struct nds *ns, const char *spec)
{
	char word[16], key[16];
	long limit = -1;
	int n = 0, used = 0;
	const char *p;

	if (sscanf(spec, " %15s%n", word, &used) != 1)
		return -EINVAL;
	p = spec + used;
	if (!strcmp(word, "none")) {
		if (sscanf(p, " %1s", key) == 1)
			return -EINVAL;
		ns->netdev.qdisc = QDISC_NONE;
		ns->netdev.qdisc_limit = -1;
		nds_tracef(ns, "qdisc tun0: none");
		return 0;
	}
	if (strcmp(word, "pfifo")) {
		nds_unsupported(ns, "qdisc %s on tun0", word);
		return -EOPNOTSUPP;
	}
	if (sscanf(p, " %15s%n", key, &n) == 1) {
		char *end;

		if (strcmp(key, "limit"))
			return -EINVAL;
		p += n;
		limit = strtol(p, &end, 10);
		if (end == p || limit < 0 || limit > 0x7fffffff)
			return -EINVAL;
		p = end;
		if (sscanf(p, " %1s", key) == 1)
			return -EINVAL;
	}
	ns->netdev.qdisc = QDISC_PFIFO;
	ns->netdev.qdisc_limit = (int)limit;
	nds_tracef(ns, "qdisc tun0: pfifo limit %ld", limit);
	return 0;
}

int sch_show(struct nds *ns, char *buf, size_t len)
{
	int n;

	if (ns->netdev.qdisc == QDISC_NONE)
		n = snprintf(buf, len, "none");
	else if (ns->netdev.qdisc_limit < 0)
		n = snprintf(buf, len, "pfifo");
	else
		n = snprintf(buf, len, "pfifo limit %d",
			     ns->netdev.qdisc_limit);
	return n >= 0 && (size_t)n < len ? 0 : -EINVAL;
}

int sch_enqueue(struct nds *ns, size_t len)
{
	(void)len;
	if (ns->netdev.qdisc == QDISC_PFIFO && ns->netdev.qdisc_limit == 0) {
		nds_tracef(ns, "qdisc tun0: pfifo limit 0 drops a %zu-byte "
			   "packet", len);
		return NET_XMIT_DROP;
	}
	return 0;
}
