/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_fastopen.c: TCP Fast Open server (RFC 7413): cookies from SipHash
 * over the SYN's addresses with the sysctl or per-listener key, and the
 * decision tcp_try_fastopen makes for a SYN (accept the data and create
 * the child now, or answer with a cookie).
 *
 * tcp_listen_rcv -> tcp_try_fastopen -> tcp_fastopen_cookie_gen ->
 * nds_siphash.
 */
#include "tcp_fastopen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROTL64(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void sip_rounds(uint64_t v[4], int n)
{
	while (n--) {
		v[0] += v[1];
		v[1] = ROTL64(v[1], 13);
		v[1] ^= v[0];
		v[0] = ROTL64(v[0], 32);
		v[2] += v[3];
		v[3] = ROTL64(v[3], 16);
		v[3] ^= v[2];
		v[0] += v[3];
		v[3] = ROTL64(v[3], 21);
		v[3] ^= v[0];
		v[2] += v[1];
		v[1] = ROTL64(v[1], 17);
		v[1] ^= v[2];
		v[2] = ROTL64(v[2], 32);
	}
}

uint64_t nds_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8), m, b;
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
			  k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i);
		v[3] ^= m;
		sip_rounds(v, 2);
		v[0] ^= m;
	}
	b = (uint64_t)len << 56;
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)p[i + j] << (8 * j);
	v[3] ^= b;
	sip_rounds(v, 2);
	v[0] ^= b;
	v[2] ^= 0xff;
	sip_rounds(v, 4);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

int tcp_fastopen_parse_key(const char *text, uint8_t out[32])
{
	int nkeys = 0;
	const char *p = text;

	while (*p && nkeys < 2) {
		unsigned int w[4];
		int n = 0;
		if (sscanf(p, "%x-%x-%x-%x%n", &w[0], &w[1], &w[2], &w[3], &n) !=
		    4)
			return -1;
		for (int i = 0; i < 4; i++)
			for (int b = 0; b < 4; b++)
				out[nkeys * 16 + i * 4 + b] =
					(uint8_t)(w[i] >> (8 * b));
		nkeys++;
		p += n;
		if (*p == ',')
			p++;
		else
			break;
	}
	return nkeys ? nkeys : -1;
}

static int listener_keys(struct sock *lsk, uint8_t keys[32])
{
	if (lsk->tfo_key_set) {
		memcpy(keys, lsk->tfo_key, 32);
		return lsk->tfo_nkeys;
	}
	return tcp_fastopen_parse_key(lsk->ns->sysctl.tcp_fastopen_key, keys);
}

void tcp_fastopen_cookie_gen(struct sock *lsk, const struct nds_addr *src,
			     const struct nds_addr *dst, bool v4, int idx,
			     uint8_t cookie[8])
{
	uint8_t keys[32], buf[32];
	uint64_t h;
	size_t n;

	memset(keys, 0, sizeof(keys));
	listener_keys(lsk, keys);
	if (v4) {
		memcpy(buf, &src->a.s6_addr[12], 4);
		memcpy(buf + 4, &dst->a.s6_addr[12], 4);
		n = 8;
	} else {
		memcpy(buf, src->a.s6_addr, 16);
		memcpy(buf + 16, dst->a.s6_addr, 16);
		n = 32;
	}
	h = nds_siphash(keys + 16 * idx, buf, n);
	for (int i = 0; i < 8; i++)
		cookie[i] = (uint8_t)(h >> (8 * i));
}

bool tcp_fastopen_listener_ok(struct sock *lsk)
{
	int tfo = lsk->ns->sysctl.tcp_fastopen;

	if (!(tfo & TFO_SERVER_ENABLE))
		return false;
	if (lsk->fastopen_qlen <= 0 && !(tfo & TFO_SERVER_WO_SOCKOPT1))
		return false;
	return true;
}

/* tcp_try_fastopen */
bool tcp_try_fastopen(struct sock *lsk, struct sock *child,
		      const struct tcp_seg *seg)
{
	int tfo = lsk->ns->sysctl.tcp_fastopen;
	int max_qlen = lsk->fastopen_qlen > 0 ? lsk->fastopen_qlen
					      : lsk->backlog;
	uint8_t valid[8], keys[32];
	int nkeys, match = 0;
	bool syn_data = seg->len > 0;

	child->synack_fo_len = -1;
	if (!tcp_fastopen_listener_ok(lsk) || (!syn_data && seg->fo_len < 0))
		return false;
	if (max_qlen <= 0 || lsk->fastopen_cnt >= max_qlen)
		return false;
	if (tfo & TFO_SERVER_COOKIE_NOT_REQD)
		return true;
	tcp_fastopen_cookie_gen(lsk, &seg->saddr, &seg->daddr, seg->v4, 0,
				valid);
	if (seg->fo_len == 8) {
		if (!memcmp(seg->fo_cookie, valid, 8)) {
			match = 1;
		} else {
			memset(keys, 0, sizeof(keys));
			nkeys = listener_keys(lsk, keys);
			if (nkeys > 1) {
				uint8_t backup[8];
				tcp_fastopen_cookie_gen(lsk, &seg->saddr,
							&seg->daddr, seg->v4, 1,
							backup);
				if (!memcmp(seg->fo_cookie, backup, 8))
					match = 2;
			}
		}
	}
	if (match) {
		/* accepted; a cookie made with the backup key is refreshed */
		if (match == 2) {
			child->synack_fo_len = 8;
			child->synack_fo_exp = seg->fo_exp;
			memcpy(child->synack_fo_cookie, valid, 8);
		}
		return true;
	}
	if (seg->fo_len >= 0) {
		/* a cookie request, or a bad cookie: send the right one */
		child->synack_fo_len = 8;
		child->synack_fo_exp = seg->fo_exp;
		memcpy(child->synack_fo_cookie, valid, 8);
	}
	return false;
}
