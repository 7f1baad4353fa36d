/* SPDX-License-Identifier: GPL-2.0-only */
/* sysctl_net.c: the instance's sysctl table, read and written by /proc/sys
 * path (like net/ipv4/sysctl_net_ipv4.c). The defaults are what a fresh
 * network namespace shows on this machine kind's Linux 6.18 (`unshare -n`
 * then /proc/sys/net), so a script that runs no defaults.sh behaves as
 * under `unshare -n packetdrill`.
 *
 * nds_sysctl_write / nds_sysctl_read -> sysctl_find -> parse / format.
 */
#include "stack.h"
#include "nds_priv.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nds_sysctl_defaults(struct nds_sysctls *s)
{
	memset(s, 0, sizeof(*s));
	/* Buffers as a new namespace copies them from this machine's
	 * init_net (tuned there: tcp_rmem[2] 32 MB and rmem_max 4 MB give
	 * wscale 10, tcp_rmem[1] 128 KB the 64240/65160 SYN-ACK window). */
	s->tcp_rmem[0] = 4096; s->tcp_rmem[1] = 131072;
	s->tcp_rmem[2] = 32 * 1024 * 1024;
	s->tcp_wmem[0] = 4096; s->tcp_wmem[1] = 16384;
	s->tcp_wmem[2] = 4194304;
	s->rmem_max = 4194304; s->wmem_max = 4194304;
	s->rmem_default = 212992; s->wmem_default = 212992;
	s->tcp_timestamps = 1; s->tcp_window_scaling = 1;
	s->tcp_sack = 1; s->tcp_dsack = 1;
	s->tcp_syn_retries = 6; s->tcp_synack_retries = 5;
	s->tcp_retries1 = 3; s->tcp_retries2 = 15;
	s->tcp_orphan_retries = 0; s->tcp_fin_timeout = 60;
	s->tcp_frto = 2; s->tcp_fack = 0; s->tcp_reordering = 3;
	s->tcp_max_reordering = 300;
	s->tcp_slow_start_after_idle = 1;
	s->tcp_early_retrans = 3; s->tcp_recovery = 1;
	s->tcp_tso_win_divisor = 3; s->tcp_min_tso_segs = 2;
	s->tcp_tso_rtt_log = 9;
	s->tcp_ecn = 2; s->tcp_ecn_fallback = 1; s->tcp_ecn_option = 2;
	s->tcp_ecn_option_beacon = 3;
	s->tcp_pacing_ss_ratio = 200; s->tcp_pacing_ca_ratio = 120;
	s->tcp_notsent_lowat = 4294967295U;
	s->tcp_fastopen = 1;	/* TFO_CLIENT_ENABLE */
	/* A namespace shows an all-zero key until one is written (Linux
	 * then makes a random one on first use; this one stays zero). */
	snprintf(s->tcp_fastopen_key, sizeof(s->tcp_fastopen_key),
		 "00000000-00000000-00000000-00000000");
	s->tcp_syncookies = 1; s->tcp_autocorking = 1;
	s->tcp_retrans_collapse = 1;
	s->hz = 250;	/* CONFIG_HZ of this machine kind's kernel */
	s->timer_wheel = 1;
	s->tcp_limit_output_bytes = 4194304;
	s->tcp_min_rtt_wlen = 300; s->tcp_moderate_rcvbuf = 1;
	s->tcp_mtu_probing = 0; s->tcp_base_mss = 1024;
	s->tcp_mtu_probe_floor = 48;
	s->tcp_keepalive_time = 7200; s->tcp_keepalive_intvl = 75;
	s->tcp_keepalive_probes = 9;
	s->tcp_max_syn_backlog = 2048; s->somaxconn = 4096;
	s->tcp_challenge_ack_limit = 2147483647;
	s->tcp_invalid_ratelimit = 500;
	s->tcp_syn_linear_timeouts = 4;
	s->tcp_tw_reuse = 2;
	s->tcp_backlog_ack_defer = 1;
	s->tcp_comp_sack_nr = 44; s->tcp_comp_sack_delay_ns = 1000000;
	s->tcp_comp_sack_slack_ns = 100000;
	s->tcp_workaround_signed_windows = 0;
	s->tcp_adv_win_scale = 1; s->tcp_app_win = 31;
	s->tcp_min_snd_mss = 48;
	s->tcp_rto_min_us = 200000; s->tcp_delack_max_us = 200000;
	s->tcp_rto_max_ms = 120000;
	s->tcp_probe_threshold = 8; s->tcp_probe_interval = 600;
	s->ip_default_ttl = 64;
	s->ip_local_port_range[0] = 32768; s->ip_local_port_range[1] = 60999;
	s->udp_rmem_min = 4096; s->udp_wmem_min = 4096;
	s->ipv6_hop_limit = 64; s->ipv6_auto_flowlabels = 1;
	s->cubic_hystart_detect = 3; s->cubic_fast_convergence = 1;
	s->cubic_beta = 717; s->cubic_bic_scale = 41; s->cubic_hystart = 1;
	s->cubic_hystart_low_window = 16;
	s->cubic_hystart_ack_delta_us = 2000;
	/* Linux's built-in default. A namespace inherits init_net's choice
	 * (bbr on this machine kind), which the stack does not model. */
	snprintf(s->tcp_congestion_control,
		 sizeof(s->tcp_congestion_control), "cubic");
}

