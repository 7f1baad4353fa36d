/* SPDX-License-Identifier: GPL-2.0-only */
/* packet_to_string.h: a packet as one line of text in script syntax,
 * like tcpdump and packetdrill print it:
 *   S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 100 ecr 200,nop,wscale 8>
 * used in error messages ("script packet: ..." / "actual packet: ...")
 * and for -v. */
#ifndef NETDRILL_PACKET_TO_STRING_H
#define NETDRILL_PACKET_TO_STRING_H

#include "packet.h"

enum dump_format {
	DUMP_SHORT,	/* script syntax only */
	DUMP_FULL,	/* with "src:port > dst:port " before it */
	DUMP_VERBOSE,	/* full, then a hex dump on the following lines */
};

/* Returns a malloc'd string (caller frees), never NULL except when out of
 * memory. Malformed options are shown as "<bad options: why>". */
char *packet_to_string(const struct packet *p, enum dump_format format);

/* The TCP options of p, comma separated, no brackets (caller frees).
 * On malformed options returns NULL and sets *error. */
char *tcp_options_to_string(const struct packet *p, char **error);

/* One option (as found by the option iterator) in script syntax, e.g.
 * "mss 1460" or "FO 1a2b3c4d" (caller frees). */
char *tcp_option_to_string(const struct packet *p,
			   const struct tcp_option *opt);

#endif /* NETDRILL_PACKET_TO_STRING_H */
