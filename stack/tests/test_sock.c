/* SPDX-License-Identifier: GPL-2.0-only */
/* test_sock.c: the socket layer: sysctls, options (known and unknown),
 * fcntl, poll/epoll with the virtual-clock deadline, bind errors, UDP, and
 * ICMP errors delivered to sockets. */
#include "tcp_helper.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/uio.h>

static void test_sysctls(void)
{
	struct th h;
	char buf[128];

	/* a fresh namespace on this machine kind's 6.18 */
	th_init_fresh(&h, false);
	CHECK_EQ(nds_sysctl_read(h.ns, "net/ipv4/tcp_rmem", buf, sizeof(buf)),
		0);
	CHECK_STREQ(buf, "4096\t131072\t33554432");
	CHECK_EQ(nds_sysctl_read(h.ns, "net/core/rmem_max", buf, sizeof(buf)),
		0);
	CHECK_STREQ(buf, "4194304");
	CHECK_EQ(nds_sysctl_read(h.ns, "net/ipv4/tcp_syn_linear_timeouts", buf,
			      sizeof(buf)), 0);
	CHECK_STREQ(buf, "4");
	CHECK_EQ(nds_sysctl_read(h.ns, "net/ipv4/tcp_fastopen", buf,
			      sizeof(buf)), 0);
	CHECK_STREQ(buf, "1");
	CHECK_EQ(nds_sysctl_write(h.ns, "/proc/sys/net/ipv4/tcp_wmem",
			       "4096 50000 4194304"), 0);
	CHECK_EQ(nds_sysctl_read(h.ns, "net.ipv4.tcp_wmem", buf, sizeof(buf)),
		0);
	CHECK_STREQ(buf, "4096\t50000\t4194304");
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_no_such_thing", "1"),
	      -ENOENT);
	CHECK_EQ(h.unsupported, 1);
	CHECK_EQ(nds_sysctl_write(h.ns, "net/ipv4/tcp_sack", "x"), -EINVAL);
	/* a new socket takes its buffers from the sysctls */
	{
		int fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0), v;
		socklen_t len = sizeof(v);
		CHECK_EQ(nds_getsockopt(h.ns, fd, SOL_SOCKET, SO_SNDBUF, &v,
			&len),
		      0);
		CHECK_EQ(v, 50000);
		len = sizeof(v);
		CHECK_EQ(nds_getsockopt(h.ns, fd, SOL_SOCKET, SO_RCVBUF, &v,
			&len),
		      0);
		CHECK_EQ(v, 131072);
		len = sizeof(v);
		CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_MAXSEG, &v,
				     &len), 0);
		CHECK_EQ(v, 536);
	}
	th_free(&h);
}

