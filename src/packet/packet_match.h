/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_match.h: compare a live outbound packet (already mapped into
 * script space: seq/ack/SACK relative, TS val rebased) with the packet the
 * script expects, with packetdrill's semantics and wording:
 *   "live packet field tcp_ack_seq: expected: 1001 (0x3e9) vs actual: 1 (0x1)"
 * and the merging of consecutive outbound segments (TSO/GSO splits) into
 * one larger one.
 *
 * All functions return 0 on a match, -1 with *error set (malloc'd, caller
 * frees, no "file:line:" prefix) otherwise.
 */
#ifndef NETDRILL_PACKET_MATCH_H
#define NETDRILL_PACKET_MATCH_H

#include <stdbool.h>

#include "config.h"
#include "packet.h"

/* Header layers and their fields. strict = the final comparison; not
 * strict = are two consecutive live fragments compatible (then "script"
 * is the previous fragment and its seq + payload must be the current
 * seq; FIN, PSH, CWR and lengths are not compared). */
int packet_match_headers(const struct packet *actual,
			 const struct packet *script, bool strict,
			 char **error);

/* TCP options, unless the script said <...>. TS val is checked against
 * the script's only when config->tcp_ts_tick_usecs is set; TS ecr must
 * equal the script's (the peer's TS vals are not remapped). */
int packet_match_tcp_options(const struct config *config,
			     const struct packet *actual,
			     const struct packet *script, char **error);

/* TCP/UDP payload bytes (lengths already checked by the headers). */
int packet_match_payload(const struct packet *actual,
			 const struct packet *script, char **error);

/* Can cur follow prev in one merged segment? sniffed = payload bytes
 * gathered before cur, expected = the script packet's payload. */
int packet_check_fragment(const struct packet *cur,
			  const struct packet *prev, int sniffed, int expected,
			  char **error);

/* Merge n >= 1 consecutive TCP segments into one: headers, PSH and window
 * from the last, seq and CWR from the first, payloads concatenated, IP
 * lengths fixed; time_us of the last. Caller frees. NULL on failure. */
struct packet *packet_aggregate(struct packet *const *frags, int n);

#endif /* NETDRILL_PACKET_MATCH_H */
