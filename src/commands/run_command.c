/* run_command.c: shell commands whose sysctls act on the system under
 * test, never on the host (see run_command.h for the mechanism). */
#include "run_command.h"

#include <dirent.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "sut.h"

#if __has_include("socket.h")
#include "socket.h"
#define HAVE_SOCKET_TABLE 1
#else
#define HAVE_SOCKET_TABLE 0
#endif

/* Sysctls offered to commands: each one the back end knows (its
 * sysctl_read succeeds) gets a file. Paths below /proc/sys/, except
 * module/... which live below /sys/. */
static const char *const sysctl_names[] = {
	"net/core/rmem_default", "net/core/rmem_max", "net/core/wmem_default",
	"net/core/wmem_max", "net/core/somaxconn", "net/core/default_qdisc",
	"net/core/optmem_max", "net/core/netdev_max_backlog",
	"net/ipv4/ip_default_ttl", "net/ipv4/ip_forward",
	"net/ipv4/ip_local_port_range", "net/ipv4/ip_no_pmtu_disc",
	"net/ipv4/ip_nonlocal_bind", "net/ipv4/udp_rmem_min",
	"net/ipv4/udp_wmem_min",
	"net/ipv4/tcp_abort_on_overflow", "net/ipv4/tcp_adv_win_scale",
	"net/ipv4/tcp_allowed_congestion_control", "net/ipv4/tcp_app_win",
	"net/ipv4/tcp_autocorking", "net/ipv4/tcp_available_congestion_control",
	"net/ipv4/tcp_backlog_ack_defer", "net/ipv4/tcp_base_mss",
	"net/ipv4/tcp_challenge_ack_limit", "net/ipv4/tcp_comp_sack_delay_ns",
	"net/ipv4/tcp_comp_sack_nr", "net/ipv4/tcp_comp_sack_slack_ns",
	"net/ipv4/tcp_congestion_control", "net/ipv4/tcp_dsack",
	"net/ipv4/tcp_early_demux", "net/ipv4/tcp_early_retrans",
	"net/ipv4/tcp_ecn", "net/ipv4/tcp_ecn_fallback",
	"net/ipv4/tcp_ecn_option", "net/ipv4/tcp_ecn_option_beacon",
	"net/ipv4/tcp_fack", "net/ipv4/tcp_fastopen",
	"net/ipv4/tcp_fastopen_blackhole_timeout_sec",
	"net/ipv4/tcp_fastopen_key", "net/ipv4/tcp_fin_timeout",
	"net/ipv4/tcp_frto", "net/ipv4/tcp_fwmark_accept",
	"net/ipv4/tcp_invalid_ratelimit", "net/ipv4/tcp_keepalive_intvl",
	"net/ipv4/tcp_keepalive_probes", "net/ipv4/tcp_keepalive_time",
	"net/ipv4/tcp_l3mdev_accept", "net/ipv4/tcp_limit_output_bytes",
	"net/ipv4/tcp_low_latency", "net/ipv4/tcp_max_orphans",
	"net/ipv4/tcp_max_reordering", "net/ipv4/tcp_max_syn_backlog",
	"net/ipv4/tcp_max_tw_buckets", "net/ipv4/tcp_mem",
	"net/ipv4/tcp_migrate_req", "net/ipv4/tcp_min_rtt_wlen",
	"net/ipv4/tcp_min_snd_mss", "net/ipv4/tcp_min_tso_segs",
	"net/ipv4/tcp_moderate_rcvbuf", "net/ipv4/tcp_mtu_probe_floor",
	"net/ipv4/tcp_mtu_probing", "net/ipv4/tcp_no_metrics_save",
	"net/ipv4/tcp_no_ssthresh_metrics_save", "net/ipv4/tcp_notsent_lowat",
	"net/ipv4/tcp_orphan_retries", "net/ipv4/tcp_pacing_ca_ratio",
	"net/ipv4/tcp_pacing_ss_ratio", "net/ipv4/tcp_plb_enabled",
	"net/ipv4/tcp_probe_interval", "net/ipv4/tcp_probe_threshold",
	"net/ipv4/tcp_recovery", "net/ipv4/tcp_reflect_tos",
	"net/ipv4/tcp_reordering", "net/ipv4/tcp_retrans_collapse",
	"net/ipv4/tcp_retries1", "net/ipv4/tcp_retries2",
	"net/ipv4/tcp_rfc1337", "net/ipv4/tcp_rmem", "net/ipv4/tcp_rto_min_us",
	"net/ipv4/tcp_rto_max_ms", "net/ipv4/tcp_sack",
	"net/ipv4/tcp_shrink_window", "net/ipv4/tcp_slow_start_after_idle",
	"net/ipv4/tcp_stdurg", "net/ipv4/tcp_syn_linear_timeouts",
	"net/ipv4/tcp_syn_retries", "net/ipv4/tcp_synack_retries",
	"net/ipv4/tcp_syncookies", "net/ipv4/tcp_thin_linear_timeouts",
	"net/ipv4/tcp_timestamps", "net/ipv4/tcp_tso_rtt_log",
	"net/ipv4/tcp_tso_win_divisor", "net/ipv4/tcp_tw_reuse",
	"net/ipv4/tcp_window_scaling", "net/ipv4/tcp_wmem",
	"net/ipv4/tcp_workaround_signed_windows",
	"net/ipv6/auto_flowlabels", "net/ipv6/flowlabel_reflect",
	"net/ipv6/conf/all/hop_limit", "net/ipv6/conf/default/hop_limit",
	"net/netdrill/qdisc/tun0", "net/netdrill/nstat",	/* stack/netdev.c */
	"net/netdrill/route", "net/netdrill/offload/tun0",
	"net/netdrill/tcp_metrics_flushes",	/* tcp_fastopen_client.c */
	"module/tcp_cubic/parameters/beta",
	"module/tcp_cubic/parameters/bic_scale",
	"module/tcp_cubic/parameters/fast_convergence",
	"module/tcp_cubic/parameters/hystart",
	"module/tcp_cubic/parameters/hystart_ack_delta_us",
	"module/tcp_cubic/parameters/hystart_detect",
	"module/tcp_cubic/parameters/hystart_low_window",
	"module/tcp_cubic/parameters/initial_ssthresh",
	"module/tcp_cubic/parameters/tcp_friendliness",
};

/* The sysctl shim: `sysctl [-q] [-e] [-w] [-n] name[=value] ...` on the
 * files below $NETDRILL_SYSCTL_ROOT (the run's copy of /proc/sys). */
static const char sysctl_shim[] =
"#!/bin/sh\n"
"# netdrill's sysctl: reads and writes the embedded stack's sysctls\n"
"root=${NETDRILL_SYSCTL_ROOT:-/proc/sys}\n"
"quiet=0; ignore=0; values=0; rc=0\n"
"set -f\n"
"for a in \"$@\"; do\n"
"  case $a in\n"
"    --quiet) quiet=1; continue ;;\n"
"    --ignore) ignore=1; continue ;;\n"
"    --write|--load=*) continue ;;\n"
"    --values) values=1; continue ;;\n"
"    -[A-Za-z]*)\n"
"      o=${a#-}\n"
"      while [ -n \"$o\" ]; do\n"
"        c=${o%\"${o#?}\"}; o=${o#?}\n"
"        case $c in\n"
"          q) quiet=1 ;; e) ignore=1 ;; w) ;; n) values=1 ;; N) ;;\n"
"          *) echo \"sysctl: option -$c is not supported by netdrill\" >&2; exit 1 ;;\n"
"        esac\n"
"      done\n"
"      continue ;;\n"
"  esac\n"
"  key=${a%%=*}\n"
"  p=; IFS=.; for part in $key; do p=${p:+$p/}$part; done; unset IFS\n"
"  f=$root/$p\n"
"  if [ ! -f \"$f\" ]; then\n"
"    if [ $ignore = 0 ]; then\n"
"      echo \"sysctl: cannot stat /proc/sys/$p: No such file or directory\" >&2\n"
"      rc=255\n"
"    fi\n"
"    continue\n"
"  fi\n"
"  case $a in\n"
"    *=*) v=${a#*=}\n"
"         if ! printf '%s\\n' \"$v\" > \"$f\"; then rc=255; continue; fi\n"
"         [ $quiet = 1 ] || echo \"$key = $v\" ;;\n"
"    *)   v=$(cat \"$f\")\n"
"         if [ $values = 1 ]; then echo \"$v\"; else echo \"$key = $v\"; fi ;;\n"
"  esac\n"
"done\n"
"exit $rc\n";

/* The same sysctl as a bash function, defined for bash scripts through
 * $BASH_ENV (the suite's defaults.sh is one and runs sysctl some 25
 * times): no fork per call. (An exported BASH_FUNC_sysctl%% would not
 * survive /bin/sh when that is dash.) */
static const char sysctl_bash_function[] =
"sysctl () { local root=${NETDRILL_SYSCTL_ROOT:-/proc/sys} quiet=0 ignore=0"
" values=0 rc=0 a o c key p f v;"
" for a in \"$@\"; do"
"  case $a in"
"   --quiet) quiet=1; continue ;;"
"   --ignore) ignore=1; continue ;;"
"   --write|--load=*) continue ;;"
"   --values) values=1; continue ;;"
"   -[A-Za-z]*) o=${a#-};"
"    while [ -n \"$o\" ]; do c=${o:0:1}; o=${o:1};"
"     case $c in q) quiet=1 ;; e) ignore=1 ;; w|N) ;; n) values=1 ;;"
"      *) echo \"sysctl: option -$c is not supported by netdrill\" >&2;"
"         return 1 ;;"
"     esac;"
"    done; continue ;;"
"  esac;"
"  key=${a%%=*}; p=${key//.//}; f=$root/$p;"
"  if [ ! -f \"$f\" ]; then"
"   if [ $ignore = 0 ]; then"
"    echo \"sysctl: cannot stat /proc/sys/$p: No such file or directory\" >&2;"
"    rc=255;"
"   fi; continue;"
"  fi;"
"  case $a in"
"   *=*) v=${a#*=};"
"    if ! printf '%s\\n' \"$v\" > \"$f\"; then rc=255; continue; fi;"
"    [ $quiet = 1 ] || echo \"$key = $v\" ;;"
"   *) v=$(<\"$f\");"
"    if [ $values = 1 ]; then echo \"$v\"; else echo \"$key = $v\"; fi ;;"
"  esac;"
" done; return $rc; }\n";

/* ip: a TCP metrics flush (no meaning for a fresh embedded stack), and
 * `ip [-4|-6] route change|replace|add|del DST [via GW] [dev tun0]
 * [advmss N] [mtu [lock] M] [initcwnd K]` on the stack's route metrics;
 * anything else is refused. */
