/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_build.h: turn a script packet (grammar/ast.h) into wire bytes in
 * SCRIPT space: sequence numbers, ports and TS values as written, the
 * inner IP addresses from the run configuration (remote -> local for
 * inbound, local -> remote for outbound), checksums filled. run_packet.c
 * then maps inbound packets to live values before injecting them, and
 * compares outbound ones (packet_match.c) after mapping the live packet
 * into script space.
 *
 * The result also records what an outbound packet leaves unchecked:
 * PACKET_F_WIN_NOCHECK (no "win"), PACKET_F_OPTIONS_NOCHECK ("<...>"),
 * tos_chk / ttl (only what the script gives).
 */
#ifndef NETDRILL_PACKET_BUILD_H
#define NETDRILL_PACKET_BUILD_H

#include "ast.h"
#include "config.h"
#include "packet.h"

/* Extra script-only flag: "wscale *" matches any shift count. */
#define PACKET_F_WSCALE_ANY	0x100

/* Build the packet. Returns 0 and *out (caller frees with packet_free),
 * or -1 and *error (caller frees): a message without the file:line
 * prefix, e.g. "TCP option list too long: 44 bytes (at most 40)". */
int packet_build(const struct ast_packet *ap, const struct config *config,
		 struct packet **out, char **error);

#endif /* NETDRILL_PACKET_BUILD_H */
