/* SPDX-License-Identifier: GPL-2.0-only */
/* test_errqueue.c: the socket error queue (stack/sock_errqueue.c):
 * MSG_ZEROCOPY notification IDs, their ranges and coalescing, the skb frag
 * limit, SO_TIMESTAMPING transmit reports on the virtual clock,
 * recvmsg(MSG_ERRQUEUE) cmsgs and flags, POLLERR, and -EFAULT for bad user
 * buffers. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

/* What one recvmsg(MSG_ERRQUEUE) returned. */
struct report {
	ssize_t ret;
	int flags;			/* msg_flags */
	int ncmsg;
	int level, type;		/* of the RECVERR cmsg */
	size_t ee_len;			/* its data length */
	struct sock_extended_err ee;
	bool has_ts;
	int64_t ts_us;			/* SCM_TIMESTAMPING ts[0] */
};

static struct report read_report(struct th *h, int fd, size_t iov_len)
{
	struct report r;
	union {
		char buf[512];
		struct cmsghdr align;
	} ctl;
	static char data[65536];
	struct iovec iov = { data, iov_len };
	struct msghdr m;
	struct nds_wait w;

	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
	memset(&w, 0, sizeof(w));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	r.ret = nds_recvmsg(h->ns, fd, &m, MSG_ERRQUEUE, &w);
	if (r.ret < 0)
		return r;
	r.flags = m.msg_flags;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		r.ncmsg++;
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING) {
			struct timespec ts[3];
			memcpy(ts, CMSG_DATA(c), sizeof(ts));
			r.has_ts = true;
			r.ts_us = (int64_t)ts[0].tv_sec * 1000000 +
				  ts[0].tv_nsec / 1000;
		} else {
			r.level = c->cmsg_level;
			r.type = c->cmsg_type;
			r.ee_len = c->cmsg_len - CMSG_LEN(0);
			memcpy(&r.ee, CMSG_DATA(c), sizeof(r.ee));
		}
	}
	return r;
}

static ssize_t send_flags(struct th *h, int fd, size_t len, int flags)
{
	static char buf[65536];
	struct iovec iov = { buf, len };
	struct msghdr m;
	struct nds_wait w;

	memset(&m, 0, sizeof(m));
	memset(&w, 0, sizeof(w));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	return nds_sendmsg(h->ns, fd, &m, flags, &w);
}

static int set_int(struct th *h, int fd, int level, int name, int v)
{
	return nds_setsockopt(h->ns, fd, level, name, &v, sizeof(v));
}

static short poll_revents(struct th *h, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };

	nds_poll(h->ns, &p, 1, 0, NULL);
	return p.revents;
}

/* Peer ACK of everything up to rel (relative to our iss + 1). */
static void ack_to(struct th *h, uint32_t iss, uint32_t rel)
{
	th_inject(h, TCPHDR_ACK, 1, iss + 1 + rel, 257, NULL, 0, 0);
}

static void expect_zc(struct th *h, int line, const struct report *r,
		      uint32_t lo, uint32_t hi)
{
	bool ok = r->ret == 0 && r->ee.ee_origin == SO_EE_ORIGIN_ZEROCOPY &&
		  r->ee.ee_info == lo && r->ee.ee_data == hi &&
		  r->ee.ee_code == SO_EE_CODE_ZEROCOPY_COPIED &&
		  !r->ee.ee_errno;

	if (!tap_check(ok, __FILE__, line, "zerocopy report %u..%u", lo, hi))
		tap_diag("got ret %zd origin %u code %u info %u data %u",
			 r->ret, r->ee.ee_origin, r->ee.ee_code,
			 r->ee.ee_info, r->ee.ee_data);
	(void)h;
}

static void test_zerocopy_basic(void)
{
	struct th h;
	uint32_t iss;
	int fd, v = 0;
	socklen_t len = sizeof(v);
	struct report r;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK(fd > 0);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 2), -EINVAL);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	CHECK_EQ(nds_getsockopt(h.ns, fd, SOL_SOCKET, SO_ZEROCOPY, &v, &len),
		0);
	CHECK_EQ(v, 1);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);

	CHECK_EQ(send_flags(&h, fd, 4000, MSG_ZEROCOPY), 4000);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 4000);
	/* nothing until the data is acknowledged */
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	CHECK(!(poll_revents(&h, fd) & POLLERR));
	ack_to(&h, iss, 2000);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	ack_to(&h, iss, 4000);
	CHECK(poll_revents(&h, fd) & POLLERR);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 0, 0);
	CHECK_EQ(r.flags, MSG_ERRQUEUE);
	CHECK_EQ(r.ncmsg, 1);
	CHECK_EQ(r.level, SOL_IP);
	CHECK_EQ(r.type, IP_RECVERR);
	CHECK_EQ(r.ee_len, sizeof(struct sock_extended_err) +
			sizeof(struct sockaddr_in));
	CHECK(!(poll_revents(&h, fd) & POLLERR));
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);

	/* two completions in a row merge into one range */
	CHECK_EQ(send_flags(&h, fd, 100, MSG_ZEROCOPY), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 4000, 100);
	ack_to(&h, iss, 4100);
	CHECK_EQ(send_flags(&h, fd, 100, MSG_ZEROCOPY), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 4100, 100);
	ack_to(&h, iss, 4200);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 1, 2);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);

	/* without MSG_ZEROCOPY: no ID, no report */
	CHECK_EQ(send_flags(&h, fd, 100, 0), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 4200, 100);
	ack_to(&h, iss, 4300);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	CHECK_EQ(send_flags(&h, fd, 100, MSG_ZEROCOPY), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 4300, 100);
	ack_to(&h, iss, 4400);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 3, 3);
	th_free(&h);
}