static const char ip_shim[] =
"#!/bin/sh\n"
"# netdrill's ip: TCP metrics flushes (each run starts with an empty\n"
"# cache) and route metrics (net/netdrill/route: stack/route.c)\n"
"case \" $* \" in\n"
"  *\" tcp_metrics flush\"*|*\" tcp_metrics delete\"*|"
"*\" tcpmetrics flush\"*|*\" tcpmetrics delete\"*)\n"
"    m=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/tcp_metrics_flushes\n"
"    [ ! -f \"$m\" ] || echo $(( $(cat \"$m\") + 1 )) > \"$m\"\n"
"    [ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`ip $*\\`: the"
" Fast Open cookie cache is emptied\" >&2\n"
"    exit 0 ;;\n"
"esac\n"
"args=$*\n"
"no() { echo \"netdrill: \\`ip $args\\` is not supported by the embedded stack\" >&2; exit 1; }\n"
"f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/route\n"
"case $1 in -4|-6) shift ;; esac\n"
"case $1 in route|ro|r) ;; *) no ;; esac\n"
"[ -f \"$f\" ] && [ $# -ge 3 ] || no\n"
"op=$2; dst=$3; shift 3; spec=\n"
"while [ $# -gt 0 ]; do\n"
"  case $1 in\n"
"    via) [ $# -ge 2 ] || no; shift 2 ;;\n"
"    dev) [ \"$2\" = tun0 ] || no; shift 2 ;;\n"
"    advmss|initcwnd) [ $# -ge 2 ] || no; spec=\"$spec $1 $2\"; shift 2 ;;\n"
"    mtu) if [ \"$2\" = lock ]; then [ $# -ge 3 ] || no; spec=\"$spec mtu lock $3\"; shift 3\n"
"         else [ $# -ge 2 ] || no; spec=\"$spec mtu $2\"; shift 2; fi ;;\n"
"    *) no ;;\n"
"  esac\n"
"done\n"
"case $op in\n"
"  change|replace|add) line=\"$dst$spec\" ;;\n"
"  del|delete) [ -z \"$spec\" ] || no; line=\"del $dst\" ;;\n"
"  *) no ;;\n"
"esac\n"
"printf '%s\\n' \"$line\" > \"$f\" || exit 1\n"
"[ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`ip $args\\`: route $line\" >&2\n"
"exit 0\n";

/* tc: the root qdisc of tun0 is embedded-stack state (stack/sch.c),
 * kept in the file net/netdrill/qdisc/tun0: "pfifo [limit N]" can be
 * added, replaced and deleted as tc does (a dropping "pfifo limit 0"
 * included); any other qdisc (fq's pacing, netem) is refused. */
static const char tc_shim[] =
"#!/bin/sh\n"
"# netdrill's tc: the root qdisc of tun0 in the embedded stack (a file the\n"
"# stack reads back: net/netdrill/qdisc/tun0 = none, pfifo, pfifo limit N)\n"
"f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/qdisc/tun0\n"
"no() { echo \"netdrill: \\`tc $args\\` is not supported by the embedded stack\" >&2; exit 1; }\n"
"args=$*\n"
"[ -f \"$f\" ] || no\n"
"cur=$(cat \"$f\") || exit 1\n"
"case \" $* \" in\n"
"  \" qdisc add dev tun0 root \"*|\" qdisc replace dev tun0 root \"*)\n"
"    spec=${*#qdisc * dev tun0 root }\n"
"    case $spec in pfifo|\"pfifo limit \"[0-9]*) ;; *) no ;; esac\n"
"    if [ \"$1 $2\" = \"qdisc add\" ] && [ \"$cur\" != none ]; then\n"
"      echo \"Error: Exclusivity flag on, cannot modify.\" >&2; exit 2\n"
"    fi ;;\n"
"  \" qdisc del dev tun0 root \"|\" qdisc delete dev tun0 root \")\n"
"    if [ \"$cur\" = none ]; then\n"
"      echo \"Error: Cannot delete qdisc with handle of zero.\" >&2; exit 2\n"
"    fi\n"
"    spec=none ;;\n"
"  \" qdisc show \"|\" qdisc show dev tun0 \")\n"
"    [ \"$cur\" = none ] || echo \"qdisc $cur dev tun0 root\"\n"
"    exit 0 ;;\n"
"  *) no ;;\n"
"esac\n"
"printf '%s\\n' \"$spec\" > \"$f\" || exit 1\n"
"[ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`tc $args\\`: tun0's root qdisc is now $spec\" >&2\n"
"exit 0\n";

/* ethtool: tun0's TSO and GSO are embedded-stack state (stack/netdev.c),
 * kept in the file net/netdrill/offload/tun0 ("tso on gso on" at first):
 * `-K tun0` appends its "tso|gso on|off" pairs, which the stack applies in
 * order; `-k tun0` shows them. Other features and options are refused. */
static const char ethtool_shim[] =
"#!/bin/sh\n"
"# netdrill's ethtool: tun0's offloads in the embedded stack (a file the\n"
"# stack reads back: net/netdrill/offload/tun0 = \"tso on gso on\")\n"
"f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/offload/tun0\n"
"args=$*\n"
"no() { echo \"netdrill: \\`ethtool $args\\` is not supported by the embedded stack\" >&2; exit 1; }\n"
"[ -f \"$f\" ] || no\n"
"cur=$(cat \"$f\") || exit 1\n"
"case \"$1\" in\n"
"  -k|--show-offload)\n"
"    [ $# = 2 ] && [ \"$2\" = tun0 ] || no\n"
"    tso=on gso=on\n"
"    set -- $cur\n"
"    while [ $# -ge 2 ]; do\n"
"      case $1 in tso) tso=$2 ;; gso) gso=$2 ;; esac\n"
"      shift 2\n"
"    done\n"
"    echo \"Features for tun0:\"\n"
"    echo \"tcp-segmentation-offload: $tso\"\n"
"    echo \"generic-segmentation-offload: $gso\"\n"
"    exit 0 ;;\n"
"  -K|--offload)\n"
"    [ $# -ge 4 ] && [ \"$2\" = tun0 ] || no\n"
"    shift 2\n"
"    spec=\n"
"    while [ $# -ge 2 ]; do\n"
"      case \"$1 $2\" in \"tso on\"|\"tso off\"|\"gso on\"|\"gso off\") ;; *) no ;; esac\n"
"      spec=\"$spec $1 $2\"\n"
"      shift 2\n"
"    done\n"
"    [ $# = 0 ] || no\n"
"    printf '%s\\n' \"$cur$spec\" > \"$f\" || exit 1\n"
"    [ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`ethtool $args\\`: tun0's offloads are now$spec\" >&2\n"
"    exit 0 ;;\n"
"esac\n"
"no\n";

/* nstat: the embedded stack's counters (stack/mib.c), from the file
 * net/netdrill/nstat ("name value history" lines); printing the change
 * since the last nstat and then saving the history, as nstat does. */
static const char nstat_shim[] =
"#!/bin/sh\n"
"# netdrill's nstat: the embedded stack's counters (net/netdrill/nstat holds\n"
"# \"name value history\" lines), printed as nstat prints them: the change\n"
"# since the last run (history), nonzero ones only, history then updated\n"
"f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/nstat\n"
"no() { echo \"netdrill: \\`nstat $args\\` is not supported by the embedded stack\" >&2; exit 1; }\n"
"args=$*\n"
"abs=0; zeros=0; save=1; out=1\n"
"[ -f \"$f\" ] || no\n"
"for a in \"$@\"; do\n"
"  case $a in\n"
"    --ignore) abs=1 ;; --zeros) zeros=1 ;; --no-update) save=0 ;;\n"
"    --nooutput) out=0 ;; --reset) abs=1 ;;\n"
"    -[azsnr]*)\n"
"      o=${a#-}\n"
"      while [ -n \"$o\" ]; do\n"
"        c=${o%\"${o#?}\"}; o=${o#?}\n"
"        case $c in\n"
"          a|r) abs=1 ;; z) zeros=1 ;; s) save=0 ;; n) out=0 ;; *) no ;;\n"
"        esac\n"
"      done ;;\n"
"    *) no ;;\n"
"  esac\n"
"done\n"
"if [ $out = 1 ]; then\n"
"  echo '#kernel'\n"
"  awk -v abs=$abs -v zeros=$zeros '{ v = abs ? $2 : $2 - $3\n"
"    if (v != 0 || zeros) printf \"%-32s%-16d%6.1f\\n\", $1, v, 0 }' \"$f\" || exit 1\n"
"fi\n"
"if [ $save = 1 ]; then echo snapshot > \"$f\" || exit 1; fi\n"
"exit 0\n";

struct sysctl_file {
	char *name;		/* "net/ipv4/tcp_rmem" */
	char *value;		/* last value, as the back end prints it */
	struct timespec mtime;	/* of the file when value was written */
	off_t size;
};

struct commands {
	struct run *run;
	char *dir;		/* /tmp/netdrill-XXXXXX */
	char *bin;		/* dir/bin: the shims */
	char *proc_sys;		/* dir/proc/sys */
	char *sys;		/* dir/sys */
	bool loaded;		/* files[] hold the back end's values */
	bool populated;		/* work directory and sysctl files written */
	struct sysctl_file *files;
	int nfiles;
	int ns_state;		/* 0 unknown, 1 namespaces work, -1 not */
	/* /tmp/sysctl_restore_PID.sh as the native set_sysctls.py left it
	 * (not on disk until a /bin/sh command needs it), or NULL */
	char *restore_text;
	bool restore_written;	/* we wrote that file: remove it at exit */
	/* figures for NETDRILL_CMD_STATS */
	int n_native, n_shell;
	int64_t us_native, us_shell, us_setup;
	int64_t us_start;
};

static char *path_join(const char *a, const char *b)
{
	return run_strdup_printf("%s/%s", a, b);
}

static int mkdir_p(const char *path)
{
	char *p = strdup(path), *s;

	if (!p)
		abort();
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) && errno != EEXIST) {
				free(p);
				return -1;
			}
			*s = '/';
		}
	}
	if (mkdir(p, 0755) && errno != EEXIST) {
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	size_t len = strlen(text), off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* The whole file, trailing newlines removed; NULL if unreadable. */
static char *read_file_text(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[4096];
	ssize_t n, len = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return NULL;
	buf[len] = 0;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = 0;
	return strdup(buf);
}

static char *file_path(const struct commands *c, const char *name)
{
	if (!strncmp(name, "module/", 7))
		return path_join(c->sys, name);
	return path_join(c->proc_sys, name);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct commands *commands_new(struct run *run, char **error)
{
	struct commands *c = calloc(1, sizeof(*c));

	if (c) {
		c->run = run;
		c->us_start = now_us();
	}
	return c;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw);

/* Work directories are named netdrill-PID-XXXXXX; remove those whose
 * netdrill died without cleaning up (killed by a time limit). */
static void remove_stale_dirs(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;
		char *path;

		if (sscanf(de->d_name, "netdrill-%d-", &pid) != 1 || pid <= 0 ||
		    pid == (int)getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;	/* alive, or not ours to judge */
		path = path_join(base, de->d_name);
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(path);
	}
	closedir(d);
}

/* Is the executable at path a pyenv shim (a script that runs pyenv)? */
static bool is_pyenv_shim(const char *path)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 2)
		return false;
	buf[n] = 0;
	return buf[0] == '#' && buf[1] == '!' && strstr(buf, "pyenv");
}

/* The first executable dir/prog on $PATH, skipping pyenv shims when
 * skip_shims; NULL if none. */
static char *path_find(const char *prog, bool skip_shims)
{
	const char *path = getenv("PATH"), *p, *e;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *e ? e + 1 : e) {
		char *full;

		e = strchrnul(p, ':');
		if (e == p)
			continue;
		full = run_strdup_printf("%.*s/%s", (int)(e - p), p, prog);
		if (access(full, X_OK) == 0 &&
		    (!skip_shims || !is_pyenv_shim(full)))
			return full;
		free(full);
	}
	return NULL;
}

/* The one word of a pyenv version file, NULL if absent, empty, or more
 * than one version (pyenv then tries each in turn: left to pyenv). */
