/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_helper.h: unit-test helpers for the embedded stack, in the style of
 * lwIP's test/unit/tcp/tcp_helper.c: build inbound segments, capture and
 * parse what the stack sends; checks are tests/tap.h's. */
#ifndef NETDRILL_TCP_HELPER_H
#define NETDRILL_TCP_HELPER_H

#include "stack.h"
#include "tests/tap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TH_MAX_OUT 512

/* One captured outbound packet, parsed. */
struct th_pkt {
	int64_t t;			/* virtual time it left */
	bool v4;
	uint8_t proto;
	uint8_t flags;			/* TCPHDR_* */
	uint32_t seq, ack;
	uint16_t win;
	uint16_t sport, dport;
	uint32_t len;			/* payload bytes */
	char opts[160];			/* "mss 1460,sackOK,TS,nop,wscale 8" */
	uint32_t tsval, tsecr;
	bool csum_ok;
	uint8_t tos, ttl;
};

struct th {
	struct nds *ns;
	bool v6;
	struct th_pkt out[TH_MAX_OUT];
	int nout;
	int next;			/* first packet not yet consumed */
	char last_trace[256];
	int traces;
	int unsupported;		/* "not supported: " traces seen */
	uint16_t rport;			/* remote port of injected segments */
	uint16_t lport;			/* local port */
};

/* New stack: local 192.168.0.1 (or fd3d:a0b:17d6::1 when v6), defaults. */
/* A stack with packetdrill's defaults.sh settings (what the unit tests
 * were written for: tcp_rmem 4096 540000 15M, wscale 8, tcp_fastopen
 * 0x70403 and its key, early_retrans 4, slow start after idle off, ...). */
void th_init(struct th *h, bool v6);
/* A stack with its own defaults: a fresh network namespace on 6.18. */
void th_init_fresh(struct th *h, bool v6);
void th_free(struct th *h);

/* Options for inbound segments, appended to buf; return new length. */
int th_opt_mss(uint8_t *buf, int len, uint16_t mss);
int th_opt_nop(uint8_t *buf, int len);
int th_opt_sackok(uint8_t *buf, int len);
int th_opt_ws(uint8_t *buf, int len, uint8_t ws);
int th_opt_ts(uint8_t *buf, int len, uint32_t val, uint32_t ecr);
int th_opt_sack(uint8_t *buf, int len, int n, const uint32_t *edges);

/* Inject a TCP segment from the remote peer (192.0.2.1:rport). Returns
 * nds_input's result. */
int th_inject(struct th *h, uint8_t flags, uint32_t seq, uint32_t ack,
	      uint16_t win, const uint8_t *opts, int optlen,
	      uint32_t payload_len);

/* Advance the clock by dt microseconds. */
void th_advance(struct th *h, int64_t dt);

/* Next captured outbound packet not yet looked at, or NULL. */
struct th_pkt *th_next(struct th *h);
/* Number of captured packets not yet looked at. */
int th_pending(struct th *h);

/* Listening socket on lport (bind any, listen 10); returns the fd. */
int th_listen(struct th *h, uint16_t lport);
/* What the peer offers in th_established's handshake: its SYN is
 * "< S 0:0(0) win W <mss M,sackOK,TS val 100 ecr 0,nop,wscale S>" with
 * the options asked for (packetdrill's layouts), its ACK the same window
 * scaled ("win 257" for 32792 at wscale 7). */
struct th_peer {
	uint16_t win;
	uint16_t mss;
	bool ts, sack;
	int wscale;		/* 0..14, or -1 for no window scale option */
	int64_t rtt;		/* microseconds from our SYN-ACK to its ACK */
};
/* A connection established by a passive open on port 8080 (peer ISN 0):
 * returns the accepted fd and our ISN in *our_iss. A missing SYN-ACK or
 * a failed accept stops the case (REQUIRE). */
int th_established(struct th *h, const struct th_peer *peer,
		   uint32_t *our_iss);

#endif /* NETDRILL_TCP_HELPER_H */

/* Write len bytes on fd (blocking semantics through wait if given). */
ssize_t th_write(struct th *h, int fd, size_t len, struct nds_wait *wait);
/* Read up to len bytes. */
ssize_t th_read(struct th *h, int fd, size_t len, struct nds_wait *wait);
/* A check: the next outbound packet has these flags, relative seq (from
 * iss + 1) and payload length; reported at the caller's line. Returns
 * the packet, or NULL when none was sent. */
struct th_pkt *th_expect_at(struct th *h, const char *file, int line,
			    uint8_t flags, uint32_t iss, uint32_t rel_seq,
			    uint32_t len);
#define th_expect(h, flags, iss, rel, len) \
	th_expect_at(h, __FILE__, __LINE__, flags, iss, rel, len)
/* A check: no packet pending. */
void th_expect_none_at(struct th *h, const char *file, int line);
#define th_expect_none(h) th_expect_none_at(h, __FILE__, __LINE__)
