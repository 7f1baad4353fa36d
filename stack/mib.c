/* SPDX-License-Identifier: GPL-2.0-only */
/* mib.c: SNMP and TcpExt counters (the names nstat prints, from Linux's
 * net/ipv4/proc.c tables), counted where the stack takes the matching
 * decision (nds_mib_inc), listed for nstat by net/netdrill/nstat.
 */
#include "netdev_priv.h"
#include "nds_priv.h"
#include "trace_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const mib_names[MIB_COUNT] = {
	[MIB_OUT_OF_WINDOW_ICMPS] = "TcpExtOutOfWindowIcmps",
	[MIB_TCP_RETRANS_FAIL] = "TcpExtTCPRetransFail",
	[MIB_TCP_ACTIVE_OPENS] = "TcpActiveOpens",
	[MIB_TCP_PASSIVE_OPENS] = "TcpPassiveOpens",
	[MIB_TCP_ESTAB_RESETS] = "TcpEstabResets",
	[MIB_TCP_IN_SEGS] = "TcpInSegs",
	[MIB_TCP_OUT_SEGS] = "TcpOutSegs",
	[MIB_TCP_RETRANS_SEGS] = "TcpRetransSegs",
	[MIB_TCP_IN_ERRS] = "TcpInErrs",
	[MIB_TCP_OUT_RSTS] = "TcpOutRsts",
	[MIB_TCP_IN_CSUM_ERRORS] = "TcpInCsumErrors",
	[MIB_DELAYED_ACKS] = "TcpExtDelayedACKs",
	[MIB_PAWS_ESTAB] = "TcpExtPAWSEstab",
	[MIB_TCP_TIMEOUTS] = "TcpExtTCPTimeouts",
	[MIB_TCP_LOSS_PROBES] = "TcpExtTCPLossProbes",
	[MIB_TCP_SACK_RECOVERY] = "TcpExtTCPSackRecovery",
	[MIB_TCP_RENO_RECOVERY] = "TcpExtTCPRenoRecovery",
	[MIB_TCP_FAST_RETRANS] = "TcpExtTCPFastRetrans",
	[MIB_TCP_SLOW_START_RETRANS] = "TcpExtTCPSlowStartRetrans",
	[MIB_TCP_FULL_UNDO] = "TcpExtTCPFullUndo",
	[MIB_TCP_PARTIAL_UNDO] = "TcpExtTCPPartialUndo",
	[MIB_TCP_DSACK_UNDO] = "TcpExtTCPDSACKUndo",
	[MIB_TCP_LOSS_UNDO] = "TcpExtTCPLossUndo",
	[MIB_TCP_SPURIOUS_RTOS] = "TcpExtTCPSpuriousRTOs",
	[MIB_TCP_DSACK_RECV] = "TcpExtTCPDSACKRecv",
	[MIB_TCP_DSACK_OFO_RECV] = "TcpExtTCPDSACKOfoRecv",
	[MIB_TCP_DSACK_RECV_SEGS] = "TcpExtTCPDSACKRecvSegs",
	[MIB_TCP_DSACK_IGNORED_OLD] = "TcpExtTCPDSACKIgnoredOld",
	[MIB_TCP_DSACK_IGNORED_NO_UNDO] = "TcpExtTCPDSACKIgnoredNoUndo",
	[MIB_TCP_DSACK_IGNORED_DUBIOUS] = "TcpExtTCPDSACKIgnoredDubious",
	[MIB_TCP_LOSS_PROBE_RECOVERY] = "TcpExtTCPLossProbeRecovery",
	[MIB_TCP_SACK_RENEGING] = "TcpExtTCPSACKReneging",
	[MIB_TCP_SYN_RETRANS] = "TcpExtTCPSynRetrans",
	[MIB_TCP_ORIG_DATA_SENT] = "TcpExtTCPOrigDataSent",
	[MIB_TCP_ABORT_ON_TIMEOUT] = "TcpExtTCPAbortOnTimeout",
	[MIB_TCP_OFO_QUEUE] = "TcpExtTCPOFOQueue",
	[MIB_TCP_CHALLENGE_ACK] = "TcpExtTCPChallengeACK",
	[MIB_TCP_MTUP_FAIL] = "TcpExtTCPMTUPFail",
	[MIB_TCP_MTUP_SUCCESS] = "TcpExtTCPMTUPSuccess",
	[MIB_TCP_WIN_PROBE] = "TcpExtTCPWinProbe",
	[MIB_TCP_KEEP_ALIVE] = "TcpExtTCPKeepAlive",
	[MIB_TCP_FAST_OPEN_ACTIVE] = "TcpExtTCPFastOpenActive",
	[MIB_TCP_FAST_OPEN_PASSIVE] = "TcpExtTCPFastOpenPassive",
	[MIB_TCP_WANT_ZERO_WINDOW_ADV] = "TcpExtTCPWantZeroWindowAdv",
	[MIB_TCP_TO_ZERO_WINDOW_ADV] = "TcpExtTCPToZeroWindowAdv",
	[MIB_TCP_FROM_ZERO_WINDOW_ADV] = "TcpExtTCPFromZeroWindowAdv",
	[MIB_BEYOND_WINDOW] = "TcpExtBeyondWindow",
	[MIB_SYNCOOKIES_SENT] = "TcpExtSyncookiesSent",
	[MIB_SYNCOOKIES_RECV] = "TcpExtSyncookiesRecv",
	[MIB_SYNCOOKIES_FAILED] = "TcpExtSyncookiesFailed",
	[MIB_LISTEN_OVERFLOWS] = "TcpExtListenOverflows",
	[MIB_LISTEN_DROPS] = "TcpExtListenDrops",
	[MIB_TCP_REQ_Q_FULL_DO_COOKIES] = "TcpExtTCPReqQFullDoCookies",
	[MIB_TCP_REQ_Q_FULL_DROP] = "TcpExtTCPReqQFullDrop",
};