/* Sends into the same unsent skb share one range (msg_zerocopy_realloc);
 * a failed send gives its ID back; no SO_ZEROCOPY means no reports. */
static void test_zerocopy_ranges(void)
{
	struct th h;
	uint32_t iss;
	int fd, fd2;
	struct report r;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	CHECK_EQ(set_int(&h, fd, IPPROTO_TCP, TCP_CORK, 1), 0);
	CHECK_EQ(send_flags(&h, fd, 100, MSG_ZEROCOPY), 100);
	CHECK_EQ(send_flags(&h, fd, 100, MSG_ZEROCOPY), 100);
	th_expect_none(&h);
	CHECK_EQ(set_int(&h, fd, IPPROTO_TCP, TCP_CORK, 0), 0);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 200);
	ack_to(&h, iss, 200);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 0, 1);

	/* a send that fails takes no ID */
	fd2 = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(set_int(&h, fd2, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	CHECK_EQ(send_flags(&h, fd2, 100, MSG_ZEROCOPY), -EPIPE);
	CHECK_EQ(read_report(&h, fd2, 0).ret, -EAGAIN);
	/* zero bytes take no ID either */
	CHECK_EQ(send_flags(&h, fd, 0, MSG_ZEROCOPY), 0);
	CHECK_EQ(send_flags(&h, fd, 10, MSG_ZEROCOPY), 10);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 200, 10);
	ack_to(&h, iss, 210);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 2, 2);

	/* MSG_ZEROCOPY is ignored without SO_ZEROCOPY */
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 0), 0);
	CHECK_EQ(send_flags(&h, fd, 10, MSG_ZEROCOPY), 10);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 210, 10);
	ack_to(&h, iss, 220);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	th_free(&h);
}

/* Each separate user buffer is a frag; an skb holds MAX_SKB_FRAGS (17),
 * then it is pushed and a new one starts. Copied data has no such limit. */
static void test_zerocopy_frags(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	struct iovec iov[18];
	char *bufs[18];
	struct msghdr m;
	struct nds_wait w;
	struct report r;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	for (int i = 0; i < 18; i++) {
		bufs[i] = calloc(1, 4096);	/* separate pages: no coalescing */
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = 1;
	}
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = 18;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), 18);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 18);
	ack_to(&h, iss, 18);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, MSG_ZEROCOPY, &w), 18);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 18, 17);
	th_expect_none(&h);		/* Nagle holds the small tail */
	ack_to(&h, iss, 35);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 35, 1);
	ack_to(&h, iss, 36);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 0, 0);
	/* one buffer spanning pages: a frag per page, 17 pages fit */
	memset(&w, 0, sizeof(w));
	CHECK_EQ(send_flags(&h, fd, 1000, MSG_ZEROCOPY), 1000);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 36, 1000);
	for (int i = 0; i < 18; i++)
		free(bufs[i]);
	th_free(&h);
}

static void test_zerocopy_ipv6_and_udp(void)
{
	struct th h;
	uint32_t iss;
	int fd, u;
	struct report r;
	struct sockaddr_in6 to;
	char byte = 1;
	struct iovec iov = { &byte, 1 };
	struct msghdr m;
	struct nds_wait w;

	th_init(&h, true);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	CHECK_EQ(send_flags(&h, fd, 10, MSG_ZEROCOPY), 10);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 10);
	ack_to(&h, iss, 10);
	r = read_report(&h, fd, 0);
	expect_zc(&h, __LINE__, &r, 0, 0);
	CHECK_EQ(r.level, SOL_IPV6);
	CHECK_EQ(r.type, IPV6_RECVERR);
	CHECK_EQ(r.ee_len, sizeof(struct sock_extended_err) +
			sizeof(struct sockaddr_in6));

	/* UDP: the datagram is copied out at once, so is the report */
	u = nds_socket(h.ns, AF_INET6, SOCK_DGRAM, 0);
	CHECK_EQ(set_int(&h, u, SOL_SOCKET, SO_ZEROCOPY, 1), 0);
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	to.sin6_port = htons(9);
	inet_pton(AF_INET6, "fd3d:fa7b:d17d::1", &to.sin6_addr);
	memset(&m, 0, sizeof(m));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, u, &m, MSG_ZEROCOPY, &w), 1);
	CHECK(poll_revents(&h, u) & POLLERR);
	r = read_report(&h, u, 0);
	expect_zc(&h, __LINE__, &r, 0, 0);
	th_free(&h);
}

