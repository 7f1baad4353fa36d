/* SPDX-License-Identifier: GPL-2.0-only */
/* netdev_priv.h: the device and routing state that scripts configure with
 * shell commands (tc, ip route, nstat), kept per stack instance:
 *  - sch.c    the root qdisc of tun0 (pfifo, and pfifo limit 0 which drops
 *             every outbound packet: NET_XMIT_DROP, as __dev_queue_xmit);
 *  - route.c  route metrics: advmss, mtu [lock], initcwnd;
 *  - mib.c    SNMP / TcpExt counters (net/ipv4/proc.c names) for nstat.
 * All of it is reached by netdrill-private sysctl paths below
 * "net/netdrill/" (netdev.c), so that the command shims and any in-process
 * command runner share one entry point: nds_sysctl_write / nds_sysctl_read.
 *
 *   net/netdrill/qdisc/tun0   rw  "pfifo", "pfifo limit 0", "none"
 *   net/netdrill/route        rw  one route per line (route.c)
 *   net/netdrill/nstat        "Name value history" lines, every counter;
 *                             writing "snapshot" sets history = value
 *   net/netdrill/offload/tun0 rw  "tso on gso on" (the default); writing
 *                             "feature on|off" pairs (tso, gso) applies
 *                             them in order, as `ethtool -K tun0` does
 *   net/netdrill/mtu/tun0     rw  tun0's MTU (--mtu, 1500 by default),
 *                             as `ip link set dev tun0 mtu N` sets it
 *
 * struct nds_netdev is zeroed with the instance: no qdisc, counters 0.
 */
#ifndef NETDRILL_NETDEV_PRIV_H
#define NETDRILL_NETDEV_PRIV_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nds;

/* Counters kept by the stack, each under its nstat name. Only counters the
 * stack really maintains are listed; nstat shows no other. */
enum nds_mib {
	MIB_OUT_OF_WINDOW_ICMPS,	/* TcpExtOutOfWindowIcmps */
	MIB_TCP_RETRANS_FAIL,		/* TcpExtTCPRetransFail */
	/* Tcp (the SNMP group; nstat prefixes "Tcp") */
	MIB_TCP_ACTIVE_OPENS,		/* TcpActiveOpens */
	MIB_TCP_PASSIVE_OPENS,		/* TcpPassiveOpens */
	MIB_TCP_ESTAB_RESETS,		/* TcpEstabResets */
	MIB_TCP_IN_SEGS,		/* TcpInSegs */
	MIB_TCP_OUT_SEGS,		/* TcpOutSegs */
	MIB_TCP_RETRANS_SEGS,		/* TcpRetransSegs */
	MIB_TCP_IN_ERRS,		/* TcpInErrs */
	MIB_TCP_OUT_RSTS,		/* TcpOutRsts */
	MIB_TCP_IN_CSUM_ERRORS,		/* TcpInCsumErrors */
	/* TcpExt (/proc/net/netstat) */
	MIB_DELAYED_ACKS,		/* TcpExtDelayedACKs */
	MIB_PAWS_ESTAB,			/* TcpExtPAWSEstab */
	MIB_TCP_TIMEOUTS,		/* TcpExtTCPTimeouts */
	MIB_TCP_LOSS_PROBES,		/* TcpExtTCPLossProbes */
	MIB_TCP_SACK_RECOVERY,		/* TcpExtTCPSackRecovery */
	MIB_TCP_RENO_RECOVERY,		/* TcpExtTCPRenoRecovery */
	MIB_TCP_FAST_RETRANS,		/* TcpExtTCPFastRetrans */
	MIB_TCP_SLOW_START_RETRANS,	/* TcpExtTCPSlowStartRetrans */
	MIB_TCP_FULL_UNDO,		/* TcpExtTCPFullUndo */
	MIB_TCP_PARTIAL_UNDO,		/* TcpExtTCPPartialUndo */
	MIB_TCP_DSACK_UNDO,		/* TcpExtTCPDSACKUndo */
	MIB_TCP_LOSS_UNDO,		/* TcpExtTCPLossUndo */
	MIB_TCP_SPURIOUS_RTOS,		/* TcpExtTCPSpuriousRTOs */
	MIB_TCP_DSACK_RECV,		/* TcpExtTCPDSACKRecv */
	MIB_TCP_DSACK_OFO_RECV,		/* TcpExtTCPDSACKOfoRecv */
	MIB_TCP_DSACK_RECV_SEGS,	/* TcpExtTCPDSACKRecvSegs */
	MIB_TCP_DSACK_IGNORED_OLD,	/* TcpExtTCPDSACKIgnoredOld */
	MIB_TCP_DSACK_IGNORED_NO_UNDO,	/* TcpExtTCPDSACKIgnoredNoUndo */
	MIB_TCP_DSACK_IGNORED_DUBIOUS,	/* TcpExtTCPDSACKIgnoredDubious */
	MIB_TCP_LOSS_PROBE_RECOVERY,	/* TcpExtTCPLossProbeRecovery */
	MIB_TCP_SACK_RENEGING,		/* TcpExtTCPSACKReneging */
	MIB_TCP_SYN_RETRANS,		/* TcpExtTCPSynRetrans */
	MIB_TCP_ORIG_DATA_SENT,		/* TcpExtTCPOrigDataSent */
	MIB_TCP_ABORT_ON_TIMEOUT,	/* TcpExtTCPAbortOnTimeout */
	MIB_TCP_OFO_QUEUE,		/* TcpExtTCPOFOQueue */
	MIB_TCP_CHALLENGE_ACK,		/* TcpExtTCPChallengeACK */
	MIB_TCP_MTUP_FAIL,		/* TcpExtTCPMTUPFail */
	MIB_TCP_MTUP_SUCCESS,		/* TcpExtTCPMTUPSuccess */
	MIB_TCP_WIN_PROBE,		/* TcpExtTCPWinProbe */
	MIB_TCP_KEEP_ALIVE,		/* TcpExtTCPKeepAlive */
	MIB_TCP_FAST_OPEN_ACTIVE,	/* TcpExtTCPFastOpenActive */
	MIB_TCP_FAST_OPEN_PASSIVE,	/* TcpExtTCPFastOpenPassive */
	MIB_TCP_WANT_ZERO_WINDOW_ADV,	/* TcpExtTCPWantZeroWindowAdv */
	MIB_TCP_TO_ZERO_WINDOW_ADV,	/* TcpExtTCPToZeroWindowAdv */
	MIB_TCP_FROM_ZERO_WINDOW_ADV,	/* TcpExtTCPFromZeroWindowAdv */
	MIB_BEYOND_WINDOW,		/* TcpExtBeyondWindow */
	MIB_SYNCOOKIES_SENT,		/* TcpExtSyncookiesSent */
	MIB_SYNCOOKIES_RECV,		/* TcpExtSyncookiesRecv */
	MIB_SYNCOOKIES_FAILED,		/* TcpExtSyncookiesFailed */
	MIB_LISTEN_OVERFLOWS,		/* TcpExtListenOverflows */
	MIB_LISTEN_DROPS,		/* TcpExtListenDrops */
	MIB_TCP_REQ_Q_FULL_DO_COOKIES,	/* TcpExtTCPReqQFullDoCookies */
	MIB_TCP_REQ_Q_FULL_DROP,	/* TcpExtTCPReqQFullDrop */
	MIB_COUNT
};

