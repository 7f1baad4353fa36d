/* run_command.c: shell commands whose sysctls act on the system under
 * test, never on the host (see run_command.h for the mechanism). */
#include "run_command.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
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

/* ip: only what has no meaning for a fresh embedded stack succeeds. */
static const char ip_shim[] =
"#!/bin/sh\n"
"# netdrill's ip: the embedded stack has no routes or metrics to change\n"
"case \" $* \" in\n"
"  *\" tcp_metrics flush\"*|*\" tcp_metrics delete\"*|"
"*\" tcpmetrics flush\"*|*\" tcpmetrics delete\"*)\n"
"    [ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`ip $*\\`: no effect"
" (each run starts with an empty TCP metrics cache)\" >&2\n"
"    exit 0 ;;\n"
"esac\n"
"echo \"netdrill: \\`ip $*\\` is not supported by the embedded stack\" >&2\n"
"exit 1\n";

/* tc: the embedded stack sends straight onto the wire, which is what a
 * plain pfifo root qdisc does; any other qdisc (fq's pacing, a pfifo
 * that drops) would change behaviour and is refused. */
static const char tc_shim[] =
"#!/bin/sh\n"
"# netdrill's tc: only qdisc setups that behave like the embedded stack\n"
"case \" $* \" in\n"
"  *\" qdisc \"*\" root pfifo \"|*\" qdisc del \"*|*\" qdisc delete \"*|"
"*\" qdisc show \"*)\n"
"    [ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`tc $*\\`: no"
" effect (the embedded stack sends without a qdisc)\" >&2\n"
"    exit 0 ;;\n"
"esac\n"
"echo \"netdrill: \\`tc $*\\` is not supported by the embedded stack\" >&2\n"
"exit 1\n";

/* ethtool: the embedded stack never builds TSO/GSO super-packets, so
 * turning offloads off changes nothing; turning them on is refused. */
static const char ethtool_shim[] =
"#!/bin/sh\n"
"# netdrill's ethtool: offloads are always off in the embedded stack\n"
"case \" $* \" in\n"
"  *\" on \"*) ;;\n"
"  \" -K \"*|\" --offload \"*|\" -k \"*|\" --show-offload \"*)\n"
"    [ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`ethtool $*\\`: no"
" effect (the embedded stack has no offloads)\" >&2\n"
"    exit 0 ;;\n"
"esac\n"
"echo \"netdrill: \\`ethtool $*\\` is not supported by the embedded stack\" >&2\n"
"exit 1\n";

/* nstat: the embedded stack keeps no SNMP counters yet. */
static const char nstat_shim[] =
"#!/bin/sh\n"
"# netdrill: the embedded stack has no SNMP/netstat counters yet\n"
"[ -z \"$NETDRILL_VERBOSE\" ] || echo \"netdrill: \\`nstat $*\\`: the"
" embedded stack keeps no counters; printing none\" >&2\n"
"echo '#kernel'\n"
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
	bool populated;		/* sysctl files written */
	struct sysctl_file *files;
	int nfiles;
	int ns_state;		/* 0 unknown, 1 namespaces work, -1 not */
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

struct commands *commands_new(struct run *run, char **error)
{
	struct commands *c = calloc(1, sizeof(*c));

