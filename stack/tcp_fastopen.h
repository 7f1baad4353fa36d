/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_fastopen.h: TCP Fast Open (RFC 7413) server side. */
#ifndef NETDRILL_TCP_FASTOPEN_H
#define NETDRILL_TCP_FASTOPEN_H

#include "tcp_priv.h"

#define TFO_CLIENT_ENABLE 0x1
#define TFO_SERVER_ENABLE 0x2
#define TFO_CLIENT_NO_COOKIE 0x4
#define TFO_SERVER_COOKIE_NOT_REQD 0x200
#define TFO_SERVER_WO_SOCKOPT1 0x400

/* SipHash-2-4 of len bytes with a 16-byte key (k0, k1 little-endian). */
uint64_t nds_siphash(const uint8_t key[16], const void *data, size_t len);
/* Parse "w0-w1-w2-w3[,w0-w1-w2-w3]" into 16 or 32 key bytes; returns
 * the number of keys or -1. */
int tcp_fastopen_parse_key(const char *text, uint8_t out[32]);
/* The cookie for (src, dst) under key index idx of the listener. */
void tcp_fastopen_cookie_gen(struct sock *lsk, const struct nds_addr *src,
			     const struct nds_addr *dst, bool v4, int idx,
			     uint8_t cookie[8]);
/* Is Fast Open on for this listener (and room in its queue)? */
bool tcp_fastopen_listener_ok(struct sock *lsk);
/* Decide what a SYN for a listener does with TFO: returns true when the
 * SYN data (if any) is accepted and a child must be created right away;
 * fills lsk-independent answer fields of the child (synack_fo_*). */
bool tcp_try_fastopen(struct sock *lsk, struct sock *child,
		      const struct tcp_seg *seg);

#endif /* NETDRILL_TCP_FASTOPEN_H */
