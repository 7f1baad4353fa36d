/* SPDX-License-Identifier: GPL-2.0-only */
/* test_close.c: connection teardown: active close through FIN_WAIT and
 * TIME_WAIT (60 s), passive close (CLOSE_WAIT, LAST_ACK), RST for unread
 * data, SO_LINGER {1,0}, peer RST -> ECONNRESET, close in SYN_SENT. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define A TCPHDR_ACK
#define F TCPHDR_FIN
#define R TCPHDR_RST

static int state_of(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	if (nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -1;
	return ti.tcpi_state;
}

static void test_active_close_time_wait(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_shutdown(h.ns, fd, SHUT_WR), 0);
	th_expect(&h, A | F, iss, 0, 0);
	CHECK_EQ(state_of(&h, fd), NDS_TCP_FIN_WAIT1);
	th_inject(&h, A, 1, iss + 2, 511, NULL, 0, 0);
	CHECK_EQ(state_of(&h, fd), NDS_TCP_FIN_WAIT2);
	th_inject(&h, A | F, 1, iss + 2, 511, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 2);
	/* the fd's socket is closed; a timewait socket keeps the tuple */
	CHECK_EQ(state_of(&h, fd), NDS_TCP_CLOSE);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	/* a retransmitted FIN is ACKed again during TIME_WAIT */
	th_advance(&h, 30 * 1000000LL);
	th_inject(&h, A | F, 1, iss + 2, 511, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 2);
	/* after 60 s the tuple is gone: a segment gets a RST */
	th_advance(&h, 60 * 1000000LL);
	th_inject(&h, A, 2, iss + 2, 511, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == R && p->seq == iss + 2);
	th_free(&h);
}

static void test_passive_close(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	th_advance(&h, 10000);
	th_inject(&h, A | F, 1, iss + 1, 257, NULL, 0, 0);
	/* ato is still 0: the ACK goes out at once */
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 2 && p->t == 10000);
	CHECK_EQ(state_of(&h, fd), NDS_TCP_CLOSE_WAIT);
	CHECK_EQ(th_read(&h, fd, 100, NULL), 0);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	th_expect(&h, A | F, iss, 0, 0);
	th_inject(&h, A, 2, iss + 2, 257, NULL, 0, 0);
	th_expect_none(&h);
	th_inject(&h, A, 2, iss + 2, 257, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == R && p->seq == iss + 2);
	th_free(&h);
}

static void test_close_unread_data_rst(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	th_inject(&h, A | TCPHDR_PSH, 1, iss + 1, 257, NULL, 0, 10);
	(void)th_next(&h);	/* the ACK */
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	p = th_next(&h);
	CHECK(p && p->flags == (R | A) && p->seq == iss + 1 &&
		 p->ack == 11);
	th_free(&h);
}

static void test_linger_zero_and_peer_rst(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct linger l = { 1, 0 };
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)),
	      0);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	p = th_next(&h);
	CHECK(p && (p->flags & R) && p->seq == iss + 1);
	th_free(&h);

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	th_inject(&h, R, 1, 0, 0, NULL, 0, 0);
	CHECK_EQ(state_of(&h, fd), NDS_TCP_CLOSE);
	CHECK_EQ(th_read(&h, fd, 10, NULL), -ECONNRESET);
	CHECK_EQ(th_write(&h, fd, 10, NULL), -EPIPE);
	/* an in-window RST with the wrong seq gets a challenge ACK */
	th_free(&h);
	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	th_inject(&h, R, 100, 0, 0, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == A && p->ack == 1);
	CHECK_EQ(state_of(&h, fd), NDS_TCP_ESTABLISHED);
	th_free(&h);
}

static void test_close_syn_sent(void)
{
	struct th h;
	struct sockaddr_in a;
	struct nds_wait w;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -EINPROGRESS);
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -EALREADY);
	p = th_next(&h);
	CHECK(p && p->flags == TCPHDR_SYN);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	th_expect_none(&h);
	CHECK_EQ(nds_next_timer(h.ns), INT64_MAX);
	/* the SYN-ACK now finds no socket: RST with seq = its ack */
	if (p) {
		h.lport = p->sport;
		h.rport = 8080;
		th_inject(&h, TCPHDR_SYN | A, 0, p->seq + 1, 5000, NULL, 0, 0);
		struct th_pkt *r = th_next(&h);
		CHECK(r && r->flags == R && r->seq == p->seq + 1);
	}
	th_free(&h);
}

/* Data for a socket the application closed: a reset built from the
 * segment (seq = its ack, no ACK flag), and the socket is gone. */
static void test_data_after_close(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	th_expect(&h, A | F, iss, 0, 0);
	th_inject(&h, A, 1, iss + 1, 257, NULL, 0, 1);
	p = th_next(&h);
	CHECK(p && p->flags == R && p->seq == iss + 1);
	th_inject(&h, A, 2, iss + 1, 257, NULL, 0, 0);
	p = th_next(&h);
	CHECK(p && p->flags == R);	/* no socket any more */
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_data_after_close, test_active_close_time_wait,
		       test_passive_close, test_close_unread_data_rst,
		       test_linger_zero_and_peer_rst, test_close_syn_sent);
}
