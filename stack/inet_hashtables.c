/* SPDX-License-Identifier: GPL-2.0-only */
/* inet_hashtables.c: binding and socket lookup (inet_bind, inet_autobind,
 * __inet_lookup_established, __inet_lookup_listener) plus sockaddr
 * conversion for AF_INET, AF_INET6 and IPv4-mapped IPv6 sockets.
 * The tables are a plain list: a run has a handful of sockets.
 */
#include "nds_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

int sockaddr_to_nds(const struct sock *sk, const struct sockaddr *addr,
		    socklen_t len, struct nds_addr *a, uint16_t *port)
{
	if (!addr)
		return -EFAULT;
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (sk->family == AF_INET) {
		struct sockaddr_in sin;
		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, addr, sizeof(sin));
		if (sin.sin_family != AF_INET)
			return -EAFNOSUPPORT;
		nds_addr_from_v4(a, sin.sin_addr.s_addr);
		*port = ntohs(sin.sin_port);
		return 0;
	} else {
		struct sockaddr_in6 sin6;
		if (addr->sa_family == AF_INET) {
			/* Linux rejects this for AF_INET6 sockets. */
			return -EINVAL;
		}
		if (len < 24)
			return -EINVAL;
		memset(&sin6, 0, sizeof(sin6));
		memcpy(&sin6, addr, len < sizeof(sin6) ? len : sizeof(sin6));
		if (sin6.sin6_family != AF_INET6)
			return -EAFNOSUPPORT;
		memcpy(&a->a, &sin6.sin6_addr, 16);
		*port = ntohs(sin6.sin6_port);
		if (sk->v6only && nds_addr_is_v4(a))
			return -EINVAL;
		if (IN6_IS_ADDR_UNSPECIFIED(&a->a))
			return 0;
		return 0;
	}
}

void nds_to_sockaddr(const struct sock *sk, const struct nds_addr *a,
		     uint16_t port, struct sockaddr *addr, socklen_t *len)
{
	if (!addr || !len)
		return;
	if (sk->family == AF_INET) {
		struct sockaddr_in sin;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		sin.sin_addr.s_addr = nds_addr_v4(a);
		memcpy(addr, &sin, *len < sizeof(sin) ? *len : sizeof(sin));
		*len = sizeof(sin);
	} else {
		struct sockaddr_in6 sin6;
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		memcpy(&sin6.sin6_addr, &a->a, 16);
		memcpy(addr, &sin6, *len < sizeof(sin6) ? *len : sizeof(sin6));
		*len = sizeof(sin6);
	}
}

static bool addr_overlap(const struct sock *a, const struct sock *b)
{
	if (!a->bound_addr || !b->bound_addr)
		return true;
	return nds_addr_eq(&a->saddr, &b->saddr);
}

static bool port_conflict(struct nds *ns, struct sock *sk, uint16_t port)
{
	for (struct sock *o = ns->socks; o; o = o->next) {
		if (o == sk || !o->bound || o->sport != port ||
		    o->type != sk->type || o->parent)
			continue;
		if (o->fd < 0 && sk->type == SOCK_STREAM &&
		    o->state != NDS_TCP_LISTEN)
			continue;	/* orphans (TIME_WAIT...) don't block */
		if (!addr_overlap(o, sk))
			continue;
		if (sk->reuseport && o->reuseport)
			continue;
		if (sk->reuseaddr && o->reuseaddr &&
		    o->state != NDS_TCP_LISTEN)
			continue;
		return true;
	}
	return false;
}

