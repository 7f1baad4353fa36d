/* SPDX-License-Identifier: GPL-2.0-only */
/* test_rcvwin.c: the receive window of the embedded stack (rcvwin helper):
 * the tun truesize model, window growth per segment, the scaling ratio and
 * window_clamp, the no-shrink rule with an unread queue, the zero window
 * and the update on read, DRS and its SO_RCVBUF lock. */
#include "tcp_helper.h"
#include "proto/tcp.h"
#include "nds_priv.h"
#include "tcp_priv.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#define A TCPHDR_ACK

static int getint(struct th *h, int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	CHECK_EQ(nds_getsockopt(h->ns, fd, level, name, &v, &len), 0);
	return v;
}

/* Inject len bytes at relative sequence *seq (peer ISN 0) and advance it;
 * return the window of the ACK sent for it, or -1 if none was sent. */
static int data(struct th *h, uint32_t *seq, uint32_t len, uint32_t iss)
{
	struct th_pkt *p, *last = NULL;

	th_inject(h, A, *seq, iss + 1, 514, NULL, 0, len);
	*seq += len;
	while ((p = th_next(h)))
		last = p;
	return last ? last->win : -1;
}

static void test_truesize_model(void)
{
	struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.v4 = true;
	s.doff = 20;
	/* one kmalloc head below a page: 2048 or 4096 slab + sk_buff */
	s.len = 1000; CHECK_EQ(tcp_rx_truesize(&s), 2304);
	s.len = 1460; CHECK_EQ(tcp_rx_truesize(&s), 2304);
	s.len = 2000; CHECK_EQ(tcp_rx_truesize(&s), 4352);
	s.len = 3000; CHECK_EQ(tcp_rx_truesize(&s), 4352);
	/* a page or more, a plain packet as packetdrill writes it (hdr_len
	 * 0): no head, the whole packet in page chunks (6.18,
	 * SK_MEMINFO_RMEM_ALLOC: 8448 for 4000 bytes, 12544 for 10000,
	 * 33024 for 30000) */
	s.len = 4000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 8192);
	s.len = 10000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 8192 + 4096);
	s.len = 30000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 32768);
	/* a GRO packet from tun (--mss, hdr_len 0): the same (6.18: 12544
	 * for 9000 bytes, SO_MEMINFO) */
	s.gso_size = 1000;
	s.len = 9000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 8192 + 4096);
	s.len = 7768; CHECK_EQ(tcp_rx_truesize(&s), 256 + 8192);
	s.len = 7769; CHECK_EQ(tcp_rx_truesize(&s), 256 + 8192 + 4096);
	s.len = 12000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 16384);
	s.len = 20000; CHECK_EQ(tcp_rx_truesize(&s), 256 + 16384 + 4096);
	s.gso_size = 0;
	/* IPv6's longer header can cross a slab boundary */
	s.v4 = false;
	s.len = 1620; CHECK_EQ(tcp_rx_truesize(&s), 4352);
	s.v4 = true;
	CHECK_EQ(tcp_rx_truesize(&s), 2304);
}

/* Defaults (tcp_rmem[1] 540000, wscale 8): the whole space after the
 * handshake (rcv_ssthresh = rounddown(540000 / 2, 1460)), then +2*advmss
 * per full-sized segment read at once, window_clamp from the
 * re-measured ratio (1460/2304: 162) less nothing. */
static void test_growth_defaults(void)
{
	struct th h;
	uint32_t iss, seq = 1, ssthresh = 270000 / 1460 * 1460;
	int fd, i, w;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1460,
			.sack = true, .wscale = 7 }, &iss);
	CHECK(fd >= 0);
	CHECK_EQ(getint(&h, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP), 270000 - 1460);
	for (i = 0; i < 5; i++) {
		th_advance(&h, 1000);
		w = data(&h, &seq, 1460, iss);
		ssthresh += 2920;
		CHECK_EQ(w, (ssthresh + 255) >> 8);
		CHECK_EQ(th_read(&h, fd, 65536, NULL), 1460);
	}
	CHECK_EQ(getint(&h, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP),
	      (540000 * 162) >> 8);
	th_free(&h);
}

