/* SPDX-License-Identifier: GPL-2.0-only */
/* test_handshake.c: passive and active open: SYN/SYN-ACK options in
 * Linux's order, windows, MSS, the first post-handshake window, IPv6. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/uio.h>

static void test_passive_sack_wscale(void)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss = 0;
	int fd;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(fd, 4);
	p = &h.out[0];
	CHECK_EQ(p->flags, TCPHDR_SYN | TCPHDR_ACK);
	CHECK_EQ(p->ack, 1);
	CHECK_EQ(p->win, 65535);
	CHECK_STREQ(p->opts, "mss 1460,nop,nop,sackOK,nop,wscale 8");
	CHECK(p->csum_ok);
	CHECK_EQ(p->ttl, 64);
	CHECK_EQ(th_pending(&h), 0);
	/* first data segment carries the post-handshake window: the whole
	 * space from the start (6.18): rounddown(540000 / 2, 1460) >> 8 */
	CHECK_EQ(th_write(&h, fd, 10, NULL), 10);
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK_EQ(p->flags, TCPHDR_ACK | TCPHDR_PSH);
	CHECK_EQ(p->seq, iss + 1);
	CHECK_EQ(p->len, 10);
	CHECK_EQ(p->win, 1050);
	CHECK_STREQ(p->opts, "");
	th_free(&h);
}

static void test_passive_ts(void)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss = 0;
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);
	int fd;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 20000, .mss = 1000,
			.ts = true, .sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(fd, 4);
	p = &h.out[0];
	CHECK_STREQ(p->opts, "mss 1460,sackOK,TS,nop,wscale 8");
	CHECK_EQ(p->tsecr, 100);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	CHECK_EQ(len, 280);
	CHECK_EQ(ti.tcpi_state, NDS_TCP_ESTABLISHED);
	CHECK_EQ(ti.tcpi_options, 1 | 2 | 4);
	CHECK_EQ(ti.tcpi_snd_wscale, 7);
	CHECK_EQ(ti.tcpi_rcv_wscale, 8);
	CHECK_EQ(ti.tcpi_snd_mss, 988);	/* 1000 - 12 bytes of TS */
	CHECK_EQ(ti.tcpi_advmss, 1448);
	CHECK_EQ(ti.tcpi_snd_cwnd, 10);
	CHECK_EQ(ti.tcpi_snd_ssthresh, 0x7fffffff);
	CHECK_EQ(ti.tcpi_rto, 200000);	/* RTT sample 0: srtt ~0 + rto_min */
	CHECK_EQ(th_write(&h, fd, 10, NULL), 10);
	p = th_next(&h);
	CHECK(p && !strcmp(p->opts, "nop,nop,TS") && p->tsecr == 101);
	th_free(&h);
}

static void test_passive_plain(void)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss = 0;
	int fd;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 50000, .mss = 1000,
			.wscale = -1 }, &iss);
	CHECK_EQ(fd, 4);
	CHECK_STREQ(h.out[0].opts, "mss 1460");
	CHECK_EQ(th_write(&h, fd, 10, NULL), 10);
	p = th_next(&h);
	CHECK(p && p->win == 65535);
	th_free(&h);
}

