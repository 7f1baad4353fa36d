/* SPDX-License-Identifier: GPL-2.0-only */
/* th_wire.h: the wire bytes that the stack's unit tests (tcp_helper.c)
 * and its fuzz target (fuzz_packet.c) both build: Internet checksums and
 * the IP header of a TCP segment from the remote peer (192.0.2.1, or
 * fd3d:fa7b:d17d::1) to the stack (192.168.0.1, or fd3d:a0b:17d6::1).
 * Header only, so that fuzz_packet.c still builds on its own. */
#ifndef NETDRILL_TH_WIRE_H
#define NETDRILL_TH_WIRE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One's complement sum of n bytes as big-endian 16-bit words, onto s. */
static inline uint32_t th_sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

/* The checksum of a sum: carries folded in, complemented. */
static inline uint16_t th_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Write the IPv4 header (20 bytes, checksummed; DF if df) or the IPv6
 * header (40 bytes) of a TCP datagram with l4len bytes after it. Returns
 * the header's length; *ps is the pseudo-header's sum for the TCP
 * checksum, protocol and length included. */
static inline size_t th_ip_header(uint8_t *pkt, bool v6, size_t l4len,
				  bool df, uint32_t *ps)
{
	size_t iph = v6 ? 40 : 20;

	memset(pkt, 0, iph);
	if (!v6) {
		uint16_t c;

		pkt[0] = 0x45;
		pkt[2] = (uint8_t)((iph + l4len) >> 8);
		pkt[3] = (uint8_t)(iph + l4len);
		pkt[6] = df ? 0x40 : 0;
		pkt[8] = 64;
		pkt[9] = IPPROTO_TCP;
		inet_pton(AF_INET, "192.0.2.1", pkt + 12);
		inet_pton(AF_INET, "192.168.0.1", pkt + 16);
		c = th_fold(th_sum16(pkt, 20, 0));
		pkt[10] = (uint8_t)(c >> 8);
		pkt[11] = (uint8_t)c;
		*ps = th_sum16(pkt + 12, 8, 0);
	} else {
		pkt[0] = 0x60;
		pkt[4] = (uint8_t)(l4len >> 8);
		pkt[5] = (uint8_t)l4len;
		pkt[6] = IPPROTO_TCP;
		pkt[7] = 64;
		inet_pton(AF_INET6, "fd3d:fa7b:d17d::1", pkt + 8);
		inet_pton(AF_INET6, "fd3d:a0b:17d6::1", pkt + 24);
		*ps = th_sum16(pkt + 8, 32, 0);
	}
	*ps += IPPROTO_TCP + (uint32_t)l4len;
	return iph;
}

/* Fill in the checksum of the TCP segment tcp[0..l4len) (at least the
 * 18 bytes up to the checksum field). */
static inline void th_tcp_checksum(uint8_t *tcp, size_t l4len, uint32_t ps)
{
	uint16_t c;

	tcp[16] = tcp[17] = 0;
	c = th_fold(th_sum16(tcp, l4len, ps));
	tcp[16] = (uint8_t)(c >> 8);
	tcp[17] = (uint8_t)c;
}

#endif /* NETDRILL_TH_WIRE_H */
