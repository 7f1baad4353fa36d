/* SPDX-License-Identifier: GPL-2.0-only */
/* test_netdev.c: device state scripts set with shell commands, through
 * the net/netdrill/ sysctl paths (stack/netdev.c): route metrics (advmss,
 * mtu, initcwnd), tun0's root qdisc
 * (pfifo limit 0 drops every packet; TCP sees the local drop: data stays
 * unsent and the probe timer retries every 500 ms, a failed retransmission
 * is not counted as one and the RTO retries after 500 ms) and the
 * counters nstat prints (TcpExtOutOfWindowIcmps, TcpExtTCPRetransFail),
 * tun0's offloads (TSO on: one packet per skb with PSH forced on a
 * multi-segment one; TSO off: mss segments, PSH on the last only). */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define A TCPHDR_ACK
#define QDISC "net/netdrill/qdisc/tun0"
#define NSTAT "net/netdrill/nstat"
#define OFFLOAD "net/netdrill/offload/tun0"

static const char *rd(struct th *h, const char *path)
{
	static char buf[4096];

	if (nds_sysctl_read(h->ns, path, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "(unreadable)");
	return buf;
}

/* One counter's "Name value history" line of nstat's listing. */
static const char *ctr(struct th *h, const char *name)
{
	static char line[128];
	const char *all = rd(h, NSTAT), *p = all;
	size_t n = strlen(name);

	snprintf(line, sizeof(line), "(no %s)", name);
	while (p && *p) {
		if (!strncmp(p, name, n) && p[n] == ' ') {
			snprintf(line, sizeof(line), "%.*s",
				 (int)strcspn(p, "\n"), p);
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return line;
}

static struct nds_tcp_info info(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	CHECK_EQ(nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len),
		0);
	return ti;
}

static void test_paths(void)
{
	struct th h;

	th_init(&h, false);
	CHECK_STREQ(rd(&h, QDISC), "none");
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo"), 0);
	CHECK_STREQ(rd(&h, QDISC), "pfifo");
	CHECK_EQ(nds_sysctl_write(h.ns, "/proc/sys/net/netdrill/qdisc/tun0",
			       "  pfifo limit 0\n"), 0);
	CHECK_STREQ(rd(&h, "net.netdrill.qdisc.tun0"), "pfifo limit 0");
	/* unmodelled qdiscs and malformed specs change nothing */
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "netem delay 10ms"), -EOPNOTSUPP);
	CHECK(h.unsupported > 0);
	h.unsupported = 0;
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq flow_hash 1"), -EOPNOTSUPP);
	CHECK(h.unsupported > 0);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq quantum"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq quantum x"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq maxrate 10furlongs"),
		 -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0 x"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo size 3"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, ""), -EINVAL);
	CHECK_STREQ(rd(&h, QDISC), "pfifo limit 0");
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 5"), 0);
	CHECK_STREQ(rd(&h, QDISC), "pfifo limit 5");
	/* fq: defaults from the MTU (quantum 2 * 1500, initial 10 * 1500),
	 * parameters kept across a change, shown in a form it reads back */
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq"), 0);
	CHECK_STREQ(rd(&h, QDISC), "fq limit 10000 flow_limit 100 buckets "
		    "1024 orphan_mask 1023 quantum 3000 initial_quantum 15000 "
		    "low_rate_threshold 550Kbit refill_delay 40ms horizon 10s "
		    "horizon_drop");
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq maxrate 8mbit quantum 1k "
				  "refill_delay 1s horizon_cap nopacing"), 0);
	CHECK_STREQ(rd(&h, QDISC), "fq limit 10000 flow_limit 100 buckets "
		    "1024 orphan_mask 1023 quantum 1024 initial_quantum 15000 "
		    "low_rate_threshold 550Kbit maxrate 8Mbit refill_delay 1s "
		    "horizon 10s horizon_cap nopacing");
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, rd(&h, QDISC)), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "fq quantum 10"), 0);
	CHECK(strstr(rd(&h, QDISC), " quantum 256 ") != NULL);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "none"), 0);
	CHECK_STREQ(rd(&h, QDISC), "none");
	CHECK_STREQ(ctr(&h, "TcpExtOutOfWindowIcmps"), "TcpExtOutOfWindowIcmps 0 0");
	CHECK_STREQ(ctr(&h, "TcpExtTCPRetransFail"), "TcpExtTCPRetransFail 0 0");
	CHECK_EQ(nds_sysctl_write(h.ns, NSTAT, "TcpExtOutOfWindowIcmps 5"),
	      -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, NSTAT, "snapshot\n"), 0);
	{
		char buf[8];

		CHECK_EQ(nds_sysctl_read(h.ns, "net/netdrill/nope", buf,
				      sizeof(buf)), -ENOENT);
		CHECK_EQ(nds_sysctl_read(h.ns, NSTAT, buf, sizeof(buf)),
		      -EINVAL);	/* too small */
	}
	CHECK_EQ(nds_sysctl_write(h.ns, "net/netdrill/nope", "1"), -ENOENT);
	th_free(&h);
}