enum { SY_INT, SY_UINT, SY_STR };

struct sysctl_entry {
	const char *path;
	int kind;
	size_t off;
	int count;		/* ints in the value */
	size_t size;		/* strings */
};

#define I(p, f) { p, SY_INT, offsetof(struct nds_sysctls, f), 1, 0 }
#define IN(p, f, n) { p, SY_INT, offsetof(struct nds_sysctls, f), n, 0 }
#define U(p, f) { p, SY_UINT, offsetof(struct nds_sysctls, f), 1, 0 }
#define S(p, f) { p, SY_STR, offsetof(struct nds_sysctls, f), 1, \
		  sizeof(((struct nds_sysctls *)0)->f) }

static const struct sysctl_entry table[] = {
	IN("net/ipv4/tcp_rmem", tcp_rmem, 3),
	IN("net/ipv4/tcp_wmem", tcp_wmem, 3),
	I("net/core/rmem_max", rmem_max),
	I("net/core/wmem_max", wmem_max),
	I("net/core/rmem_default", rmem_default),
	I("net/core/wmem_default", wmem_default),
	I("net/core/somaxconn", somaxconn),
	I("net/ipv4/tcp_timestamps", tcp_timestamps),
	I("net/ipv4/tcp_window_scaling", tcp_window_scaling),
	I("net/ipv4/tcp_sack", tcp_sack),
	I("net/ipv4/tcp_dsack", tcp_dsack),
	I("net/ipv4/tcp_syn_retries", tcp_syn_retries),
	I("net/ipv4/tcp_synack_retries", tcp_synack_retries),
	I("net/ipv4/tcp_retries1", tcp_retries1),
	I("net/ipv4/tcp_retries2", tcp_retries2),
	I("net/ipv4/tcp_orphan_retries", tcp_orphan_retries),
	I("net/ipv4/tcp_fin_timeout", tcp_fin_timeout),
	I("net/ipv4/tcp_frto", tcp_frto),
	I("net/ipv4/tcp_fack", tcp_fack),
	I("net/ipv4/tcp_reordering", tcp_reordering),
	I("net/ipv4/tcp_max_reordering", tcp_max_reordering),
	I("net/ipv4/tcp_slow_start_after_idle", tcp_slow_start_after_idle),
	I("net/ipv4/tcp_early_retrans", tcp_early_retrans),
	I("net/ipv4/tcp_recovery", tcp_recovery),
	I("net/ipv4/tcp_tso_win_divisor", tcp_tso_win_divisor),
	I("net/ipv4/tcp_min_tso_segs", tcp_min_tso_segs),
	I("net/ipv4/tcp_tso_rtt_log", tcp_tso_rtt_log),
	I("net/ipv4/tcp_ecn", tcp_ecn),
	I("net/ipv4/tcp_ecn_fallback", tcp_ecn_fallback),
	I("net/ipv4/tcp_ecn_option", tcp_ecn_option),
	I("net/ipv4/tcp_ecn_option_beacon", tcp_ecn_option_beacon),
	I("net/ipv4/tcp_pacing_ss_ratio", tcp_pacing_ss_ratio),
	I("net/ipv4/tcp_pacing_ca_ratio", tcp_pacing_ca_ratio),
	U("net/ipv4/tcp_notsent_lowat", tcp_notsent_lowat),
	I("net/ipv4/tcp_fastopen", tcp_fastopen),
	I("net/ipv4/tcp_fastopen_blackhole_timeout_sec",
	  tcp_fastopen_blackhole_timeout_sec),
	/* not Linux: `ip tcp_metrics flush` bumps it (tcp_fastopen_client.c) */
	I("net/netdrill/tcp_metrics_flushes", tcp_metrics_flushes),
	S("net/ipv4/tcp_fastopen_key", tcp_fastopen_key),
	I("net/ipv4/tcp_syncookies", tcp_syncookies),
	I("net/ipv4/tcp_autocorking", tcp_autocorking),
	I("net/ipv4/tcp_retrans_collapse", tcp_retrans_collapse),
	/* not Linux: the kernel's CONFIG_HZ, the timer wheel's jiffy */
	I("net/netdrill/hz", hz),
	/* not Linux: 0 runs the timer_list timers at their expiry, off the
	 * wheel (the unit tests' exact clock) */
	I("net/netdrill/timer_wheel", timer_wheel),
	I("net/ipv4/tcp_limit_output_bytes", tcp_limit_output_bytes),
	I("net/ipv4/tcp_min_rtt_wlen", tcp_min_rtt_wlen),
	I("net/ipv4/tcp_moderate_rcvbuf", tcp_moderate_rcvbuf),
	I("net/ipv4/tcp_no_metrics_save", tcp_no_metrics_save),
	I("net/ipv4/tcp_mtu_probing", tcp_mtu_probing),
	I("net/ipv4/tcp_base_mss", tcp_base_mss),
	I("net/ipv4/tcp_mtu_probe_floor", tcp_mtu_probe_floor),
	I("net/ipv4/tcp_probe_threshold", tcp_probe_threshold),
	I("net/ipv4/tcp_probe_interval", tcp_probe_interval),
	I("net/ipv4/tcp_keepalive_time", tcp_keepalive_time),
	I("net/ipv4/tcp_keepalive_intvl", tcp_keepalive_intvl),
	I("net/ipv4/tcp_keepalive_probes", tcp_keepalive_probes),
	I("net/ipv4/tcp_max_syn_backlog", tcp_max_syn_backlog),
	I("net/ipv4/tcp_abort_on_overflow", tcp_abort_on_overflow),
	I("net/ipv4/tcp_challenge_ack_limit", tcp_challenge_ack_limit),
	I("net/ipv4/tcp_invalid_ratelimit", tcp_invalid_ratelimit),
	I("net/ipv4/tcp_rfc1337", tcp_rfc1337),
	I("net/ipv4/tcp_stdurg", tcp_stdurg),
	I("net/ipv4/tcp_tw_reuse", tcp_tw_reuse),
	I("net/ipv4/tcp_thin_linear_timeouts", tcp_thin_linear_timeouts),
	I("net/ipv4/tcp_syn_linear_timeouts", tcp_syn_linear_timeouts),
	I("net/ipv4/tcp_comp_sack_nr", tcp_comp_sack_nr),
	I("net/ipv4/tcp_comp_sack_delay_ns", tcp_comp_sack_delay_ns),
	I("net/ipv4/tcp_comp_sack_slack_ns", tcp_comp_sack_slack_ns),
	I("net/ipv4/tcp_shrink_window", tcp_shrink_window),
	I("net/ipv4/tcp_workaround_signed_windows",
	  tcp_workaround_signed_windows),
	I("net/ipv4/tcp_adv_win_scale", tcp_adv_win_scale),
	I("net/ipv4/tcp_app_win", tcp_app_win),
	I("net/ipv4/tcp_min_snd_mss", tcp_min_snd_mss),
	I("net/ipv4/tcp_rto_min_us", tcp_rto_min_us),
	I("net/ipv4/tcp_rto_max_ms", tcp_rto_max_ms),
	I("net/ipv4/tcp_plb_enabled", tcp_plb_enabled),
	I("net/ipv4/tcp_backlog_ack_defer", tcp_backlog_ack_defer),
	I("net/ipv4/tcp_migrate_req", tcp_migrate_req),
	I("net/ipv4/tcp_fwmark_accept", tcp_fwmark_accept),
	I("net/ipv4/tcp_l3mdev_accept", tcp_l3mdev_accept),
	I("net/ipv4/ip_default_ttl", ip_default_ttl),
	I("net/ipv4/ip_no_pmtu_disc", ip_no_pmtu_disc),
	IN("net/ipv4/ip_local_port_range", ip_local_port_range, 2),
	I("net/ipv4/ip_nonlocal_bind", ip_nonlocal_bind),
	I("net/ipv4/ip_forward", ip_forward),
	I("net/ipv4/udp_rmem_min", udp_rmem_min),
	I("net/ipv4/udp_wmem_min", udp_wmem_min),
	I("net/ipv6/conf/all/hop_limit", ipv6_hop_limit),
	I("net/ipv6/auto_flowlabels", ipv6_auto_flowlabels),
	I("net/ipv6/flowlabel_reflect", ipv6_flowlabel_reflect),
	S("net/ipv4/tcp_congestion_control", tcp_congestion_control),
	/* module parameters, reached by path under /sys/module */
	I("module/tcp_cubic/parameters/hystart_detect", cubic_hystart_detect),
	I("module/tcp_cubic/parameters/fast_convergence",
	  cubic_fast_convergence),
	I("module/tcp_cubic/parameters/beta", cubic_beta),
	I("module/tcp_cubic/parameters/bic_scale", cubic_bic_scale),
	I("module/tcp_cubic/parameters/hystart", cubic_hystart),
	I("module/tcp_cubic/parameters/hystart_low_window",
	  cubic_hystart_low_window),
	I("module/tcp_cubic/parameters/hystart_ack_delta_us",
	  cubic_hystart_ack_delta_us),
	I("module/tcp_cubic/parameters/initial_ssthresh",
	  cubic_initial_ssthresh),
};

