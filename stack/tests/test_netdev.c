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
	static char buf[512];

	if (nds_sysctl_read(h->ns, path, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "(unreadable)");
	return buf;
}

static struct nds_tcp_info info(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	TH_EQ(nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	return ti;
}

static void test_paths(void)
{
	struct th h;

	th_init(&h, false);
	TH_STREQ(rd(&h, QDISC), "none");
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo"), 0);
	TH_STREQ(rd(&h, QDISC), "pfifo");
	TH_EQ(nds_sysctl_write(h.ns, "/proc/sys/net/netdrill/qdisc/tun0",
			       "  pfifo limit 0\n"), 0);
	TH_STREQ(rd(&h, "net.netdrill.qdisc.tun0"), "pfifo limit 0");
	/* unmodelled qdiscs and malformed specs change nothing */
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "fq"), -EOPNOTSUPP);
	TH_CHECK(h.unsupported > 0);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit"), -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0 x"), -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo size 3"), -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, ""), -EINVAL);
	TH_STREQ(rd(&h, QDISC), "pfifo limit 0");
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 5"), 0);
	TH_STREQ(rd(&h, QDISC), "pfifo limit 5");
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "none"), 0);
	TH_STREQ(rd(&h, QDISC), "none");
	TH_STREQ(rd(&h, NSTAT), "TcpExtOutOfWindowIcmps 0 0\n"
		 "TcpExtTCPRetransFail 0 0");
	TH_EQ(nds_sysctl_write(h.ns, NSTAT, "TcpExtOutOfWindowIcmps 5"),
	      -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, NSTAT, "snapshot\n"), 0);
	{
		char buf[8];

		TH_EQ(nds_sysctl_read(h.ns, "net/netdrill/nope", buf,
				      sizeof(buf)), -ENOENT);
		TH_EQ(nds_sysctl_read(h.ns, NSTAT, buf, sizeof(buf)),
		      -EINVAL);	/* too small */
	}
	TH_EQ(nds_sysctl_write(h.ns, "net/netdrill/nope", "1"), -ENOENT);
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
	fd = th_passive_open_rtt(&h, 65535, 1000, false, true, 7, &iss,
				 100000);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0"), 0);
	t0 = nds_now(h.ns);
	TH_EQ(th_write(&h, fd, 1000, NULL), 1000);
	th_expect_none(&h);
	ti = info(&h, fd);
	TH_EQ(ti.tcpi_unacked, 0);
	TH_EQ(ti.tcpi_notsent_bytes, 1000);
	th_advance(&h, 3000000);
	th_expect_none(&h);
	ti = info(&h, fd);
	/* first probe at the RTO (300 ms), then 500 ms apart: 300 ms,
	 * 800 ms, ..., 2800 ms */
	TH_EQ(ti.tcpi_probes, 6);
	TH_EQ(ti.tcpi_backoff, 0);
	TH_EQ(ti.tcpi_unacked, 0);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo"), 0);
	th_advance(&h, 300000);	/* the probe 3300 ms after the write */
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	TH_EQ(p ? p->t - t0 : -1, 3300000);
	TH_EQ(info(&h, fd).tcpi_unacked, 1);
	th_free(&h);
}

/* A retransmission the qdisc drops is no retransmission: tcpi_retrans
 * stays 0 and TcpExtTCPRetransFail counts it. */