/* New data written while the qdisc drops everything stays unsent; the
 * probe timer (armed at the RTO, then every 500 ms: local congestion, no
 * backoff) keeps trying and delivers it once the qdisc lets it through. */
static void test_drop_new_data(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct nds_tcp_info ti;
	struct th_pkt *p;
	int64_t t0;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 100000 }, &iss);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0"), 0);
	t0 = nds_now(h.ns);
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	th_expect_none(&h);
	ti = info(&h, fd);
	CHECK_EQ(ti.tcpi_unacked, 0);
	CHECK_EQ(ti.tcpi_notsent_bytes, 1000);
	th_advance(&h, 3000000);
	th_expect_none(&h);
	ti = info(&h, fd);
	/* first probe at the RTO (300 ms), then 500 ms apart: 300 ms,
	 * 800 ms, ..., 2800 ms */
	CHECK_EQ(ti.tcpi_probes, 6);
	CHECK_EQ(ti.tcpi_backoff, 0);
	CHECK_EQ(ti.tcpi_unacked, 0);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo"), 0);
	th_advance(&h, 300000);	/* the probe 3300 ms after the write */
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	CHECK_EQ(p ? p->t - t0 : -1, 3300000);
	CHECK_EQ(info(&h, fd).tcpi_unacked, 1);
	th_free(&h);
}

/* A retransmission the qdisc drops is not in flight again: tcpi_retrans
 * stays 0 and TcpExtTCPRetransFail counts it; the attempt still counts in
 * tcpi_total_retrans and TcpRetransSegs (Linux 6.18 counts it in
 * __tcp_retransmit_skb before the device sees it). */
static void test_retransmit_fails(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;
	int64_t t0;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 100000 }, &iss);
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	t0 = p ? p->t : 0;
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0"), 0);
	/* the loss probe (at the RTO, 300 ms: one packet out) fails */
	th_advance(&h, 400000);
	th_expect_none(&h);
	CHECK_EQ(info(&h, fd).tcpi_retrans, 0);
	CHECK_EQ(info(&h, fd).tcpi_total_retrans, 1);
	CHECK_STREQ(ctr(&h, "TcpExtOutOfWindowIcmps"), "TcpExtOutOfWindowIcmps 0 0");
	CHECK_STREQ(ctr(&h, "TcpExtTCPRetransFail"), "TcpExtTCPRetransFail 1 0");
	/* the attempt stamped the segment (as Linux stamps it before handing
	 * it down), so the RTO runs from there: at 600 ms it fails too, and
	 * is tried again 500 ms later (local congestion: no backoff) */
	th_advance(&h, 300000);
	th_expect_none(&h);
	CHECK_STREQ(ctr(&h, "TcpExtOutOfWindowIcmps"), "TcpExtOutOfWindowIcmps 0 0");
	CHECK_STREQ(ctr(&h, "TcpExtTCPRetransFail"), "TcpExtTCPRetransFail 2 0");
	/* both attempts count, as on 6.18 */
	CHECK_STREQ(ctr(&h, "TcpRetransSegs"), "TcpRetransSegs 2 0");
	CHECK_EQ(info(&h, fd).tcpi_total_retrans, 2);
	CHECK_EQ(info(&h, fd).tcpi_backoff, 0);
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "none"), 0);
	th_advance(&h, 1000000);
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	CHECK_EQ(p ? p->t - t0 : -1, 600000 + 500000);
	CHECK_EQ(info(&h, fd).tcpi_retrans, 1);
	th_free(&h);
}

