/* SPDX-License-Identifier: GPL-2.0-only */
/* test_data.c: the send and receive paths: IW10 bursts, PSH, Nagle, cork,
 * delayed ACK timing, the blocking write woken by the right ACK
 * (sndbuf 42000, facts §2 "Worked arithmetic"), SIOCINQ/SIOCOUTQ. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define A TCPHDR_ACK
#define P TCPHDR_PSH

/* blocking-write: 61000 bytes with SO_SNDBUF 21000 (-> 42000) into a
 * 50000-byte unscaled window. The write parks after 60000 bytes, an ACK of
 * 35001 leaves it parked, 36001 completes it. */
static void test_blocking_write_wakeup(void)
{
	struct th h;
	uint32_t iss;
	int fd, v = 21000;
	socklen_t len = sizeof(v);
	struct nds_wait w;
	ssize_t r;

	th_init(&h, false);
	nds_sysctl_write(h.ns, "net/ipv4/tcp_min_tso_segs", "10");
	th_advance(&h, 100000);
	fd = th_established(&h, &(struct th_peer){ .win = 50000, .mss = 1000,
			    .wscale = 0, .rtt = 100000 }, &iss);
	CHECK_EQ(fd, 4);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)),
		0);
	CHECK_EQ(nds_getsockopt(h.ns, fd, SOL_SOCKET, SO_SNDBUF, &v, &len), 0);
	CHECK_EQ(v, 42000);
	memset(&w, 0, sizeof(w));
	r = th_write(&h, fd, 61000, &w);
	CHECK_EQ(r, -NDS_EBLOCKED);
	CHECK_EQ(w.progress, 60000);
	CHECK_EQ(w.deadline, INT64_MAX);
	th_advance(&h, 100000);
	th_inject(&h, A, 1, iss + 10001, 50000, NULL, 0, 0);
	CHECK_EQ(th_write(&h, fd, 61000, &w), -NDS_EBLOCKED);
	th_advance(&h, 100000);
	th_inject(&h, A, 1, iss + 30001, 50000, NULL, 0, 0);
	CHECK_EQ(th_write(&h, fd, 61000, &w), -NDS_EBLOCKED);
	th_inject(&h, A, 1, iss + 35001, 50000, NULL, 0, 0);
	CHECK_EQ(th_write(&h, fd, 61000, &w), -NDS_EBLOCKED);
	th_inject(&h, A, 1, iss + 36001, 50000, NULL, 0, 0);
	CHECK_EQ(th_write(&h, fd, 61000, &w), 61000);
	{
		int q = 0;
		CHECK_EQ(nds_ioctl(h.ns, fd, SIOCOUTQ, &q), 0);
		CHECK_EQ(q, 61000 - 36000);
	}
	th_free(&h);
}

/* IW10: ten segments in two bursts of five (cwnd/2 quota), PSH at the end
 * of each multi-segment burst; nothing more until an ACK. */
static void test_iw10_bursts(void)
{
	struct th h;
	uint32_t iss;
	int fd;

	th_init(&h, false);
	nds_sysctl_write(h.ns, "net/ipv4/tcp_min_tso_segs", "10");
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 100000 }, &iss);
	CHECK_EQ(th_write(&h, fd, 26000, NULL), 26000);
	th_expect(&h, A | P, iss, 0, 5000);
	th_expect(&h, A | P, iss, 5000, 5000);
	th_expect_none(&h);
	th_advance(&h, 100000);
	th_inject(&h, A, 1, iss + 10001, 511, NULL, 0, 0);
	/* slow start: cwnd 20, 16000 bytes left */
	th_expect(&h, A | P, iss, 10000, 10000);
	th_expect(&h, A | P, iss, 20000, 6000);
	th_expect_none(&h);
	th_free(&h);
}

/* Nagle: a second small write waits for the ACK of the first; with
 * TCP_NODELAY it goes at once. */
static void test_nagle(void)
{
	struct th h;
	uint32_t iss;
	int fd, one = 1;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	th_expect(&h, A | P, iss, 0, 100);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	th_expect_none(&h);
	th_advance(&h, 10000);
	th_inject(&h, A, 1, iss + 101, 511, NULL, 0, 0);
	th_expect(&h, A | P, iss, 100, 100);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_NODELAY, &one,
			     sizeof(one)), 0);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	th_expect(&h, A | P, iss, 200, 100);
	th_free(&h);
}