int inet_bind(struct sock *sk, const struct sockaddr *addr, socklen_t len)
{
	struct nds_addr a;
	uint16_t port;
	int err = 0;

	err = sockaddr_to_nds(sk, addr, len, &a, &port);
	if (err)
		return err;
	if (sk->bound || sk->state != NDS_TCP_CLOSE)
		return -EINVAL;
	if (!nds_addr_any(&a) && !nds_addr_is_local(sk->ns, &a) &&
	    !sk->ns->sysctl.ip_nonlocal_bind)
		return -EADDRNOTAVAIL;
	if (port && port_conflict(sk->ns, sk, port))
		return -EADDRINUSE;
	sk->saddr = a;
	sk->bound_addr = !nds_addr_any(&a);
	if (sk->bound_addr)
		sk->wire_v4 = nds_addr_is_v4(&a);
	if (!port) {
		sk->bound = true;
		err = inet_autobind(sk);
		if (err) {
			sk->bound = false;
			return err;
		}
		return 0;
	}
	sk->sport = port;
	sk->bound = true;
	return 0;
}

int inet_autobind(struct sock *sk)
{
	struct nds *ns = sk->ns;
	int lo = ns->sysctl.ip_local_port_range[0];
	int hi = ns->sysctl.ip_local_port_range[1];
	int range = hi - lo + 1;
	int start;

	if (sk->sport && sk->bound)
		return 0;
	if (range <= 0)
		return -EADDRNOTAVAIL;
	start = (int)(nds_hash(ns, &ns->next_port, sizeof(ns->next_port)) %
		      (uint64_t)range);
	ns->next_port++;
	for (int i = 0; i < range; i++) {
		uint16_t port = (uint16_t)(lo + (start + i) % range);
		if (!port_conflict(ns, sk, port)) {
			sk->sport = port;
			sk->bound = true;
			return 0;
		}
	}
	return -EADDRNOTAVAIL;
}

int inet_select_source(struct nds *ns, struct sock *sk)
{
	if (!nds_addr_any(&sk->saddr) &&
	    nds_addr_is_v4(&sk->saddr) == nds_addr_is_v4(&sk->daddr))
		return 0;
	if (sk->bound_addr)
		return -EINVAL;
	if (nds_addr_is_v4(&sk->daddr)) {
		if (!ns->cfg.has_v4)
			return -ENETUNREACH;
		nds_addr_from_v4(&sk->saddr, ns->cfg.local_v4.s_addr);
	} else {
		if (!ns->cfg.has_v6)
			return -ENETUNREACH;
		memcpy(&sk->saddr.a, &ns->cfg.local_v6, 16);
	}
	return 0;
}

struct sock *inet_lookup_established(struct nds *ns,
				     const struct nds_addr *saddr, uint16_t sport,
				     const struct nds_addr *daddr, uint16_t dport,
				     int type)
{
	for (struct sock *sk = ns->socks; sk; sk = sk->next) {
		if (sk->type != type || sk->dead)
			continue;
		if (type == SOCK_STREAM && (sk->state == NDS_TCP_LISTEN ||
					    sk->state == NDS_TCP_CLOSE))
			continue;
		if (type == SOCK_DGRAM && sk->state != NDS_TCP_ESTABLISHED)
			continue;
		if (sk->sport == dport && sk->dport == sport &&
		    nds_addr_eq(&sk->daddr, saddr) &&
		    nds_addr_eq(&sk->saddr, daddr))
			return sk;
	}
	return NULL;
}

struct sock *inet_lookup_listener(struct nds *ns, const struct nds_addr *daddr,
				  uint16_t dport, bool v4, int type)
{
	struct sock *best = NULL;

	for (struct sock *sk = ns->socks; sk; sk = sk->next) {
		if (sk->type != type || sk->dead || !sk->bound ||
		    sk->sport != dport)
			continue;
		if (type == SOCK_STREAM && sk->state != NDS_TCP_LISTEN)
			continue;
		if (sk->family == AF_INET && !v4)
			continue;
		if (sk->family == AF_INET6 && v4 && sk->v6only)
			continue;
		if (sk->bound_addr) {
			if (!nds_addr_eq(&sk->saddr, daddr))
				continue;
			return sk;
		}
		if (!best)
			best = sk;
	}
	return best;
}