/* ICMP destination unreachable from 192.0.2.1 quoting a segment of ours
 * with sequence number seq. */
static void icmp_about(struct th *h, uint16_t lport, uint32_t seq)
{
	uint8_t pkt[20 + 8 + 20 + 8];
	uint32_t s = 0;
	int i;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[3] = sizeof(pkt);
	pkt[8] = 64;
	pkt[9] = IPPROTO_ICMP;
	inet_pton(AF_INET, "192.0.2.1", pkt + 12);
	inet_pton(AF_INET, "192.168.0.1", pkt + 16);
	pkt[20] = 3;	/* destination unreachable */
	pkt[21] = 1;	/* host */
	pkt[28] = 0x45;
	pkt[28 + 9] = IPPROTO_TCP;
	inet_pton(AF_INET, "192.168.0.1", pkt + 28 + 12);
	inet_pton(AF_INET, "192.0.2.1", pkt + 28 + 16);
	pkt[48] = (uint8_t)(lport >> 8);
	pkt[49] = (uint8_t)lport;
	pkt[50] = (uint8_t)(h->rport >> 8);
	pkt[51] = (uint8_t)h->rport;
	pkt[52] = (uint8_t)(seq >> 24);
	pkt[53] = (uint8_t)(seq >> 16);
	pkt[54] = (uint8_t)(seq >> 8);
	pkt[55] = (uint8_t)seq;
	for (i = 0; i < 20; i += 2)
		s += (uint32_t)pkt[i] << 8 | pkt[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	pkt[10] = (uint8_t)(~s >> 8);
	pkt[11] = (uint8_t)~s;
	CHECK_EQ(nds_input(h->ns, pkt, sizeof(pkt)), 0);
}

static void test_out_of_window_icmp(void)
{
	struct th h;
	uint32_t iss;
	int fd;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	icmp_about(&h, h.lport, iss + 1 + 5000);	/* never sent */
	icmp_about(&h, h.lport, iss);			/* acked: SYN-ACK */
	CHECK_STREQ(ctr(&h, "TcpExtOutOfWindowIcmps"), "TcpExtOutOfWindowIcmps 2 0");
	CHECK_STREQ(ctr(&h, "TcpExtTCPRetransFail"), "TcpExtTCPRetransFail 0 0");
	CHECK_EQ(nds_sysctl_write(h.ns, NSTAT, "snapshot"), 0);
	icmp_about(&h, h.lport, iss + 1);	/* snd_una: in window */
	icmp_about(&h, h.lport, iss + 1001);	/* snd_nxt: in window */
	CHECK_STREQ(ctr(&h, "TcpExtOutOfWindowIcmps"), "TcpExtOutOfWindowIcmps 2 2");
	CHECK_STREQ(ctr(&h, "TcpExtTCPRetransFail"), "TcpExtTCPRetransFail 0 0");
	(void)fd;
	th_free(&h);
}

#define ROUTE "net/netdrill/route"

static void test_route_paths(void)
{
	struct th h;

	th_init(&h, false);
	CHECK_STREQ(rd(&h, ROUTE), "");
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 advmss 600 mtu lock "
			       "640 initcwnd 11\n"), 0);
	CHECK_STREQ(rd(&h, ROUTE), "192.0.2.1 advmss 600 mtu lock 640 "
		 "initcwnd 11");
	/* a change replaces all metrics of that destination */
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 mtu 1500"), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "fd3d:fa7b:d17d::/48 mtu 1280"),
	      0);
	CHECK_STREQ(rd(&h, ROUTE), "192.0.2.1 mtu 1500\n"
		 "fd3d:fa7b:d17d::/48 mtu 1280");
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 rto_min 5"),
	      -EOPNOTSUPP);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 mtu lock"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 advmss 0"), -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.300 mtu 1000"),
	      -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "del 10.0.0.1"), -ESRCH);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, "del 192.0.2.1"), 0);
	CHECK_STREQ(rd(&h, ROUTE), "fd3d:fa7b:d17d::/48 mtu 1280");
	th_free(&h);
}