static char *pyenv_version_file(const char *path)
{
	char *text = read_file_text(path), *s, *end, *word;

	if (!text)
		return NULL;
	for (s = text; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';)
		s++;
	end = s + strcspn(s, " \t\n\r");
	if (end == s || s[strspn(end, " \t\n\r") + (end - s)]) {
		free(text);
		return NULL;
	}
	word = strndup(s, (size_t)(end - s));
	free(text);
	return word;
}

/* python3 on $PATH may be a pyenv shim, which runs pyenv (a bash
 * program) before the interpreter: 0.1 to 0.3 s per python helper. Find
 * the interpreter pyenv would pick, as pyenv documents it ($PYENV_VERSION,
 * else .python-version in the current folder or a parent, else
 * $PYENV_ROOT/version; "system" is the next python3 on $PATH), and put
 * it first on the commands' PATH. Anything less plain (several versions,
 * a version prefix, a missing version) is left to pyenv. */
static void python_link(struct commands *c)
{
	char *first = path_find("python3", false), *root = NULL;
	char *version = NULL, *real = NULL, *link;

	if (!first || !is_pyenv_shim(first))
		goto out;
	if (getenv("PYENV_ROOT") && *getenv("PYENV_ROOT")) {
		root = strdup(getenv("PYENV_ROOT"));
	} else {
		/* ROOT/shims/python3 */
		char *slash;

		root = strdup(first);
		slash = root ? strrchr(root, '/') : NULL;
		if (slash)
			*slash = 0;
		slash = root ? strrchr(root, '/') : NULL;
		if (!slash || strcmp(slash, "/shims"))
			goto out;
		*slash = 0;
	}
	if (getenv("PYENV_VERSION")) {
		const char *v = getenv("PYENV_VERSION");

		if (!*v || strpbrk(v, " \t:"))
			goto out;
		version = strdup(v);
	} else {
		char cwd[4096], *slash;

		if (!getcwd(cwd, sizeof(cwd)))
			goto out;
		for (;;) {
			char *f = run_strdup_printf("%s/.python-version",
						    cwd);
			bool exists = access(f, F_OK) == 0;

			if (exists)
				version = pyenv_version_file(f);
			free(f);
			if (exists) {
				if (!version)
					goto out;
				break;
			}
			slash = strrchr(cwd, '/');
			if (!slash || slash == cwd)
				break;
			*slash = 0;
		}
		if (!version) {
			char *f = path_join(root, "version");

			version = access(f, F_OK) == 0 ?
				  pyenv_version_file(f) : strdup("system");
			free(f);
			if (!version)
				goto out;
		}
	}
	if (!strcmp(version, "system")) {
		real = path_find("python3", true);
	} else if (!strchr(version, '/') && strcmp(version, ".") &&
		   strcmp(version, "..")) {
		real = run_strdup_printf("%s/versions/%s/bin/python3", root,
					 version);
		if (access(real, X_OK)) {
			free(real);
			real = NULL;
		}
	}
	if (!real)
		goto out;
	/* as `pyenv exec` runs it: the version's bin folder first on PATH
	 * (not for "system"), the interpreter by its own path */
	{
		char *dir = strdup(real), *text;

		if (!dir)
			abort();
		*strrchr(dir, '/') = 0;
		text = strcmp(version, "system") ?
		       run_strdup_printf("#!/bin/sh\nPATH='%s':$PATH\n"
					 "exec '%s' \"$@\"\n", dir, real) :
		       run_strdup_printf("#!/bin/sh\nexec '%s' \"$@\"\n",
					 real);
		link = path_join(c->bin, "python3");
		if (!strchr(real, '\'') &&
		    write_file(link, text, 0755) == 0 &&
		    c->run->config->verbose > 1)
			fprintf(stderr, "netdrill: commands run python3 as %s "
				"(what pyenv picks, without pyenv's "
				"start-up)\n", real);
		free(link);
		free(text);
		free(dir);
	}
out:
	free(first);
	free(root);
	free(version);
	free(real);
}

/* The work directory and the shims, made by the run's first command. */
static int setup(struct commands *c, char **error)
{
	static const struct {
		const char *name;
		const char *text;
	} shims[] = {
		{ "sysctl", sysctl_shim }, { "ip", ip_shim },
		{ "tc", tc_shim }, { "ethtool", ethtool_shim },
		{ "nstat", nstat_shim },
	};
	/* tmpfs when there is one: the files are small and many */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	char *tmpl = run_strdup_printf("%s/netdrill-%d-XXXXXX", base,
				       (int)getpid());
	size_t i;

	remove_stale_dirs(base);
	if (!mkdtemp(tmpl)) {
		*error = run_strdup_printf("cannot create a temporary "
					   "directory in %s: %s", base,
					   strerror(errno));
		free(tmpl);
		return -1;
	}
	c->dir = tmpl;
	c->bin = path_join(c->dir, "bin");
	c->proc_sys = path_join(c->dir, "proc/sys");
	c->sys = path_join(c->dir, "sys");
	if (mkdir_p(c->bin)) {
		*error = run_strdup_printf("cannot create %s: %s", c->bin,
					   strerror(errno));
		return -1;
	}
	{
		char *p = path_join(c->bin, "bash_env");

		if (write_file(p, sysctl_bash_function, 0644)) {
			*error = run_strdup_printf("cannot write %s: %s", p,
						   strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	for (i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
		char *p = path_join(c->bin, shims[i].name);

		if (write_file(p, shims[i].text, 0755)) {
			*error = run_strdup_printf("cannot write %s: %s", p,
						   strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	python_link(c);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* NETDRILL_CMD_STATS=FILE: append one line of figures for this run (how
 * many commands ran natively and through /bin/sh, the time each took,
 * netdrill's own and its children's CPU time), for `make
 * bench-conformance`. One write, so that parallel runs do not mix. */
static void write_stats(const struct commands *c)
{
	const char *path = getenv("NETDRILL_CMD_STATS");
	struct rusage self, kids;
	char line[512];
	int fd, n;

	if (!path || !*path)
		return;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	n = snprintf(line, sizeof(line),
		     "native %d %lld shell %d %lld setup %lld run %lld "
		     "self %lld %lld children %lld %lld\n",
		     c->n_native, (long long)c->us_native, c->n_shell,
		     (long long)c->us_shell, (long long)c->us_setup,
		     (long long)(now_us() - c->us_start),
		     (long long)self.ru_utime.tv_sec * 1000000 +
		     self.ru_utime.tv_usec,
		     (long long)self.ru_stime.tv_sec * 1000000 +
		     self.ru_stime.tv_usec,
		     (long long)kids.ru_utime.tv_sec * 1000000 +
		     kids.ru_utime.tv_usec,
		     (long long)kids.ru_stime.tv_sec * 1000000 +
		     kids.ru_stime.tv_usec);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) < 0)
		n = 0;
	close(fd);
}

void commands_free(struct commands *c)
{
	int i;

	if (!c)
		return;
	write_stats(c);
	if (c->dir)
		nftw(c->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (c->populated || c->restore_written) {
		/* The suite's set_sysctls.py leaves a restore script named
		 * after our pid; it belongs to this run. */
		char *restore = run_strdup_printf("/tmp/sysctl_restore_%d.sh",
						  (int)getpid());

		unlink(restore);
		free(restore);
	}
	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].name);
		free(c->files[i].value);
	}
	free(c->files);
	free(c->restore_text);
	free(c->dir);
	free(c->bin);
	free(c->proc_sys);
	free(c->sys);
	free(c);
}

/* Write a file for every sysctl the back end knows, with its value. */
/* Write value (plus a newline) to the file and remember it, with the
 * file's mtime and size so that an untouched file need not be read. */
static int set_file(struct sysctl_file *f, const char *path,
		    const char *value)
{
	char *text = run_strdup_printf("%s\n", value);
	struct stat st;
	int rc = write_file(path, text, 0644);

	free(text);
	free(f->value);
	f->value = strdup(value);
	if (!f->value)
		abort();
	while (*f->value && f->value[strlen(f->value) - 1] == '\n')
		f->value[strlen(f->value) - 1] = 0;
	if (rc == 0 && stat(path, &st) == 0) {
		f->mtime = st.st_mtim;
		f->size = st.st_size;
	} else {
		f->size = -1;
	}
	return rc;
}

static int enter_namespace(struct commands *c);

static int chmod_open(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DP || (st->st_mode & 0100))
		chmod(path, 0777);	/* directories and the shims */
	else
		chmod(path, 0666);
	return 0;
}

/* Decide how commands are kept off the host's sysctls, before the first
 * one runs: a private user + mount namespace if the system allows it
 * (probed in a child); otherwise the command text is rewritten, and a
 * root netdrill also runs commands as nobody so that no path it did not
 * rewrite can reach a writable /proc/sys (the work directory is then
 * opened up to nobody). */
static int isolate(struct commands *c, char **error)
{
	pid_t pid;
	int status;

	if (getenv("NETDRILL_NO_NAMESPACE")) {
		c->ns_state = -1;
	} else {
		pid = fork();
		if (pid < 0) {
			*error = run_strdup_printf("fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			_exit(enter_namespace(c) == 0 ? 0 : 1);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		c->ns_state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
			      1 : -1;
	}
	if (c->ns_state < 0) {
		if (c->run->config->verbose > 0)
			fprintf(stderr, "netdrill: no user/mount namespace for "
				"commands; rewriting /proc/sys paths%s\n",
				geteuid() == 0 ? " and running them as nobody" :
				"");
		if (geteuid() == 0)
			nftw(c->dir, chmod_open, 16, FTW_PHYS);
	}
	return 0;
}

/* Read every sysctl the back end knows into files[] (no disk yet: the
 * native path needs none). */
static void load(struct commands *c)
{
	struct sut *sut = c->run->sut;
	size_t i;

	if (c->loaded)
		return;
	c->loaded = true;
	c->files = calloc(sizeof(sysctl_names) / sizeof(sysctl_names[0]),
			  sizeof(*c->files));
	if (!c->files)
		abort();
	for (i = 0; i < sizeof(sysctl_names) / sizeof(sysctl_names[0]); i++) {
		char value[1024];
		struct sysctl_file *f;

		if (sut->ops->sysctl_read(sut, sysctl_names[i], value,
					  sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		f = &c->files[c->nfiles++];
		f->name = strdup(sysctl_names[i]);
		f->value = strdup(value);
		if (!f->name || !f->value)
			abort();
		while (*f->value && f->value[strlen(f->value) - 1] == '\n')
			f->value[strlen(f->value) - 1] = 0;
		f->size = -1;
	}
}

/* The work directory, the shims and a file per sysctl holding its
 * current value, made before the first command that runs /bin/sh. */
static int populate(struct commands *c, char **error)
{
	char *last_dir = NULL;
	int64_t t0 = now_us();
	int i, rc;

	if (c->populated)
		return 0;
	c->populated = true;
	load(c);
	if (setup(c, error))
		return -1;
	if (mkdir_p(c->proc_sys) || mkdir_p(c->sys)) {
		*error = run_strdup_printf("cannot create %s: %s", c->dir,
					   strerror(errno));
		return -1;
	}
	{
		/* Mount points must exist even with nothing modelled. */
		char *p = path_join(c->proc_sys, "net/ipv4");
		char *q = path_join(c->sys, "module/tcp_cubic/parameters");

		mkdir_p(p);
		mkdir_p(q);
		free(p);
		free(q);
	}
	for (i = 0; i < c->nfiles; i++) {
		struct sysctl_file *f = &c->files[i];
		char *path = file_path(c, f->name), *slash, *value;

		slash = strrchr(path, '/');
		*slash = 0;
		if (!last_dir || strcmp(last_dir, path)) {
			mkdir_p(path);
			free(last_dir);
			last_dir = strdup(path);
		}
		*slash = '/';
		value = strdup(f->value);
		if (!value)
			abort();
		if (set_file(f, path, value)) {
			*error = run_strdup_printf("cannot write %s: %s",
						   path, strerror(errno));
			free(value);
			free(path);
			free(last_dir);
			return -1;
		}
		free(value);
		free(path);
	}
	free(last_dir);
	rc = isolate(c, error);
	c->us_setup += now_us() - t0;
	return rc;
}

/* Replace every occurrence of `from` in s with `to` (new string). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)); p += fl)
		n++;
	out = malloc(strlen(s) + n * tl + 1);
	if (!out)
		abort();
	for (o = out, p = s; *p;) {
		if (!strncmp(p, from, fl)) {
			memcpy(o, to, tl);
			o += tl;
			p += fl;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

/* A checkout made without symlink support (git's core.symlinks=false)
 * leaves each symlink as a small non-executable file holding the link's
 * target, e.g. tcp/common/defaults.sh containing "../../common/defaults.sh".
 * The shell cannot run such a file ("Permission denied"), while on the
 * system the scripts were written for it is a link. For each word of the
 * command that names such a placeholder, use the target's path instead,
 * as the link would. */
static char *resolve_link_placeholders(const char *text)
{
	size_t cap = strlen(text) * 2 + 64, len = 0;
	char *out = malloc(cap);
	const char *p = text;

	if (!out)
		abort();
	while (*p) {
		const char *q = p;
		char *word, *target = NULL;
		struct stat st;

		while (*q && (strchr("._/-+", *q) || (*q >= '0' && *q <= '9') ||
			      (*q >= 'a' && *q <= 'z') ||
			      (*q >= 'A' && *q <= 'Z')))
			q++;
		if (q == p)
			q = p + 1;
		word = strndup(p, (size_t)(q - p));
		if (!word)
			abort();
		if (strchr(word, '/') && stat(word, &st) == 0 &&
		    S_ISREG(st.st_mode) && st.st_size > 0 &&
		    st.st_size < 256 && access(word, X_OK) != 0) {
			char *content = read_file_text(word);
			char *slash = strrchr(word, '/');

			if (content && *content && !strpbrk(content, "\n \t") &&
			    content[0] != '#') {
				char *cand = content[0] == '/' ?
					     strdup(content) :
					     run_strdup_printf("%.*s/%s",
						(int)(slash - word), word,
						content);

				if (cand && access(cand, X_OK) == 0)
					target = cand;
				else
					free(cand);
			}
			free(content);
		}
		{
			const char *put = target ? target : word;
			size_t n = strlen(put);

			while (len + n + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				if (!out)
					abort();
			}
			memcpy(out + len, put, n);
			len += n;
		}
		free(target);
		free(word);
		p = q;
	}
	out[len] = 0;
	return out;
}

static int write_proc(const char *path, const char *text)
{
	return write_file(path, text, 0644);
}

/* In the child: a user + mount namespace with the run's directories over
 * /proc/sys/net and /sys/module. 0 if all is in place. */
static int enter_namespace(struct commands *c)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64], *src;
	int rc = 0;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
		return -1;
	snprintf(map, sizeof(map), "%d %d 1\n", (int)uid, (int)uid);
	if (write_proc("/proc/self/uid_map", map))
		return -1;
	write_proc("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "%d %d 1\n", (int)gid, (int)gid);
	if (write_proc("/proc/self/gid_map", map))
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	src = path_join(c->proc_sys, "net");
	if (mount(src, "/proc/sys/net", NULL, MS_BIND | MS_REC, NULL))
		rc = -1;
	free(src);
	if (rc)
		return -1;
	if (access("/sys/module", F_OK) == 0) {
		src = path_join(c->sys, "module");
		if (mount(src, "/sys/module", NULL, MS_BIND | MS_REC, NULL))
			rc = -1;
		free(src);
	}
	return rc;
}

/* A command left `now` in sysctl file i (content without its trailing
 * newline): hand it to the back end, then show the back end's canonical
 * value in the file (when there is a work directory) and in files[]. The
 * first failure sets *rc and *error. */
static void apply_value(struct commands *c, int i, const char *now,
			int line, int *rc, char **error)
{
	struct sut *sut = c->run->sut;
	struct sysctl_file *f = &c->files[i];
	char canon[1024];
	int r;

	if (f->value && !strcmp(now, f->value))
		return;
	r = sut->ops->sysctl_write(sut, f->name, now);
	if (r < 0 && !*rc) {
		*error = run_strdup_printf(
			r == -ENOENT ?
			"sysctl %s is not modelled by the embedded "
			"stack (value '%s')" :
			"sysctl %s: the embedded stack rejects value "
			"'%s'", f->name, now);
		*rc = -1;
	}
	/* The file shows what the stack now holds; -v says so when the
	 * value (not just its spelling) changed. */
	if (sut->ops->sysctl_read(sut, f->name, canon, sizeof(canon)) >= 0) {
		canon[sizeof(canon) - 1] = 0;
		if (r >= 0 && c->run->config->verbose > 0 &&
		    (!f->value || strcmp(f->value, canon)) &&
		    strcmp(f->name, "net/netdrill/nstat"))	/* counters */
			fprintf(stderr, "%s:%d: sysctl %s = %s\n",
				c->run->config->script_path, line,
				f->name, canon);
		if (c->populated) {
			char *path = file_path(c, f->name);

			set_file(f, path, canon);
			free(path);
		} else {
			free(f->value);
			f->value = strdup(canon);
			if (!f->value)
				abort();
			while (*f->value &&
			       f->value[strlen(f->value) - 1] == '\n')
				f->value[strlen(f->value) - 1] = 0;
		}
	}
}

/* Read back the files; hand changed values to the back end. */
static int sync_back(struct commands *c, int line, char **error)
{
	int i, rc = 0;

	for (i = 0; i < c->nfiles; i++) {
		struct sysctl_file *f = &c->files[i];
		char *path = file_path(c, f->name), *now;
		struct stat st;

		if (stat(path, &st) == 0 && st.st_size == f->size &&
		    st.st_mtim.tv_sec == f->mtime.tv_sec &&
		    st.st_mtim.tv_nsec == f->mtime.tv_nsec) {
			free(path);
			continue;	/* untouched */
		}
		now = read_file_text(path);
		if (now)
			apply_value(c, i, now, line, &rc, error);
		free(now);
		free(path);
	}
	return rc;
}

/* Files a command created for sysctls the back end does not model. */
static int find_new_files(struct commands *c, const char *dir,
			  const char *prefix, char **error)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return 0;
	while (!rc && (de = readdir(d))) {
		char *path, *name;
		struct stat st;
		int i;

		if (de->d_name[0] == '.')
			continue;
		path = path_join(dir, de->d_name);
		name = *prefix ? path_join(prefix, de->d_name) :
		       strdup(de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = find_new_files(c, path, name, error);
		} else {
			for (i = 0; i < c->nfiles; i++)
				if (!strcmp(c->files[i].name, name))
					break;
			if (i == c->nfiles) {
				char *v = read_file_text(path);

				*error = run_strdup_printf(
					"sysctl %s is not modelled by the "
					"embedded stack (value '%s')", name,
					v ? v : "");
				free(v);
				unlink(path);
				rc = -1;
			}
		}
		free(path);
		free(name);
	}
	closedir(d);
	return rc;
}

/* Linux's TCP state numbers, as /proc/net/tcp shows them in hex. */
static int tcp_state_number(const char *name)
{
	static const char *const names[] = { "", "ESTABLISHED", "SYN_SENT",
		"SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
		"CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING" };
	int i;

	for (i = 1; i < 12; i++)
		if (!strcmp(name, names[i]))
			return i;
	return 7;	/* CLOSE */
}

#if HAVE_SOCKET_TABLE
/* One address:port as /proc/net/tcp{,6} prints it: the address's 32-bit
 * words in host byte order, the port in hex. */
static void proc_net_addr(FILE *f, const struct endpoint *e, bool v6)
{
	uint8_t ip[16];
	uint32_t w;
	int i;

	memset(ip, 0, sizeof(ip));
	if (e->family == AF_INET && v6) {
		ip[10] = ip[11] = 0xff;
		memcpy(ip + 12, e->ip, 4);
	} else if (e->family != AF_UNSPEC) {
		memcpy(ip, e->ip, v6 ? 16 : 4);
	}
	for (i = 0; i < (v6 ? 4 : 1); i++) {
		memcpy(&w, ip + 4 * i, 4);
		fprintf(f, "%08X", w);
	}
	fprintf(f, ":%04X", e->port);
}
#endif

/* /proc/net/tcp and tcp6 for the embedded stack's sockets, so that a
 * command reading them sees the system under test, not the host. */
static int write_proc_net_tcp(struct commands *c, char **error)
{
	static const char header[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr "
		"tm->when retrnsmt   uid  timeout inode\n";
	char *dir = path_join(c->dir, "proc/net");
	int v6, rc = 0;

	mkdir_p(dir);
	for (v6 = 0; v6 < 2 && !rc; v6++) {
		char *path = path_join(dir, v6 ? "tcp6" : "tcp");
		FILE *f = fopen(path, "w");
		int n = 0;

		if (!f) {
			*error = run_strdup_printf("cannot write %s: %s", path,
						   strerror(errno));
			rc = -1;
			free(path);
			break;
		}
		fputs(header, f);
#if HAVE_SOCKET_TABLE
		{
			const struct socket *sk;

			for (sk = c->run->sockets ? c->run->sockets->sockets :
			     NULL; sk; sk = sk->next) {
				struct sut_sock_state st;

				if (sk->fd < 0 || (sk->domain == AF_INET6) !=
				    (v6 == 1) || sk->protocol == IPPROTO_UDP ||
				    c->run->sut->ops->sock_state(c->run->sut,
							sk->fd, &st) < 0)
					continue;
				fprintf(f, "%4d: ", n++);
				proc_net_addr(f, &sk->live.local, v6);
				fputc(' ', f);
				proc_net_addr(f, &sk->live.remote, v6);
				fprintf(f, " %02X %08X:%08X 00:00000000 "
					"00000000     0        0 %d 1 "
					"0000000000000000 100 0 0 10 0\n",
					tcp_state_number(st.state),
					st.write_queue_bytes,
					st.recv_queue_bytes, 10000 + sk->fd);
			}
		}
#endif
		fclose(f);
		free(path);
	}
	free(dir);
	return rc;
}

/* ---- the native path ------------------------------------------------
 *
 * Most commands of the suite only set sysctls: defaults.sh (sysctl lines,
 * `ip tcp_metrics flush`, `tc qdisc add ... root pfifo`), set_sysctls.py
 * and the restore script it leaves. Forking /bin/sh, bash and python for
 * them costs far more than the rest of a run, so a command made only of
 * what is understood here completely runs in-process, with the effects,
 * output and exit status the /bin/sh path would give:
 *  - comments, blank lines, `\` line continuations, `;` and newlines;
 *  - words with '...' and "..." quoting, \ escapes, $((arithmetic)) and
 *    $PPID / ${PPID} (netdrill's pid; not inside script files, where the
 *    shell's parent is not netdrill);
 *  - redirections [n]> /dev/null, [n]>> /dev/null, [n]>&m (n, m 1 or 2),
 *    and echo's > /proc/sys/... or /sys/module/... (a modelled sysctl);
 *  - the shims sysctl, ip, tc, ethtool, nstat (the same rules as the shell
 *    shims above), echo (no options, no backslashes);
 *  - a script file (#!/bin/sh or #!/bin/bash) whose text is itself in
 *    this subset, and set_sysctls.py when its text is byte for byte the
 *    suite's helper (fingerprint below): it saves the old values in a
 *    restore script kept in memory (written to /tmp/sysctl_restore_PID.sh
 *    only when a /bin/sh command runs later) and sets the new ones.
 * Anything else, anywhere in the command, and the whole command runs
 * through /bin/sh instead: a command is first run against a transaction
 * (sysctl file contents, output, restore script) that is only committed
 * when it completed natively. NETDRILL_NO_FASTPATH=1 disables this. */

/* set_sysctls.py of the packetdrill suite: FNV-1a 64 of its bytes, and
 * its length. */
#define SET_SYSCTLS_FNV 0xedf89cf5146d308fULL
#define SET_SYSCTLS_LEN 1306

enum { SINK_NULL, SINK_OUT, SINK_ERR, SINK_FILE };

struct fdmap {
	int sink[3];		/* for fds 1 and 2 */
	int file;		/* files[] index when a sink is SINK_FILE */
};

struct chunk {
	int fd;
	char *text;
};

struct tx {
	struct commands *c;
	char **pending;		/* per file: content written, or NULL */
	struct chunk *out;
	int nout;
	char *restore;		/* new restore script text, or NULL */
	int depth;		/* script nesting */
	bool verbose;
};

struct scmd {
	char **argv;
	int argc;
	struct {
		int fd;		/* 1 or 2 */
		int op;		/* '>', 'a' (>>) or '&' (dup) */
		char *target;
	} redir[8];
	int nredir;
};

struct prog {
	struct scmd *cmds;
	int n;
};

struct buf {
	char *s;
	size_t len, cap;
};

static void buf_addn(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 32;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void buf_add(struct buf *b, const char *s)
{
	buf_addn(b, s, strlen(s));
}

static void buf_addc(struct buf *b, char ch)
{
	buf_addn(b, &ch, 1);
}

static char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : strdup("");

	if (!s)
		abort();
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

static void scmd_free(struct scmd *s)
{
	int j;

	for (j = 0; j < s->argc; j++)
		free(s->argv[j]);
	free(s->argv);
	for (j = 0; j < s->nredir; j++)
		free(s->redir[j].target);
	memset(s, 0, sizeof(*s));
}

static void prog_free(struct prog *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		scmd_free(&p->cmds[i]);
	free(p->cmds);
	p->cmds = NULL;
	p->n = 0;
}

/* ---- words ---- */

struct lex {
	const char *p;
	bool script;		/* in a script file: no $PPID */
};

/* The next character, `\` newline pairs skipped. */
static char lx_peek(struct lex *l)
{
	while (l->p[0] == '\\' && l->p[1] == '\n')
		l->p += 2;
	return *l->p;
}

static char lx_get(struct lex *l)
{
	char ch = lx_peek(l);

	if (ch)
		l->p++;
	return ch;
}

/* $((...)) arithmetic: numbers (decimal, 0x hex, 0 octal), + - * / %,
 * unary + -, parentheses. -1 for anything else or an overflow. */
struct arith {
	const char *p;
};

static void ar_skip(struct arith *a)
{
	while (*a->p == ' ' || *a->p == '\t' || *a->p == '\n')
		a->p++;
}

static int ar_expr(struct arith *a, intmax_t *v);

static int ar_unary(struct arith *a, intmax_t *v)
{
	ar_skip(a);
	if (*a->p == '-' || *a->p == '+') {
		char op = *a->p++;

		if (*a->p == op)	/* -- and ++ */
			return -1;
		if (ar_unary(a, v))
			return -1;
		if (op == '-') {
			if (*v == INTMAX_MIN)
				return -1;
			*v = -*v;
		}
		return 0;
	}
	if (*a->p == '(') {
		a->p++;
		if (ar_expr(a, v))
			return -1;
		ar_skip(a);
		if (*a->p != ')')
			return -1;
		a->p++;
		return 0;
	}
	if (*a->p >= '0' && *a->p <= '9') {
		const char *s = a->p;
		char num[64], *end;

		while ((*a->p >= '0' && *a->p <= '9') ||
		       (*a->p >= 'a' && *a->p <= 'z') ||
		       (*a->p >= 'A' && *a->p <= 'Z'))
			a->p++;
		if ((size_t)(a->p - s) >= sizeof(num))
			return -1;
		memcpy(num, s, (size_t)(a->p - s));
		num[a->p - s] = 0;
		errno = 0;
		*v = strtoimax(num, &end, 0);
		if (errno || *end || end == num)
			return -1;
		return 0;
	}
	return -1;
}

static int ar_term(struct arith *a, intmax_t *v)
{
	if (ar_unary(a, v))
		return -1;
	for (;;) {
		intmax_t r;
		char op;

		ar_skip(a);
		op = *a->p;
		if ((op != '*' && op != '/' && op != '%') || a->p[1] == '=' ||
		    (op == '*' && a->p[1] == '*'))
			return 0;
		a->p++;
		if (ar_unary(a, &r))
			return -1;
		if (op == '*') {
			if (__builtin_mul_overflow(*v, r, v))
				return -1;
		} else {
			if (r == 0 || (*v == INTMAX_MIN && r == -1))
				return -1;
			*v = op == '/' ? *v / r : *v % r;
		}
	}
}

static int ar_expr(struct arith *a, intmax_t *v)
{
	if (ar_term(a, v))
		return -1;
	for (;;) {
		intmax_t r;
		char op;

		ar_skip(a);
		op = *a->p;
		if ((op != '+' && op != '-') || a->p[1] == '=' ||
		    a->p[1] == op)
			return 0;
		a->p++;
		if (ar_term(a, &r))
			return -1;
		if (op == '+' ? __builtin_add_overflow(*v, r, v) :
		    __builtin_sub_overflow(*v, r, v))
			return -1;
	}
}

/* After "$": one expansion appended to w. -1 if not understood. */
static int lx_dollar(struct lex *l, struct buf *w)
{
	char num[32];

	if (lx_peek(l) == '(') {
		struct buf e = { 0 };
		struct arith a;
		intmax_t v;
		int depth = 0;
		char ch;

		lx_get(l);
		if (lx_get(l) != '(')
			return -1;	/* $( command substitution ) */
		for (;;) {
			ch = lx_get(l);
			if (!ch)
				goto bad;
			if (ch == '(') {
				depth++;
			} else if (ch == ')') {
				if (depth == 0) {
					if (lx_get(l) != ')')
						goto bad;
					break;
				}
				depth--;
			} else if (!strchr("0123456789abcdefABCDEFxX+-*/% \t\n",
					   ch)) {
				goto bad;	/* names, other operators */
			}
			buf_addc(&e, ch);
		}
		a.p = e.s ? e.s : "";
		if (ar_expr(&a, &v))
			goto bad;
		ar_skip(&a);
		if (*a.p)
			goto bad;
		free(e.s);
		snprintf(num, sizeof(num), "%jd", v);
		buf_add(w, num);
		return 0;
bad:
		free(e.s);
		return -1;
	}
	if (l->script)
		return -1;
	if (lx_peek(l) == '{') {
		lx_get(l);
		if (strncmp(l->p, "PPID}", 5))
			return -1;
		l->p += 5;
	} else {
		if (strncmp(l->p, "PPID", 4))
			return -1;
		l->p += 4;
		{
			char ch = lx_peek(l);

			if ((ch >= 'a' && ch <= 'z') ||
			    (ch >= 'A' && ch <= 'Z') ||
			    (ch >= '0' && ch <= '9') || ch == '_')
				return -1;
		}
	}
	snprintf(num, sizeof(num), "%d", (int)getpid());
	buf_add(w, num);
	return 0;
}

/* Is ch a character that ends an unquoted word? */
static bool word_end(char ch)
{
	return !ch || strchr(" \t\n;&|<>()", ch);
}

/* One word into w. *digits: unquoted digits only (a redirection's fd
 * number when > follows). 0, or -1 for what is not understood (globbing,
 * command substitution, other variables, brace and tilde expansion...). */
static int lx_word(struct lex *l, struct buf *w, bool *digits)
{
	*digits = true;
	for (;;) {
		char ch = lx_peek(l);

		if (word_end(ch))
			return 0;
		l->p++;
		if (ch == '\'') {
			const char *e = strchr(l->p, '\'');

			if (!e)
				return -1;
			buf_addn(w, l->p, (size_t)(e - l->p));
			l->p = e + 1;
			*digits = false;
		} else if (ch == '"') {
			*digits = false;
			for (;;) {
				ch = lx_get(l);
				if (!ch || ch == '`')
					return -1;
				if (ch == '"')
					break;
				if (ch == '$') {
					if (lx_dollar(l, w))
						return -1;
				} else if (ch == '\\') {
					ch = *l->p;
					if (!ch)
						return -1;
					l->p++;
					if (!strchr("$`\"\\", ch))
						buf_addc(w, '\\');
					buf_addc(w, ch);
				} else {
					buf_addc(w, ch);
				}
			}
		} else if (ch == '\\') {
			ch = *l->p;
			if (!ch)
				return -1;
			l->p++;
			buf_addc(w, ch);
			*digits = false;
		} else if (ch == '$') {
			if (lx_dollar(l, w))
				return -1;
			*digits = false;
		} else if (strchr("*?[]{}`!~", ch) ||
			   (unsigned char)ch >= 0x80 || (unsigned char)ch < 0x20) {
			return -1;
		} else {
			if (ch < '0' || ch > '9')
				*digits = false;
			buf_addc(w, ch);
		}
	}
}

static void lx_blanks(struct lex *l)
{
	while (lx_peek(l) == ' ' || lx_peek(l) == '\t')
		l->p++;
}

/* Parse text into simple commands. 0, or -1 if any of it is not in the
 * native subset. */
static int sh_parse(const char *text, bool script, struct prog *p)
{
	struct lex l = { text, script };
	struct scmd cur = { 0 };
	int cap = 0, rc = -1;

	for (;;) {
		char ch;

		lx_blanks(&l);
		ch = lx_peek(&l);
		if (ch == '#' ) {
			while (*l.p && *l.p != '\n')
				l.p++;
			continue;
		}
		if (!ch || ch == '\n' || ch == ';') {
			if (cur.argc == 0 && cur.nredir == 0) {
				if (ch == ';')
					goto out;	/* syntax error */
				if (!ch)
					break;
				l.p++;
				continue;
			}
			if (cur.argc == 0)
				goto out;	/* redirections only */
			if (p->n == cap) {
				cap = cap * 2 + 8;
				p->cmds = realloc(p->cmds,
						  (size_t)cap * sizeof(*p->cmds));
				if (!p->cmds)
					abort();
			}
			p->cmds[p->n++] = cur;
			memset(&cur, 0, sizeof(cur));
			if (!ch)
				break;
			l.p++;
			continue;
		}
		if (ch == '>') {
			if (cur.nredir == 8)
				goto out;
			l.p++;
			cur.redir[cur.nredir].fd = 1;
			goto redirect;
		}
		if (strchr("&|<()", ch))
			goto out;
		{
			struct buf w = { 0 };
			bool digits;

			if (lx_word(&l, &w, &digits)) {
				free(w.s);
				goto out;
			}
			if (digits && lx_peek(&l) == '>') {
				int fd = !strcmp(w.s, "1") ? 1 :
					 !strcmp(w.s, "2") ? 2 : -1;

				free(w.s);
				if (fd < 0 || cur.nredir == 8)
					goto out;
				l.p++;
				cur.redir[cur.nredir].fd = fd;
				goto redirect;
			}
			cur.argv = realloc(cur.argv, (size_t)(cur.argc + 2) *
					   sizeof(char *));
			if (!cur.argv)
				abort();
			cur.argv[cur.argc++] = buf_take(&w);
			cur.argv[cur.argc] = NULL;
			continue;
		}
redirect:
		{
			struct buf w = { 0 };
			bool digits;

			cur.redir[cur.nredir].op = '>';
			ch = lx_peek(&l);
			if (ch == '>') {
				l.p++;
				cur.redir[cur.nredir].op = 'a';	/* >> */
			} else if (ch == '&') {
				l.p++;
				cur.redir[cur.nredir].op = '&';
			} else if (ch == '|') {
				goto out;
			}
			lx_blanks(&l);
			if (word_end(lx_peek(&l)) || lx_word(&l, &w, &digits)) {
				free(w.s);
				goto out;
			}
			cur.redir[cur.nredir].target = buf_take(&w);
			cur.nredir++;
			if (cur.redir[cur.nredir - 1].op == '&' &&
			    strcmp(cur.redir[cur.nredir - 1].target, "1") &&
			    strcmp(cur.redir[cur.nredir - 1].target, "2"))
				goto out;
		}
	}
	rc = 0;
out:
	if (rc) {
		scmd_free(&cur);
		prog_free(p);
	}
	return rc;
}

/* ---- running ---- */

static int tx_find(const struct tx *t, const char *name)
{
	int i;

	for (i = 0; i < t->c->nfiles; i++)
		if (!strcmp(t->c->files[i].name, name))
			return i;
	return -1;
}

static const char *tx_content(const struct tx *t, int i)
{
	return t->pending[i] ? t->pending[i] : t->c->files[i].value;
}

static void tx_set(struct tx *t, int i, const char *content)
{
	free(t->pending[i]);
	t->pending[i] = strdup(content);
	if (!t->pending[i])
		abort();
}

/* Text a command writes on fd (1 or 2), through the redirections. */
static void tx_out(struct tx *t, const struct fdmap *m, int fd,
		   const char *text)
{
	int sink = m->sink[fd];

	if (sink != SINK_OUT && sink != SINK_ERR)
		return;		/* /dev/null (echo handles files) */
	t->out = realloc(t->out, (size_t)(t->nout + 1) * sizeof(*t->out));
	if (!t->out)
		abort();
	t->out[t->nout].fd = sink == SINK_OUT ? 1 : 2;
	t->out[t->nout].text = strdup(text);
	if (!t->out[t->nout].text)
		abort();
	t->nout++;
}

static void tx_outf(struct tx *t, const struct fdmap *m, int fd,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void tx_outf(struct tx *t, const struct fdmap *m, int fd,
		    const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	tx_out(t, m, fd, s);
	free(s);
}

/* The sysctl file a command's path names (/proc/sys/net/... or
 * /sys/module/..., as the namespace shows them), -1 if none. */
static int tx_proc_file(const struct tx *t, const char *path)
{
	const char *s;

	for (s = path; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("_-/", *s)))
			return -1;	/* also no "..", no "//" below */
	if (strstr(path, "//"))
		return -1;
	if (!strncmp(path, "/proc/sys/net/", 14))
		return tx_find(t, path + 10);
	if (!strncmp(path, "/sys/module/", 12))
		return tx_find(t, path + 5);
	return -1;
}

static char *join_args(int argc, char **argv, int from)
{
	struct buf b = { 0 };
	int i;

	for (i = from; i < argc; i++) {
		if (i > from)
			buf_addc(&b, ' ');
		buf_add(&b, argv[i]);
	}
	return buf_take(&b);
}

/* The sysctl shim (sysctl_shim / sysctl_bash_function above). */
static int run_sysctl(struct tx *t, const struct fdmap *m, int argc,
		      char **argv)
{
	bool quiet = false, ignore = false, values = false;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *s;
		char name[256];
		size_t klen;
		int f;

		if (!strcmp(a, "--quiet")) {
			quiet = true;
			continue;
		}
		if (!strcmp(a, "--ignore")) {
			ignore = true;
			continue;
		}
		if (!strcmp(a, "--write") || !strncmp(a, "--load=", 7))
			continue;
		if (!strcmp(a, "--values")) {
			values = true;
			continue;
		}
		if (a[0] == '-' && ((a[1] >= 'a' && a[1] <= 'z') ||
				    (a[1] >= 'A' && a[1] <= 'Z'))) {
			for (s = a + 1; *s; s++) {
				switch (*s) {
				case 'q': quiet = true; break;
				case 'e': ignore = true; break;
				case 'n': values = true; break;
				case 'w': case 'N': break;
				default:
					if ((unsigned char)*s < 0x21 ||
					    *s == '\\')
						return -1;
					tx_outf(t, m, 2, "sysctl: option -%c "
						"is not supported by "
						"netdrill\n", *s);
					return 1;
				}
			}
			continue;
		}
		/* name[=value]: a name made of plain components below net */
		eq = strchr(a, '=');
		klen = eq ? (size_t)(eq - a) : strlen(a);
		if (klen < 5 || klen >= sizeof(name) ||
		    strncmp(a, "net", 3) || (a[3] != '.' && a[3] != '/'))
			return -1;
		for (s = a; s < a + klen; s++) {
			if (*s == '.' || *s == '/') {
				if (s + 1 == a + klen || s[1] == '.' ||
				    s[1] == '/')
					return -1;
				name[s - a] = '/';
			} else if ((*s >= 'a' && *s <= 'z') ||
				   (*s >= 'A' && *s <= 'Z') ||
				   (*s >= '0' && *s <= '9') || *s == '_' ||
				   *s == '-') {
				name[s - a] = *s;
			} else {
				return -1;
			}
		}
		name[klen] = 0;
		f = tx_find(t, name);
		if (f < 0) {
			if (!ignore) {
				tx_outf(t, m, 2, "sysctl: cannot stat "
					"/proc/sys/%s: No such file or "
					"directory\n", name);
				rc = 255;
			}
			continue;
		}
		if (eq) {
			if (strpbrk(eq + 1, "\\\n\r"))
				return -1;
			tx_set(t, f, eq + 1);
			if (!quiet)
				tx_outf(t, m, 1, "%.*s = %s\n", (int)klen, a,
					eq + 1);
		} else {
			const char *v = tx_content(t, f);

			if (strpbrk(v, "\\\n\r") || (values && v[0] == '-'))
				return -1;
			if (values)
				tx_outf(t, m, 1, "%s\n", v);
			else
				tx_outf(t, m, 1, "%s = %s\n", a, v);
		}
	}
	return rc;
}

/* tc, as its shim: tun0's root qdisc, in the net/netdrill/qdisc/tun0
 * file; -1 (the shell decides) for what the shim would refuse. */
static int run_tc(struct tx *t, const struct fdmap *m, int argc, char **argv)
{
	int f = tx_find(t, "net/netdrill/qdisc/tun0");
	const char *cur;
	char *spec;

	if (f < 0 || argc < 3 || strcmp(argv[1], "qdisc"))
		return -1;
	cur = tx_content(t, f);
	if (!strcmp(argv[2], "show") && (argc == 3 || (argc == 5 &&
	    !strcmp(argv[3], "dev") && !strcmp(argv[4], "tun0")))) {
		if (strcmp(cur, "none"))
			tx_outf(t, m, 1, "qdisc %s dev tun0 root\n", cur);
		return 0;
	}
	if (argc < 6 || strcmp(argv[3], "dev") || strcmp(argv[4], "tun0") ||
	    strcmp(argv[5], "root"))
		return -1;
	if (!strcmp(argv[2], "del") || !strcmp(argv[2], "delete")) {
		if (argc != 6)
			return -1;
		if (!strcmp(cur, "none")) {
			tx_out(t, m, 2, "Error: Cannot delete qdisc with "
			       "handle of zero.\n");
			return 2;
		}
		tx_set(t, f, "none");
		return 0;
	}
	if (strcmp(argv[2], "add") && strcmp(argv[2], "replace"))
		return -1;
	spec = join_args(argc, argv, 6);
	if (strchr(spec, '\\') || (strcmp(spec, "pfifo") &&
	    fnmatch("pfifo limit [0-9]*", spec, 0))) {
		free(spec);
		return -1;
	}
	if (!strcmp(argv[2], "add") && strcmp(cur, "none")) {
		tx_out(t, m, 2, "Error: Exclusivity flag on, cannot modify.\n");
		free(spec);
		return 2;
	}
	if (t->verbose) {
		char *all = join_args(argc, argv, 1);

		tx_outf(t, m, 2, "netdrill: `tc %s`: tun0's root qdisc is now "
			"%s\n", all, spec);
		free(all);
	}
	tx_set(t, f, spec);
	free(spec);
	return 0;
}

/* ethtool, as its shim: tun0's offloads in the net/netdrill/offload/tun0
 * file (`-K tun0` appends "tso|gso on|off" pairs, `-k tun0` shows them);
 * anything else is refused as the shim refuses it. */
static int run_ethtool(struct tx *t, const struct fdmap *m, int argc,
		       char **argv)
{
	int f = tx_find(t, "net/netdrill/offload/tun0"), i;
	const char *cur;
	char *spec, *next;

	if (f < 0)
		return -1;
	if (argc < 3 || strcmp(argv[2], "tun0"))
		goto refuse;
	cur = tx_content(t, f);
	if (!strcmp(argv[1], "-k") || !strcmp(argv[1], "--show-offload")) {
		const char *tso = "on", *gso = "on", *p = cur;
		char key[16], val[16];
		int n;

		if (argc != 3)
			goto refuse;
		while (sscanf(p, "%15s %15s%n", key, val, &n) == 2) {
			if (!strcmp(key, "tso"))
				tso = strcmp(val, "off") ? "on" : "off";
			else if (!strcmp(key, "gso"))
				gso = strcmp(val, "off") ? "on" : "off";
			p += n;
		}
		tx_outf(t, m, 1, "Features for tun0:\n"
			"tcp-segmentation-offload: %s\n"
			"generic-segmentation-offload: %s\n", tso, gso);
		return 0;
	}
	if ((strcmp(argv[1], "-K") && strcmp(argv[1], "--offload")) ||
	    argc < 5 || (argc - 3) % 2)
		goto refuse;
	spec = run_strdup_printf("%s", "");
	for (i = 3; i + 1 < argc; i += 2) {
		if ((strcmp(argv[i], "tso") && strcmp(argv[i], "gso")) ||
		    (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off"))) {
			free(spec);
			goto refuse;
		}
		next = run_strdup_printf("%s %s %s", spec, argv[i],
					 argv[i + 1]);
		free(spec);
		spec = next;
	}
	if (t->verbose) {
		char *all = join_args(argc, argv, 1);

		tx_outf(t, m, 2, "netdrill: `ethtool %s`: tun0's offloads are "
			"now%s\n", all, spec);
		free(all);
	}
	next = run_strdup_printf("%s%s", cur, spec);
	tx_set(t, f, next);
	free(next);
	free(spec);
	return 0;
refuse:
	spec = join_args(argc, argv, 1);
	tx_outf(t, m, 2, "netdrill: `ethtool %s` is not supported by the "
		"embedded stack\n", spec);
	free(spec);
	return 1;
}

/* nstat, as its shim: the stack's counters as they are now (read from
 * the back end, not the file), the change since the last nstat unless
 * -a, nonzero ones unless -z; the history saved unless -s. */
static int run_nstat(struct tx *t, const struct fdmap *m, int argc,
		     char **argv)
{
	struct sut *sut = t->c->run->sut;
	int f = tx_find(t, "net/netdrill/nstat"), i;
	bool abs = false, zeros = false, save = true, out = true;
	char table[4096], *line, *next;

	if (f < 0 || t->pending[f])
		return -1;	/* a second nstat in one command: the shell */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--ignore") || !strcmp(a, "--reset"))
			abs = true;
		else if (!strcmp(a, "--zeros"))
			zeros = true;
		else if (!strcmp(a, "--no-update"))
			save = false;
		else if (!strcmp(a, "--nooutput"))
			out = false;
		else if (a[0] == '-' && a[1] && strspn(a + 1, "azsnr") ==
			 strlen(a + 1)) {
			abs |= strpbrk(a, "ar") != NULL;
			zeros |= strchr(a, 'z') != NULL;
			save &= strchr(a, 's') == NULL;
			out &= strchr(a, 'n') == NULL;
		} else {
			return -1;
		}
	}
	if (sut->ops->sysctl_read(sut, "net/netdrill/nstat", table,
				  sizeof(table)) < 0)
		return -1;
	table[sizeof(table) - 1] = 0;
	if (out)
		tx_out(t, m, 1, "#kernel\n");
	for (line = table; out && line && *line; line = next) {
		char name[64];
		unsigned long long v, hist;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%63s %llu %llu", name, &v, &hist) != 3)
			return -1;
		if (!abs)
			v -= hist;
		if (v || zeros)
			tx_outf(t, m, 1, "%-32s%-16llu%6.1f\n", name, v, 0.0);
	}
	if (save)
		tx_set(t, f, "snapshot");
	return 0;
}

/* `ip tcp_metrics flush|delete`: bump the stack's flush counter, which
 * empties its Fast Open cookie cache (tcp_fastopen_client.c), as the ip
 * shim does. False if the counter is not among the run's files. */
static bool metrics_flush(struct tx *t)
{
	int f = tx_find(t, "net/netdrill/tcp_metrics_flushes");
	char next[32];

	if (f < 0)
		return false;
	snprintf(next, sizeof(next), "%lld",
		 strtoll(tx_content(t, f), NULL, 10) + 1);
	tx_set(t, f, next);
	return true;
}

/* ip, tc, ethtool and nstat: the shims' `case " $* " in` rules. */
static int run_tool(struct tx *t, const struct fdmap *m, int argc,
		    char **argv)
{
	static const struct {
		const char *tool;
		const char *ok[5];	/* patterns that succeed */
		const char *refuse;	/* checked first: refused */
		const char *why;
	} tools[] = {
		{ "ip", { "* tcp_metrics flush*", "* tcp_metrics delete*",
			  "* tcpmetrics flush*", "* tcpmetrics delete*" },
		  NULL, "the Fast Open cookie cache is emptied" },
	};
	char *all = join_args(argc, argv, 1), *subject;
	size_t i, j;
	int rc = 1;

	if (strchr(all, '\\')) {
		free(all);
		return -1;	/* the shims' echo would interpret it */
	}
	if (!strcmp(argv[0], "ip") && strstr(all, "route")) {
		free(all);
		return -1;	/* route metrics: through the shell shim */
	}
	if (!strcmp(argv[0], "nstat") || !strcmp(argv[0], "tc")) {
		free(all);
		return argv[0][0] == 'n' ? run_nstat(t, m, argc, argv)
					 : run_tc(t, m, argc, argv);
	}
	if (!strcmp(argv[0], "ethtool")) {
		free(all);
		return run_ethtool(t, m, argc, argv);
	}
	subject = run_strdup_printf(" %s ", all);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (strcmp(argv[0], tools[i].tool))
			continue;
		if (tools[i].refuse && !fnmatch(tools[i].refuse, subject, 0))
			break;
		for (j = 0; j < 5 && tools[i].ok[j]; j++) {
			if (fnmatch(tools[i].ok[j], subject, 0))
				continue;
			if (!strcmp(argv[0], "ip") && !metrics_flush(t)) {
				rc = 1;
				break;
			}
			if (t->verbose)
				tx_outf(t, m, 2, "netdrill: `%s %s`: %s\n",
					argv[0], all, tools[i].why);
			rc = 0;
			break;
		}
		break;
	}
	if (rc)
		tx_outf(t, m, 2, "netdrill: `%s %s` is not supported by the "
			"embedded stack\n", argv[0], all);
	free(subject);
	free(all);
	return rc;
}

static int run_prog(struct tx *t, const struct fdmap *m, struct prog *p);

static bool interpreter_ok(const char *text)
{
	static const char *const ok[] = {
		"#!/bin/sh", "#! /bin/sh", "#!/bin/bash", "#! /bin/bash",
		"#!/usr/bin/bash", "#!/usr/bin/env bash", "#!/usr/bin/env sh",
	};
	const char *nl = strchr(text, '\n');
	size_t len = nl ? (size_t)(nl - text) : strlen(text), i;

	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (strlen(ok[i]) != len || strncmp(text, ok[i], len))
			continue;
		if (strstr(ok[i], "bash"))
			return access("/bin/bash", X_OK) == 0 ||
			       access("/usr/bin/bash", X_OK) == 0;
		return access("/bin/sh", X_OK) == 0;
	}
	return false;
}

/* A script's text, run as its interpreter would (same subset). */
static int run_script_text(struct tx *t, const struct fdmap *m,
			   const char *text)
{
	struct prog p = { 0 };
	int rc;

	if (!interpreter_ok(text) || t->depth >= 8 || sh_parse(text, true, &p))
		return -1;
	t->depth++;
	rc = run_prog(t, m, &p);
	t->depth--;
	prog_free(&p);
	return rc;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *e;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *e ? e + 1 : e) {
		char full[4096];

		e = strchrnul(p, ':');
		snprintf(full, sizeof(full), "%.*s/%s", (int)(e - p),
			 e == p ? "." : p, prog);
		if (access(full, X_OK) == 0)
			return true;
	}
	return false;
}

static char *restore_path(void)
{
	return run_strdup_printf("/tmp/sysctl_restore_%d.sh", (int)getpid());
}

/* The suite's set_sysctls.py (identified by its fingerprint): for each
 * FILE=VALUE, a line of the restore script that puts back the file's
 * current value, then the file gets VALUE (python's os.system echo). */
static int run_set_sysctls(struct tx *t, int argc, char **argv)
{
	struct buf r = { 0 };
	char *restore = restore_path();
	int i;

	if (!on_path("python3") || access("/tmp", W_OK) ||
	    (access(restore, F_OK) == 0 && access(restore, W_OK))) {
		free(restore);
		return -1;
	}
	free(restore);
	buf_add(&r, "#!/bin/bash\n");
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *path;
		const char *cur, *end;
		int f;

		if (!eq || strchr(eq + 1, '=') ||
		    strpbrk(eq + 1, "\"$`\\\n\r"))
			goto refuse;
		path = strndup(argv[i], (size_t)(eq - argv[i]));
		f = path ? tx_proc_file(t, path) : -1;
		if (f < 0) {
			free(path);
			goto refuse;
		}
		cur = tx_content(t, f);
		while (*cur && strchr(" \t\n\r\v\f", *cur))
			cur++;
		end = cur + strlen(cur);
		while (end > cur && strchr(" \t\n\r\v\f", end[-1]))
			end--;
		buf_add(&r, "echo \"");
		buf_addn(&r, cur, (size_t)(end - cur));
		buf_add(&r, "\" > ");
		buf_add(&r, path);
		buf_add(&r, "\n");
		free(path);
		tx_set(t, f, eq + 1);
	}
	free(t->restore);
	t->restore = buf_take(&r);
	return 0;
refuse:
	free(r.s);
	return -1;
}

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A command word with a slash: a script file. */
static int run_file(struct tx *t, const struct fdmap *m, int argc,
		    char **argv)
{
	char *restore = restore_path(), buf[65536];
	const char *virt = t->restore ? t->restore : t->c->restore_text;
	struct stat st;
	ssize_t n, len = 0;
	int fd;

	if (virt && !strcmp(argv[0], restore)) {
		free(restore);
		return run_script_text(t, m, virt);
	}
	free(restore);
	if (stat(argv[0], &st) || !S_ISREG(st.st_mode) ||
	    st.st_size >= (off_t)sizeof(buf) || access(argv[0], X_OK))
		return -1;
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (n < 0 || len >= (ssize_t)sizeof(buf) - 1 ||
	    memchr(buf, 0, (size_t)len))
		return -1;
	buf[len] = 0;
	if (len == SET_SYSCTLS_LEN &&
	    fnv1a(buf, (size_t)len) == SET_SYSCTLS_FNV)
		return run_set_sysctls(t, argc, argv);
	return run_script_text(t, m, buf);
}

static int run_scmd(struct tx *t, const struct fdmap *base, struct scmd *s)
{
	const char *cmd = s->argv[0];
	struct fdmap m = *base;
	bool file = false;
	int i;

	for (i = 0; i < s->nredir; i++) {
		int fd = s->redir[i].fd;
		const char *target = s->redir[i].target;

		if (s->redir[i].op == '&') {
			m.sink[fd] = m.sink[target[0] - '0'];
		} else if (!strcmp(target, "/dev/null")) {
			m.sink[fd] = SINK_NULL;
		} else {
			int f;

			if (s->redir[i].op != '>' || fd != 1 || file ||
			    strcmp(cmd, "echo"))
				return -1;
			f = tx_proc_file(t, target);
			if (f < 0)
				return -1;
			tx_set(t, f, "");	/* truncated by the open */
			m.sink[1] = SINK_FILE;
			m.file = f;
			file = true;
		}
	}
	if (!strcmp(cmd, "sysctl"))
		return run_sysctl(t, &m, s->argc, s->argv);
	if (!strcmp(cmd, "ip") || !strcmp(cmd, "tc") ||
	    !strcmp(cmd, "ethtool") || !strcmp(cmd, "nstat"))
		return run_tool(t, &m, s->argc, s->argv);
	if (!strcmp(cmd, "echo")) {
		char *text;

		if (s->argc > 1 && s->argv[1][0] == '-')
			return -1;	/* options differ between shells */
		text = join_args(s->argc, s->argv, 1);
		if (strchr(text, '\\')) {
			free(text);
			return -1;
		}
		if (m.sink[1] == SINK_FILE) {
			if (strpbrk(text, "\n\r")) {
				free(text);
				return -1;
			}
			tx_set(t, m.file, text);
		} else {
			tx_outf(t, &m, 1, "%s\n", text);
		}
		free(text);
		return 0;
	}
	if (strchr(cmd, '/'))
		return run_file(t, &m, s->argc, s->argv);
	return -1;
}

static int run_prog(struct tx *t, const struct fdmap *m, struct prog *p)
{
	int i, status = 0;

	for (i = 0; i < p->n; i++) {
		status = run_scmd(t, m, &p->cmds[i]);
		if (status < 0)
			return -1;
	}
	return status;
}

static void tx_free(struct tx *t)
{
	int i;

	for (i = 0; t->pending && i < t->c->nfiles; i++)
		free(t->pending[i]);
	free(t->pending);
	for (i = 0; i < t->nout; i++)
		free(t->out[i].text);
	free(t->out);
	free(t->restore);
}

static void write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Run text natively if it is all in the subset: 1 and *status (the exit
 * status /bin/sh would give), with the output written and the sysctl
 * changes handed to the back end (*rc, *error: the first failure, as
 * sync_back reports it); 0 if not (nothing done). */
static int native_run(struct commands *c, const char *text, int line,
		      int *status, int *rc, char **error)
{
	struct fdmap m = { { SINK_NULL, SINK_OUT, SINK_ERR }, -1 };
	struct tx t = { 0 };
	struct prog p = { 0 };
	int i;

	if (sh_parse(text, false, &p))
		return 0;
	t.c = c;
	t.verbose = c->run->config->verbose > 0;
	t.pending = calloc((size_t)c->nfiles + 1, sizeof(char *));
	if (!t.pending)
		abort();
	*status = run_prog(&t, &m, &p);
	prog_free(&p);
	/* a file the shell path would read back only in part */
	for (i = 0; *status >= 0 && i < c->nfiles; i++)
		if (t.pending[i] && strlen(t.pending[i]) >= 1024)
			*status = -1;
	if (*status < 0) {
		tx_free(&t);
		return 0;
	}
	for (i = 0; i < t.nout; i++)
		write_all(t.out[i].fd, t.out[i].text);
	*rc = 0;
	for (i = 0; i < c->nfiles; i++)
		if (t.pending[i])
			apply_value(c, i, t.pending[i], line, rc, error);
	if (t.restore) {
		free(c->restore_text);
		c->restore_text = t.restore;
		t.restore = NULL;
	}
	tx_free(&t);
	return 1;
}

/* How a command ended (a wait status), then the sysctl sync's outcome:
 * command_run's result and *error. */
static int command_result(struct run *run, const char *text, int line,
			  int status, int sync_rc, char *sync_err,
			  char **error)
{
	int rc = 0;

	if (WIFSIGNALED(status)) {
		*error = run_strdup_printf("got signal %d (%s)",
					   WTERMSIG(status),
					   strsignal(WTERMSIG(status)));
		rc = -1;
	} else if (WEXITSTATUS(status) != 0) {
		*error = run_strdup_printf("non-zero status %d",
					   WEXITSTATUS(status));
		rc = -1;
	} else if (sync_rc) {
		*error = sync_err;
		sync_err = NULL;
		rc = -1;
	} else if (run->config->verbose > 1) {
		fprintf(stderr, "%s:%d: command `%s` done\n",
			run->config->script_path, line, text);
	}
	free(sync_err);
	return rc;
}

/* Before a /bin/sh command: the restore script the native
 * set_sysctls.py keeps in memory goes to its file, as python writes it
 * (mode u+x), so that whatever the command does with it works. */
static int write_restore(struct commands *c, char **error)
{
	struct stat st;
	char *path;
	int rc = 0;

	if (!c->restore_text)
		return 0;
	path = restore_path();
	if (write_file(path, c->restore_text, 0666) || stat(path, &st) ||
	    chmod(path, (st.st_mode & 07777) | S_IXUSR)) {
		*error = run_strdup_printf("cannot write %s: %s", path,
					   strerror(errno));
		rc = -1;
	}
	c->restore_written = true;
	free(c->restore_text);
	c->restore_text = NULL;
	free(path);
	return rc;
}

/* Counters change without any command (stack/mib.c): give nstat's file
 * the back end's current values before a command may read it. */
static void refresh_counters(struct commands *c)
{
	struct sut *sut = c->run->sut;
	char value[4096];
	int i;

	for (i = 0; i < c->nfiles; i++) {
		char *path;

		if (strcmp(c->files[i].name, "net/netdrill/nstat") ||
		    sut->ops->sysctl_read(sut, c->files[i].name, value,
					  sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		path = file_path(c, c->files[i].name);
		set_file(&c->files[i], path, value);
		free(path);
	}
}

/* The command through /bin/sh -c, kept off the host's sysctls. */
static int shell_run(struct commands *c, const char *text, int line,
		     char **error)
{
	struct run *run = c->run;
	char *rewritten = NULL, *path_env, *pid, *root_ns, *root_rw;
	char *bash_env, *tcp_text = NULL;
	const char *old_path = getenv("PATH");
	int pipefd[2], status;
	char ns_ok = 0;
	pid_t child;

	if (populate(c, error) || write_restore(c, error))
		return -1;
	refresh_counters(c);
	if (strstr(text, "/proc/net/tcp")) {
		char *dir = run_strdup_printf("%s/proc/net/tcp", c->dir);

		if (write_proc_net_tcp(c, error)) {
			free(dir);
			return -1;
		}
		text = tcp_text = replace_all(text, "/proc/net/tcp", dir);
		free(dir);
	}
	fflush(stdout);
	fflush(stderr);

	/* Fallback form of the command, for when namespaces are refused. */
	root_ns = run_strdup_printf("%s/", c->proc_sys);
	{
		char *t = replace_all(text, "/proc/sys/", root_ns);
		char *s = run_strdup_printf("%s/module/", c->sys);

		rewritten = replace_all(t, "/sys/module/", s);
		free(t);
		free(s);
	}
	free(root_ns);
	path_env = run_strdup_printf("%s:%s", c->bin,
				     old_path ? old_path :
				     "/usr/local/bin:/usr/bin:/bin");
	pid = run_strdup_printf("%d", (int)getpid());
	bash_env = path_join(c->bin, "bash_env");
	root_rw = strdup(c->proc_sys);

	if (pipe2(pipefd, O_CLOEXEC)) {
		*error = run_strdup_printf("%s", strerror(errno));
		goto fail;
	}
	child = fork();
	if (child < 0) {
		*error = run_strdup_printf("%s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	if (child == 0) {
		/* NETDRILL_NO_NAMESPACE=1 forces the fallback (for tests). */
		bool in_ns = c->ns_state > 0 && enter_namespace(c) == 0;
		char ok = in_ns ? 1 : 2;

		if (!in_ns && geteuid() == 0 &&
		    (setgroups(0, NULL) || setgid(65534) || setuid(65534))) {
			fprintf(stderr, "netdrill: cannot keep the command off "
				"the host's sysctls (no user namespace, cannot "
				"drop root): %s\n", strerror(errno));
			_exit(126);
		}

		if (write(pipefd[1], &ok, 1) < 0)
			_exit(127);
		setenv("PATH", path_env, 1);
		setenv("PACKETDRILL_PID", pid, 1);
		setenv("NETDRILL_SYSCTL_ROOT", in_ns ? "/proc/sys" : root_rw,
		       1);
		setenv("BASH_ENV", bash_env, 1);
		if (run->config->verbose > 0)
			setenv("NETDRILL_VERBOSE", "1", 1);
		else
			unsetenv("NETDRILL_VERBOSE");
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", in_ns ? text : rewritten,
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &ns_ok, 1) != 1)
		ns_ok = 0;
	close(pipefd[0]);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			*error = run_strdup_printf("%s", strerror(errno));
			goto fail;
		}
	}
	free(rewritten);
	free(path_env);
	free(pid);
	free(root_rw);
	free(bash_env);

	/* Even a failing command may have changed sysctls first. */
	{
		char *sync_err = NULL;
		char *net = path_join(c->proc_sys, "net");
		int r = sync_back(c, line, &sync_err);

		if (!r)
			r = find_new_files(c, net, "net", &sync_err);
		free(net);
		if (!r) {
			char *mod = path_join(c->sys, "module");

			r = find_new_files(c, mod, "module", &sync_err);
			free(mod);
		}
		r = command_result(run, text, line, status, r, sync_err,
				   error);
		free(tcp_text);
		return r;
	}
fail:
	free(bash_env);
	free(tcp_text);
	free(rewritten);
	free(path_env);
	free(pid);
	free(root_rw);
	return -1;
}

/* Kernel mode: the command runs as it is, inside netdrill's own network
 * namespace (which it inherits), like packetdrill runs it. */
static int command_run_plain(struct run *run, const char *text, char **error)
{
	char pid[32];
	pid_t child;
	int status;

	fflush(stdout);
	fflush(stderr);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	child = fork();
	if (child < 0) {
		*error = run_strdup_printf("%s", strerror(errno));
		return -1;
	}
	if (child == 0) {
		/* Die with netdrill: a command left running after a SIGKILL
		 * would keep the run's network namespace alive. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setenv("PACKETDRILL_PID", pid, 1);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", resolve_link_placeholders(text),
		      (char *)NULL);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			*error = run_strdup_printf("%s", strerror(errno));
			return -1;
		}
	}
	if (WIFSIGNALED(status)) {
		*error = run_strdup_printf("got signal %d (%s)",
					   WTERMSIG(status),
					   strsignal(WTERMSIG(status)));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		*error = run_strdup_printf("non-zero status %d",
					   WEXITSTATUS(status));
		return -1;
	}
	(void)run;
	return 0;
}

int command_run(struct run *run, const char *text, int line, char **error)
{
	struct commands *c = run->commands;
	int64_t t0 = now_us();
	char *resolved;
	int rc;

	if (strcmp(run->sut->ops->name, "embedded"))
		return command_run_plain(run, text, error);
	load(c);
	fflush(stdout);
	fflush(stderr);
	resolved = resolve_link_placeholders(text);
	if (strcmp(resolved, text) && run->config->verbose > 1)
		fprintf(stderr, "netdrill: running `%s` (symlink placeholders "
			"resolved)\n", resolved);
	if (!(getenv("NETDRILL_NO_FASTPATH") &&
	      *getenv("NETDRILL_NO_FASTPATH") &&
	      strcmp(getenv("NETDRILL_NO_FASTPATH"), "0")) &&
	    !strstr(resolved, "/proc/net/tcp")) {
		char *sync_err = NULL;
		int status, sync_rc;

		if (native_run(c, resolved, line, &status, &sync_rc,
			       &sync_err)) {
			rc = command_result(run, resolved, line,
					    (status & 0xff) << 8, sync_rc,
					    sync_err, error);
			c->n_native++;
			c->us_native += now_us() - t0;
			free(resolved);
			return rc;
		}
	}
	if (run->config->verbose > 1)
		fprintf(stderr, "%s:%d: command runs through /bin/sh\n",
			run->config->script_path, line);
	rc = shell_run(c, resolved, line, error);
	c->n_shell++;
	c->us_shell += now_us() - t0;
	free(resolved);
	return rc;
}

char *commands_sysctl_snapshot(struct run *run)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof(sysctl_names) / sizeof(sysctl_names[0]); i++) {
		char value[1024];

		if (run->sut->ops->sysctl_read(run->sut, sysctl_names[i],
					       value, sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		buf_add(&b, sysctl_names[i]);
		buf_addc(&b, '=');
		buf_add(&b, value);
		buf_addc(&b, '\n');
	}
	return buf_take(&b);
}

void commands_counts(const struct commands *c, int *native, int *shell)
{
	*native = c ? c->n_native : 0;
	*shell = c ? c->n_shell : 0;
}
