/* mib.c: SNMP and TcpExt counters (the names nstat prints, from Linux's
 * net/ipv4/proc.c tables), counted where the stack takes the matching
 * decision (nds_mib_inc), listed for nstat by net/netdrill/nstat.
 */
#include "netdev_priv.h"
#include "nds_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const mib_names[MIB_COUNT] = {
	[MIB_OUT_OF_WINDOW_ICMPS] = "TcpExtOutOfWindowIcmps",
	[MIB_TCP_RETRANS_FAIL] = "TcpExtTCPRetransFail",
};

void nds_mib_inc(struct nds *ns, enum nds_mib which)
{
	if ((unsigned)which < MIB_COUNT)
		ns->netdev.mib[which]++;
}

/* One "Name value history" line per counter, in table order, zeros
 * included (nstat drops them unless -z); history is the value at the last
 * mib_snapshot (nstat's history file), 0 before the first. */
int mib_show(struct nds *ns, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	if (!len)
		return -EINVAL;
	buf[0] = 0;
	for (i = 0; i < MIB_COUNT; i++) {
		int w = snprintf(buf + n, len - n, "%s%s %" PRIu64 " %" PRIu64,
				 i ? "\n" : "", mib_names[i],
				 ns->netdev.mib[i], ns->netdev.mib_hist[i]);

		if (w < 0 || (size_t)w >= len - n)
			return -EINVAL;
		n += (size_t)w;
	}
	return 0;
}

/* nstat saved its history: later deltas count from now. */
void mib_snapshot(struct nds *ns)
{
	memcpy(ns->netdev.mib_hist, ns->netdev.mib,
	       sizeof(ns->netdev.mib_hist));
}