static void test_active_open(void)
{
	struct th h;
	struct th_pkt *p;
	struct sockaddr_in a;
	struct nds_wait w;
	uint8_t o[40];
	int fd, n = 0, r;

	th_init(&h, false);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(fd, 3);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	memset(&w, 0, sizeof(w));
	r = nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w);
	CHECK_EQ(r, -NDS_EBLOCKED);
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK_EQ(p->flags, TCPHDR_SYN);
	CHECK_EQ(p->win, 65535);
	CHECK_STREQ(p->opts, "mss 1460,sackOK,TS,nop,wscale 8");
	CHECK_EQ(p->tsecr, 0);
	h.rport = p->dport;	/* we play 192.0.2.1:8080 */
	h.lport = p->sport;
	h.rport = 8080;
	n = th_opt_mss(o, n, 1460);
	n = th_opt_sackok(o, n);
	n = th_opt_ts(o, n, 700, p->tsval);
	n = th_opt_nop(o, n);
	n = th_opt_ws(o, n, 7);
	th_advance(&h, 100000);
	th_inject(&h, TCPHDR_SYN | TCPHDR_ACK, 0, p->seq + 1, 65535, o, n, 0);
	r = nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w);
	CHECK_EQ(r, 0);
	p = th_next(&h);
	CHECK(p && p->flags == TCPHDR_ACK && p->ack == 1 && p->t == 100000);
	/* SYN-ACK RTT sample of 100 ms gives RTO 300 ms */
	{
		struct nds_tcp_info ti;
		socklen_t len = sizeof(ti);
		nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
		CHECK_EQ(ti.tcpi_rtt, 100000);
		CHECK_EQ(ti.tcpi_rto, 300000);
	}
	/* a second connect on a connected socket */
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -EISCONN);
	th_free(&h);
}

static void test_syn_retransmit_and_timeout(void)
{
	struct th h;
	struct sockaddr_in a;
	struct nds_wait w;
	int fd, one = 1, r;

	th_init(&h, false);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_SYNCNT, &one,
			     sizeof(one)), 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	memset(&w, 0, sizeof(w));
	r = nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w);
	CHECK_EQ(r, -NDS_EBLOCKED);
	CHECK_EQ(nds_next_timer(h.ns), 1000000);
	nds_advance(h.ns, 1000000);
	CHECK_EQ(th_pending(&h), 2);
	CHECK_EQ(h.out[1].t, 1000000);
	CHECK_EQ(h.out[1].flags, TCPHDR_SYN);
	CHECK_EQ(nds_next_timer(h.ns), 3000000);
	nds_advance(h.ns, 3000000);
	r = nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w);
	CHECK_EQ(r, -ETIMEDOUT);
	CHECK_EQ(th_pending(&h), 2);
	th_free(&h);
}

static void test_ipv6_passive(void)
{
	struct th h;
	uint32_t iss;
	int fd;

	th_init(&h, true);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(fd, 4);
	CHECK(!h.out[0].v4);
	CHECK_STREQ(h.out[0].opts, "mss 1440,nop,nop,sackOK,nop,wscale 8");
	CHECK(h.out[0].csum_ok);
	th_free(&h);
}

static void test_rst_for_no_socket(void)
{
	struct th h;
	struct th_pkt *p;

	th_init(&h, false);
	th_inject(&h, TCPHDR_ACK, 2, 2, 257, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == TCPHDR_RST && p->seq == 2 && p->win == 0);
	th_inject(&h, TCPHDR_SYN, 0, 0, 1000, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == (TCPHDR_RST | TCPHDR_ACK) && p->seq == 0 &&
		 p->ack == 1);
	th_free(&h);
}

/* ECN (RFC 3168): a not-ECT SYN with ECE+CWR gets an ECE SYN-ACK with
 * tcp_ecn=2; new data is ECT(0); a CE mark is echoed with ECE; an ECE
 * ACK puts the sender in CWR with a reduced ssthresh. */
static void test_ecn_passive(void)
{
	struct th h;
	struct th_pkt *p;
	uint8_t o[8];
	int lfd, fd, n;
	struct nds_wait w;
	uint32_t iss;
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_ecn", "2"), 0);
	lfd = th_listen(&h, 8080);
	n = th_opt_mss(o, 0, 1000);
	th_inject(&h, TCPHDR_SYN | TCPHDR_ECE | TCPHDR_CWR, 0, 0, 32792, o, n,
		  0);
	p = th_next(&h);
	CHECK(p && p->flags == (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_ECE));
	CHECK_EQ(p ? p->tos & 3 : 9, 0);	/* SYN-ACKs are not ECT */
	iss = p ? p->seq : 0;
	th_inject(&h, TCPHDR_ACK, 1, iss + 1, 32792, NULL, 0, 0);
	memset(&w, 0, sizeof(w));
	fd = nds_accept(h.ns, lfd, NULL, NULL, 0, &w);
	CHECK_EQ(th_write(&h, fd, 4000, NULL), 4000);
	p = th_next(&h);
	CHECK(p && p->len > 0 && (p->tos & 3) == 2);	/* ECT(0) */
	while (th_next(&h))
		;
	/* the peer echoes congestion: CWR, ssthresh 7, CWR flag queued */
	th_inject(&h, TCPHDR_ACK | TCPHDR_ECE, 1, iss + 1001, 32792, NULL, 0,
		  0);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	CHECK_EQ(ti.tcpi_ca_state, TCP_CA_CWR);
	CHECK_EQ(ti.tcpi_snd_ssthresh, 7);
	CHECK(ti.tcpi_options & 8);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	p = th_next(&h);
	CHECK(p && (p->flags & TCPHDR_CWR));
	th_free(&h);
}