void nds_mib_add(struct nds *ns, enum nds_mib which, uint64_t n)
{
	if ((unsigned)which >= MIB_COUNT || !n)
		return;
	ns->netdev.mib[which] += n;
	nds_trace_emit(ns, NDS_TRACE_COUNTER, -1, mib_names[which], "",
		       (int64_t)ns->netdev.mib[which],
		       (int64_t)(ns->netdev.mib[which] - n));
}

void nds_mib_inc(struct nds *ns, enum nds_mib which)
{
	nds_mib_add(ns, which, 1);
}

/* Sockets in ESTABLISHED or CLOSE_WAIT (Tcp CurrEstab, a gauge). */
static unsigned curr_estab(struct nds *ns)
{
	unsigned n = 0;

	for (struct sock *sk = ns->socks; sk; sk = sk->next)
		if (sk->type == SOCK_STREAM && !sk->dead &&
		    (sk->state == NDS_TCP_ESTABLISHED ||
		     sk->state == NDS_TCP_CLOSE_WAIT))
			n++;
	return n;
}

/* Two lines, "Group: names" and "Group: values", of the counters whose
 * nstat name starts with prefix (named without it, as /proc shows them);
 * fixed fields first. */
static int mib_group(struct nds *ns, char *buf, size_t len,
		     const char *group, const char *prefix, bool tcp_extra)
{
	size_t n = 0, plen = strlen(prefix);
	int pass, i, w;

	if (!len)
		return -EINVAL;
	buf[0] = 0;
	for (pass = 0; pass < 2; pass++) {
		w = snprintf(buf + n, len - n, "%s%s:", pass ? "\n" : "",
			     group);
		if (w < 0 || (size_t)w >= len - n)
			return -EINVAL;
		n += (size_t)w;
		if (tcp_extra) {
			w = pass ? snprintf(buf + n, len - n,
					    " 1 200 120000 -1") :
				   snprintf(buf + n, len - n,
					    " RtoAlgorithm RtoMin RtoMax "
					    "MaxConn");
			if (w < 0 || (size_t)w >= len - n)
				return -EINVAL;
			n += (size_t)w;
		}
		for (i = 0; i < MIB_COUNT; i++) {
			const char *name = mib_names[i];

			if (strncmp(name, prefix, plen) ||
			    (!strcmp(prefix, "Tcp") &&
			     !strncmp(name, "TcpExt", 6)))
				continue;
			if (pass)
				w = snprintf(buf + n, len - n, " %" PRIu64,
					     ns->netdev.mib[i]);
			else
				w = snprintf(buf + n, len - n, " %s",
					     name + plen);
			if (w < 0 || (size_t)w >= len - n)
				return -EINVAL;
			n += (size_t)w;
			if (tcp_extra && i == MIB_TCP_ESTAB_RESETS) {
				w = pass ? snprintf(buf + n, len - n, " %u",
						    curr_estab(ns)) :
					   snprintf(buf + n, len - n,
						    " CurrEstab");
				if (w < 0 || (size_t)w >= len - n)
					return -EINVAL;
				n += (size_t)w;
			}
		}
	}
	if (n + 1 < len) {
		buf[n++] = '\n';
		buf[n] = 0;
	}
	return 0;
}

int mib_netstat(struct nds *ns, char *buf, size_t len)
{
	return mib_group(ns, buf, len, "TcpExt", "TcpExt", false);
}

int mib_snmp(struct nds *ns, char *buf, size_t len)
{
	return mib_group(ns, buf, len, "Tcp", "Tcp", true);
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
