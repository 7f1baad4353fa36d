/* SPDX-License-Identifier: GPL-2.0-only */
/* test_timers.c: timers on the virtual clock: keepalive probes and
 * their expiry, zero-window probes with backoff, SYN-ACK retransmission
 * schedule, FIN_WAIT2 of an orphan, the probe timer flushing corked data
 * (RTO-based, at least 200 ms), the timer wheel's buckets at HZ 250. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/uio.h>

#define A TCPHDR_ACK

static void test_keepalive(void)
{
	struct th h;
	uint32_t iss;
	int fd, one = 1, idle = 10, intvl = 2, cnt = 2;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle,
			     sizeof(idle)), 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl,
			     sizeof(intvl)), 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt,
			     sizeof(cnt)), 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_KEEPALIVE, &one,
			     sizeof(one)), 0);
	CHECK_EQ(nds_next_timer(h.ns), 10000000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	/* the probe: an ACK one byte below snd_una */
	CHECK(p && p->flags == A && p->seq == iss && p->len == 0 &&
		 p->t == 10000000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->seq == iss && p->t == 12000000);
	/* a reply resets the count */
	th_inject(&h, A, 1, iss + 1, 511, NULL, 0, 0);
	/* (the 14 s timer only re-arms: idle time counts from the reply) */
	nds_advance(h.ns, 22000000);
	p = th_next(&h);
	CHECK_EQ(p ? p->t : -1, 22000000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->t == 24000000);
	/* no answer to 2 probes: RST, ETIMEDOUT */
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && (p->flags & TCPHDR_RST) && p->t == 26000000);
	CHECK_EQ(th_read(&h, fd, 10, NULL), -ETIMEDOUT);
	th_free(&h);
}

static void test_zero_window_probe(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;
	int64_t t0;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 100000 }, &iss);
	/* the peer closes its window */
	th_inject(&h, A, 1, iss + 1, 0, NULL, 0, 0);
	t0 = nds_now(h.ns);
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	th_expect_none(&h);
	/* probes at RTO (300 ms), then 600 ms, 1.2 s later */
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->seq == iss && p->len == 0 && p->t - t0 == 300000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->t - t0 == 900000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->t - t0 == 2100000);
	/* the window opens: the data goes */
	th_inject(&h, A, 1, iss + 1, 511, NULL, 0, 0);
	th_expect(&h, A | TCPHDR_PSH, iss, 0, 1000);
	th_free(&h);
}

/* an instance on Linux's timer wheel at HZ 250, without loss probes */
static void wheel_init(struct th *h)
{
	th_init(h, false);
	CHECK_EQ(nds_sysctl_write(h->ns, "net/netdrill/hz", "250"), 0);
	CHECK_EQ(nds_sysctl_write(h->ns, "net/netdrill/timer_wheel", "1"), 0);
	CHECK_EQ(nds_sysctl_write(h->ns, "net/ipv4/tcp_early_retrans", "0"),
		 0);
}

/* Linux's timer wheel at HZ 250: a timer_list fires at the end of its
 * bucket, jiffies ticking 0.5 ms into each 4 ms of the virtual clock. An
 * RTO of 300 ms (75 jiffies: level 1, 8-jiffy buckets) armed at 100 ms
 * (jiffy 25) is due at jiffy 100 and fires at 104; two timers in one
 * bucket fire the last armed first; with the wheel off, at expiry. */
