/* SPDX-License-Identifier: GPL-2.0-only */
/* udp.c: UDP sockets (udp_sendmsg -> ip_queue_xmit; udp_rcv -> socket
 * lookup -> datagram queue -> udp_recvmsg), with ICMP errors via udp_err.
 */
#include "udp_priv.h"
#include "proto/udp.h"
#include "tcp_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

int udp_connect(struct sock *sk, const struct sockaddr *addr, socklen_t len)
{
	struct nds_addr a;
	uint16_t port;
	int err = 0;

	if (addr && len >= sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
		sk->state = NDS_TCP_CLOSE;
		memset(&sk->daddr, 0, sizeof(sk->daddr));
		sk->dport = 0;
		return 0;
	}
	err = sockaddr_to_nds(sk, addr, len, &a, &port);
	if (err)
		return err;
	sk->daddr = a;
	sk->dport = port;
	sk->wire_v4 = nds_addr_is_v4(&a);
	if (!sk->bound) {
		err = inet_autobind(sk);
		if (err)
			return err;
	}
	err = inet_select_source(sk->ns, sk);
	if (err)
		return err;
	sk->state = NDS_TCP_ESTABLISHED;
	return 0;
}

static size_t iov_total(const struct msghdr *msg)
{
	size_t n = 0;

	for (size_t i = 0; i < msg->msg_iovlen; i++)
		n += msg->msg_iov[i].iov_len;
	return n;
}

ssize_t udp_sendmsg(struct sock *sk, const struct msghdr *msg, int flags)
{
	struct nds_addr dst;
	uint16_t dport;
	size_t len = iov_total(msg), off = 0;
	uint8_t *buf;
	struct nds_udphdr *uh;
	struct nds_addr src;
	int err = 0;

	if (msg->msg_name) {
		err = sockaddr_to_nds(sk, msg->msg_name, msg->msg_namelen,
				      &dst, &dport);
		if (err)
			return err;
	} else {
		if (sk->state != NDS_TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		dst = sk->daddr;
		dport = sk->dport;
	}
	if (sk->sk_err) {
		err = -sk->sk_err;
		sk->sk_err = 0;
		return err;
	}
	if (len > 65507)
		return -EMSGSIZE;
	if (!sk->bound) {
		err = inet_autobind(sk);
		if (err)
			return err;
	}
	src = sk->saddr;
	if (nds_addr_any(&src) || nds_addr_is_v4(&src) != nds_addr_is_v4(&dst)) {
		if (nds_addr_is_v4(&dst)) {
			if (!sk->ns->cfg.has_v4)
				return -ENETUNREACH;
			nds_addr_from_v4(&src, sk->ns->cfg.local_v4.s_addr);
		} else {
			if (!sk->ns->cfg.has_v6)
				return -ENETUNREACH;
			memcpy(&src.a, &sk->ns->cfg.local_v6, 16);
		}
	}
	buf = malloc(sizeof(*uh) + len);
	if (!buf)
		return -ENOMEM;
	uh = (struct nds_udphdr *)buf;
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		memcpy(buf + sizeof(*uh) + off, msg->msg_iov[i].iov_base,
		       msg->msg_iov[i].iov_len);
		off += msg->msg_iov[i].iov_len;
	}
	uh->source = htons(sk->sport);
	uh->dest = htons(dport);
	uh->len = htons((uint16_t)(sizeof(*uh) + len));
	uh->check = 0;
	{
		bool v4 = nds_addr_is_v4(&dst);
		uint32_t sum = csum_pseudo(&src, &dst, v4, IPPROTO_UDP,
					   (uint32_t)(sizeof(*uh) + len));
		uint16_t c = csum_fold(csum_partial(buf, sizeof(*uh) + len,
						    sum));
		uh->check = htons(c ? c : 0xffff);
	}
	ip_queue_xmit(sk->ns, &src, &dst, IPPROTO_UDP, buf, sizeof(*uh) + len,
		      sk->tos, sk->ttl, sk->ns->ip_id++, true);
	free(buf);
	return (ssize_t)len;
}

ssize_t udp_recvmsg(struct sock *sk, struct msghdr *msg, int flags,
		    struct nds_wait *wait)
{
	struct udp_dgram *d = sk->udp_q;
	size_t off = 0;
	int err = 0;

