/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_info.c: Linux's struct tcp_info layout (an ABI), the SK_MEMINFO_*
 * and TCP_* names packetdrill binds, and the snapshot a block sees. */
#include "tcp_info.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pysubset.h"
#include "sut.h"

static const char *const sk_meminfo_names[SK_MEMINFO_VARS] = {
	"SK_MEMINFO_RMEM_ALLOC", "SK_MEMINFO_RCVBUF", "SK_MEMINFO_WMEM_ALLOC",
	"SK_MEMINFO_SNDBUF", "SK_MEMINFO_FWD_ALLOC", "SK_MEMINFO_WMEM_QUEUED",
	"SK_MEMINFO_OPTMEM", "SK_MEMINFO_BACKLOG", "SK_MEMINFO_DROPS",
};

enum fsize { F8, F16, F32, F64, FBITS };

struct tcpi_field {
	const char *name;
	int offset;
	enum fsize size;
	int shift, bits;	/* FBITS */
};

/* Offsets of Linux's struct tcp_info (include/uapi/linux/tcp.h), in the
 * order packetdrill emits them, then the newer fields. */
static const struct tcpi_field tcpi_fields[] = {
	{ "tcpi_state", 0, F8, 0, 0 },
	{ "tcpi_ca_state", 1, F8, 0, 0 },
	{ "tcpi_retransmits", 2, F8, 0, 0 },
	{ "tcpi_probes", 3, F8, 0, 0 },
	{ "tcpi_backoff", 4, F8, 0, 0 },
	{ "tcpi_options", 5, F8, 0, 0 },
	{ "tcpi_snd_wscale", 6, FBITS, 0, 4 },
	{ "tcpi_rcv_wscale", 6, FBITS, 4, 4 },
	{ "tcpi_delivery_rate_app_limited", 7, FBITS, 0, 1 },
	{ "tcpi_fastopen_client_fail", 7, FBITS, 1, 2 },
	{ "tcpi_rto", 8, F32, 0, 0 },
	{ "tcpi_ato", 12, F32, 0, 0 },
	{ "tcpi_snd_mss", 16, F32, 0, 0 },
	{ "tcpi_rcv_mss", 20, F32, 0, 0 },
	{ "tcpi_unacked", 24, F32, 0, 0 },
	{ "tcpi_sacked", 28, F32, 0, 0 },
	{ "tcpi_lost", 32, F32, 0, 0 },
	{ "tcpi_retrans", 36, F32, 0, 0 },
	{ "tcpi_fackets", 40, F32, 0, 0 },
	{ "tcpi_last_data_sent", 44, F32, 0, 0 },
	{ "tcpi_last_ack_sent", 48, F32, 0, 0 },
	{ "tcpi_last_data_recv", 52, F32, 0, 0 },
	{ "tcpi_last_ack_recv", 56, F32, 0, 0 },
	{ "tcpi_pmtu", 60, F32, 0, 0 },
	{ "tcpi_rcv_ssthresh", 64, F32, 0, 0 },
	{ "tcpi_rtt", 68, F32, 0, 0 },
	{ "tcpi_rttvar", 72, F32, 0, 0 },
	{ "tcpi_snd_ssthresh", 76, F32, 0, 0 },
	{ "tcpi_snd_cwnd", 80, F32, 0, 0 },
	{ "tcpi_advmss", 84, F32, 0, 0 },
	{ "tcpi_reordering", 88, F32, 0, 0 },
	{ "tcpi_rcv_rtt", 92, F32, 0, 0 },
	{ "tcpi_rcv_space", 96, F32, 0, 0 },
	{ "tcpi_total_retrans", 100, F32, 0, 0 },
	{ "tcpi_pacing_rate", 104, F64, 0, 0 },
	{ "tcpi_max_pacing_rate", 112, F64, 0, 0 },
	{ "tcpi_bytes_acked", 120, F64, 0, 0 },
	{ "tcpi_bytes_received", 128, F64, 0, 0 },
	{ "tcpi_segs_out", 136, F32, 0, 0 },
	{ "tcpi_segs_in", 140, F32, 0, 0 },
	{ "tcpi_notsent_bytes", 144, F32, 0, 0 },
	{ "tcpi_min_rtt", 148, F32, 0, 0 },
	{ "tcpi_data_segs_in", 152, F32, 0, 0 },
	{ "tcpi_data_segs_out", 156, F32, 0, 0 },
	{ "tcpi_delivery_rate", 160, F64, 0, 0 },
	{ "tcpi_busy_time", 168, F64, 0, 0 },
	{ "tcpi_rwnd_limited", 176, F64, 0, 0 },
	{ "tcpi_sndbuf_limited", 184, F64, 0, 0 },
	{ "tcpi_delivered", 192, F32, 0, 0 },
	{ "tcpi_delivered_ce", 196, F32, 0, 0 },
	{ "tcpi_bytes_sent", 200, F64, 0, 0 },
	{ "tcpi_bytes_retrans", 208, F64, 0, 0 },
	{ "tcpi_dsack_dups", 216, F32, 0, 0 },
	{ "tcpi_reord_seen", 220, F32, 0, 0 },
	{ "tcpi_rcv_ooopack", 224, F32, 0, 0 },
	{ "tcpi_snd_wnd", 228, F32, 0, 0 },
	{ "tcpi_rcv_wnd", 232, F32, 0, 0 },
	{ "tcpi_rehash", 236, F32, 0, 0 },
	{ "tcpi_total_rto", 240, F16, 0, 0 },
	{ "tcpi_total_rto_recoveries", 242, F16, 0, 0 },
	{ "tcpi_total_rto_time", 244, F32, 0, 0 },
	{ "tcpi_received_ce", 248, F32, 0, 0 },
	{ "tcpi_delivered_e1_bytes", 252, F32, 0, 0 },
	{ "tcpi_delivered_e0_bytes", 256, F32, 0, 0 },
	{ "tcpi_delivered_ce_bytes", 260, F32, 0, 0 },
	{ "tcpi_received_e1_bytes", 264, F32, 0, 0 },
	{ "tcpi_received_e0_bytes", 268, F32, 0, 0 },
	{ "tcpi_received_ce_bytes", 272, F32, 0, 0 },
	{ "tcpi_accecn_fail_mode", 276, F16, 0, 0 },
	{ "tcpi_accecn_opt_seen", 278, F16, 0, 0 },
};

