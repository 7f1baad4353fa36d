/* SPDX-License-Identifier: GPL-2.0-only */
/* test_fastopen_client.c: TCP Fast Open client (tcp_fastopen_client.c):
 * cookie request, cookie cached per destination, SYN data with the cookie,
 * SYN data the SYN-ACK leaves unacked resent at once, the kind 254
 * fallback and its return to 34, the cache flush, TCP_FASTOPEN_CONNECT
 * deferring the SYN to the first write, TCP_FASTOPEN_NO_COOKIE. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#ifndef TCP_FASTOPEN_NO_COOKIE
#define TCP_FASTOPEN_NO_COOKIE 34
#endif

#define SYN_OPTS "mss 1460,sackOK,TS,nop,wscale 8"

static struct sockaddr_in peer(void)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	return a;
}

/* sendto(fd, len bytes, flags, peer) */
static ssize_t fo_sendto(struct th *h, int fd, size_t len, int flags)
{
	static char buf[8192];
	struct sockaddr_in a = peer();
	struct iovec iov = { buf, len };
	struct msghdr m;
	struct nds_wait w;

	memset(&m, 0, sizeof(m));
	memset(&w, 0, sizeof(w));
	m.msg_name = &a;
	m.msg_namelen = sizeof(a);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	return nds_sendmsg(h->ns, fd, &m, flags, &w);
}

/* Next packet from local port sport (other connections' FINs skipped). */
static struct th_pkt *next_from(struct th *h, uint16_t sport)
{
	struct th_pkt *p;

	while ((p = th_next(h)) && p->sport != sport)
		;
	return p;
}

/* No packet pending from local port sport. */
static void none_from(struct th *h, uint16_t sport)
{
	struct th_pkt *p = next_from(h, sport);

	CHECK(p == NULL);
}

static int nb_socket(struct th *h)
{
	int fd = nds_socket(h->ns, AF_INET, SOCK_STREAM, 0);

	CHECK_EQ(nds_fcntl(h->ns, fd, F_SETFL, O_NONBLOCK), 0);
	return fd;
}

/* The peer's SYN-ACK: mss, sackOK, TS, nop, wscale 7 and, if fo_len >= 0,
 * an FO option (kind 34, or 254 with exp) holding fo_len bytes 0xab. */
static void synack(struct th *h, const struct th_pkt *syn, uint32_t acked,
		   int fo_len, bool exp)
{
	uint8_t o[60];
	int n = 0;

	n = th_opt_mss(o, n, 1460);
	n = th_opt_sackok(o, n);
	n = th_opt_ts(o, n, 700, syn->tsval);
	n = th_opt_nop(o, n);
	n = th_opt_ws(o, n, 7);
	if (fo_len >= 0) {
		o[n++] = exp ? 254 : 34;
		o[n++] = (uint8_t)(fo_len + (exp ? 4 : 2));
		if (exp) {
			o[n++] = 0xf9;
			o[n++] = 0x89;
		}
		memset(o + n, 0xab, (size_t)fo_len);
		n += fo_len;
		while (n % 4)
			o[n++] = TCPOPT_NOP;
	}
	h->lport = syn->sport;
	th_inject(h, TCPHDR_SYN | TCPHDR_ACK, 0, syn->seq + acked, 65535, o, n,
		  0);
}

static bool syn_data_acked(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	CHECK_EQ(nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &l), 0);
	return (ti.tcpi_options & 32) != 0;
}

/* tcpi_fastopen_client_fail: 1 no cookie, 2 data not acked, 3 SYN
 * retransmitted */
static int client_fail(struct th *h, int fd)
{
	struct nds_tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	CHECK_EQ(nds_getsockopt(h->ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &l), 0);
	return ti.tcpi_fastopen_client_fail;
}

/* Request a cookie (empty FO) and get a 4-byte one: cached. */
static void get_cookie(struct th *h)
{
	struct th_pkt *p;
	int fd = nb_socket(h);

	CHECK_EQ(fo_sendto(h, fd, 0, MSG_FASTOPEN), -EINPROGRESS);
	p = th_next(h);
	REQUIRE(p != NULL);
	CHECK(p->flags == TCPHDR_SYN && p->len == 0);
	CHECK_STREQ(p->opts, SYN_OPTS ",opt34,nop,nop");
	th_advance(h, 10000);
	synack(h, p, 1, 4, false);
	p = th_next(h);
	CHECK(p && p->flags == TCPHDR_ACK && p->len == 0);
	CHECK(!syn_data_acked(h, fd));
	CHECK_EQ(client_fail(h, fd), 1);
	nds_close(h->ns, fd, NULL);
}

