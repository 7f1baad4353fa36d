/* SPDX-License-Identifier: GPL-2.0-only */
/* run_packet.h: the packet events of a run (packetdrill's run_packet.c):
 * inject `<` packets into the system under test, and check `>` packets
 * against what it sent. Owns the queue of captured outbound packets.
 *
 * Ownership: packet_ctx_new() returns a context the caller frees with
 * packet_ctx_free(); it borrows config, sut and the socket table, which
 * must outlive it. Every char **error is malloc'd; the caller frees.
 */
#ifndef NETDRILL_RUN_PACKET_H
#define NETDRILL_RUN_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "config.h"
#include "socket.h"
#include "sut.h"

struct packet_ctx;

struct packet_ctx *packet_ctx_new(const struct config *config, struct sut *sut,
				  struct socket_table *t);
void packet_ctx_free(struct packet_ctx *ctx);

/* The sut output hook: register with
 *   sut->ops->set_output(sut, packet_ctx_capture, ctx);
 * It queues every outbound packet with its send time. */
void packet_ctx_capture(void *ctx, const uint8_t *packet, size_t len,
			int64_t t_us);

/* The absolute script time of the event about to run (run->event_time),
 * shown as "script packet:  0.100000 ..." in errors. Optional: without
 * it, an absolute event time is used as written and a relative one as
 * the back end's clock now. Live times are shown on the back end's
 * clock (script time 0 = back end time 0). */
void packet_ctx_set_event_time(struct packet_ctx *ctx, int64_t script_us);

/* Inbound `<` event due now: build the packet, map it to live values
 * (addresses, ports, seq/ack/SACK, TS ecr), fill checksums, inject.
 * 0 ok; -1 with *error = "file:line: error handling packet: ...". */
int run_packet_inbound(struct packet_ctx *ctx, const struct ast_event *event,
		       char **error);

enum {
	RUN_PACKET_ERROR = -1,	/* mismatch; *error set (then stack state) */
	RUN_PACKET_MATCHED = 0,	/* *t_us = send time of the (last) packet */
	RUN_PACKET_NONE = 1,	/* not (enough) captured yet: advance, ask again */
};

/* Outbound `>` event: look at the captured packets (those of other
 * sockets are dropped; merging consecutive segments unless
 * --strict_segments). See the enum for the result. Timing is the
 * caller's to check against *t_us. */
int run_packet_outbound(struct packet_ctx *ctx, const struct ast_event *event,
			int64_t *t_us, char **error);

/* After RUN_PACKET_MATCHED: append the matched packets to *msg as a
 * mismatch shows them ("\nscript packet: ...", "\nactual packet: ..."),
 * for a timing error on that packet (packetdrill prints both). */
void run_packet_add_matched(struct packet_ctx *ctx, char **msg);

/* --dry_run: build a packet event's packet in script space as the run
 * would (a missing "win" on an inbound packet, options too long, a bad
 * ICMP type, ...), without a back end; packets with PSP layers, which
 * the run refuses as not supported, pass. 0, or -1 with *error =
 * "file:line: error handling packet: ..." as the run says it. */
int run_packet_check(const struct config *config,
		     const struct ast_event *event, char **error);

/* Number of captured packets not yet consumed (for tests and -v). */
int packet_ctx_pending(const struct packet_ctx *ctx);

/* An observer of every packet that crosses the seam, for capture files
 * (--pcap) and suite reports: set run_packet_observer before run_script()
 * (NULL: none). packet() sees each packet injected into the system under
 * test (inbound true) and each one it sent (inbound false), as raw IP
 * bytes with the back end's time; run_script() fills end_us and
 * num_events when the run ends. */
struct run_packet_observer {
	void (*packet)(void *ctx, bool inbound, const uint8_t *data,
		       size_t len, int64_t t_us);
	void *ctx;
	int64_t end_us;		/* the back end's clock at the end of the run */
	int num_events;		/* events run */
	/* Optional: outbound packet number `ordinal` (0 = the first one
	 * packet() saw) was read by the script line `line`: matched true if
	 * the line matched it, false if the line failed on it. */
	void (*consumed)(void *ctx, long ordinal, int line, bool matched);
};
extern struct run_packet_observer *run_packet_observer;

#endif /* NETDRILL_RUN_PACKET_H */