static void test_retransmit_fails(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;
	int64_t t0;

	th_init(&h, false);
	fd = th_passive_open_rtt(&h, 65535, 1000, false, true, 7, &iss,
				 100000);
	TH_EQ(th_write(&h, fd, 1000, NULL), 1000);
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	t0 = p ? p->t : 0;
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "pfifo limit 0"), 0);
	/* the loss probe (at the RTO, 300 ms: one packet out) fails */
	th_advance(&h, 400000);
	th_expect_none(&h);
	TH_EQ(info(&h, fd).tcpi_retrans, 0);
	TH_EQ(info(&h, fd).tcpi_total_retrans, 0);
	TH_STREQ(rd(&h, NSTAT), "TcpExtOutOfWindowIcmps 0 0\n"
		 "TcpExtTCPRetransFail 1 0");
	/* the attempt stamped the segment (as Linux stamps it before handing
	 * it down), so the RTO runs from there: at 600 ms it fails too, and
	 * is tried again 500 ms later (local congestion: no backoff) */
	th_advance(&h, 300000);
	th_expect_none(&h);
	TH_STREQ(rd(&h, NSTAT), "TcpExtOutOfWindowIcmps 0 0\n"
		 "TcpExtTCPRetransFail 2 0");
	TH_EQ(info(&h, fd).tcpi_backoff, 0);
	TH_EQ(nds_sysctl_write(h.ns, QDISC, "none"), 0);
	th_advance(&h, 1000000);
	p = th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	TH_EQ(p ? p->t - t0 : -1, 600000 + 500000);
	TH_EQ(info(&h, fd).tcpi_retrans, 1);
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
	TH_EQ(nds_input(h->ns, pkt, sizeof(pkt)), 0);
}

static void test_out_of_window_icmp(void)
{
	struct th h;
	uint32_t iss;
	int fd;

	th_init(&h, false);
	fd = th_passive_open(&h, 65535, 1000, false, true, 7, &iss);
	TH_EQ(th_write(&h, fd, 1000, NULL), 1000);
	th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	icmp_about(&h, h.lport, iss + 1 + 5000);	/* never sent */
	icmp_about(&h, h.lport, iss);			/* acked: SYN-ACK */
	TH_STREQ(rd(&h, NSTAT), "TcpExtOutOfWindowIcmps 2 0\n"
		 "TcpExtTCPRetransFail 0 0");
	TH_EQ(nds_sysctl_write(h.ns, NSTAT, "snapshot"), 0);
	icmp_about(&h, h.lport, iss + 1);	/* snd_una: in window */
	icmp_about(&h, h.lport, iss + 1001);	/* snd_nxt: in window */
	TH_STREQ(rd(&h, NSTAT), "TcpExtOutOfWindowIcmps 2 2\n"
		 "TcpExtTCPRetransFail 0 0");
	(void)fd;
	th_free(&h);
}

#define ROUTE "net/netdrill/route"

static void test_route_paths(void)
{
	struct th h;

	th_init(&h, false);
	TH_STREQ(rd(&h, ROUTE), "");
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 advmss 600 mtu lock "
			       "640 initcwnd 11\n"), 0);
	TH_STREQ(rd(&h, ROUTE), "192.0.2.1 advmss 600 mtu lock 640 "
		 "initcwnd 11");
	/* a change replaces all metrics of that destination */
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 mtu 1500"), 0);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "fd3d:fa7b:d17d::/48 mtu 1280"),
	      0);
	TH_STREQ(rd(&h, ROUTE), "192.0.2.1 mtu 1500\n"
		 "fd3d:fa7b:d17d::/48 mtu 1280");
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 rto_min 5"),
	      -EOPNOTSUPP);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 mtu lock"), -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.1 advmss 0"), -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "192.0.2.300 mtu 1000"),
	      -EINVAL);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "del 10.0.0.1"), -ESRCH);
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, "del 192.0.2.1"), 0);
	TH_STREQ(rd(&h, ROUTE), "fd3d:fa7b:d17d::/48 mtu 1280");
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
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, v6 ?
			       "fd3d:fa7b:d17d::1 advmss 600 mtu lock 660 "
			       "initcwnd 11" :
			       "192.0.2.0/24 advmss 600 mtu lock 640 "
			       "initcwnd 11"), 0);
	fd = th_passive_open(&h, 65535, 1460, false, false, 7, &iss);
	TH_CHECK(h.nout > 0 && strstr(h.out[0].opts, "mss 600"));
	ti = info(&h, fd);
	TH_EQ(ti.tcpi_snd_cwnd, 11);
	TH_EQ(ti.tcpi_pmtu, v6 ? 660 : 640);
	TH_EQ(ti.tcpi_snd_mss, 600);
	TH_EQ(ti.tcpi_advmss, 600);
	TH_EQ(th_write(&h, fd, 20000, NULL), 20000);
	while ((p = th_next(&h))) {
		TH_EQ(p->len % 600, 0);
		n += (int)p->len;
	}
	TH_CHECK(n >= 10 * 600 && n <= 11 * 600);
	/* the peer acks it all; the route now allows 1500 bytes (v6: 1520,
	 * but the link has 1500) */
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, v6 ?
			       "fd3d:fa7b:d17d::1 mtu lock 1520" :
			       "192.0.2.0/24 mtu lock 1500"), 0);
	th_inject(&h, A, 1, iss + 1 + (uint32_t)n, 65535, NULL, 0, 0);
	p = th_next(&h);
	TH_CHECK(p && p->len > 600);
	/* never above the link's MTU (1500 here) */
	TH_EQ(info(&h, fd).tcpi_snd_mss, v6 ? 1440 : 1460);
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
	TH_EQ(nds_sysctl_write(h.ns, ROUTE, locked ? "192.0.2.1 mtu lock 1000"
						   : "192.0.2.1 mtu 1000"), 0);
	fd = th_passive_open(&h, 65535, 1460, false, false, 7, &iss);
	nds_set_output(h.ns, df_output, &d);
	TH_EQ(th_write(&h, fd, 3000, NULL), 3000);
	TH_CHECK(d.n >= 1);	/* one TSO packet (tun0 has TSO on) */
	TH_EQ(d.df, locked ? 0 : d.n);
	th_free(&h);
}

