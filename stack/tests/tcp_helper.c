/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_helper.c: see tcp_helper.h. */
#include "tcp_helper.h"
#include "th_wire.h"
#include "proto/ip.h"
#include "proto/ipv6.h"
#include "proto/tcp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

static void on_output(void *ctx, const uint8_t *pkt, size_t len, int64_t t)
{
	struct th *h = ctx;
	struct th_pkt *p;
	const uint8_t *l4;
	size_t l4len;
	uint32_t ps = 0;
	uint8_t *o;
	int optlen, n = 0;
	const uint8_t *op;

	if (h->nout >= TH_MAX_OUT)
		return;
	p = &h->out[h->nout++];
	memset(p, 0, sizeof(*p));
	p->t = t;
	if ((pkt[0] >> 4) == 4) {
		size_t ihl = (size_t)(pkt[0] & 0xf) * 4;
		p->v4 = true;
		p->proto = pkt[9];
		p->tos = pkt[1];
		p->ttl = pkt[8];
		l4 = pkt + ihl;
		l4len = len - ihl;
		ps = th_sum16(pkt + 12, 8, 0);
	} else {
		p->proto = pkt[6];
		p->ttl = pkt[7];
		l4 = pkt + 40;
		l4len = len - 40;
		ps = th_sum16(pkt + 8, 32, 0);
	}
	ps += p->proto;
	ps += (uint32_t)l4len;
	p->csum_ok = th_fold(th_sum16(l4, l4len, ps)) == 0;
	p->sport = (uint16_t)(l4[0] << 8 | l4[1]);
	p->dport = (uint16_t)(l4[2] << 8 | l4[3]);
	if (p->proto != IPPROTO_TCP)
		return;
	p->seq = (uint32_t)l4[4] << 24 | l4[5] << 16 | l4[6] << 8 | l4[7];
	p->ack = (uint32_t)l4[8] << 24 | l4[9] << 16 | l4[10] << 8 | l4[11];
	p->flags = l4[13];
	p->win = (uint16_t)(l4[14] << 8 | l4[15]);
	optlen = (l4[12] >> 4) * 4 - 20;
	p->len = (uint32_t)(l4len - 20 - (size_t)optlen);
	op = l4 + 20;
	o = (uint8_t *)p->opts;
	(void)o;
	while (optlen > 0) {
		char tmp[64];
		int l = 1;
		switch (op[0]) {
		case TCPOPT_NOP:
			snprintf(tmp, sizeof(tmp), "nop");
			break;
		case TCPOPT_EOL:
			snprintf(tmp, sizeof(tmp), "eol");
			break;
		case TCPOPT_MSS:
			l = 4;
			snprintf(tmp, sizeof(tmp), "mss %d", op[2] << 8 | op[3]);
			break;
		case TCPOPT_SACK_PERM:
			l = 2;
			snprintf(tmp, sizeof(tmp), "sackOK");
			break;
		case TCPOPT_WINDOW:
			l = 3;
			snprintf(tmp, sizeof(tmp), "wscale %d", op[2]);
			break;
		case TCPOPT_TIMESTAMP:
			l = 10;
			p->tsval = (uint32_t)op[2] << 24 | op[3] << 16 |
				   op[4] << 8 | op[5];
			p->tsecr = (uint32_t)op[6] << 24 | op[7] << 16 |
				   op[8] << 8 | op[9];
			snprintf(tmp, sizeof(tmp), "TS");
			break;
		case TCPOPT_SACK: {
			int k = 0;
			l = op[1];
			k = snprintf(tmp, sizeof(tmp), "sack");
			for (int i = 2; i + 8 <= l && k < 50; i += 8) {
				uint32_t a = (uint32_t)op[i] << 24 |
					     op[i + 1] << 16 | op[i + 2] << 8 |
					     op[i + 3];
				uint32_t b = (uint32_t)op[i + 4] << 24 |
					     op[i + 5] << 16 | op[i + 6] << 8 |
					     op[i + 7];
				k += snprintf(tmp + k, sizeof(tmp) - (size_t)k,
					      " %u:%u", a, b);
			}
			break;
		}
		default:
			l = op[1] ? op[1] : 1;
			snprintf(tmp, sizeof(tmp), "opt%d", op[0]);
			break;
		}
		n += snprintf(p->opts + n, sizeof(p->opts) - (size_t)n, "%s%s",
			      n ? "," : "", tmp);
		op += l;
		optlen -= l;
	}
}