static void expect_ts(int line, const struct report *r, uint32_t type,
		      uint32_t key, int64_t t_us, int flags)
{
	bool ok = r->ret == 0 && r->ee.ee_errno == ENOMSG &&
		  r->ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING &&
		  r->ee.ee_info == type && r->ee.ee_data == key &&
		  r->flags == flags && (t_us < 0 || (r->has_ts &&
						     r->ts_us == t_us));

	if (!tap_check(ok, __FILE__, line, "stamp type %u key %u at %lld "
		       "flags 0x%x", type, key, (long long)t_us, flags))
		tap_diag("got ret %zd errno %u origin %u type %u key %u at "
			 "%lld (%s) flags 0x%x", r->ret, r->ee.ee_errno,
			 r->ee.ee_origin, r->ee.ee_info, r->ee.ee_data,
			 (long long)r->ts_us,
			 r->has_ts ? "stamped" : "no cmsg", r->flags);
}

static void test_timestamping(void)
{
	struct th h;
	uint32_t iss;
	int fd, all = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_SOFTWARE |
		      SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_SOFTWARE |
		      SOF_TIMESTAMPING_OPT_ID;
	int64_t t0;
	struct report r;

	th_init(&h, false);
	/* OPT_ID needs a connection to count from */
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING,
		      SOF_TIMESTAMPING_OPT_ID), -EINVAL);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING, 1 << 30),
		-EINVAL);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING,
		      SOF_TIMESTAMPING_OPT_STATS), -EINVAL);
	/* rtt 10 ms: no loss probe before the ACKs below */
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING, all), 0);
	t0 = nds_now(h.ns);
	CHECK_EQ(th_write(&h, fd, 2000, NULL), 2000);
	CHECK_EQ(th_write(&h, fd, 2000, NULL), 2000);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 2000);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 2000, 2000);
	th_advance(&h, 10000);
	ack_to(&h, iss, 2000);
	th_advance(&h, 10000);
	ack_to(&h, iss, 4000);
	th_expect_none(&h);
	/* payload is attached: a zero-length read is truncated */
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SCHED, 1999, t0,
		  MSG_ERRQUEUE | MSG_TRUNC);
	CHECK_EQ(r.ncmsg, 2);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 1999, t0,
		  MSG_ERRQUEUE | MSG_TRUNC);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SCHED, 3999, t0,
		  MSG_ERRQUEUE | MSG_TRUNC);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 3999, t0,
		  MSG_ERRQUEUE | MSG_TRUNC);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_ACK, 1999, t0 + 10000,
		  MSG_ERRQUEUE | MSG_TRUNC);
	r = read_report(&h, fd, 4000);	/* room for the payload */
	CHECK_EQ(r.ret, 2000);
	r.ret = 0;
	expect_ts(__LINE__, &r, SCM_TSTAMP_ACK, 3999, t0 + 20000,
		  MSG_ERRQUEUE);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);

	/* OPT_TSONLY: no payload; without SOFTWARE: no SCM_TIMESTAMPING;
	 * without OPT_ID: key 0 */
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING,
		      SOF_TIMESTAMPING_TX_ACK | SOF_TIMESTAMPING_OPT_TSONLY), 0);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 4000, 100);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	th_advance(&h, 10000);
	ack_to(&h, iss, 4100);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_ACK, 0, -1, MSG_ERRQUEUE);
	CHECK(!r.has_ts);
	CHECK_EQ(r.ncmsg, 1);
	th_free(&h);
}

/* Only the last byte of a write is stamped, in whichever segment it
 * leaves; a write into the same unsent skb moves the key. */