/* The offload path: "tso|gso on|off" pairs applied in order, anything
 * else refused without a change. */
static void test_offload_path(void)
{
	struct th h;

	th_init(&h, false);
	TH_CHECK(!strcmp(rd(&h, OFFLOAD), "tso on gso on"));
	TH_EQ(nds_sysctl_write(h.ns, OFFLOAD, "tso off"), 0);
	TH_CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	TH_EQ(nds_sysctl_write(h.ns, OFFLOAD, "tso off gso off gso on"), 0);
	TH_CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	TH_CHECK(nds_sysctl_write(h.ns, OFFLOAD, "gso off gro off") < 0);
	TH_CHECK(nds_sysctl_write(h.ns, OFFLOAD, "tso") < 0);
	TH_CHECK(nds_sysctl_write(h.ns, OFFLOAD, "tso maybe") < 0);
	TH_CHECK(nds_sysctl_write(h.ns, OFFLOAD, "") < 0);
	TH_CHECK(!strcmp(rd(&h, OFFLOAD), "tso off gso on"));
	TH_EQ(nds_sysctl_write(h.ns, "net.netdrill.offload.tun0",
			       "tso on"), 0);
	TH_CHECK(!strcmp(rd(&h, OFFLOAD), "tso on gso on"));
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
		TH_EQ(nds_sysctl_write(h.ns, OFFLOAD, spec), 0);
	fd = th_passive_open_rtt(&h, 20000, 1000, false, false, 6, &iss,
				 50000);
	TH_EQ(th_write(&h, fd, 2500, NULL), 2500);
	seq = iss + 1;
	p = th_next(&h);
	TH_CHECK(p && p->seq == seq && p->len == (split ? 1000u : 2000u));
	TH_CHECK(p && (p->flags & TCPHDR_PSH) == (split ? 0 : TCPHDR_PSH));
	if (split) {
		p = th_next(&h);
		TH_CHECK(p && p->seq == seq + 1000 && p->len == 1000 &&
			 (p->flags & TCPHDR_PSH));
	}
	p = th_next(&h);
	TH_CHECK(p && p->seq == seq + 2000 && p->len == 500 &&
		 (p->flags & TCPHDR_PSH));
	TH_CHECK(!th_next(&h));
	th_free(&h);
}

int main(void)
{
	test_offload_path();
	test_offload_wire(NULL, false);
	test_offload_wire("gso off", false);
	test_offload_wire("tso off", true);
	test_offload_wire("tso off gso off", true);
	test_offload_wire("tso off gso off tso on gso on", false);
	test_route_df(true);
	test_route_df(false);
	test_route_paths();
	test_route_metrics(false);
	test_route_metrics(true);
	test_paths();
	test_drop_new_data();
	test_retransmit_fails();
	test_out_of_window_icmp();
	if (th_failures)
		fprintf(stderr, "test_netdev: %d check(s) failed\n",
			th_failures);
	return th_failures ? 1 : 0;
}