static void on_trace(void *ctx, const char *ev)
{
	struct th *h = ctx;

	snprintf(h->last_trace, sizeof(h->last_trace), "%s", ev);
	h->traces++;
	if (!strncmp(ev, "not supported: ", 15))
		h->unsupported++;
	if (getenv("TH_TRACE"))
		fprintf(stderr, "  trace: %s\n", ev);
}

void th_init_fresh(struct th *h, bool v6)
{
	struct nds_config c;

	memset(h, 0, sizeof(*h));
	memset(&c, 0, sizeof(c));
	c.mtu = 1500;
	c.has_v4 = 1;
	inet_pton(AF_INET, "192.168.0.1", &c.local_v4);
	c.prefix_v4 = 16;
	inet_pton(AF_INET, "192.168.0.2", &c.gateway_v4);
	c.has_v6 = 1;
	inet_pton(AF_INET6, "fd3d:a0b:17d6::1", &c.local_v6);
	c.prefix_v6 = 48;
	c.seed = 42;
	h->v6 = v6;
	h->ns = nds_new(&c);
	h->rport = 40000;
	h->lport = 8080;
	nds_set_output(h->ns, on_output, h);
	nds_set_trace(h->ns, on_trace, h);
	/* exact timers on 1 ms jiffies, which the unit tests' times assume;
	 * test_timers.c's timer_wheel case turns the wheel on */
	if (nds_sysctl_write(h->ns, "net/netdrill/hz", "1000") ||
	    nds_sysctl_write(h->ns, "net/netdrill/timer_wheel", "0"))
		REQUIREF(false, "th_init_fresh: exact timers");
}

void th_init(struct th *h, bool v6)
{
	static const char *const suite[][2] = {
		{ "net/ipv4/tcp_rmem", "4096 540000 15728640" },
		{ "net/ipv4/tcp_wmem", "4096 262144 4194304" },
		{ "net/ipv4/tcp_syn_retries", "5" },
		{ "net/ipv4/tcp_syn_linear_timeouts", "0" },
		{ "net/ipv4/tcp_slow_start_after_idle", "0" },
		{ "net/ipv4/tcp_early_retrans", "4" },
		{ "net/ipv4/tcp_ecn", "0" },
		{ "net/ipv4/tcp_fastopen", "0x70403" },
		{ "net/ipv4/tcp_fastopen_key",
		  "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4" },
		{ "net/core/rmem_max", "212992" },
		{ "net/core/wmem_max", "212992" },
		{ "net/ipv4/tcp_limit_output_bytes", "1048576" },
		{ "net/ipv4/tcp_max_syn_backlog", "4096" },
		{ "net/ipv4/tcp_challenge_ack_limit", "1000" },
		{ "net/ipv4/tcp_tw_reuse", "0" },
		{ "net/ipv4/tcp_backlog_ack_defer", "0" },
	};
	size_t i;

	th_init_fresh(h, v6);
	for (i = 0; i < sizeof(suite) / sizeof(suite[0]); i++)
		if (nds_sysctl_write(h->ns, suite[i][0], suite[i][1]))
			REQUIREF(false, "th_init: sysctl %s = %s", suite[i][0],
				 suite[i][1]);
	h->traces = 0;
	h->last_trace[0] = 0;
}

void th_free(struct th *h)
{
	nds_free(h->ns);
	h->ns = NULL;
}

