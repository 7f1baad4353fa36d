/* SPDX-License-Identifier: GPL-2.0-only */
/* pcap_writer.h: a capture file of one run (--pcap), written with libpcap
 * (pcap_open_dead + pcap_dump) so that tcpdump, tshark and Wireshark read
 * it. Packets are raw IP datagrams; the link type is LINKTYPE_IPV4 or
 * LINKTYPE_IPV6, matching the run's wire protocol, with the back end's
 * timestamps (virtual time from the epoch for the embedded stack). */
#ifndef NETDRILL_PCAP_WRITER_H
#define NETDRILL_PCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcap_writer;

/* Create path for packets of family AF_INET or AF_INET6. NULL with
 * *error (malloc'd) on failure. */
struct pcap_writer *pcap_writer_open(const char *path, int family,
				     char **error);

/* Append one packet seen at t_us (microseconds). */
void pcap_writer_add(struct pcap_writer *w, const uint8_t *data, size_t len,
		     int64_t t_us);

/* Add offset_us to every later timestamp (for back ends whose clock
 * starts at 0 at real time offset_us since the epoch). */
void pcap_writer_set_offset(struct pcap_writer *w, int64_t offset_us);

/* Packets written so far. */
long pcap_writer_count(const struct pcap_writer *w);

/* Flush and close; returns the packet count, or -1 if writing failed. */
long pcap_writer_close(struct pcap_writer *w);

/* A run_packet_observer callback (ctx: a struct pcap_writer). */
void pcap_writer_observe(void *ctx, bool inbound, const uint8_t *data,
			 size_t len, int64_t t_us);

#endif /* NETDRILL_PCAP_WRITER_H */