/* Simultaneous open: our SYN crosses the peer's; we answer SYN-ACK and
 * complete on the peer's SYN-ACK (whose SYN is a duplicate: DSACKed). */
static void test_simultaneous_open(void)
{
	struct th h;
	struct th_pkt *p;
	struct sockaddr_in a;
	struct nds_wait w;
	uint8_t o[16];
	uint32_t iss;
	int fd, n;

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_timestamps", "0"), 0);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -NDS_EBLOCKED);
	p = th_next(&h);
	REQUIRE(p != NULL);
	iss = p->seq;
	h.lport = p->sport;
	h.rport = 8080;
	n = th_opt_mss(o, 0, 1040);
	n = th_opt_nop(o, n);
	n = th_opt_nop(o, n);
	n = th_opt_sackok(o, n);
	n = th_opt_nop(o, n);
	n = th_opt_ws(o, n, 6);
	th_advance(&h, 5000);
	th_inject(&h, TCPHDR_SYN, 1234, 0, 14600, o, n, 0);
	p = th_next(&h);
	CHECK(p && p->flags == (TCPHDR_SYN | TCPHDR_ACK) && p->seq == iss &&
		 p->ack == 1235);
	CHECK_STREQ(p ? p->opts : "", "mss 1460,nop,nop,sackOK,nop,wscale 8");
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -NDS_EBLOCKED);
	th_advance(&h, 5000);
	th_inject(&h, TCPHDR_SYN | TCPHDR_ACK, 1234, iss + 1, 14600, o, n, 0);
	p = th_next(&h);
	CHECK(p && p->flags == TCPHDR_ACK && p->seq == iss + 1 &&
		 p->ack == 1235);
	CHECK_STREQ(p ? p->opts : "", "nop,nop,sack 1234:1235");
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
		0);
	th_free(&h);
}

/* A fresh namespace's defaults (tcp_rmem[1] 128 KB, tcp_rmem[2] 32 MB):
 * wscale 10, the SYN-ACK offers rounddown(65536, mss) (64240; 65160 when
 * timestamps take 12 bytes of each segment), and the first window after
 * the handshake is that whole space, rounded up to 1 << 10: 63. */
static void test_passive_fresh_defaults(void)
{
	struct th h;
	struct th_pkt *p;
	uint32_t iss = 0;
	int fd;

	th_init_fresh(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(fd, 4);
	p = &h.out[0];
	CHECK_EQ(p->flags, TCPHDR_SYN | TCPHDR_ACK);
	CHECK_EQ(p->win, 64240);
	CHECK_STREQ(p->opts, "mss 1460,nop,nop,sackOK,nop,wscale 10");
	CHECK_EQ(th_write(&h, fd, 10, NULL), 10);
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK_EQ(p->win, 63);
	th_free(&h);

	th_init_fresh(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.ts = true, .sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(fd, 4);
	p = &h.out[0];
	CHECK_EQ(p->win, 65160);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_simultaneous_open, test_ecn_passive,
		       test_passive_sack_wscale, test_passive_fresh_defaults,
		       test_passive_ts, test_passive_plain, test_active_open,
		       test_syn_retransmit_and_timeout, test_ipv6_passive,
		       test_rst_for_no_socket);
}