int th_opt_mss(uint8_t *b, int n, uint16_t mss)
{
	b[n] = 2; b[n + 1] = 4; b[n + 2] = (uint8_t)(mss >> 8);
	b[n + 3] = (uint8_t)mss;
	return n + 4;
}

int th_opt_nop(uint8_t *b, int n)
{
	b[n] = 1;
	return n + 1;
}

int th_opt_sackok(uint8_t *b, int n)
{
	b[n] = 4; b[n + 1] = 2;
	return n + 2;
}

int th_opt_ws(uint8_t *b, int n, uint8_t ws)
{
	b[n] = 3; b[n + 1] = 3; b[n + 2] = ws;
	return n + 3;
}

int th_opt_ts(uint8_t *b, int n, uint32_t val, uint32_t ecr)
{
	uint32_t v = htonl(val), e = htonl(ecr);

	b[n] = 8; b[n + 1] = 10;
	memcpy(b + n + 2, &v, 4);
	memcpy(b + n + 6, &e, 4);
	return n + 10;
}

int th_opt_sack(uint8_t *b, int n, int k, const uint32_t *edges)
{
	b[n] = 5; b[n + 1] = (uint8_t)(2 + 8 * k);
	for (int i = 0; i < 2 * k; i++) {
		uint32_t v = htonl(edges[i]);
		memcpy(b + n + 2 + 4 * i, &v, 4);
	}
	return n + 2 + 8 * k;
}

int th_inject(struct th *h, uint8_t flags, uint32_t seq, uint32_t ack,
	      uint16_t win, const uint8_t *opts, int optlen,
	      uint32_t payload_len)
{
	static uint8_t pkt[70000];
	size_t thl = 20 + (size_t)((optlen + 3) & ~3);
	size_t l4len = thl + payload_len;
	uint32_t ps;
	size_t iph = th_ip_header(pkt, h->v6, l4len, true, &ps);
	uint8_t *t = pkt + iph;

	memset(t, 0, thl);
	t[0] = (uint8_t)(h->rport >> 8); t[1] = (uint8_t)h->rport;
	t[2] = (uint8_t)(h->lport >> 8); t[3] = (uint8_t)h->lport;
	t[4] = (uint8_t)(seq >> 24); t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8); t[7] = (uint8_t)seq;
	t[8] = (uint8_t)(ack >> 24); t[9] = (uint8_t)(ack >> 16);
	t[10] = (uint8_t)(ack >> 8); t[11] = (uint8_t)ack;
	t[12] = (uint8_t)((thl / 4) << 4);
	t[13] = flags;
	t[14] = (uint8_t)(win >> 8); t[15] = (uint8_t)win;
	if (optlen)
		memcpy(t + 20, opts, (size_t)optlen);
	for (size_t i = 20 + (size_t)optlen; i < thl; i++)
		t[i] = 0;	/* EOL padding */
	for (uint32_t i = 0; i < payload_len; i++)
		t[thl + i] = (uint8_t)('a' + i % 26);
	th_tcp_checksum(t, l4len, ps);
	return nds_input(h->ns, pkt, iph + l4len);
}

void th_advance(struct th *h, int64_t dt)
{
	nds_advance(h->ns, nds_now(h->ns) + dt);
}

struct th_pkt *th_next(struct th *h)
{
	if (h->next >= h->nout)
		return NULL;
	return &h->out[h->next++];
}

int th_pending(struct th *h)
{
	return h->nout - h->next;
}