	if (sk->sk_err) {
		err = -sk->sk_err;
		sk->sk_err = 0;
		return err;
	}
	if (!d) {
		if (sk->nonblock || (flags & MSG_DONTWAIT))
			return -EAGAIN;
		if (!wait->started) {
			wait->started = 1;
			wait->start_time = sk->ns->now;
			wait->deadline = sk->sk_rcvtimeo
					 ? sk->ns->now + sk->sk_rcvtimeo
					 : INT64_MAX;
		}
		if (sk->ns->now >= wait->deadline)
			return -EAGAIN;
		return -NDS_EBLOCKED;
	}
	for (size_t i = 0; i < msg->msg_iovlen && off < d->len; i++) {
		size_t n = msg->msg_iov[i].iov_len;
		if (n > d->len - off)
			n = d->len - off;
		memcpy(msg->msg_iov[i].iov_base, d->data + off, n);
		off += n;
	}
	msg->msg_flags = off < d->len ? MSG_TRUNC : 0;
	if (msg->msg_name)
		nds_to_sockaddr(sk, &d->from, d->port, msg->msg_name,
				&msg->msg_namelen);
	if (!(flags & MSG_PEEK)) {
		sk->udp_q = d->next;
		if (!sk->udp_q)
			sk->udp_q_tail = NULL;
		sk->sk_rmem_alloc -= (int)d->len;
		free(d);
	}
	return (flags & MSG_TRUNC) ? (ssize_t)d->len : (ssize_t)off;
}

unsigned int udp_poll(struct sock *sk)
{
	unsigned int mask = POLLOUT | POLLWRNORM;

	if (sk->udp_q)
		mask |= POLLIN | POLLRDNORM;
	if (sk->sk_err)
		mask |= POLLERR;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	return mask;
}

int udp_ioctl(struct sock *sk, unsigned long req, int *out)
{
	switch (req) {
	case SIOCINQ:
		*out = sk->udp_q ? (int)sk->udp_q->len : 0;
		return 0;
	case SIOCOUTQ:
		*out = 0;
		return 0;
	default:
		nds_unsupported(sk->ns, "ioctl 0x%lx on UDP", req);
		return -ENOTTY;
	}
}

int udp_setsockopt(struct sock *sk, int name, const void *val, socklen_t len)
{
	nds_unsupported(sk->ns, "setsockopt IPPROTO_UDP option %d", name);
	return -ENOPROTOOPT;
}

void udp_err(struct sock *sk, int err)
{
	sk->sk_err = err;
	sk_wake(sk);
}

void udp_rcv(struct nds *ns, const struct nds_addr *src,
	     const struct nds_addr *dst, bool v4, const uint8_t *seg,
	     size_t len)
{
	struct nds_udphdr uh;
	struct sock *sk;
	struct udp_dgram *d;
	size_t ulen;

	if (len < sizeof(uh))
		return;
	memcpy(&uh, seg, sizeof(uh));
	ulen = ntohs(uh.len);
	if (ulen < sizeof(uh) || ulen > len)
		return;
	if (uh.check && csum_fold(csum_partial(seg, ulen,
			csum_pseudo(src, dst, v4, IPPROTO_UDP, (uint32_t)ulen))))
		return;
	sk = inet_lookup_established(ns, src, ntohs(uh.source), dst,
				     ntohs(uh.dest), SOCK_DGRAM);
	if (!sk)
		sk = inet_lookup_listener(ns, dst, ntohs(uh.dest), v4,
					  SOCK_DGRAM);
	if (!sk)
		return;		/* ICMP port unreachable not modelled */
	if (sk->sk_rmem_alloc + (int)ulen > sk->sk_rcvbuf)
		return;
	d = malloc(sizeof(*d) + ulen - sizeof(uh));
	if (!d)
		return;
	d->next = NULL;
	d->from = *src;
	d->port = ntohs(uh.source);
	d->len = (uint32_t)(ulen - sizeof(uh));
	memcpy(d->data, seg + sizeof(uh), d->len);
	if (sk->udp_q_tail)
		sk->udp_q_tail->next = d;
	else
		sk->udp_q = d;
	sk->udp_q_tail = d;
	sk->sk_rmem_alloc += (int)d->len;
	sk_wake(sk);
}
