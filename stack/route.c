/* SPDX-License-Identifier: GPL-2.0-only */
/* route.c: per-destination route metrics that scripts set with
 * `ip route change|replace|add DST ... advmss N mtu [lock] M initcwnd K`
 * (Linux's RTAX_ADVMSS, RTAX_MTU with its lock bit, RTAX_INITCWND), kept
 * in a small table looked up by longest prefix for a socket's peer:
 *  - route_advmss: the MSS we advertise (dst_metric_advmss, tcp_mss_clamp);
 *  - dst_mtu: the path MTU TCP sizes segments for (the route's MTU when
 *    set, never above the link's);
 *  - tcp_init_cwnd: the initial and restart window;
 *  - ip_dont_fragment: DF is set unless the route's MTU is locked (path
 *    MTU discovery off for it).
 * The table is reached as the sysctl net/netdrill/route (netdev.c): a
 * write "DST [advmss N] [mtu [lock] M] [initcwnd K]" replaces DST's
 * metrics (an `ip route change` replaces all of them), "del DST" removes
 * it; a read lists one route per line in that form.
 */
#include "netdev_priv.h"
#include "nds_priv.h"
#include "tcp_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDST(r) ((struct nds_addr *)&(r)->dst)
#define RDST_C(r) ((const struct nds_addr *)&(r)->dst)

/* Parse "a.b.c.d[/len]", "v6[/len]" or "default" (both families). */
static int route_parse_dst(const char *s, struct nds_route *r)
{
	char addr[64], *slash;
	long plen = -1;

	if (strlen(s) >= sizeof(addr))
		return -EINVAL;
	strcpy(addr, s);
	slash = strchr(addr, '/');
	if (slash) {
		char *end;

		*slash = 0;
		plen = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end)
			return -EINVAL;
	}
	memset(&r->dst, 0, sizeof(r->dst));
	if (!strcmp(addr, "default")) {
		r->is_default = true;
		r->plen = 0;
		return plen < 0 ? 0 : -EINVAL;
	}
	r->is_default = false;
	if (strchr(addr, ':')) {
		if (inet_pton(AF_INET6, addr, &r->dst) != 1 || plen > 128)
			return -EINVAL;
		r->plen = plen < 0 ? 128 : (int)plen;
	} else {
		struct in_addr v4;

		if (inet_pton(AF_INET, addr, &v4) != 1 || plen > 32)
			return -EINVAL;
		nds_addr_from_v4(RDST(r), v4.s_addr);
		r->plen = 96 + (plen < 0 ? 32 : (int)plen);
	}
	return 0;
}

static bool prefix_match(const struct nds_addr *a, const struct nds_addr *p,
			 int plen)
{
	int bytes = plen / 8, bits = plen % 8;

	if (memcmp(a->a.s6_addr, p->a.s6_addr, (size_t)bytes))
		return false;
	return !bits || ((a->a.s6_addr[bytes] ^ p->a.s6_addr[bytes]) &
			 (0xff00 >> bits)) == 0;
}

/* The route a socket's peer uses, or NULL (no metrics). */
static const struct nds_route *route_lookup(const struct sock *sk)
{
	const struct nds_netdev *nd = &sk->ns->netdev;
	const struct nds_route *best = NULL;
	int i;

	for (i = 0; i < nd->nroutes; i++) {
		const struct nds_route *r = &nd->routes[i];

		if (r->is_default) {
			if (!best)
				best = r;
			continue;
		}
		if (nds_addr_is_v4(RDST_C(r)) != nds_addr_is_v4(&sk->daddr) ||
		    !prefix_match(&sk->daddr, RDST_C(r), r->plen))
			continue;
		if (!best || best->is_default || r->plen > best->plen)
			best = r;
	}
	return best;
}

static int route_mtu(const struct sock *sk)
{
	const struct nds_route *r = route_lookup(sk);

	return r ? r->mtu : 0;
}

/* A connected socket keeps its route (sk_dst_cache): a later `ip route
 * change` reaches it when its next segment goes out (ip_queue_xmit's
 * __sk_dst_check finds the cached route obsolete), so the MSS of data
 * queued before then still follows the old route. The link's MTU (ICMP
 * "too big" lowers it in place) applies at once. */
int dst_mtu(const struct sock *sk)
{
	int mtu = sk->dst_cached ? sk->dst_route_mtu : route_mtu(sk);

	if (mtu && mtu < sk->ns->mtu)
		return mtu;
	return sk->ns->mtu;
}

void sk_dst_check(struct sock *sk)
{
	sk->dst_route_mtu = route_mtu(sk);
	sk->dst_cached = true;
}

bool ip_dont_fragment(const struct sock *sk)
{
	const struct nds_route *r = route_lookup(sk);

	return !(r && r->mtu && r->mtu_locked);
}