/* Root qdisc kinds of tun0. */
enum { QDISC_NONE = 0, QDISC_PFIFO, QDISC_FQ };

/* fq's parameters (tc-fq(8) names; sch_fq.c's fq_init defaults). */
#define FQ_BANDS 3
struct fq_params {
	uint32_t limit;			/* packets per band (10000) */
	uint32_t flow_plimit;		/* flow_limit, packets (100) */
	uint32_t quantum;		/* bytes (2 * MTU) */
	uint32_t initial_quantum;	/* bytes (10 * MTU) */
	uint32_t refill_delay_ms;	/* 40 */
	uint64_t flow_max_rate;		/* maxrate, bytes/s (~0: none) */
	bool rate_enable;		/* pacing / nopacing */
	uint64_t low_rate_threshold;	/* bytes/s (550 kbit) */
	uint64_t horizon_ns;		/* 10 s */
	bool horizon_drop;		/* horizon_drop / horizon_cap */
	uint64_t ce_threshold_ns;	/* ~4295 s: off */
	uint64_t timer_slack_ns;	/* 10 us (shown; timers are exact) */
	uint32_t orphan_mask;		/* 1023 */
	uint32_t buckets_log;		/* 10 (shown; no effect) */
};
struct fq_sched;

/* One route's metrics (0 = not set). dst is stored as IPv6 (IPv4 as
 * ::ffff:a.b.c.d, plen then counts from 96), the layout of struct
 * nds_addr; is_default matches all. */
struct nds_route {
	struct in6_addr dst;
	bool is_default;
	int plen;
	int advmss;			/* RTAX_ADVMSS */
	int mtu;			/* RTAX_MTU */
	bool mtu_locked;		/* "mtu lock": no PMTU discovery */
	int initcwnd;			/* RTAX_INITCWND */
};
#define NDS_MAX_ROUTES 16

