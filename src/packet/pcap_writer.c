/* SPDX-License-Identifier: GPL-2.0-only */
/* pcap_writer.c: capture files through libpcap (see pcap_writer.h). */
#include "pcap_writer.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

#define SNAPLEN 262144

struct pcap_writer {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	int64_t offset_us;
	long count;
};

struct pcap_writer *pcap_writer_open(const char *path, int family,
				     char **error)
{
	struct pcap_writer *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->pcap = pcap_open_dead(family == AF_INET6 ? DLT_IPV6 : DLT_IPV4,
				 SNAPLEN);
	if (!w->pcap) {
		fail(error, "pcap_open_dead failed");
		free(w);
		return NULL;
	}
	w->dumper = pcap_dump_open(w->pcap, path);
	if (!w->dumper) {
		fail(error, "cannot write %s: %s", path, pcap_geterr(w->pcap));
		pcap_close(w->pcap);
		free(w);
		return NULL;
	}
	return w;
}

void pcap_writer_add(struct pcap_writer *w, const uint8_t *data, size_t len,
		     int64_t t_us)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	t_us += w->offset_us;
	if (t_us < 0)
		t_us = 0;
	h.ts.tv_sec = (time_t)(t_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(t_us % 1000000);
	h.len = (bpf_u_int32)len;
	h.caplen = (bpf_u_int32)(len < SNAPLEN ? len : SNAPLEN);
	pcap_dump((u_char *)w->dumper, &h, data);
	w->count++;
}

void pcap_writer_set_offset(struct pcap_writer *w, int64_t offset_us)
{
	w->offset_us = offset_us;
}

long pcap_writer_count(const struct pcap_writer *w)
{
	return w->count;
}

long pcap_writer_close(struct pcap_writer *w)
{
	long n = w->count;
	int bad;

	bad = pcap_dump_flush(w->dumper) != 0;
	pcap_dump_close(w->dumper);
	pcap_close(w->pcap);
	free(w);
	return bad ? -1 : n;
}

void pcap_writer_observe(void *ctx, bool inbound, const uint8_t *data,
			 size_t len, int64_t t_us)
{
	pcap_writer_add(ctx, data, len, t_us);
}