static void test_timestamping_last_byte(void)
{
	struct th h;
	uint32_t iss;
	int fd, flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_TX_ACK |
			SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID;
	struct report r;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING, flags), 0);
	CHECK_EQ(set_int(&h, fd, IPPROTO_TCP, TCP_CORK, 1), 0);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	CHECK_EQ(set_int(&h, fd, IPPROTO_TCP, TCP_CORK, 0), 0);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 200);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 199, nds_now(h.ns),
		  MSG_ERRQUEUE | MSG_TRUNC);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);
	/* a retransmission (here the loss probe) is stamped again */
	th_advance(&h, 1500000);
	p = th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 200);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 199, p ? p->t : -1,
		  MSG_ERRQUEUE | MSG_TRUNC);
	while (th_pending(&h))
		th_next(&h);
	while (read_report(&h, fd, 0).ret == 0)
		;
	ack_to(&h, iss, 200);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_ACK, 199, nds_now(h.ns),
		  MSG_ERRQUEUE | MSG_TRUNC);
	th_free(&h);
}

/* Per-call recording flags in an SO_TIMESTAMPING cmsg (sock_cmsg_send),
 * and UDP datagrams stamped as they leave, keys counting datagrams. */
static void test_timestamping_cmsg_and_udp(void)
{
	struct th h;
	uint32_t iss;
	int fd, u;
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl;
	struct cmsghdr *c;
	uint32_t rec = SOF_TIMESTAMPING_TX_SOFTWARE;
	static char payload[100];
	struct iovec iov = { payload, 100 };
	struct msghdr m;
	struct nds_wait w;
	struct sockaddr_in to;
	struct report r;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7, .rtt = 10000 }, &iss);
	CHECK_EQ(set_int(&h, fd, SOL_SOCKET, SO_TIMESTAMPING,
		      SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID), 0);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SO_TIMESTAMPING;
	c->cmsg_len = CMSG_LEN(sizeof(rec));
	memcpy(CMSG_DATA(c), &rec, sizeof(rec));
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), 100);
	p = th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 100);
	r = read_report(&h, fd, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 99, p ? p->t : -1,
		  MSG_ERRQUEUE | MSG_TRUNC);
	/* reporting flags are not allowed per call */
	rec = SOF_TIMESTAMPING_SOFTWARE;
	memcpy(CMSG_DATA(c), &rec, sizeof(rec));
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), -EINVAL);
	/* without the cmsg, the socket records nothing */
	ack_to(&h, iss, 100);
	CHECK_EQ(th_write(&h, fd, 100, NULL), 100);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 100, 100);
	CHECK_EQ(read_report(&h, fd, 0).ret, -EAGAIN);

	u = nds_socket(h.ns, AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ(set_int(&h, u, SOL_SOCKET, SO_TIMESTAMPING,
		      SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		      SOF_TIMESTAMPING_OPT_ID | SOF_TIMESTAMPING_OPT_TSONLY), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(9);
	inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
	memset(&m, 0, sizeof(m));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	for (int i = 0; i < 2; i++) {
		memset(&w, 0, sizeof(w));
		CHECK_EQ(nds_sendmsg(h.ns, u, &m, 0, &w), 100);
	}
	r = read_report(&h, u, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 0, nds_now(h.ns),
		  MSG_ERRQUEUE);
	r = read_report(&h, u, 0);
	expect_ts(__LINE__, &r, SCM_TSTAMP_SND, 1, nds_now(h.ns),
		  MSG_ERRQUEUE);
	CHECK_EQ(read_report(&h, u, 0).ret, -EAGAIN);
	th_free(&h);
}

static void test_bad_buffers(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	char good[10] = { 0 };
	struct iovec iov[2] = { { good, 10 }, { NULL, 10 } };
	struct msghdr m;
	struct nds_wait w;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov[1];
	m.msg_iovlen = 1;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), -EFAULT);
	th_expect_none(&h);
	/* the good first buffer goes, the call stops at the bad one */
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), 10);
	th_expect(&h, TCPHDR_ACK | TCPHDR_PSH, iss, 0, 10);
	/* receive: no data yet means no copy, so no fault */
	m.msg_iov = &iov[1];
	m.msg_iovlen = 1;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, MSG_DONTWAIT, &w), -EAGAIN);
	th_inject(&h, TCPHDR_ACK | TCPHDR_PSH, 1, iss + 11, 257, NULL, 0, 100);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, 0, &w), -EFAULT);
	CHECK_EQ(th_read(&h, fd, 1000, NULL), 100);	/* still queued */
	/* no iovec array at all */
	m.msg_iov = NULL;
	m.msg_iovlen = 1;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, &w), -EFAULT);
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, 0, &w), -EFAULT);
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, MSG_ERRQUEUE, &w), -EFAULT);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_zerocopy_basic, test_zerocopy_ranges,
		       test_zerocopy_frags, test_zerocopy_ipv6_and_udp,
		       test_timestamping, test_timestamping_last_byte,
		       test_timestamping_cmsg_and_udp, test_bad_buffers);
}
