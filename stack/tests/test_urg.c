/* SPDX-License-Identifier: GPL-2.0-only */
/* test_urg.c: urgent data (stack/tcp_urg.c): the byte before the BSD
 * pointer is held out of the stream and returned by recv(MSG_OOB) with
 * its value; a read stops at the mark; SO_OOBINLINE leaves it in the
 * stream; send(MSG_OOB) puts URG on the segment. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/uio.h>

#define A TCPHDR_ACK

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* IPv4 "< U. seq:seq+len(len) ack ack urg ptr", payload bytes '0'+i%10. */
static void inject_urg(struct th *h, uint32_t seq, uint32_t ack,
		       uint32_t len, uint16_t urg)
{
	uint8_t pkt[20 + 20 + 256], *t = pkt + 20;
	size_t l4 = 20 + len;
	uint32_t i;
	uint16_t c;

	memset(pkt, 0, 40);
	pkt[0] = 0x45;
	pkt[3] = (uint8_t)(20 + l4);
	pkt[8] = 64;
	pkt[9] = IPPROTO_TCP;
	inet_pton(AF_INET, "192.0.2.1", pkt + 12);
	inet_pton(AF_INET, "192.168.0.1", pkt + 16);
	c = fold(sum16(pkt, 20, 0));
	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
	t[0] = (uint8_t)(h->rport >> 8); t[1] = (uint8_t)h->rport;
	t[2] = (uint8_t)(h->lport >> 8); t[3] = (uint8_t)h->lport;
	for (i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 5 << 4;
	t[13] = TCPHDR_URG | TCPHDR_ACK;
	t[14] = 1;	/* window 256 << 7 */
	t[18] = (uint8_t)(urg >> 8);
	t[19] = (uint8_t)urg;
	for (i = 0; i < len; i++)
		t[20 + i] = (uint8_t)('0' + i % 10);
	c = fold(sum16(t, l4, sum16(pkt + 12, 8, 0) + IPPROTO_TCP +
			     (uint32_t)l4));
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
	CHECK_EQ(nds_input(h->ns, pkt, 20 + l4), 0);
}

static ssize_t rcv(struct th *h, int fd, char *buf, size_t len, int flags,
		   int *msg_flags)
{
	struct iovec iov = { buf, len };
	struct msghdr m;
	ssize_t r;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	r = nds_recvmsg(h->ns, fd, &m, flags | MSG_DONTWAIT, NULL);
	if (msg_flags)
		*msg_flags = m.msg_flags;
	return r;
}

static int atmark(struct th *h, int fd)
{
	int v = -1;

	CHECK_EQ(nds_ioctl(h->ns, fd, SIOCATMARK, &v), 0);
	return v;
}

static void test_receive(bool inline_)
{
	struct th h;
	uint32_t iss;
	int fd, one = 1, mf = 0;
	char buf[64];
	struct pollfd pfd;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 256, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	if (inline_)
		CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_OOBINLINE,
			&one,
				     sizeof(one)), 0);
	/* 20 bytes "0123456789..." with the pointer at 16: byte 15 ('5')
	 * is urgent */
	inject_urg(&h, 1, iss + 1, 20, 16);
	CHECK_EQ(atmark(&h, fd), 0);
	pfd.fd = fd;
	pfd.events = POLLIN | POLLPRI;
	pfd.revents = 0;
	CHECK_EQ(nds_poll(h.ns, &pfd, 1, 0, NULL), 1);
	CHECK_EQ(pfd.revents, POLLIN | POLLPRI);
	CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL),
		15);	/* to the mark */
	CHECK_EQ(atmark(&h, fd), 1);
	if (!inline_) {
		CHECK_EQ(rcv(&h, fd, buf, 1, MSG_OOB | MSG_PEEK, &mf), 1);
		CHECK_EQ(rcv(&h, fd, buf, 1, MSG_OOB, &mf), 1);
		CHECK_EQ(buf[0], '5');
		CHECK_EQ(mf & MSG_OOB, MSG_OOB);
		CHECK_EQ(rcv(&h, fd, buf, 1, MSG_OOB, NULL), -EINVAL);
		/* the stream goes on after the urgent byte */
		CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL), 4);
		CHECK(!memcmp(buf, "6789", 4));
	} else {
		CHECK_EQ(rcv(&h, fd, buf, 1, MSG_OOB, NULL), -EINVAL);
		CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL), 5);
		CHECK(!memcmp(buf, "56789", 5));
	}
	CHECK_EQ(atmark(&h, fd), 0);
	CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL), -EAGAIN);
	th_free(&h);
}

/* Reading past the mark without MSG_OOB loses the urgent byte, as on
 * Linux: recv(MSG_OOB) then fails with EINVAL. */
static void test_passed_mark(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	char buf[64];

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 256, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	inject_urg(&h, 1, iss + 1, 20, 3);	/* byte 2 urgent */
	CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL), 2);
	CHECK_EQ(rcv(&h, fd, buf, sizeof(buf), 0, NULL), 17);
	CHECK_EQ(rcv(&h, fd, buf, 1, MSG_OOB, NULL), -EINVAL);
	th_free(&h);
}

static void test_send(void)
{
	struct th h;
	uint32_t iss;
	int fd;
	char data[10] = "abcdefghij";
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m;
	struct th_pkt *p;

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 256, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, MSG_OOB, NULL), 10);
	p = th_expect(&h, A | TCPHDR_PSH | TCPHDR_URG, iss, 0, 10);
	th_inject(&h, A, 1, iss + 11, 256, NULL, 0, 0);
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, NULL), 10);
	p = th_expect(&h, A | TCPHDR_PSH, iss, 10, 10);	/* no URG now */
	(void)p;
	th_free(&h);
}

int main(void)
{
	TAP_CASE("receive(false)", test_receive(false));
	TAP_CASE("receive(true)", test_receive(true));
	TAP_CASE("passed_mark", test_passed_mark());
	TAP_CASE("send", test_send());
	return tap_done();
}