	if (c)
		c->run = run;
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

void commands_free(struct commands *c)
{
	int i;

	if (!c)
		return;
	if (c->dir)
		nftw(c->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (c->populated) {
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

static int populate(struct commands *c, char **error)
{
	struct sut *sut = c->run->sut;
	char *last_dir = NULL;
	size_t i;

	if (c->populated)
		return 0;
	c->populated = true;
	if (setup(c, error))
		return -1;
	c->files = calloc(sizeof(sysctl_names) / sizeof(sysctl_names[0]),
			  sizeof(*c->files));
	if (!c->files)
		abort();
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
	for (i = 0; i < sizeof(sysctl_names) / sizeof(sysctl_names[0]); i++) {
		char value[1024], *path, *slash;
		struct sysctl_file *f;

		if (sut->ops->sysctl_read(sut, sysctl_names[i], value,
					  sizeof(value)) < 0)
			continue;
		value[sizeof(value) - 1] = 0;
		path = file_path(c, sysctl_names[i]);
		slash = strrchr(path, '/');
		*slash = 0;
		if (!last_dir || strcmp(last_dir, path)) {
			mkdir_p(path);
			free(last_dir);
			last_dir = strdup(path);
		}
		*slash = '/';
		f = &c->files[c->nfiles++];
		f->name = strdup(sysctl_names[i]);
		if (set_file(f, path, value)) {
			*error = run_strdup_printf("cannot write %s: %s",
						   path, strerror(errno));
			free(path);
			free(last_dir);
			return -1;
		}
		free(path);
	}
	free(last_dir);
	return isolate(c, error);
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

/* Read back the files; hand changed values to the back end. */
static int sync_back(struct commands *c, int line, char **error)
{
	struct sut *sut = c->run->sut;
	int i, rc = 0;

	for (i = 0; i < c->nfiles; i++) {
		struct sysctl_file *f = &c->files[i];
		char *path = file_path(c, f->name), *now, canon[1024];
		int r;

		{
			struct stat st;

			if (stat(path, &st) == 0 && st.st_size == f->size &&
			    st.st_mtim.tv_sec == f->mtime.tv_sec &&
			    st.st_mtim.tv_nsec == f->mtime.tv_nsec) {
				free(path);
				continue;	/* untouched */
			}
		}
		now = read_file_text(path);
		if (!now || (f->value && !strcmp(now, f->value))) {
			free(now);
			free(path);
			continue;
		}
		r = sut->ops->sysctl_write(sut, f->name, now);
		if (r < 0 && !rc) {
			*error = run_strdup_printf(
				r == -ENOENT ?
				"sysctl %s is not modelled by the embedded "
				"stack (value '%s')" :
				"sysctl %s: the embedded stack rejects value "
				"'%s'", f->name, now);
			rc = -1;
		}
		/* The file shows what the stack now holds; -v says so when
		 * the value (not just its spelling) changed. */
		if (sut->ops->sysctl_read(sut, f->name, canon,
					  sizeof(canon)) >= 0) {
			canon[sizeof(canon) - 1] = 0;
			if (r >= 0 && c->run->config->verbose > 0 &&
			    (!f->value || strcmp(f->value, canon)))
				fprintf(stderr, "%s:%d: sysctl %s = %s\n",
					c->run->config->script_path, line,
					f->name, canon);
			set_file(f, path, canon);
		}
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

int command_run(struct run *run, const char *text, int line, char **error)
{
	struct commands *c = run->commands;
	char *rewritten = NULL, *path_env, *pid, *root_ns, *root_rw;
	char *resolved = NULL, *bash_env;
	const char *old_path = getenv("PATH");
	int pipefd[2], status;
	char ns_ok = 0;
	pid_t child;

	if (populate(c, error))
		return -1;
	fflush(stdout);
	fflush(stderr);

	resolved = resolve_link_placeholders(text);
	if (strstr(resolved, "/proc/net/tcp")) {
		char *dir = run_strdup_printf("%s/proc/net/tcp", c->dir);
		char *t;

		if (write_proc_net_tcp(c, error)) {
			free(dir);
			free(resolved);
			return -1;
		}
		t = replace_all(resolved, "/proc/net/tcp", dir);
		free(resolved);
		free(dir);
		resolved = t;
	}
	if (strcmp(resolved, text) && run->config->verbose > 1)
		fprintf(stderr, "netdrill: running `%s` (symlink placeholders "
			"resolved)\n", resolved);
	text = resolved;

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
		int r = sync_back(c, line, &sync_err), rc = 0;

		if (!r)
			r = find_new_files(c, net, "net", &sync_err);
		free(net);
		if (!r) {
			char *mod = path_join(c->sys, "module");

			r = find_new_files(c, mod, "module", &sync_err);
			free(mod);
		}
		if (WIFSIGNALED(status)) {
			*error = run_strdup_printf("got signal %d (%s)",
						   WTERMSIG(status),
						   strsignal(WTERMSIG(status)));
			rc = -1;
		} else if (WEXITSTATUS(status) != 0) {
			*error = run_strdup_printf("non-zero status %d",
						   WEXITSTATUS(status));
			rc = -1;
		} else if (r) {
			*error = sync_err;
			sync_err = NULL;
			rc = -1;
		} else if (run->config->verbose > 1) {
			fprintf(stderr, "%s:%d: command `%s` done\n",
				run->config->script_path, line, text);
		}
		free(sync_err);
		free(resolved);
		return rc;
	}
fail:
	free(bash_env);
	free(resolved);
	free(rewritten);
	free(path_env);
	free(pid);
	free(root_rw);
	return -1;
}