int route_advmss(const struct sock *sk)
{
	const struct nds_route *r = route_lookup(sk);

	return r ? r->advmss : 0;
}

uint32_t tcp_init_cwnd(const struct sock *sk)
{
	const struct nds_route *r = route_lookup(sk);

	return r && r->initcwnd ? r->initcwnd : TCP_INIT_CWND;
}

/* One metric value: a positive number below 65536. */
static int metric(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v <= 0 || v > 65535)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int route_set(struct nds *ns, const char *spec)
{
	struct nds_netdev *nd = &ns->netdev;
	char buf[256], *w[16], *save = NULL, *t;
	struct nds_route r;
	int n = 0, i, k;
	bool del = false;

	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	for (t = strtok_r(buf, " \t\n", &save); t && n < 16;
	     t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	if (t || !n)
		return -EINVAL;
	i = 0;
	if (!strcmp(w[0], "del")) {
		del = true;
		i = 1;
	}
	memset(&r, 0, sizeof(r));
	if (i >= n || route_parse_dst(w[i], &r))
		return -EINVAL;
	for (i++; !del && i < n; i++) {
		if (!strcmp(w[i], "advmss") && i + 1 < n) {
			if (metric(w[++i], &r.advmss))
				return -EINVAL;
		} else if (!strcmp(w[i], "initcwnd") && i + 1 < n) {
			if (metric(w[++i], &r.initcwnd))
				return -EINVAL;
		} else if (!strcmp(w[i], "mtu") && i + 1 < n) {
			if (!strcmp(w[i + 1], "lock")) {
				r.mtu_locked = true;
				i++;
			}
			if (i + 1 >= n || metric(w[++i], &r.mtu) ||
			    r.mtu < 68)
				return -EINVAL;
		} else {
			nds_unsupported(ns, "route attribute %s", w[i]);
			return -EOPNOTSUPP;
		}
	}
	if (del && i < n)
		return -EINVAL;
	for (k = 0; k < nd->nroutes; k++)
		if (nd->routes[k].is_default == r.is_default &&
		    nd->routes[k].plen == r.plen &&
		    nds_addr_eq(RDST_C(&nd->routes[k]), RDST_C(&r)))
			break;
	if (del) {
		if (k == nd->nroutes)
			return -ESRCH;
		nd->routes[k] = nd->routes[--nd->nroutes];
		nds_tracef(ns, "route %s deleted", w[1]);
		return 0;
	}
	if (k == nd->nroutes) {
		if (nd->nroutes == NDS_MAX_ROUTES)
			return -ENOSPC;
		nd->nroutes++;
	}
	nd->routes[k] = r;
	nds_tracef(ns, "route %s: advmss %d mtu %s%d initcwnd %d", w[0],
		   r.advmss, r.mtu_locked ? "lock " : "", r.mtu, r.initcwnd);
	return 0;
}

int route_show(struct nds *ns, char *buf, size_t len)
{
	const struct nds_netdev *nd = &ns->netdev;
	size_t n = 0;
	int i;

	if (!len)
		return -EINVAL;
	buf[0] = 0;
	for (i = 0; i < nd->nroutes; i++) {
		const struct nds_route *r = &nd->routes[i];
		char addr[INET6_ADDRSTRLEN + 8];
		int w;

		if (r->is_default) {
			snprintf(addr, sizeof(addr), "default");
		} else if (nds_addr_is_v4(RDST_C(r))) {
			uint32_t v4 = nds_addr_v4(RDST_C(r));

			inet_ntop(AF_INET, &v4, addr, sizeof(addr));
			if (r->plen != 128)
				snprintf(addr + strlen(addr),
					 sizeof(addr) - strlen(addr), "/%d",
					 r->plen - 96);
		} else {
			inet_ntop(AF_INET6, &r->dst, addr, sizeof(addr));
			if (r->plen != 128)
				snprintf(addr + strlen(addr),
					 sizeof(addr) - strlen(addr), "/%d",
					 r->plen);
		}
		w = snprintf(buf + n, len - n, "%s%s", i ? "\n" : "", addr);
		if (w >= 0 && (size_t)w < len - n && r->advmss)
			w += snprintf(buf + n + w, len - n - (size_t)w,
				      " advmss %d", r->advmss);
		if (w >= 0 && (size_t)w < len - n && r->mtu)
			w += snprintf(buf + n + w, len - n - (size_t)w,
				      " mtu %s%d", r->mtu_locked ? "lock " : "",
				      r->mtu);
		if (w >= 0 && (size_t)w < len - n && r->initcwnd)
			w += snprintf(buf + n + w, len - n - (size_t)w,
				      " initcwnd %d", r->initcwnd);
		if (w < 0 || (size_t)w >= len - n)
			return -EINVAL;
		n += (size_t)w;
	}
	return 0;
}