/* A route's advmss is the MSS of our SYN-ACK, its MTU sizes our segments
 * (tcpi_pmtu) and its initcwnd is the first window; changing the route
 * changes the MSS of later segments. */
static void test_route_metrics(bool v6)
{
	struct th h;
	uint32_t iss;
	int fd, n = 0;
	struct th_pkt *p;
	struct nds_tcp_info ti;

	th_init(&h, v6);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, v6 ?
			       "fd3d:fa7b:d17d::1 advmss 600 mtu lock 660 "
			       "initcwnd 11" :
			       "192.0.2.0/24 advmss 600 mtu lock 640 "
			       "initcwnd 11"), 0);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1460,
			.wscale = 7 }, &iss);
	CHECK(h.nout > 0 && strstr(h.out[0].opts, "mss 600"));
	ti = info(&h, fd);
	CHECK_EQ(ti.tcpi_snd_cwnd, 11);
	CHECK_EQ(ti.tcpi_pmtu, v6 ? 660 : 640);
	CHECK_EQ(ti.tcpi_snd_mss, 600);
	CHECK_EQ(ti.tcpi_advmss, 600);
	CHECK_EQ(th_write(&h, fd, 20000, NULL), 20000);
	while ((p = th_next(&h))) {
		CHECK_EQ(p->len % 600, 0);
		n += (int)p->len;
	}
	CHECK(n >= 10 * 600 && n <= 11 * 600);
	/* the peer acks it all; the route now allows 1500 bytes (v6: 1520,
	 * but the link has 1500) */
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE, v6 ?
			       "fd3d:fa7b:d17d::1 mtu lock 1520" :
			       "192.0.2.0/24 mtu lock 1500"), 0);
	th_inject(&h, A, 1, iss + 1 + (uint32_t)n, 65535, NULL, 0, 0);
	/* the socket keeps its route until its next segment goes out: what
	 * the ACK lets out is still cut at 600 bytes */
	p = th_next(&h);
	CHECK(p && p->len % 600 == 0);
	CHECK_EQ(info(&h, fd).tcpi_pmtu, v6 ? 660 : 640);
	while (th_next(&h))
		;
	/* the next write sizes for the new route, never above the link's
	 * MTU (1500 here) */
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	CHECK_EQ(info(&h, fd).tcpi_snd_mss, v6 ? 1440 : 1460);
	CHECK_EQ(info(&h, fd).tcpi_pmtu, 1500);
	th_free(&h);
}

/* MTU probing's sysctls take what 6.18 takes: tcp_mtu_probing is a u8
 * (2 and up turn probing on), tcp_mtu_probe_floor 48 to 65535. */
static void test_mtu_probing_sysctls(void)
{
	struct th h;

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probing", "3"), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probing", "255"), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probing", "256"),
		 -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probing", "-1"),
		 -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probe_floor", "47"),
		 -EINVAL);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probe_floor",
				  "65535"), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_mtu_probe_floor",
				  "65536"), -EINVAL);
	th_free(&h);
}

