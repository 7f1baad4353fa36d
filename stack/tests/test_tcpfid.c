/* SPDX-License-Identifier: GPL-2.0-only */
/* test_tcpfid.c: details where the embedded stack follows Linux on the
 * wire and in tcp_info (tcpfid helper): the send-buffer-limited chrono
 * (tcp_cwnd_validate / tcp_check_space). */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#define A TCPHDR_ACK

static struct nds_tcp_info info(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	return ti;
}

/* Highest sequence sent so far among the captured packets (consumed). */
static uint32_t sent_upto(struct th *h, uint32_t upto)
{
	struct th_pkt *p;

	while ((p = th_next(h)))
		if (p->len && (int32_t)(p->seq + p->len - upto) > 0)
			upto = p->seq + p->len;
	return upto;
}

/* A blocking writer on a locked 20000-byte send buffer, an ACK every
 * 10 ms. The chrono starts when an ACK sends the last queued bytes while
 * the writer waits and cwnd is not the limit (tcp_cwnd_validate), and
 * stops when an ACK lets the writer go on (tcp_check_space). The peer
 * ACKs everything sent for three rounds (cwnd limits: 10, 20, 40), then
 * all but the last 10000 bytes (the buffer limits: little room frees up
 * while cwnd has grown past twice what is in flight). */
static void test_sndbuf_limited(void)
{
	struct th h;
	struct nds_wait w;
	uint32_t iss, nxt;
	int fd, v = 10000, rounds = 0;
	ssize_t r;
	struct nds_tcp_info ti;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_SNDBUF, &v,
			     sizeof(v)), 0);
	memset(&w, 0, sizeof(w));
	r = th_write(&h, fd, 200000, &w);
	CHECK_EQ(r, -NDS_EBLOCKED);
	nxt = sent_upto(&h, iss + 1);
	while (r == -NDS_EBLOCKED && rounds++ < 200) {
		ti = info(&h, fd);
		if (rounds <= 3)	/* cwnd was the limit so far */
			CHECK_EQ(ti.tcpi_sndbuf_limited, 0);
		th_advance(&h, 10000);
		th_inject(&h, A, 1, nxt - (rounds <= 3 ? 0u : 10000u), 512,
			  NULL, 0, 0);
		r = th_write(&h, fd, 200000, &w);
		nxt = sent_upto(&h, nxt);
	}
	CHECK_EQ(r, 200000);
	ti = info(&h, fd);
	/* whole 10 ms rounds, some of them, never more than the busy time */
	CHECK(ti.tcpi_sndbuf_limited > 0);
	CHECK_EQ(ti.tcpi_sndbuf_limited % 10000, 0);
	CHECK(ti.tcpi_sndbuf_limited < ti.tcpi_busy_time);
	CHECK_EQ(ti.tcpi_busy_time, (uint64_t)rounds * 10000);
	CHECK_EQ(ti.tcpi_rwnd_limited, 0);
	th_free(&h);
}

/* A GRO packet (tun packet with a GSO size, packetdrill --mss) counts
 * by its segment size in rcv_mss (tcp_measure_rcv_mss), not by its
 * length: 10000 bytes in 1000-byte segments give rcv_mss 1000; without
 * a GSO size the same packet gives the advertised mss, 1460. */
static void test_gro_rcv_mss(void)
{
	for (int gso = 0; gso <= 1; gso++) {
		struct th h;
		uint32_t iss;
		struct th_pkt *p;
		int fd;

		th_init(&h, false);
		if (gso)
			nds_set_rx_gso_size(h.ns, 1000);
		fd = th_established(&h, &(struct th_peer){ .win = 32792,
				.mss = 1100, .sack = true, .wscale = 7 }, &iss);
		CHECK_EQ(info(&h, fd).tcpi_rcv_mss, 536);
		th_inject(&h, A, 1, iss + 1, 320, NULL, 0, 10000);
		p = th_next(&h);
		CHECK(p && p->ack == 10001 && !p->len);
		CHECK_EQ(info(&h, fd).tcpi_rcv_mss, gso ? 1000 : 1460);
		th_free(&h);
	}
}

int main(void)
{
	return TAP_RUN(test_sndbuf_limited, test_gro_rcv_mss);
}