int th_listen(struct th *h, uint16_t lport)
{
	int fd, one = 1;

	h->lport = lport;
	fd = nds_socket(h->ns, h->v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	nds_setsockopt(h->ns, fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (h->v6) {
		struct sockaddr_in6 a;
		memset(&a, 0, sizeof(a));
		a.sin6_family = AF_INET6;
		a.sin6_port = htons(lport);
		nds_bind(h->ns, fd, (struct sockaddr *)&a, sizeof(a));
	} else {
		struct sockaddr_in a;
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons(lport);
		nds_bind(h->ns, fd, (struct sockaddr *)&a, sizeof(a));
	}
	nds_listen(h->ns, fd, 10);
	return fd;
}

int th_established(struct th *h, const struct th_peer *peer,
		   uint32_t *our_iss)
{
	uint8_t o[40];
	int n = 0, lfd, fd;
	uint16_t win = peer->win;
	struct th_pkt *p;
	struct nds_wait w;

	lfd = th_listen(h, h->lport);	/* 8080 unless a test moved it */
	n = th_opt_mss(o, n, peer->mss);
	if (peer->sack && peer->ts) {
		n = th_opt_sackok(o, n);
		n = th_opt_ts(o, n, 100, 0);
	} else if (peer->sack) {
		n = th_opt_sackok(o, n);
		n = th_opt_nop(o, n);
		n = th_opt_nop(o, n);
	} else if (peer->ts) {
		n = th_opt_nop(o, n);
		n = th_opt_nop(o, n);
		n = th_opt_ts(o, n, 100, 0);
	}
	if (peer->wscale >= 0) {
		n = th_opt_nop(o, n);
		n = th_opt_ws(o, n, (uint8_t)peer->wscale);
	}
	th_inject(h, TCPHDR_SYN, 0, 0, win, o, n, 0);
	p = th_next(h);
	REQUIREF(p != NULL, "th_established: SYN-ACK sent");
	*our_iss = p->seq;
	n = 0;
	if (peer->ts) {
		n = th_opt_nop(o, n);
		n = th_opt_nop(o, n);
		n = th_opt_ts(o, n, 101, p->tsval);
	}
	th_advance(h, peer->rtt);
	if (peer->wscale >= 0)
		win = (uint16_t)((win + (1u << peer->wscale) - 1) >>
				 peer->wscale);
	th_inject(h, TCPHDR_ACK, 1, p->seq + 1, win, o, n, 0);
	memset(&w, 0, sizeof(w));
	fd = nds_accept(h->ns, lfd, NULL, NULL, 0, &w);
	REQUIREF(fd >= 0, "th_established: accept returns a socket");
	return fd;
}

ssize_t th_write(struct th *h, int fd, size_t len, struct nds_wait *wait)
{
	static char buf[1 << 20];
	struct iovec iov = { buf, len };
	struct msghdr m;
	struct nds_wait w;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (!wait) {
		memset(&w, 0, sizeof(w));
		wait = &w;
	}
	return nds_sendmsg(h->ns, fd, &m, 0, wait);
}

ssize_t th_read(struct th *h, int fd, size_t len, struct nds_wait *wait)
{
	static char buf[1 << 20];
	struct iovec iov = { buf, len };
	struct msghdr m;
	struct nds_wait w;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (!wait) {
		memset(&w, 0, sizeof(w));
		wait = &w;
	}
	return nds_recvmsg(h->ns, fd, &m, 0, wait);
}

struct th_pkt *th_expect_at(struct th *h, const char *file, int line,
			    uint8_t flags, uint32_t iss, uint32_t rel_seq,
			    uint32_t len)
{
	struct th_pkt *p = th_next(h);
	bool ok = p && p->flags == flags && p->seq - iss - 1 == rel_seq &&
		  p->len == len;

	if (tap_check(ok, file, line, "packet flags 0x%x seq %u len %u",
		      flags, rel_seq, len))
		return p;
	if (!p)
		tap_diag("none was sent");
	else
		tap_diag("got flags 0x%x seq %u len %u (t=%lld)", p->flags,
			 p->seq - iss - 1, p->len, (long long)p->t);
	return p;
}

void th_expect_none_at(struct th *h, const char *file, int line)
{
	struct th_pkt *p = th_pending(h) ? th_next(h) : NULL;

	if (!tap_check(!p, file, line, "no packet sent"))
		tap_diag("got flags 0x%x seq %u len %u at %lld", p->flags,
			 p->seq, p->len, (long long)p->t);
}