static void test_options_and_errors(void)
{
	struct th h;
	int fd, v = 1, before;
	socklen_t len = sizeof(v);
	struct nds_tcp_info ti;

	th_init(&h, false);
	fd = nds_socket(h.ns, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	CHECK_EQ(fd, 3);
	CHECK_EQ(nds_socket(h.ns, AF_INET, SOCK_STREAM, IPPROTO_UDP),
	      -EPROTONOSUPPORT);
	CHECK_EQ(nds_socket(h.ns, AF_PACKET, SOCK_RAW, 0), -EAFNOSUPPORT);
	CHECK_EQ(nds_setsockopt(h.ns, 99, SOL_SOCKET, SO_REUSEADDR, &v,
			     sizeof(v)), -EBADF);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_NODELAY, &v,
			     sizeof(v)), 0);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_NODELAY, &v, &len),
		0);
	CHECK_EQ(v, 1);
	before = h.unsupported;
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, 12345, &v, sizeof(v)),
	      -ENOPROTOOPT);
	CHECK_EQ(h.unsupported, before + 1);
	CHECK(strstr(h.last_trace, "not supported") != NULL);
	CHECK_EQ(nds_setsockopt(h.ns, fd, IPPROTO_TCP, TCP_MAXSEG, &(int){ 50 },
			     sizeof(int)), -EINVAL);
	len = sizeof(ti);
	CHECK_EQ(nds_getsockopt(h.ns, fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	CHECK_EQ(len, 280);
	CHECK_EQ(ti.tcpi_state, NDS_TCP_CLOSE);
	/* fcntl */
	CHECK_EQ(nds_fcntl(h.ns, fd, F_GETFL, 0), O_RDWR);
	CHECK_EQ(nds_fcntl(h.ns, fd, F_SETFL, O_RDWR | O_NONBLOCK), 0);
	CHECK_EQ(nds_fcntl(h.ns, fd, F_GETFL, 0), O_RDWR | O_NONBLOCK);
	/* read on an unconnected socket */
	CHECK_EQ(th_read(&h, fd, 10, NULL), -ENOTCONN);
	CHECK_EQ(th_write(&h, fd, 10, NULL), -EPIPE);
	CHECK_EQ(nds_listen(h.ns, fd, 1), 0);
	{
		struct nds_wait w = { 0 };
		CHECK_EQ(nds_accept(h.ns, fd, NULL, NULL, 0, &w), -EAGAIN);
	}
	CHECK_EQ(nds_close(h.ns, fd, NULL), 0);
	CHECK_EQ(nds_close(h.ns, fd, NULL), -EBADF);
	th_free(&h);
}

static void test_bind(void)
{
	struct th h;
	struct sockaddr_in a;
	int s1, s2;

	th_init(&h, false);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(8080);
	s1 = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	s2 = nds_socket(h.ns, AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(nds_bind(h.ns, s1, (struct sockaddr *)&a, sizeof(a)), 0);
	CHECK_EQ(nds_listen(h.ns, s1, 5), 0);
	CHECK_EQ(nds_bind(h.ns, s2, (struct sockaddr *)&a, sizeof(a)),
	      -EADDRINUSE);
	inet_pton(AF_INET, "10.9.9.9", &a.sin_addr);
	a.sin_port = htons(9000);
	CHECK_EQ(nds_bind(h.ns, s2, (struct sockaddr *)&a, sizeof(a)),
	      -EADDRNOTAVAIL);
	CHECK_EQ(nds_bind(h.ns, s2, (struct sockaddr *)&a, 4), -EINVAL);
	th_free(&h);
}

static void test_poll_epoll(void)
{
	struct th h;
	uint32_t iss;
	int fd, ep;
	struct pollfd pfd;
	struct nds_wait w;
	struct epoll_event ev, out[4];

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 65535, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	pfd.fd = fd;
	pfd.events = POLLIN;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_poll(h.ns, &pfd, 1, 100, &w), -NDS_EBLOCKED);
	CHECK_EQ(w.deadline, 100000);
	nds_advance(h.ns, w.deadline);
	CHECK_EQ(nds_poll(h.ns, &pfd, 1, 100, &w), 0);
	pfd.events = POLLOUT;
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_poll(h.ns, &pfd, 1, 100, &w), 1);
	CHECK_EQ(pfd.revents, POLLOUT);

	ep = nds_epoll_create(h.ns, 0);
	CHECK(ep > fd);
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 77;
	CHECK_EQ(nds_epoll_ctl(h.ns, ep, EPOLL_CTL_ADD, fd, &ev), 0);
	CHECK_EQ(nds_epoll_ctl(h.ns, ep, EPOLL_CTL_ADD, fd, &ev), -EEXIST);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 0);
	th_inject(&h, TCPHDR_ACK, 1, iss + 1, 511, NULL, 0, 10);
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 1);
	CHECK_EQ(out[0].events, EPOLLIN);
	CHECK_EQ(out[0].data.u64, 77);
	/* edge triggered: not again until new data */
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 0);
	th_inject(&h, TCPHDR_ACK, 11, iss + 1, 511, NULL, 0, 10);
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 1);
	/* level triggered after MOD */
	ev.events = EPOLLIN;
	CHECK_EQ(nds_epoll_ctl(h.ns, ep, EPOLL_CTL_MOD, fd, &ev), 0);
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 1);
	CHECK_EQ(nds_epoll_wait(h.ns, ep, out, 4, 0, &w), 1);
	th_free(&h);
}