struct nds_netdev {
	int qdisc;			/* QDISC_* */
	int qdisc_limit;		/* pfifo limit in packets, -1 default */
	struct fq_sched *fq;		/* QDISC_FQ's state (sch_fq.c) */
	struct fq_params fq_params;	/* ... and its parameters */
	uint64_t mib[MIB_COUNT];
	uint64_t mib_hist[MIB_COUNT];	/* values at nstat's last snapshot */
	struct nds_route routes[NDS_MAX_ROUTES];
	int nroutes;
	/* tun0's offloads, as packetdrill sets them up (TUNSETOFFLOAD with
	 * TSO4/TSO6/TSO_ECN): zero = on. TCP sockets always build GSO skbs
	 * (sk_setup_caps forces NETIF_F_GSO for TCP, so size_goal and TSO
	 * autosizing do not depend on these); with TSO off the skb is
	 * segmented in software before the device, so the sniffer sees mss
	 * segments (tcp_output.c). GSO off alone changes nothing for TCP. */
	bool tso_off;			/* ethtool -K tun0 tso off */
	bool gso_off;			/* ethtool -K tun0 gso off */
};

/* NET_XMIT_DROP, as the transmit path returns it (positive). */
#define NET_XMIT_DROP 1

/* ------------------------------------------------------------ netdev.c */
/* 1 if path is one of ours (then *rc is the result), 0 if the caller
 * should look elsewhere. path as nds_sysctl_write takes it
 * ("net/netdrill/qdisc/tun0", "/proc/sys/...", dots or slashes). */
/* The i-th path below net/netdrill/ (0, 1, ...), NULL past the last. */
const char *netdev_sysctl_name(int i);
int netdev_sysctl_write(struct nds *ns, const char *path, const char *value,
			int *rc);
int netdev_sysctl_read(struct nds *ns, const char *path, char *buf,
		       size_t len, int *rc);

/* ------------------------------------------------------------ sch.c */
/* Parse "pfifo [limit N]" / "none"; 0 or -EINVAL / -EOPNOTSUPP. */
int sch_set(struct nds *ns, const char *spec);
int sch_show(struct nds *ns, char *buf, size_t len);

/* netdev.c: tun0's offloads (net/netdrill/offload/tun0); 0 or -EINVAL. */
int offload_set(struct nds *ns, const char *spec);
int mtu_set(struct nds *ns, const char *spec);
int mtu_show(struct nds *ns, char *buf, size_t len);
int offload_show(struct nds *ns, char *buf, size_t len);
/* dev_queue_xmit: the root qdisc takes the datagram (ns->xmit says whose
 * it is and when it may leave); 0 once it is on the wire or queued,
 * NET_XMIT_DROP if the qdisc drops it. */
int sch_enqueue(struct nds *ns, const uint8_t *pkt, size_t len);
/* Drop the qdisc's state (instance teardown). */
void sch_destroy(struct nds *ns);

/* ------------------------------------------------------------ sch_fq.c */
struct sock;
void fq_default_params(struct nds *ns, struct fq_params *p);
/* Create fq as tun0's root qdisc, or change its parameters. */
int fq_init(struct nds *ns, const struct fq_params *p);
void fq_destroy(struct nds *ns);
int fq_enqueue(struct nds *ns, const uint8_t *pkt, size_t len);
void fq_sock_gone(struct nds *ns, struct sock *sk);
bool fq_holds_seq(struct nds *ns, const struct sock *sk, uint32_t seq);

/* ------------------------------------------------------------ route.c */
struct sock;
/* "DST [advmss N] [mtu [lock] M] [initcwnd K]" or "del DST"; 0 or
 * -EINVAL, -EOPNOTSUPP (other attributes), -ESRCH, -ENOSPC. */
int route_set(struct nds *ns, const char *spec);
int route_show(struct nds *ns, char *buf, size_t len);
/* Path MTU for the socket's peer: the route's MTU, at most the link's. */
int dst_mtu(const struct sock *sk);
void sk_dst_check(struct sock *sk);
/* ip_dont_fragment: DF on TCP's datagrams unless the MTU is locked. */
bool ip_dont_fragment(const struct sock *sk);
/* The route's advmss for the socket's peer, 0 if none. */
int route_advmss(const struct sock *sk);
/* tcp_init_cwnd: the route's initcwnd, else TCP_INIT_CWND. */
uint32_t tcp_init_cwnd(const struct sock *sk);

/* ------------------------------------------------------------ mib.c */
void nds_mib_inc(struct nds *ns, enum nds_mib which);
void nds_mib_add(struct nds *ns, enum nds_mib which, uint64_t n);
/* /proc/net/netstat's TcpExt lines and /proc/net/snmp's Tcp lines, for
 * the counters the stack keeps (net/netdrill/netstat, .../snmp). */
int mib_netstat(struct nds *ns, char *buf, size_t len);
int mib_snmp(struct nds *ns, char *buf, size_t len);
int mib_show(struct nds *ns, char *buf, size_t len);
void mib_snapshot(struct nds *ns);

#endif /* NETDRILL_NETDEV_PRIV_H */