/* Accept "net/ipv4/x", "/proc/sys/net/ipv4/x", "net.ipv4.x",
 * "/sys/module/...". */
static const struct sysctl_entry *sysctl_find(const char *path)
{
	char norm[160];
	size_t i;

	if (!strncmp(path, "/proc/sys/", 10))
		path += 10;
	else if (!strncmp(path, "/sys/", 5))
		path += 5;
	if (strlen(path) >= sizeof(norm))
		return NULL;
	for (i = 0; path[i]; i++)
		norm[i] = path[i] == '.' ? '/' : path[i];
	norm[i] = 0;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].path, norm))
			return &table[i];
	return NULL;
}

const char *nds_sysctl_name(int i)
{
	int n = (int)(sizeof(table) / sizeof(table[0]));

	if (i < 0)
		return NULL;
	return i < n ? table[i].path : netdev_sysctl_name(i - n);
}

int nds_sysctl_write(struct nds *ns, const char *path, const char *value)
{
	const struct sysctl_entry *e = sysctl_find(path);
	char *base = (char *)&ns->sysctl;
	long long v[3];
	const char *p = value;
	char *end;
	int rc;

	if (!e && netdev_sysctl_write(ns, path, value, &rc))
		return rc;	/* net/netdrill/ device state (netdev.c) */
	if (!e) {
		nds_unsupported(ns, "sysctl %s", path);
		return -ENOENT;
	}
	if (e->kind == SY_STR) {
		size_t n = strlen(value);
		while (n && (value[n - 1] == '\n' || value[n - 1] == ' '))
			n--;
		if (n >= e->size)
			return -EINVAL;
		memcpy(base + e->off, value, n);
		base[e->off + n] = 0;
		if (!strcmp(e->path, "net/ipv4/tcp_congestion_control") &&
		    strcmp(base + e->off, "cubic") &&
		    strcmp(base + e->off, "reno")) {
			nds_unsupported(ns, "congestion control %s",
					base + e->off);
			snprintf(base + e->off, e->size, "cubic");
			return -ENOENT;
		}
		return 0;
	}
	for (int i = 0; i < e->count; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		v[i] = strtoll(p, &end, 0);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	if (!strcmp(e->path, "net/ipv4/tcp_rto_max_ms") &&
	    (v[0] < 1000 || v[0] > 120000))
		return -EINVAL;	/* proc_dointvec_minmax: 1 s to 120 s */
	if (!strcmp(e->path, "net/ipv4/tcp_mtu_probing") &&
	    (v[0] < 0 || v[0] > 255))
		return -EINVAL;	/* a u8 (proc_dou8vec_minmax); 2 and up: on */
	if (!strcmp(e->path, "net/ipv4/tcp_mtu_probe_floor") &&
	    (v[0] < 48 || v[0] > 65535))
		return -EINVAL;	/* TCP_MIN_SND_MSS to 65535 */
	for (int i = 0; i < e->count; i++) {
		if (e->kind == SY_UINT)
			((unsigned int *)(base + e->off))[i] =
				(unsigned int)v[i];
		else
			((int *)(base + e->off))[i] = (int)v[i];
	}
	nds_tracef(ns, "sysctl %s = %s", e->path, value);
	return 0;
}

int nds_sysctl_read(struct nds *ns, const char *path, char *buf, size_t len)
{
	const struct sysctl_entry *e = sysctl_find(path);
	const char *base = (const char *)&ns->sysctl;
	size_t n = 0;
	int rc;

	if (!e && netdev_sysctl_read(ns, path, buf, len, &rc))
		return rc;	/* net/netdrill/ device state (netdev.c) */
	if (!e)
		return -ENOENT;
	if (!len)
		return -EINVAL;
	buf[0] = 0;
	if (e->kind == SY_STR)
		n = snprintf(buf, len, "%s", base + e->off);
	else if (e->kind == SY_UINT)
		n = snprintf(buf, len, "%u",
			     *(const unsigned int *)(base + e->off));
	else
		for (int i = 0; i < e->count && n < len; i++)
			n += snprintf(buf + n, len - n, i ? "\t%d" : "%d",
				      ((const int *)(base + e->off))[i]);
	return n < len ? 0 : -EINVAL;
}