static void test_udp_and_icmp(void)
{
	struct th h;
	struct sockaddr_in a, from;
	struct iovec iov;
	struct msghdr m;
	char buf[64] = "hello";
	int fd;
	struct th_pkt *p;
	struct nds_wait w;

	th_init(&h, false);
	fd = nds_socket(h.ns, AF_INET, SOCK_DGRAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(53);
	inet_pton(AF_INET, "192.0.2.1", &a.sin_addr);
	CHECK_EQ(nds_connect(h.ns, fd, (struct sockaddr *)&a, sizeof(a), NULL),
	      0);
	iov.iov_base = buf;
	iov.iov_len = 5;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ(nds_sendmsg(h.ns, fd, &m, 0, NULL), 5);
	p = th_next(&h);
	CHECK(p && p->proto == IPPROTO_UDP && p->csum_ok);
	/* ICMP port unreachable quoting that datagram */
	{
		uint8_t pkt[20 + 8 + 20 + 8];
		uint16_t sport = 0;
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 0x45;
		pkt[3] = sizeof(pkt);
		pkt[8] = 64;
		pkt[9] = IPPROTO_ICMP;
		inet_pton(AF_INET, "192.0.2.1", pkt + 12);
		inet_pton(AF_INET, "192.168.0.1", pkt + 16);
		pkt[20] = 3;	/* dest unreachable */
		pkt[21] = 3;	/* port */
		pkt[28] = 0x45;
		pkt[28 + 9] = IPPROTO_UDP;
		inet_pton(AF_INET, "192.168.0.1", pkt + 28 + 12);
		inet_pton(AF_INET, "192.0.2.1", pkt + 28 + 16);
		sport = p ? p->sport : 0;
		pkt[48] = (uint8_t)(sport >> 8);
		pkt[49] = (uint8_t)sport;
		pkt[51] = 53;
		{
			uint32_t s = 0;
			for (int i = 0; i < 20; i += 2)
				s += (uint32_t)pkt[i] << 8 | pkt[i + 1];
			while (s >> 16)
				s = (s & 0xffff) + (s >> 16);
			pkt[10] = (uint8_t)(~s >> 8);
			pkt[11] = (uint8_t)~s;
		}
		CHECK_EQ(nds_input(h.ns, pkt, sizeof(pkt)), 0);
	}
	memset(&w, 0, sizeof(w));
	iov.iov_len = sizeof(buf);
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, MSG_DONTWAIT, &w), -ECONNREFUSED);
	CHECK_EQ(nds_recvmsg(h.ns, fd, &m, MSG_DONTWAIT, &w), -EAGAIN);
	memset(&from, 0, sizeof(from));
	(void)from;
	CHECK_EQ(nds_input(h.ns, (const uint8_t *)"\x45", 1), -EINVAL);
	th_free(&h);
}

/* SO_RCVTIMEO / SO_SNDTIMEO give blocking calls a deadline on the
 * virtual clock; the call then fails with EAGAIN (or returns what it
 * copied). A listener's tcp_info reports its accept queue. */
static void test_timeouts(void)
{
	struct th h;
	uint32_t iss;
	int fd, lfd = 3, v = 4000;
	struct timeval tv = { 0, 100000 };
	struct nds_wait w;
	struct nds_tcp_info ti;
	socklen_t len = sizeof(ti);

	th_init(&h, false);
	fd = th_established(&h, &(struct th_peer){ .win = 32792, .mss = 1000,
			.sack = true, .wscale = 7 }, &iss);
	CHECK_EQ(nds_getsockopt(h.ns, lfd, IPPROTO_TCP, TCP_INFO, &ti, &len),
		0);
	CHECK_EQ(ti.tcpi_state, NDS_TCP_LISTEN);
	CHECK_EQ(ti.tcpi_unacked, 0);		/* accept queue, now empty */
	CHECK_EQ(ti.tcpi_sacked, 10);		/* backlog */
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
			     sizeof(tv)), 0);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(th_read(&h, fd, 10, &w), -NDS_EBLOCKED);
	CHECK_EQ(w.deadline, nds_now(h.ns) + 100000);
	nds_advance(h.ns, w.deadline);
	CHECK_EQ(th_read(&h, fd, 10, &w), -EAGAIN);
	/* a send that fills the buffer waits until SO_SNDTIMEO, then
	 * returns the bytes it queued */
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)),
	      0);
	CHECK_EQ(nds_setsockopt(h.ns, fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
			     sizeof(tv)), 0);
	memset(&w, 0, sizeof(w));
	CHECK_EQ(th_write(&h, fd, 100000, &w), -NDS_EBLOCKED);
	CHECK(w.progress > 0 && w.progress < 100000);
	nds_advance(h.ns, w.deadline);
	CHECK_EQ(th_write(&h, fd, 100000, &w), (ssize_t)w.progress);
	th_free(&h);
}

int main(void)
{
	return TAP_RUN(test_timeouts, test_sysctls, test_options_and_errors,
		       test_bind, test_poll_epoll, test_udp_and_icmp);
}