/* IPv4 datagrams' DF bits as they leave (frag_off & 0x4000). */
struct df_seen {
	int n, df;
};

static void df_output(void *ctx, const uint8_t *pkt, size_t len, int64_t t)
{
	struct df_seen *d = ctx;

	(void)t;
	if (len >= 20 && (pkt[0] >> 4) == 4) {
		d->n++;
		d->df += (pkt[6] & 0x40) != 0;
	}
}

/* A locked route MTU turns path MTU discovery off: no DF (as
 * ip_dont_fragment); an unlocked one keeps DF. */
static void test_route_df(bool locked)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct df_seen d = { 0, 0 };

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, ROUTE,
		locked ? "192.0.2.1 mtu lock 1000"
						   : "192.0.2.1 mtu 1000"), 0);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1460,
			.wscale = 7 }, &iss);
	nds_set_output(h.ns, df_output, &d);
	CHECK_EQ(th_write(&h, fd, 3000, NULL), 3000);
	CHECK(d.n >= 1);	/* one TSO packet (tun0 has TSO on) */
	CHECK_EQ(d.df, locked ? 0 : d.n);
	th_free(&h);
}

/* The offload path: "tso|gso on|off" pairs applied in order, anything
 * else refused without a change. */
static void test_offload_path(void)
{
	struct th h;

	th_init(&h, false);
	CHECK(!strcmp(rd(&h, OFFLOAD), "tso on gso on"));
	CHECK_EQ(nds_sysctl_write(h.ns, OFFLOAD, "tso off"), 0);
	CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	CHECK_EQ(nds_sysctl_write(h.ns, OFFLOAD, "tso off gso off gso on"), 0);
	CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	CHECK(nds_sysctl_write(h.ns, OFFLOAD, "gso off gro off") < 0);
	CHECK(nds_sysctl_write(h.ns, OFFLOAD, "tso") < 0);
	CHECK(nds_sysctl_write(h.ns, OFFLOAD, "tso maybe") < 0);
	CHECK(nds_sysctl_write(h.ns, OFFLOAD, "") < 0);
	CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	CHECK_EQ(nds_sysctl_write(h.ns, "net.netdrill.offload.tun0",
			       "tso on"), 0);
	CHECK(!strcmp(rd(&h, OFFLOAD), "tso on gso on"));
	th_free(&h);
}

/* 2500 bytes at mss 1000 leave as TSO bursts of two segments. With TSO
 * on (also with only GSO off: TCP always builds GSO skbs) the wire shows
 * P. 1:2001 then P. 2001:2501; with TSO off the first skb is cut in
 * front of the device: . 1:1001, P. 1001:2001, then P. 2001:2501. */
static void test_offload_wire(const char *spec, bool split)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss, seq;
	int fd;

	th_init(&h, false);
	if (spec)
		CHECK_EQ(nds_sysctl_write(h.ns, OFFLOAD, spec), 0);
	fd = th_established(&h, &(struct th_peer){ .win = 20000, .mss = 1000,
			.wscale = 6, .rtt = 50000 }, &iss);
	CHECK_EQ(th_write(&h, fd, 2500, NULL), 2500);
	seq = iss + 1;
	p = th_next(&h);
	CHECK(p && p->seq == seq && p->len == (split ? 1000u : 2000u));
	CHECK(p && (p->flags & TCPHDR_PSH) == (split ? 0 : TCPHDR_PSH));
	if (split) {
		p = th_next(&h);
		CHECK(p && p->seq == seq + 1000 && p->len == 1000 &&
			 (p->flags & TCPHDR_PSH));
	}
	p = th_next(&h);
	CHECK(p && p->seq == seq + 2000 && p->len == 500 &&
		 (p->flags & TCPHDR_PSH));
	CHECK(!th_next(&h));
	th_free(&h);
}