static void test_timer_wheel(void)
{
	struct th h;
	uint32_t iss_a, iss_b;
	int a, b;
	struct th_pkt *p;
	const struct th_peer peer = { .win = 65535, .mss = 1000, .sack = true,
				      .wscale = 7, .rtt = 100000 };

	wheel_init(&h);
	a = th_established(&h, &peer, &iss_a);
	REQUIRE_EQ(nds_now(h.ns), 100000);
	CHECK_EQ(th_write(&h, a, 1000, NULL), 1000);
	th_expect(&h, A | TCPHDR_PSH, iss_a, 0, 1000);
	nds_advance(h.ns, 104000);
	h.rport++;
	h.lport++;
	b = th_established(&h, &peer, &iss_b);	/* at 204 ms: jiffy 51 */
	CHECK_EQ(th_write(&h, b, 1000, NULL), 1000);
	th_expect(&h, A | TCPHDR_PSH, iss_b, 0, 1000);
	/* a: due 100, fires at 104 (412.5 ms); b: due 126, fires at 128 */
	CHECK_EQ(nds_next_timer(h.ns), 412500);
	nds_advance(h.ns, 412500);
	p = th_next(&h);
	CHECK(p && p->seq == iss_a + 1 && p->len == 1000 && p->t == 412500);
	/* a again: 600 ms, due 254 from jiffy 104, fires at 256 */
	CHECK_EQ(nds_next_timer(h.ns), 508500);
	nds_advance(h.ns, 508500);
	p = th_next(&h);
	CHECK(p && p->seq == iss_b + 1 && p->t == 508500);
	/* b, armed at 128 with 150 jiffies, is due at 278, in the bucket
	 * that ends at 280; a is due at 254, bucket end 256: a first */
	nds_advance(h.ns, 1020500);
	p = th_next(&h);
	CHECK(p && p->seq == iss_a + 1 && p->t == 1020500);
	th_free(&h);

	/* the same bucket: the later armed fires first */
	wheel_init(&h);
	a = th_established(&h, &peer, &iss_a);
	h.rport++;
	h.lport++;
	b = th_established(&h, &peer, &iss_b);	/* at 200 ms */
	CHECK_EQ(th_write(&h, a, 1000, NULL), 1000);	/* jiffy 50: due 125 */
	th_expect(&h, A | TCPHDR_PSH, iss_a, 0, 1000);
	nds_advance(h.ns, 204000);
	CHECK_EQ(th_write(&h, b, 1000, NULL), 1000);	/* jiffy 51: due 126 */
	th_expect(&h, A | TCPHDR_PSH, iss_b, 0, 1000);
	nds_advance(h.ns, 508500);			/* both: bucket 128 */
	p = th_next(&h);
	CHECK(p && p->seq == iss_b + 1 && p->t == 508500);
	p = th_next(&h);
	CHECK(p && p->seq == iss_a + 1 && p->t == 508500);
	th_free(&h);

	/* off the wheel: at expiry */
	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/netdrill/hz", "250"), 0);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_early_retrans", "0"),
		 0);
	a = th_established(&h, &peer, &iss_a);
	CHECK_EQ(th_write(&h, a, 1000, NULL), 1000);
	th_expect(&h, A | TCPHDR_PSH, iss_a, 0, 1000);
	CHECK_EQ(nds_next_timer(h.ns), 400000);
	th_free(&h);
}

static void test_synack_retransmits(void)
{
	struct th h;
	struct th_pkt *p;
	int64_t expect[] = { 0, 1000000, 3000000, 7000000, 15000000,
			     31000000 };
	int i;

	th_init(&h, false);
	th_listen(&h, 8080);
	th_inject(&h, TCPHDR_SYN, 0, 0, 65535, NULL, 0, 0);
	for (i = 0; i < 6; i++) {
		if (i)
			nds_advance(h.ns, nds_next_timer(h.ns));
		p = th_next(&h);
		CHECK(p && p->flags == (TCPHDR_SYN | A));
		CHECK_EQ(p ? p->t : -1, expect[i]);
	}
	/* after tcp_synack_retries (5) the request is dropped silently */
	nds_advance(h.ns, nds_next_timer(h.ns));
	th_expect_none(&h);
	CHECK_EQ(nds_next_timer(h.ns), INT64_MAX);
	th_free(&h);
}

static void test_orphan_fin_wait2(void)
{
	struct th h;
	uint32_t iss;
	int fd, l2 = 5;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_LINGER2, &l2,
			     sizeof(l2)), 0);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	th_expect(&h, A | TCPHDR_FIN, iss, 0, 0);
	th_inject(&h, A, 1, iss + 2, 511, NULL, 0, 0);
	/* FIN_WAIT2 lasts TCP_LINGER2 seconds, then the tuple is gone */
	CHECK_EQ(nds_next_timer(h.ns), nds_now(h.ns) + 5000000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	th_inject(&h, A, 1, iss + 2, 511, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == TCPHDR_RST);
	th_free(&h);
}

static void test_msg_more_probe_flush(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;
	struct iovec iov;
	struct msghdr m;
	char buf[100] = { 0 };
	struct nds_wait w;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, MSG_MORE, &w), 100);
	th_expect_none(&h);
	/* the probe timer sends the held data after max(RTO, 200 ms):
	 * RTO = 10 ms + 200 ms */
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_next(&h);
	CHECK(p && p->len == 100 && (p->flags & TCPHDR_PSH));
	CHECK_EQ(p ? p->t - 10000 : -1, 210000);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_keepalive, test_zero_window_probe, test_timer_wheel,
		       test_synack_retransmits, test_orphan_fin_wait2,
		       test_msg_more_probe_flush);
}