static void test_cookie_then_syn_data(void)
{
	struct th h;
	struct th_pkt *p;
	int fd;

	th_init(&h, false);
	h.rport = 8080;
	get_cookie(&h);
	th_advance(&h, 10000);
	fd = nb_socket(&h);
	/* the cached cookie lets 1000 bytes ride on the SYN */
	CHECK_EQ(fo_sendto(&h, fd, 1000, MSG_FASTOPEN), 1000);
	while ((p = th_next(&h)) && !(p->flags & TCPHDR_SYN))
		;
	REQUIRE(p != NULL);
	CHECK(p->flags == TCPHDR_SYN && p->len == 1000);
	CHECK_STREQ(p->opts, SYN_OPTS ",opt34,nop,nop");
	/* a second MSG_FASTOPEN while connecting */
	CHECK_EQ(fo_sendto(&h, fd, 10, MSG_FASTOPEN), -EALREADY);
	th_advance(&h, 10000);
	synack(&h, p, 1001, -1, false);
	p = next_from(&h, h.lport);
	CHECK(p && p->flags == TCPHDR_ACK && p->len == 0);
	CHECK(syn_data_acked(&h, fd));
	none_from(&h, h.lport);
	CHECK_EQ(client_fail(&h, fd), 0);
	th_free(&h);
}

/* 5000 bytes: only mss - 40 = 1420 go in the SYN (facts §7). */
static void test_syn_data_size(void)
{
	struct th h;
	struct th_pkt *p;
	int fd;

	th_init(&h, false);
	h.rport = 8080;
	get_cookie(&h);
	fd = nb_socket(&h);
	CHECK_EQ(fo_sendto(&h, fd, 5000, MSG_FASTOPEN), 1420);
	while ((p = th_next(&h)) && !(p->flags & TCPHDR_SYN))
		;
	CHECK(p && p->len == 1420);
	th_free(&h);
}

/* The SYN-ACK covers only the SYN: the data goes again right away and
 * carries the ACK; no pure ACK first. A retransmitted SYN has neither
 * data nor option. */
static void test_syn_data_not_acked(void)
{
	struct th h;
	struct th_pkt *p, *syn;
	int fd;

	th_init(&h, false);
	h.rport = 8080;
	get_cookie(&h);
	fd = nb_socket(&h);
	CHECK_EQ(fo_sendto(&h, fd, 1000, MSG_FASTOPEN), 1000);
	while ((syn = th_next(&h)) && !(syn->flags & TCPHDR_SYN))
		;
	REQUIRE(syn != NULL);
	CHECK(syn->len == 1000);
	th_advance(&h, 1000000);
	p = next_from(&h, syn->sport);
	REQUIRE(p != NULL);
	CHECK(p->flags == TCPHDR_SYN && p->len == 0);
	CHECK_STREQ(p->opts, SYN_OPTS);
	th_advance(&h, 10000);
	synack(&h, syn, 1, -1, false);
	p = next_from(&h, syn->sport);
	CHECK(p && p->flags == (TCPHDR_ACK | TCPHDR_PSH) && p->len == 1000 &&
		 p->seq == syn->seq + 1);
	none_from(&h, syn->sport);
	CHECK(!syn_data_acked(&h, fd));
	CHECK_EQ(client_fail(&h, fd), 3);
	th_free(&h);
}

/* A blocking sendto(MSG_FASTOPEN) larger than the SYN can hold waits for
 * the handshake, then queues the rest; that data carries the ACK of the
 * SYN-ACK (sk_write_pending), no pure ACK goes first. */
static void test_blocking_rest_after_handshake(void)
{
	static char buf[2000];
	struct th h;
	struct th_pkt *p, *syn;
	struct sockaddr_in a = peer();
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m;
	struct nds_wait w;
	int fd;

	th_init(&h, false);
	h.rport = 8080;
	get_cookie(&h);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	memset(&m, 0, sizeof(m));
	memset(&w, 0, sizeof(w));
	m.msg_name = &a;
	m.msg_namelen = sizeof(a);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, MSG_FASTOPEN, &w), -NDS_EBLOCKED);
	while ((syn = th_next(&h)) && !(syn->flags & TCPHDR_SYN))
		;
	REQUIRE(syn != NULL);
	CHECK(syn->len == 1420);
	th_advance(&h, 10000);
	synack(&h, syn, 1421, -1, false);
	none_from(&h, syn->sport);	/* the ACK waits for the writer */
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, MSG_FASTOPEN, &w), 2000);
	p = next_from(&h, syn->sport);
	CHECK(p && (p->flags & TCPHDR_ACK) && p->len == 580 &&
		 p->seq == syn->seq + 1421);
	CHECK(syn_data_acked(&h, fd));
	th_free(&h);
}