/* SK_MEMINFO_WMEM_ALLOC through SO_MEMINFO: what the qdisc holds */
static uint32_t wmem_alloc(struct th *h, int fd)
{
	uint32_t mem[9] = { 0 };
	socklen_t len = sizeof(mem);

	if (nds_getsockopt(h->ns, fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return ~0U;
	return mem[2];
}

/* fq holds paced skbs until their departure times; TCP Small Queues lets
 * two of them (2 * truesize, 1280 + 2000 each: more than 100000 >> 10)
 * wait there and sends the next when fq lets one go. */
static void test_fq_tsq(void)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss, rate = 100000;
	int64_t t0;
	int fd, i;

	th_init(&h, false);
	th_advance(&h, 100000);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			    .wscale = 7, .rtt = 100000 }, &iss);
	REQUIRE_EQ(nds_sysctl_write(h.ns, QDISC, "fq"), 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_MAX_PACING_RATE,
				&rate, sizeof(rate)), 0);
	CHECK_EQ(th_write(&h, fd, 20000, NULL), 20000);
	/* the first 10 segments are not paced */
	for (i = 0; i < 5; i++) {
		p = th_next(&h);
		REQUIRE(p != NULL);
		CHECK_EQ(p->len, 2000);
	}
	CHECK_EQ(th_pending(&h), 0);
	CHECK_EQ(wmem_alloc(&h, fd), 0);
	th_advance(&h, 100000);
	t0 = nds_now(h.ns);
	th_inject(&h, A, 1, iss + 10001, 500, NULL, 0, 0);
	/* one at once, two waiting in fq (TSQ), two in the write queue */
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK_EQ(p->t, t0);
	CHECK_EQ(th_pending(&h), 0);
	CHECK_EQ(wmem_alloc(&h, fd), 2 * (1280 + 2000));
	/* then every 20 ms (the first 10 ms: credit for the idle clock) */
	for (i = 0; i < 4; i++) {
		th_advance(&h, i ? 20000 : 10000);
		p = th_next(&h);
		REQUIRE(p != NULL);
		CHECK_EQ(p->t, t0 + 10000 + 20000 * i);
		CHECK_EQ(p->seq, iss + 12001 + 2000 * (uint32_t)i);
		CHECK_EQ(th_pending(&h), 0);
	}
	CHECK_EQ(wmem_alloc(&h, fd), 0);
	/* fq replaced by pfifo: nothing waits any more */
	CHECK_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo"), 0);
	th_free(&h);
}

int main(void)
{
	TAP_CASE("offload_path", test_offload_path());
	TAP_CASE("offload_wire(NULL, false)", test_offload_wire(NULL, false));
	TAP_CASE("offload_wire(gso off, false)", test_offload_wire("gso off",
		false));
	TAP_CASE("offload_wire(tso off, true)", test_offload_wire("tso off",
		true));
	TAP_CASE("offload_wire(tso off gso off, true)",
		test_offload_wire("tso off gso off", true));
	TAP_CASE("offload_wire(tso off gso off tso on gso on, false)",
		test_offload_wire("tso off gso off tso on gso on", false));
	TAP_CASE("route_df(true)", test_route_df(true));
	TAP_CASE("route_df(false)", test_route_df(false));
	TAP_CASE("route_paths", test_route_paths());
	TAP_CASE("route_metrics(false)", test_route_metrics(false));
	TAP_CASE("route_metrics(true)", test_route_metrics(true));
	TAP_CASE("mtu_probing_sysctls", test_mtu_probing_sysctls());
	TAP_CASE("paths", test_paths());
	TAP_CASE("drop_new_data", test_drop_new_data());
	TAP_CASE("retransmit_fails", test_retransmit_fails());
	TAP_CASE("out_of_window_icmp", test_out_of_window_icmp());
	TAP_CASE("fq_tsq", test_fq_tsq());
	return tap_done();
}