/* TCP_CORK holds a partial segment until uncorked. */
static void test_cork(void)
{
	struct th h;
	uint32_t iss;
	int fd, one = 1, zero = 0;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_CORK, &one,
			     sizeof(one)), 0);
	CHECK_EQ(th_write(&h, fd, 200, NULL), 200);
	CHECK_EQ(th_write(&h, fd, 200, NULL), 200);
	th_expect_none(&h);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_CORK, &zero,
			     sizeof(zero)), 0);
	th_expect(&h, A | P, iss, 0, 400);
	th_free(&h);
}

/* Receive: quickack for the first segments, then delayed ACKs after the
 * 40 ms ato; an ACK every second full segment. */
static void test_delayed_ack(void)
{
	struct th h;
	uint32_t iss;
	int fd, q = 0;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	/* the first data segment is ACKed at once (quickack mode) */
	th_inject(&h, A | P, 1, iss + 1, 511, NULL, 0, 1000);
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 1001 && p->t == 0);
	CHECK_EQ(nds_ioctl(h.ns, fd, SIOCINQ, &q), 0);
	CHECK_EQ(q, 1000);
	CHECK_EQ(th_read(&h, fd, 5000, NULL), 1000);
	CHECK_EQ(nds_ioctl(h.ns, fd, SIOCINQ, &q), 0);
	CHECK_EQ(q, 0);
	/* leave quickack mode */
	nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_QUICKACK, &(int){ 0 },
		       sizeof(int));
	th_advance(&h, 10000);
	th_inject(&h, A | P, 1001, iss + 1, 511, NULL, 0, 100);
	th_expect_none(&h);
	CHECK(nds_next_timer(h.ns) > nds_now(h.ns));
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 1101);
	/* in pingpong the delay is bounded by 200 ms and at least 40 ms */
	CHECK(p && p->t - 10000 >= 40000 && p->t - 10000 <= 200000);
	th_free(&h);
}

/* A read that finds no data parks; data wakes it; EOF reads 0. */
static void test_blocking_read_and_eof(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct nds_wait w;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(th_read(&h, fd, 100, &w), -NDS_EBLOCKED);
	th_advance(&h, 5000);
	th_inject(&h, A | P, 1, iss + 1, 511, NULL, 0, 50);
	CHECK_EQ(th_read(&h, fd, 100, &w), 50);
	th_inject(&h, A | TCPHDR_FIN, 51, iss + 1, 511, NULL, 0, 0);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(th_read(&h, fd, 100, &w), 0);
	/* nonblocking read on an empty queue */
	{
		struct th h2;
		uint32_t iss2;
		int fd2, fl;
		th_init(&h2, false);
		fd2 = th_established(&h2, &(struct th_peer){ .win = 65535,
				.mss = 1000, .sack = true, .wscale = 7 },
				&iss2);
		fl = nds_fcntl(h2.ns, fd2, F_GETFL, 0);
		CHECK_EQ(nds_fcntl(h2.ns, fd2, F_SETFL, fl | O_NONBLOCK), 0);
		CHECK_EQ(th_read(&h2, fd2, 100, NULL), -EAGAIN);
		th_free(&h2);
	}
	th_free(&h);
}

/* Out-of-order data is SACKed at once; filling the hole ACKs all. */
static void test_ofo_sack(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	(void)fd;
	th_inject(&h, A, 1001, iss + 1, 511, NULL, 0, 1000);
	p = th_next(&h);
	CHECK(p && p->ack == 1);
	CHECK_STREQ(p ? p->opts : "", "nop,nop,sack 1001:2001");
	th_inject(&h, A, 1, iss + 1, 511, NULL, 0, 1000);
	p = th_next(&h);
	CHECK(p && p->ack == 2001 && !strcmp(p->opts, ""));
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_blocking_write_wakeup, test_iw10_bursts, test_nagle,
		       test_cork, test_delayed_ack, test_blocking_read_and_eof,
		       test_ofo_sack);
}