static uint64_t tcpi_get(const uint8_t *info, const struct tcpi_field *f)
{
	uint32_t v32;
	uint64_t v64;

	switch (f->size) {
	case F8:
		return info[f->offset];
	case F16: {
		uint16_t v16;

		memcpy(&v16, info + f->offset, 2);
		return v16;
	}
	case F32:
		memcpy(&v32, info + f->offset, 4);
		return v32;
	case F64:
		memcpy(&v64, info + f->offset, 8);
		return v64;
	case FBITS:
		return (info[f->offset] >> f->shift) & ((1u << f->bits) - 1);
	}
	return 0;
}

/* The names packetdrill defines before each block (Linux's values). */
static const struct {
	const char *name;
	long long value;
} code_symbols[] = {
	{ "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 },
	{ "TCP_SYN_RECV", 3 }, { "TCP_FIN_WAIT1", 4 },
	{ "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 }, { "TCP_CLOSE", 7 },
	{ "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 }, { "TCP_LISTEN", 10 },
	{ "TCP_CLOSING", 11 },
	{ "TCP_CA_Open", 0 }, { "TCP_CA_Disorder", 1 }, { "TCP_CA_CWR", 2 },
	{ "TCP_CA_Recovery", 3 }, { "TCP_CA_Loss", 4 },
	{ "TCPI_OPT_TIMESTAMPS", 1 }, { "TCPI_OPT_SACK", 2 },
	{ "TCPI_OPT_WSCALE", 4 }, { "TCPI_OPT_ECN", 8 },
	{ "TCPI_OPT_ECN_SEEN", 16 }, { "TCPI_OPT_SYN_DATA", 32 },
	{ "TCPI_OPT_USEC_TS", 64 },
};

/* TCP_INFINITE_SSTHRESH is not one of packetdrill's names (scripts that
 * use it define it); it is offered as a default that a block's own
 * assignment overrides. */
#define TCP_INFINITE_SSTHRESH 0x7fffffffLL

#define N(a) (sizeof(a) / sizeof((a)[0]))

int tcp_snapshot_take(struct sut *sut, int fd, struct tcp_snapshot *s,
		      const char **why)
{
	socklen_t len = TCP_INFO_LEN;

	memset(s, 0, sizeof(*s));
	if (sut->ops->getsockopt(sut, fd, IPPROTO_TCP, TCP_INFO, s->info,
				 &len) < 0) {
		*why = "can't find getsockopt to get TCP info";
		return -1;
	}
	/* packetdrill also takes SO_MEMINFO (SK_MEMINFO_* names) */
	len = sizeof(s->meminfo);
	if (sut->ops->getsockopt(sut, fd, SOL_SOCKET, SO_MEMINFO, s->meminfo,
				 &len) < 0) {
		*why = "can't find getsockopt to get sk_meminfo";
		return -1;
	}
	return 0;
}

void tcp_symbols_bind(struct py *py)
{
	size_t i;

	for (i = 0; i < N(code_symbols); i++)
		py_set_int(py, code_symbols[i].name, code_symbols[i].value);
	py_set_int(py, "TCP_INFINITE_SSTHRESH", TCP_INFINITE_SSTHRESH);
}

void tcp_snapshot_bind(struct py *py, const struct tcp_snapshot *s)
{
	size_t i;

	for (i = 0; i < N(tcpi_fields); i++)
		py_set_uint(py, tcpi_fields[i].name,
			    tcpi_get(s->info, &tcpi_fields[i]));
	for (i = 0; i < SK_MEMINFO_VARS; i++)
		py_set_uint(py, sk_meminfo_names[i], s->meminfo[i]);
}

void tcp_snapshot_write_python(FILE *f, const struct tcp_snapshot *s)
{
	size_t i;

	for (i = 0; i < N(code_symbols); i++)
		fprintf(f, "%s = %lld\n", code_symbols[i].name,
			code_symbols[i].value);
	for (i = 0; i < N(tcpi_fields); i++)
		fprintf(f, "%s = %llu\n", tcpi_fields[i].name,
			(unsigned long long)tcpi_get(s->info,
						     &tcpi_fields[i]));
	for (i = 0; i < SK_MEMINFO_VARS; i++)
		fprintf(f, "%s = %u\n", sk_meminfo_names[i], s->meminfo[i]);
}

/* ---- names a block may use ---- */

static bool known_symbol(const char *name)
{
	size_t i;

	for (i = 0; i < N(tcpi_fields); i++)
		if (!strcmp(name, tcpi_fields[i].name))
			return true;
	for (i = 0; i < SK_MEMINFO_VARS; i++)
		if (!strcmp(name, sk_meminfo_names[i]))
			return true;
	return false;
}

/* Levenshtein distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, d;

	row = calloc(lb + 1, sizeof(*row));
	if (!row)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

static const char *nearest_symbol(const char *name)
{
	const char *best = NULL;
	size_t i, d, bd = (size_t)-1;

	for (i = 0; i < N(tcpi_fields) + SK_MEMINFO_VARS; i++) {
		const char *s = i < N(tcpi_fields) ? tcpi_fields[i].name :
				sk_meminfo_names[i - N(tcpi_fields)];

		d = distance(name, s);
		if (d < bd) {
			bd = d;
			best = s;
		}
	}
	return bd <= 2 || bd <= strlen(name) / 4 ? best : NULL;
}

static bool symbol_like(const char *w, size_t n)
{
	return (n > 5 && !strncmp(w, "tcpi_", 5)) ||
	       (n > 11 && !strncmp(w, "SK_MEMINFO_", 11));
}

/* Is name assigned in text ("name =" but not "name ==")? */
static bool assigned(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(text, name); p; p = strstr(p + 1, name)) {
		const char *q = p + n;

		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] == '=' && q[1] != '=')
			return true;
		if (q[0] && strchr("+-*/%&|^<>", q[0]) && q[1] == '=')
			return true;
	}
	return false;
}

char *tcp_symbol_unknown(const char *text, int *line)
{
	const char *p = text;
	int ln = 1;

	while (*p) {
		if (*p == '\n') {
			ln++;
			p++;
		} else if (*p == '#') {		/* comment */
			p += strcspn(p, "\n");
		} else if (*p == '"' || *p == '\'') {	/* string */
			char q = *p++;

			while (*p && *p != q && *p != '\n')
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p == q)
				p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;
			size_t n;

			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			n = (size_t)(p - w);
			if (symbol_like(w, n)) {
				char *name = strndup(w, n), *msg = NULL;
				const char *near;

				if (!name)
					abort();
				if (known_symbol(name) || assigned(text, name)) {
					free(name);
					continue;
				}
				near = nearest_symbol(name);
				if (asprintf(&msg, "NameError: name '%s' is not "
					     "defined (not %s of Linux 6.18%s%s%s)",
					     name, name[0] == 't' ?
					     "a tcp_info field" :
					     "an SO_MEMINFO counter",
					     near ? "; did you mean " : "",
					     near ? near : "", near ? "?" : "") < 0)
					abort();
				free(name);
				*line = ln;
				return msg;
			}
		} else {
			p++;
		}
	}
	return NULL;
}