/* An application that does not read: every ACK's right edge stays at or
 * beyond the previous one (never shrink), the window closes to 0 once
 * the free space is below 1/16 of the buffer, and a read that reopens at
 * least twice the offered window sends a window update at once. */
static void test_no_shrink_and_zero_window(void)
{
	struct th h;
	uint32_t iss, seq = 1, edge = 0;
	int fd, i, w = 1;
	struct th_pkt *p;

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_rmem",
			       "4096 65536 6291456"), 0);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1460,
			.sack = true, .wscale = 7 }, &iss);
	CHECK(fd >= 0);
	for (i = 0; i < 60 && w > 0; i++) {
		/* a sender that keeps to the window: since 6.17 a segment
		 * past it is dropped while data waits to be read */
		uint32_t len = 1460;

		if (edge && edge - seq < len)
			len = edge - seq;
		th_advance(&h, 1000);
		w = data(&h, &seq, len, iss);
		if (w < 0) {		/* a delayed ACK: let it go */
			th_advance(&h, 200000);
			p = th_next(&h);
			REQUIRE(p != NULL);
			w = p->win;
		}
		CHECK(seq + ((uint32_t)w << 7) >= edge);
		edge = seq + ((uint32_t)w << 7);
	}
	CHECK_EQ(w, 0);
	CHECK(i < 60);
	/* reading everything reopens the window with an update */
	CHECK(th_read(&h, fd, 65536, NULL) > 0);
	while (th_read(&h, fd, 65536, NULL) > 0)
		;
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK(p->win > 0);
	th_free(&h);
}

/* DRS on a 16 KB buffer: a 1460-byte segment read every 10 ms; the
 * receiver RTT (one window, 7300 bytes: 20 ms) is known at the sixth, and
 * that read finds 8760 bytes taken in 60 ms against a space of 6732:
 * rcvwin = 2 * 8760 + 2 * (17520 * 2028 / 6732) = 28074, sk_rcvbuf =
 * 28074 * 256 / 162 = 44363 (as on Linux 6.18). With SO_RCVBUF set the
 * buffer stays put. */
static void drs_run(bool lock, int *rcvbuf, int *clamp)
{
	struct th h;
	uint32_t iss, seq = 1;
	int fd, i, v = 8192;

	th_init(&h, false);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_rmem",
			       "4096 16384 6291456"), 0);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1460,
			.sack = true, .wscale = 7 }, &iss);
	CHECK(fd >= 0);
	if (lock)
		CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_RCVBUF, &v,
				     sizeof(v)), 0);
	CHECK_EQ(getint(&h, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP), 6732);
	for (i = 0; i < 6; i++) {
		th_advance(&h, 10000);
		data(&h, &seq, 1460, iss);
		CHECK_EQ(th_read(&h, fd, 65536, NULL), 1460);
	}
	*rcvbuf = getint(&h, fd, SOL_SOCKET, SO_RCVBUF);
	*clamp = getint(&h, fd, IPPROTO_TCP, TCP_WINDOW_CLAMP);
	th_free(&h);
}

static void test_drs(void)
{
	int rcvbuf, clamp;

	drs_run(false, &rcvbuf, &clamp);
	CHECK_EQ(rcvbuf, 44363);
	CHECK_EQ(clamp, (rcvbuf * 162) >> 8);
	drs_run(true, &rcvbuf, &clamp);
	CHECK_EQ(rcvbuf, 16384);
	CHECK_EQ(clamp, (16384 * 162) >> 8);
}

int main(void)
{
	return TAP_RUN(test_truesize_model, test_growth_defaults,
		       test_no_shrink_and_zero_window, test_drs);
}
