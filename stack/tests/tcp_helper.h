/* tcp_helper.h: unit-test helpers for the embedded stack, in the style of
 * lwIP's test/unit/tcp/tcp_helper.c: build inbound segments, capture and
 * parse what the stack sends, tiny assertion macros. */
#ifndef NETDRILL_TCP_HELPER_H
#define NETDRILL_TCP_HELPER_H

#include "stack.h"

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
/* Full passive open with "< S 0:0(0) win W <mss M,sackOK,TS,nop,wscale 7>"
 * style options; returns the accepted fd. rel_seq 0 = peer ISN 0. */
int th_passive_open(struct th *h, uint16_t win, uint16_t mss, bool ts,
		    bool sack, int wscale, uint32_t *our_iss);
/* Same, with rtt microseconds between our SYN-ACK and the peer's ACK. */
int th_passive_open_rtt(struct th *h, uint16_t win, uint16_t mss, bool ts,
			bool sack, int wscale, uint32_t *our_iss, int64_t rtt);

/* Assertions: print and count failures, keep going. */
extern int th_failures;
#define TH_CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
		#cond); th_failures++; } } while (0)
#define TH_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) { fprintf(stderr, "%s:%d: %s == %lld, expected %s == " \
		"%lld\n", __FILE__, __LINE__, #a, _a, #b, _b); \
		th_failures++; } } while (0)
#define TH_STREQ(a, b) do { const char *_a = (a), *_b = (b); \
	if (strcmp(_a, _b)) { fprintf(stderr, "%s:%d: %s is \"%s\", expected " \
		"\"%s\"\n", __FILE__, __LINE__, #a, _a, _b); \
		th_failures++; } } while (0)

#endif /* NETDRILL_TCP_HELPER_H */

/* Write len bytes on fd (blocking semantics through wait if given). */
ssize_t th_write(struct th *h, int fd, size_t len, struct nds_wait *wait);
/* Read up to len bytes. */
ssize_t th_read(struct th *h, int fd, size_t len, struct nds_wait *wait);
/* Expect the next outbound packet to have these flags, relative seq
 * (from iss + 1), payload length and (if ack != ~0u) ack; on mismatch
 * report with the caller's line. Returns the packet or NULL. */
struct th_pkt *th_expect_at(struct th *h, int line, uint8_t flags,
			    uint32_t iss, uint32_t rel_seq, uint32_t len);
#define th_expect(h, flags, iss, rel, len) \
	th_expect_at(h, __LINE__, flags, iss, rel, len)
/* Expect no packet pending. */
#define th_expect_none(h) do { if (th_pending(h)) { struct th_pkt *_p = \
	th_next(h); fprintf(stderr, "%s:%d: unexpected packet flags 0x%x " \
	"seq %u len %u at %lld\n", __FILE__, __LINE__, _p->flags, _p->seq, \
	_p->len, (long long)_p->t); th_failures++; } } while (0)
