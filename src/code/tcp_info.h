/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_info.h: what a %{ }% block sees of the socket under test: its
 * TCP_INFO (Linux's struct tcp_info, bound as tcpi_* names) and
 * SO_MEMINFO (SK_MEMINFO_*), snapshotted at the block's time, and the
 * TCP_* / TCPI_OPT_* constants packetdrill defines before each block. */
#ifndef NETDRILL_TCP_INFO_H
#define NETDRILL_TCP_INFO_H

#include <stdint.h>
#include <stdio.h>

struct py;
struct sut;

#define TCP_INFO_LEN 280	/* Linux 6.18's sizeof(struct tcp_info) */

/* SO_MEMINFO: nine u32 in linux/sock_diag.h's SK_MEMINFO_* order */
#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif
#define SK_MEMINFO_VARS 9

struct tcp_snapshot {
	uint8_t info[TCP_INFO_LEN];
	uint32_t meminfo[SK_MEMINFO_VARS];
};

/* Take fd's snapshot from the back end: 0, or -1 with *why (static text,
 * packetdrill's words). */
int tcp_snapshot_take(struct sut *sut, int fd, struct tcp_snapshot *s,
		      const char **why);
/* Bind the snapshot's tcpi_* and SK_MEMINFO_* names in py. */
void tcp_snapshot_bind(struct py *py, const struct tcp_snapshot *s);
/* Bind packetdrill's constants (TCP_ESTABLISHED..., TCPI_OPT_*) and the
 * TCP_INFINITE_SSTHRESH default in py. */
void tcp_symbols_bind(struct py *py);
/* The first word of a block's text that is named like a tcp_info field
 * or an SO_MEMINFO counter (tcpi_..., SK_MEMINFO_...) but is neither,
 * nor assigned by the text itself: a message "NameError: name 'X' is not
 * defined (not a tcp_info field of Linux 6.18; did you mean Y?)"
 * (malloc'd) and *line, its line in text (from 1); NULL if there is
 * none. Strings and comments are skipped. */
char *tcp_symbol_unknown(const char *text, int *line);

/* The same constants and the snapshot's names as Python assignments, as
 * packetdrill writes them before each block. */
void tcp_snapshot_write_python(FILE *f, const struct tcp_snapshot *s);

#endif /* NETDRILL_TCP_INFO_H */