/* No cookie in the SYN-ACK: ask with kind 254 next time, then with 34
 * again for good; a cache flush forgets it all. */
static void request(struct th *h, const char *opts, int fo_len, bool exp)
{
	struct th_pkt *p;
	int fd = nb_socket(h);

	CHECK_EQ(fo_sendto(h, fd, 0, MSG_FASTOPEN), -EINPROGRESS);
	while ((p = th_next(h)) && !(p->flags & TCPHDR_SYN))
		;
	REQUIRE(p != NULL);
	CHECK_STREQ(p->opts, opts);
	th_advance(h, 10000);
	synack(h, p, 1, fo_len, exp);
	nds_close(h->ns, fd, NULL);
	th_advance(h, 10000);
}

static void test_exp_fallback_and_flush(void)
{
	struct th h;
	char v[32];

	th_init(&h, false);
	h.rport = 8080;
	request(&h, SYN_OPTS ",opt34,nop,nop", -1, false);
	request(&h, SYN_OPTS ",opt254", -1, false);
	request(&h, SYN_OPTS ",opt34,nop,nop", -1, false);
	request(&h, SYN_OPTS ",opt34,nop,nop", -1, false);
	/* `ip tcp_metrics flush`: back to the start */
	CHECK_EQ(nds_sysctl_read(h.ns, "net/netdrill/tcp_metrics_flushes", v,
			      sizeof(v)), 0);
	CHECK_STREQ(v, "0");
	CHECK_EQ(nds_sysctl_write(h.ns, "net/netdrill/tcp_metrics_flushes",
		"1"),
	      0);
	request(&h, SYN_OPTS ",opt34,nop,nop", -1, false);
	/* a kind-254 cookie is used with kind 254 */
	request(&h, SYN_OPTS ",opt254", 8, true);
	request(&h, SYN_OPTS ",opt254", -1, false);
	th_free(&h);
}

/* TCP_FASTOPEN_CONNECT: refused without the client bit; with a cookie,
 * connect() returns 0 and the SYN waits for the first write. */
static void test_fastopen_connect(void)
{
	struct th h;
	struct th_pkt *p;
	struct sockaddr_in a = peer();
	struct nds_wait w;
	int fd, one = 1, v = 0;
	socklen_t l = sizeof(v);

	th_init(&h, false);
	h.rport = 8080;
	fd = nb_socket(&h);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_fastopen", "0"), 0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT,
		&one,
			     sizeof(one)), -EOPNOTSUPP);
	CHECK_EQ(fo_sendto(&h, fd, 10, MSG_FASTOPEN), -EOPNOTSUPP);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_fastopen", "1"), 0);
	nds_close(h.ns, fd, NULL);
	get_cookie(&h);
	fd = nb_socket(&h);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT,
		&one,
			     sizeof(one)), 0);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &v,
			     &l), 0);
	CHECK_EQ(v, 1);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
		0);
	while ((p = th_next(&h)))
		CHECK(!(p->flags & TCPHDR_SYN));	/* no SYN yet */
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), &w),
	      -EISCONN);
	CHECK_EQ(th_write(&h, fd, 2000, NULL), 1420);
	while ((p = th_next(&h)) && !(p->flags & TCPHDR_SYN))
		;
	REQUIRE(p != NULL);
	CHECK(p->flags == TCPHDR_SYN && p->len == 1420);
	CHECK_STREQ(p->opts, SYN_OPTS ",opt34,nop,nop");
	th_free(&h);
}

/* TCP_FASTOPEN_NO_COOKIE (or sysctl bit 0x4): data without any option. */
static void test_no_cookie(void)
{
	struct th h;
	struct th_pkt *p;
	int fd, one = 1;

	th_init(&h, false);
	h.rport = 8080;
	fd = nb_socket(&h);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE,
			     &one, sizeof(one)), 0);
	CHECK_EQ(fo_sendto(&h, fd, 100, MSG_FASTOPEN), 100);
	p = th_next(&h);
	REQUIRE(p != NULL);
	CHECK(p->flags == TCPHDR_SYN && p->len == 100);
	CHECK_STREQ(p->opts, SYN_OPTS);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_cookie_then_syn_data, test_syn_data_size,
		       test_syn_data_not_acked,
		       test_blocking_rest_after_handshake,
		       test_exp_fallback_and_flush, test_fastopen_connect,
		       test_no_cookie);
}
