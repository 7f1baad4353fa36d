/* SPDX-License-Identifier: GPL-2.0-only */
/* test_fastopen.c: TCP Fast Open server: SipHash cookie values from the
 * facts sheet, cookie request answered in the SYN-ACK, a valid cookie
 * accepts the SYN data into an acceptable child, a bad one does not. */
#include "tcp_helper.h"
#include "proto/tcp.h"
#include "tcp_fastopen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

static void cookie_hex(const char *key, const char *src, const char *dst,
		       char *out)
{
	uint8_t k[32], d[32];
	uint64_t h;
	size_t n;

	CHECK_EQ(tcp_fastopen_parse_key(key, k), 1);
	if (strchr(src, ':')) {
		inet_pton(AF_INET6, src, d);
		inet_pton(AF_INET6, dst, d + 16);
		n = 32;
	} else {
		inet_pton(AF_INET, src, d);
		inet_pton(AF_INET, dst, d + 4);
		n = 8;
	}
	h = nds_siphash(k, d, n);
	for (int i = 0; i < 8; i++)
		sprintf(out + 2 * i, "%02x", (unsigned)(h >> (8 * i)) & 0xff);
}

static void test_cookie_values(void)
{
	char c[17];
	const char *k1 = "a0bf63f7-ed803d81-cd641d30-cebc4a90";
	const char *k2 = "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4";

	cookie_hex(k1, "10.248.0.2", "192.168.0.2", c);
	CHECK_STREQ(c, "00abaaabe8e954c2");
	cookie_hex(k1, "10.248.0.3", "192.168.0.2", c);
	CHECK_STREQ(c, "1313a2da994a0951");
	cookie_hex(k1, "10.248.0.3", "192.168.0.3", c);
	CHECK_STREQ(c, "76d2c1c530f51f79");
	cookie_hex("0-0-0-0", "10.248.0.2", "192.168.0.2", c);
	CHECK_STREQ(c, "93b7aa4f550f8a1a");
	cookie_hex(k2, "192.0.2.1", "192.168.0.1", c);
	CHECK_STREQ(c, "3021b9d889017eeb");
	cookie_hex(k2, "fd3d:fa7b:d17d::1", "fd3d:a0b:17d6::1", c);
	CHECK_STREQ(c, "c1d1e9742a47a9bc");
}

static const uint8_t good[8] = { 0x30, 0x21, 0xb9, 0xd8, 0x89, 0x01, 0x7e,
				  0xeb };

static int syn_with_cookie(uint8_t *o, const uint8_t *cookie, int len)
{
	int n = th_opt_mss(o, 0, 1460);
	n = th_opt_sackok(o, n);
	n = th_opt_nop(o, n);
	n = th_opt_nop(o, n);
	o[n++] = TCPOPT_FASTOPEN;
	o[n++] = (uint8_t)(2 + len);
	memcpy(o + n, cookie, (size_t)len);
	return n + len;
}

static void test_server(void)
{
	struct th h;
	struct th_pkt *p;
	uint8_t o[40];
	int lfd, fd, n;
	struct nds_wait w;
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	/* cookie request: SYN-ACK carries the cookie, data not accepted */
	th_init(&h, false);
	lfd = th_listen(&h, 8080);
	n = syn_with_cookie(o, good, 0);
	th_inject(&h, TCPHDR_SYN, 0, 0, 32792, o, n, 10);
	p = th_next(&h);
	CHECK(p && p->ack == 1);
	CHECK_STREQ(p ? p->opts : "", "mss 1460,nop,nop,sackOK,opt34,nop,nop");
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_accept(h.ns, lfd, NULL, NULL, 0, &w), -NDS_EBLOCKED);
	th_free(&h);

	/* valid cookie: data acked in the SYN-ACK, child acceptable now */
	th_init(&h, false);
	lfd = th_listen(&h, 8080);
	n = syn_with_cookie(o, good, 8);
	th_inject(&h, TCPHDR_SYN, 0, 0, 32792, o, n, 10);
	p = th_next(&h);
	CHECK(p && p->ack == 11);
	CHECK_STREQ(p ? p->opts : "", "mss 1460,nop,nop,sackOK");
	memset(&w, 0, sizeof(w));
	fd = nds_accept(h.ns, lfd, NULL, NULL, 0, &w);
	CHECK_EQ(fd, 4);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	CHECK_EQ(ti.tcpi_state, NDS_TCP_SYN_RECV);
	CHECK(ti.tcpi_options & 32);		/* TCPI_OPT_SYN_DATA */
	CHECK_EQ(th_read(&h, fd, 100, NULL), 10);
	/* the server may answer before the handshake completes */
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	p = th_next(&h);
	CHECK(p && p->len == 100 && p->seq == h.out[0].seq + 1);
	th_free(&h);

	/* bad cookie: plain SYN-ACK with the right cookie, ack 1 */
	th_init(&h, false);
	lfd = th_listen(&h, 8080);
	n = syn_with_cookie(o, (const uint8_t *)"aaaaaaaa", 8);
	th_inject(&h, TCPHDR_SYN, 0, 0, 32792, o, n, 10);
	p = th_next(&h);
	CHECK(p && p->ack == 1);
	CHECK_STREQ(p ? p->opts : "", "mss 1460,nop,nop,sackOK,opt34,nop,nop");
	(void)lfd;
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_cookie_values, test_server);
}
