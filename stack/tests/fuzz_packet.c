/* SPDX-License-Identifier: GPL-2.0-only */
/* fuzz_packet.c: packet fuzz target for the embedded stack.
 *
 * LLVMFuzzerTestOneInput feeds arbitrary bytes into nds_input() on a stack
 * with a listener and an established connection (and runs its timers).
 * Byte 0 selects the mode: raw IP datagram, or the rest wrapped as a TCP
 * segment in a valid IPv4/IPv6 header with a correct checksum, aimed at
 * the listener or at the connection, so the fuzzer gets past the
 * checksums into TCP.
 *
 * Built without -DNDS_LIBFUZZER it is a plain program for make check:
 * it replays files named on the command line, then a fixed number of
 * deterministic pseudo-random mutations of valid segments. */
#include "stack.h"
#include "th_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

static uint8_t out_last[64];

static void on_output(void *ctx, const uint8_t *pkt, size_t len, int64_t t)
{
	(void)ctx;
	(void)t;
	memcpy(out_last, pkt, len < sizeof(out_last) ? len : sizeof(out_last));
}

/* Wrap seg (a TCP header + payload, possibly garbage) in an IP header. */
static size_t wrap(uint8_t *pkt, const uint8_t *seg, size_t len, bool v6,
		   uint16_t dport)
{
	size_t iph;
	uint32_t ps;
	uint8_t *t;

	if (len > 60000)
		len = 60000;
	iph = th_ip_header(pkt, v6, len, false, &ps);
	t = pkt + iph;
	memcpy(t, seg, len);
	if (len >= 4) {
		t[0] = 0x9c; t[1] = 0x40;		/* port 40000 */
		t[2] = (uint8_t)(dport >> 8); t[3] = (uint8_t)dport;
	}
	if (len >= 18)
		th_tcp_checksum(t, len, ps);
	return iph + len;
}

static struct nds *setup(void)
{
	struct nds_config c;
	struct nds *ns;
	int lfd, one = 1;
	struct sockaddr_in6 a;

	memset(&c, 0, sizeof(c));
	c.mtu = 1500;
	c.has_v4 = 1;
	inet_pton(AF_INET, "192.168.0.1", &c.local_v4);
	c.prefix_v4 = 16;
	c.has_v6 = 1;
	inet_pton(AF_INET6, "fd3d:a0b:17d6::1", &c.local_v6);
	c.prefix_v6 = 48;
	c.seed = 7;
	ns = nds_new(&c);
	nds_set_output(ns, on_output, NULL);
	/* a dual-stack listener on 8080 */
	lfd = nds_socket(ns, AF_INET6, SOCK_STREAM, 0);
	nds_setsockopt(ns, lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(8080);
	nds_bind(ns, lfd, (struct sockaddr *)&a, sizeof(a));
	nds_listen(ns, lfd, 10);
	/* an established connection from 192.0.2.1:40000 */
	{
		uint8_t seg[40], pkt[100];
		uint32_t iss;
		struct nds_wait w;
		memset(seg, 0, sizeof(seg));
		seg[12] = 0x60;
		seg[13] = 0x02;		/* SYN */
		seg[14] = 0xff; seg[15] = 0xff;
		seg[20] = 2; seg[21] = 4; seg[22] = 0x05; seg[23] = 0xb4;
		nds_input(ns, pkt, wrap(pkt, seg, 24, false, 8080));
		iss = (uint32_t)out_last[24] << 24 | out_last[25] << 16 |
		      out_last[26] << 8 | out_last[27];
		memset(seg, 0, sizeof(seg));
		seg[7] = 1;		/* seq 1 */
		iss++;
		seg[8] = (uint8_t)(iss >> 24); seg[9] = (uint8_t)(iss >> 16);
		seg[10] = (uint8_t)(iss >> 8); seg[11] = (uint8_t)iss;
		seg[12] = 0x50;
		seg[13] = 0x10;		/* ACK */
		seg[14] = 0xff; seg[15] = 0xff;
		nds_input(ns, pkt, wrap(pkt, seg, 20, false, 8080));
		memset(&w, 0, sizeof(w));
		nds_accept(ns, lfd, NULL, NULL, 0, &w);
	}
	return ns;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A connecting socket (SYN_SENT) to 192.0.2.1:40000; returns its local
 * port so fuzzed segments can be aimed at it. */
static uint16_t start_connect(struct nds *ns)
{
	struct sockaddr_in a;
	struct nds_wait w;
	int fd = nds_socket(ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(40000);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	memset(&w, 0, sizeof(w));
	nds_connect(ns, fd, (struct sockaddr *)&a, sizeof(a), &w);
	return (uint16_t)(out_last[20] << 8 | out_last[21]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[65600];
	uint16_t dport = 8080;
	struct nds *ns;
	char buf[4096];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m;
	struct nds_wait w;

	if (size < 1)
		return 0;
	ns = setup();
	if (data[0] & 4)
		dport = start_connect(ns);	/* aim at a SYN_SENT socket */
	switch (data[0] & 3) {
	case 0:
		nds_input(ns, data + 1, size - 1);
		break;
	case 1:
		nds_input(ns, pkt, wrap(pkt, data + 1, size - 1, false, dport));
		break;
	case 2:
		nds_input(ns, pkt, wrap(pkt, data + 1, size - 1, true, dport));
		break;
	default:
		nds_input(ns, pkt, wrap(pkt, data + 1, size - 1, false, dport));
		memset(buf, 'x', sizeof(buf));
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		memset(&w, 0, sizeof(w));
		nds_sendmsg(ns, 4, &m, MSG_DONTWAIT, &w);
		nds_input(ns, pkt, wrap(pkt, data + 1, size - 1, false, dport));
		memset(&w, 0, sizeof(w));
		nds_recvmsg(ns, 4, &m, MSG_DONTWAIT, &w);
		break;
	}
	/* run every timer for a simulated 10 minutes */
	for (int i = 0; i < 1000; i++) {
		int64_t t = nds_next_timer(ns);
		if (t == INT64_MAX || t > 600000000)
			break;
		nds_advance(ns, t);
	}
	nds_close(ns, 4, NULL);
	nds_advance(ns, 700000000);
	nds_free(ns);
	return 0;
}

#ifndef NDS_LIBFUZZER
static uint64_t rng = 88172645463325252ULL;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

int main(int argc, char **argv)
{
	static uint8_t in[2000];
	int runs = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		n = fread(in, 1, sizeof(in), f);
		fclose(f);
		LLVMFuzzerTestOneInput(in, n);
		runs++;
	}
	/* deterministic mutations of a plausible segment */
	for (int i = 0; i < 3000; i++) {
		size_t n = 21 + next_rand() % 200;
		in[0] = (uint8_t)next_rand();
		for (size_t k = 1; k < n; k++)
			in[k] = (uint8_t)next_rand();
		if (next_rand() & 1) {
			in[13] = 0x50 | (uint8_t)(next_rand() % 8) << 4;
			in[1 + 12] = (uint8_t)((5 + next_rand() % 11) << 4);
		}
		LLVMFuzzerTestOneInput(in, n);
		runs++;
	}
	printf("fuzz_packet: %d inputs replayed\n", runs);
	return 0;
}
#endif
