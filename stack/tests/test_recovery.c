/* SPDX-License-Identifier: GPL-2.0-only */
/* test_recovery.c: loss recovery: fast retransmit on 3 dupACKs (no SACK)
 * and on SACKs, RTO timing and backoff, cwnd/ssthresh after loss. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define A TCPHDR_ACK
#define P TCPHDR_PSH

static struct nds_tcp_info info(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
	return ti;
}

/* fr-4pkt style: no SACK, three dupACKs, one retransmission, no more. */
static void test_fast_retransmit_nosack(void)
{
	struct th h;
	uint32_t iss;
	int fd;

	th_init(&h, false);
	th_advance(&h, 100000);
	/* SYN at 0.1, ACK 100 ms later */
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1460,
			    .wscale = 7, .rtt = 100000 }, &iss);
	CHECK_EQ(fd, 4);
	CHECK_EQ(info(&h, fd).tcpi_rto, 300000);
	CHECK_EQ(th_write(&h, fd, 5840, NULL), 5840);
	th_expect(&h, A | P, iss, 0, 2920);
	th_expect(&h, A | P, iss, 2920, 2920);
	th_advance(&h, 100000);
	th_inject(&h, A, 1, iss + 1, 257, NULL, 0, 0);
	th_inject(&h, A, 1, iss + 1, 257, NULL, 0, 0);
	th_expect_none(&h);
	th_inject(&h, A, 1, iss + 1, 257, NULL, 0, 0);
	th_expect(&h, A, iss, 0, 1460);
	th_expect_none(&h);
	CHECK_EQ(info(&h, fd).tcpi_ca_state, TCP_CA_Recovery);
	CHECK_EQ(info(&h, fd).tcpi_snd_ssthresh, 7);	/* cubic: 10 * 0.7 */
	th_advance(&h, 100000);
	th_inject(&h, A, 1, iss + 1 + 5840, 257, NULL, 0, 0);
	th_expect_none(&h);
	/* without SACK, Recovery is held until something above high_seq
	 * is acked (RFC 6582, tcp_is_non_sack_preventing_reopen); PRR set
	 * cwnd from what the ACK delivered beyond the counted dupACKs */
	CHECK_EQ(info(&h, fd).tcpi_ca_state, TCP_CA_Recovery);
	CHECK_EQ(info(&h, fd).tcpi_snd_cwnd, 2);
	th_advance(&h, 100000);
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	th_expect(&h, A | TCPHDR_FIN, iss, 5840, 0);
	th_expect_none(&h);
	th_free(&h);
}

/* RTO: 1 s initial without samples, doubling, cwnd 1 after timeout. */
static void test_rto_backoff(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	th_advance(&h, 100000);	/* the ACK came at +0: RTT 0, RTO 200 ms */
	CHECK_EQ(th_write(&h, fd, 1000, NULL), 1000);
	p = th_expect(&h, A | P, iss, 0, 1000);
	int64_t t0 = p ? p->t : 0;
	/* TLP first (SACK peer): PTO = 2*srtt + 200 ms capped at the RTO */
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_expect(&h, A | P, iss, 0, 1000);
	CHECK_EQ(p ? p->t - t0 : -1, 200000);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_expect(&h, A | P, iss, 0, 1000);
	/* RTO 200 ms re-armed from the probe (tcp_rearm_rto) */
	CHECK_EQ(p ? p->t - t0 : -1, 400000);
	CHECK_EQ(info(&h, fd).tcpi_snd_cwnd, 1);
	CHECK_EQ(info(&h, fd).tcpi_ca_state, TCP_CA_Loss);
	CHECK_EQ(info(&h, fd).tcpi_backoff, 1);
	nds_advance(h.ns, nds_next_timer(h.ns));
	p = th_expect(&h, A | P, iss, 0, 1000);
	CHECK_EQ(p ? p->t - t0 : -1, 800000);	/* backed off to 400 ms */
	th_inject(&h, A, 1, iss + 1001, 257, NULL, 0, 0);
	CHECK_EQ(info(&h, fd).tcpi_ca_state, TCP_CA_Open);
	CHECK_EQ(info(&h, fd).tcpi_total_retrans, 3);
	th_free(&h);
}

/* fr-4pkt-sack style: SACKs for 3 segments above a hole trigger an
 * immediate retransmission of the hole. */
static void test_sack_recovery(void)
{
	struct th h;
	uint32_t iss, e[2];
	uint8_t o[40];
	int fd, n;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 100000 }, &iss);
	CHECK_EQ(th_write(&h, fd, 4000, NULL), 4000);
	/* 100 ms RTT: pacing-based TSO autosizing gives 2-segment bursts */
	th_expect(&h, A | P, iss, 0, 2000);
	th_expect(&h, A | P, iss, 2000, 2000);
	th_advance(&h, 100000);
	for (int k = 2; k <= 4; k++) {
		e[0] = iss + 1 + 1000;
		e[1] = iss + 1 + 1000 * (uint32_t)k;
		n = th_opt_nop(o, 0);
		n = th_opt_nop(o, n);
		n = th_opt_sack(o, n, 1, e);
		th_inject(&h, A, 1, iss + 1, 257, o, n, 0);
		if (k < 4)
			th_expect_none(&h);
	}
	th_expect(&h, A, iss, 0, 1000);
	th_expect_none(&h);
	CHECK_EQ(info(&h, fd).tcpi_sacked, 3);
	th_inject(&h, A, 1, iss + 4001, 257, NULL, 0, 0);
	CHECK_EQ(info(&h, fd).tcpi_ca_state, TCP_CA_Open);
	CHECK_EQ(info(&h, fd).tcpi_snd_cwnd, 7);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_fast_retransmit_nosack, test_rto_backoff,
		       test_sack_recovery);
}
