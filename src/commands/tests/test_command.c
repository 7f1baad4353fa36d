/* SPDX-License-Identifier: GPL-2.0-only */
/* test_command.c: every command shape of run_command.c's native path run
 * both natively and through /bin/sh (NETDRILL_NO_FASTPATH=1) against fresh
 * embedded stacks: the statuses, error messages, output (stdout and stderr
 * as written) and the whole sysctl table must be identical, with -v and
 * without. Positive cases must have run natively, negative ones (constructs
 * outside the subset, a modified copy of set_sysctls.py) through /bin/sh.
 * TAP through tests/tap.h, one named case per group of shapes.
 *
 * The suite's set_sysctls.py is taken from $CONFORMANCE_DIR (never stored
 * in the project); its cases are skipped when that is absent. */
#include "run_command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "sut.h"
#include "tests/tap.h"

/* A last status meaning "refused as not modelled" (COMMAND_UNSUPPORTED). */
#define UNSUPPORTED 1000
#define UNSUPPORTED_MSG "-2 not supported by the embedded stack: `"

static char dir[4096];

/* One TAP check named what (on one line: a newline shows as '|'), with
 * detail as a comment when it fails. */
#define check(what, ok, detail) check_at(__LINE__, what, ok, detail)
static void check_at(int line, const char *what, bool ok,
		     const char *detail)
{
	char name[600];
	size_t i;

	for (i = 0; what[i] && i + 1 < sizeof(name); i++)
		name[i] = what[i] == '\n' ? '|' : what[i];
	name[i] = 0;
	if (!tap_check(ok, __FILE__, line, "%s", name) && detail)
		tap_diag("%s", detail);
}

struct result {
	char *statuses;		/* "rc error" per command */
	char *output;		/* fds 1 and 2, as written, in one file */
	char *sysctls;
	int native, shell;
};

static char *slurp(int fd)
{
	char *s = NULL;
	size_t len = 0, cap = 0;
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	for (;;) {
		if (len + 4096 > cap) {
			cap = (len + 4096) * 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
		r = read(fd, s + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	s[len] = 0;
	return s;
}

/* Run the commands (NULL-terminated) in order against a new stack. */
static void run_cmds(const char *const *cmds, bool fast, int verbose,
		     struct result *res)
{
	struct config config;
	struct commands *commands;
	struct sut *sut;
	char *err = NULL, path[4200];
	int out_fd, save1, save2, i;
	size_t slen = 0;
	FILE *st;

	config_init(&config);
	config.script_path = "t.pkt";
	config.verbose = verbose;
	sut = sut_new(&config, &err);
	if (!sut) {
		fprintf(stderr, "sut_new: %s\n", err);
		exit(99);
	}
	commands = commands_new(sut, &config, &err);
	if (!commands) {
		fprintf(stderr, "commands_new: %s\n", err);
		exit(99);
	}
	if (fast)
		unsetenv("NETDRILL_NO_FASTPATH");
	else
		setenv("NETDRILL_NO_FASTPATH", "1", 1);
	snprintf(path, sizeof(path), "%s/out.XXXXXX", dir);
	out_fd = mkstemp(path);
	if (out_fd < 0)
		exit(99);
	unlink(path);
	st = open_memstream(&res->statuses, &slen);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	for (i = 0; cmds[i]; i++) {
		char *why = NULL;
		int rc = command_run(commands, cmds[i], i + 1, &why);

		fprintf(st, "%d %s\n", rc, why ? why : "-");
		free(why);
	}
	fflush(stdout);
	fflush(stderr);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	fclose(st);
	res->output = slurp(out_fd);
	close(out_fd);
	res->sysctls = commands_sysctl_snapshot(commands);
	commands_counts(commands, &res->native, &res->shell);
	commands_free(commands);
	sut->ops->destroy(sut);
	unsetenv("NETDRILL_NO_FASTPATH");
}

static void result_free(struct result *r)
{
	free(r->statuses);
	free(r->output);
	free(r->sysctls);
}

static char *initial_sysctls;

/* The commands, both ways, with and without -v. native: how many of them
 * must run natively (-1: all, -2: not checked). expect: a "name=value" line the final
 * table must hold (NULL: none checked). */
static void both(const char *name, const char *const *cmds, int native,
		 const char *expect, int status)
{
	int ncmds = 0, v;

	while (cmds[ncmds])
		ncmds++;
	if (native == -1)
		native = ncmds;
	for (v = 0; v < 2; v++) {
		struct result f = { 0 }, s = { 0 };
		char what[512], detail[8192];
		bool ok;

		run_cmds(cmds, true, v, &f);
		run_cmds(cmds, false, v, &s);
		snprintf(what, sizeof(what), "%s%s: same status", name,
			 v ? " (-v)" : "");
		snprintf(detail, sizeof(detail), "native [%s] /bin/sh [%s]",
			 f.statuses, s.statuses);
		check(what, !strcmp(f.statuses, s.statuses), detail);
		snprintf(what, sizeof(what), "%s%s: same output", name,
			 v ? " (-v)" : "");
		snprintf(detail, sizeof(detail), "native [%s] /bin/sh [%s]",
			 f.output, s.output);
		check(what, !strcmp(f.output, s.output), detail);
		snprintf(what, sizeof(what), "%s%s: same sysctls", name,
			 v ? " (-v)" : "");
		check(what, !strcmp(f.sysctls, s.sysctls), NULL);
		if (strcmp(f.sysctls, s.sysctls)) {
			/* show the first difference */
			const char *a = f.sysctls, *b = s.sysctls;

			while (*a && *a == *b)
				a++, b++;
			while (a > f.sysctls && a[-1] != '\n')
				a--, b--;
			tap_diag("native: %.80s\n/bin/sh: %.80s", a, b);
		}
		snprintf(what, sizeof(what), "%s%s: %d of %d natively", name,
			 v ? " (-v)" : "", native, ncmds);
		snprintf(detail, sizeof(detail), "native %d, /bin/sh %d",
			 f.native, f.shell);
		check(what, (native == -2 || (f.native == native &&
					       f.shell == ncmds - native)) &&
		      f.native + f.shell == ncmds && s.native == 0 &&
		      s.shell == ncmds, detail);
		if (v == 0 && status >= 0) {
			snprintf(what, sizeof(what), "%s: last status %d",
				 name, status);
			{
				/* the last line's status and message */
				const char *last = f.statuses +
						   strlen(f.statuses) - 1;

				while (last > f.statuses && last[-1] != '\n')
					last--;
				if (status == 0)
					ok = !strncmp(last, "0 -", 3);
				else if (status == UNSUPPORTED)
					ok = !strncmp(last, UNSUPPORTED_MSG,
						      strlen(UNSUPPORTED_MSG));
				else {
					char msg[64];

					snprintf(msg, sizeof(msg),
						 "-1 non-zero status %d",
						 status);
					ok = !strncmp(last, msg, strlen(msg));
				}
				snprintf(detail, sizeof(detail), "%s", last);
			}
			check(what, ok, detail);
		}
		if (v == 0 && expect) {
			snprintf(what, sizeof(what), "%s: %s", name, expect);
			snprintf(detail, sizeof(detail), "\n%s", expect);
			ok = strstr(f.sysctls, detail) != NULL ||
			     !strncmp(f.sysctls, expect, strlen(expect));
			check(what, ok, NULL);
		}
		if (v == 0 && native > 0 && !expect && status == 0 &&
		    strstr(name, "changes")) {
			snprintf(what, sizeof(what), "%s: table changed", name);
			check(what, strcmp(f.sysctls, initial_sysctls), NULL);
		}
		result_free(&f);
		result_free(&s);
	}
}

#define CMDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void put(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(name, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) || chmod(name, mode)) {
		perror(name);
		exit(99);
	}
}

static bool copy_file(const char *from, const char *to, const char *extra)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[4096];
	size_t r;

	if (!in)
		return false;
	out = fopen(to, "wb");
	if (!out)
		exit(99);
	while ((r = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, r, out);
	if (extra)
		fputs(extra, out);
	fclose(in);
	fclose(out);
	chmod(to, 0755);
	return true;
}

/* The host's values of sysctls the cases set, one string. */
static char *host_values(void)
{
	static const char *const files[] = {
		"/proc/sys/net/ipv4/tcp_timestamps",
		"/proc/sys/net/ipv4/tcp_sack", "/proc/sys/net/ipv4/tcp_dsack",
		"/proc/sys/net/ipv4/tcp_ecn", "/proc/sys/net/ipv4/tcp_wmem",
		"/proc/sys/net/ipv4/tcp_rmem",
		"/proc/sys/net/ipv4/tcp_fin_timeout",
		"/proc/sys/net/ipv4/tcp_syn_retries",
		"/proc/sys/net/ipv4/tcp_fastopen",
		"/sys/module/tcp_cubic/parameters/hystart_detect",
	};
	char *all = NULL;
	size_t len = 0, i;
	FILE *out = open_memstream(&all, &len);

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd = open(files[i], O_RDONLY);

		if (fd >= 0) {
			char *v = slurp(fd);

			fprintf(out, "%s=%s", files[i], v);
			free(v);
			close(fd);
		}
	}
	fclose(out);
	return all;
}

static char *host_before;

/* a fresh work folder (the current directory from here on) and the table
 * a new stack starts with */
static void test_setup(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct result r = { 0 };

	host_before = host_values();
	snprintf(dir, sizeof(dir), "%s/test_command.XXXXXX", tmp);
	REQUIREF(mkdtemp(dir) && !chdir(dir), "work folder %s", dir);
	run_cmds(CMDS("true"), true, 0, &r);
	initial_sysctls = r.sysctls;
	r.sysctls = NULL;
	result_free(&r);
	CHECK(initial_sysctls != NULL);
}

/* sysctl, every form the shim takes */
static void test_sysctl(void)
{
	both("sysctl -q changes", CMDS("sysctl -q net.ipv4.tcp_timestamps=0"),
	     -1, "net/ipv4/tcp_timestamps=0", 0);
	both("sysctl prints", CMDS("sysctl net.ipv4.tcp_sack=0"), -1,
	     "net/ipv4/tcp_sack=0", 0);
	both("sysctl reads", CMDS("sysctl net.ipv4.tcp_rmem",
				  "sysctl -n net.ipv4.tcp_wmem",
				  "sysctl --values net/ipv4/tcp_sack"),
	     -1, NULL, 0);
	both("sysctl slashes, -w, two names changes",
	     CMDS("sysctl -w net/ipv4/tcp_sack=0 net.ipv4.tcp_dsack=0"),
	     -1, "net/ipv4/tcp_dsack=0", 0);
	both("sysctl long options changes",
	     CMDS("sysctl --quiet --write net.ipv4.tcp_ecn=1"), -1,
	     "net/ipv4/tcp_ecn=1", 0);
	both("sysctl arithmetic changes",
	     CMDS("sysctl -q net.ipv4.tcp_rmem=\"4096 540000 "
		  "$((15*1024*1024))\"\n"
		  "sysctl -q net.ipv4.tcp_wmem=\"4096 $(( (256 * 1024) "
		  "% 1000000 - -3 / 2 ))  0x10\""),
	     -1, NULL, 0);
	both("sysctl single quotes changes",
	     CMDS("sysctl -q net.ipv4.tcp_wmem='4096 32768 4194304'"), -1,
	     NULL, 0);
	both("sysctl unknown name",
	     CMDS("sysctl -q net.ipv4.tcp_no_such_thing=1"), -1, NULL, 255);
	both("sysctl -e unknown name",
	     CMDS("sysctl -e -q net.ipv4.tcp_no_such_thing=1 "
		  "net.ipv4.tcp_sack=0"), -1, "net/ipv4/tcp_sack=0", 0);
	both("sysctl bad option", CMDS("sysctl -qx net.ipv4.tcp_sack=0"),
	     -1, NULL, 1);
	both("sysctl reads what it wrote",
	     CMDS("sysctl -q net.ipv4.tcp_fin_timeout=0031; "
		  "sysctl -n net.ipv4.tcp_fin_timeout; sysctl "
		  "net.ipv4.tcp_fin_timeout",
		  "sysctl -n net.ipv4.tcp_fin_timeout"), -1, NULL, 0);
	both("sysctl value the stack rejects",
	     CMDS("sysctl -q net.ipv4.tcp_congestion_control=no_such_cc"), -1,
	     NULL, -1);
	both("sysctl same name twice changes",
	     CMDS("sysctl -q net.ipv4.tcp_syn_retries=2 "
		  "net.ipv4.tcp_syn_retries=3"), -1,
	     "net/ipv4/tcp_syn_retries=3", 0);
	both("sysctl no arguments", CMDS("sysctl"), -1, NULL, 0);
	both("sysctl $PPID", CMDS("sysctl -q net.ipv4.tcp_fin_timeout=$PPID",
				  "echo ${PPID} $PPID"), -1, NULL, -1);
}

/* echo > /proc/sys and /sys/module */
static void test_echo(void)
{
	both("echo > /proc/sys changes",
	     CMDS("echo 0 > /proc/sys/net/ipv4/tcp_sack"), -1,
	     "net/ipv4/tcp_sack=0", 0);
	both("echo > /sys/module changes",
	     CMDS("echo 3 > /sys/module/tcp_cubic/parameters/hystart_detect"),
	     -1, "module/tcp_cubic/parameters/hystart_detect=3", 0);
	both("echo quoted, 2>&1 changes",
	     CMDS("echo \"4096  50000 4194304\" >/proc/sys/net/ipv4/tcp_wmem "
		  "2>&1"), -1, NULL, 0);
	both("echo to the terminal", CMDS("echo a 'b  c' \"d\"",
					  "echo x 1>&2", ">&2 echo y"),
	     -1, NULL, 0);
	both("echo a bad value", CMDS("echo fast > /proc/sys/net/ipv4/tcp_sack"),
	     -1, NULL, -1);
}

/* the tool shims */
static void test_tools(void)
{
	both("ip tcp_metrics flush",
	     CMDS("ip tcp_metrics flush all > /dev/null 2>&1",
		  "ip tcp_metrics flush all", "ip -6 tcpmetrics delete x"),
	     -1, NULL, 0);
	/* ip link: through the shell shim, as ip route */
	both("ip link mtu", CMDS("ip link set dev tun0 mtu 1400"), 0,
	     "net/netdrill/mtu/tun0=1400", 0);
	both("ip link bad mtu", CMDS("ip link set tun0 mtu 40"), 0, NULL, -1);
	both("ip link down refused", CMDS("ip link set dev tun0 down"), 0,
	     NULL, UNSUPPORTED);
	both("tc pfifo", CMDS("tc qdisc add dev tun0 root pfifo",
			      "tc qdisc delete dev tun0 root 2>/dev/null",
			      "tc qdisc show dev tun0"), -1, NULL, 0);
	both("tc fq", CMDS("tc qdisc replace dev tun0 root fq"), -1, NULL, 0);
	both("tc fq params", CMDS("tc qdisc replace dev tun0 root fq quantum "
				  "3000 initial_quantum 15000 maxrate 1mbit "
				  "horizon 2s horizon_cap nopacing"), -1,
	     "net/netdrill/qdisc/tun0=fq limit 10000 flow_limit 100 buckets "
	     "1024 orphan_mask 1023 quantum 3000 initial_quantum 15000 "
	     "low_rate_threshold 550Kbit maxrate 1Mbit refill_delay 40ms "
	     "horizon 2s horizon_cap nopacing", 0);
	/* what tc refuses may go to the shim itself: not counted */
	both("tc fq unknown parameter refused",
	     CMDS("tc qdisc replace dev tun0 root fq flow_hash 1"), -2, NULL,
	     UNSUPPORTED);
	both("tc netem refused",
	     CMDS("tc qdisc replace dev tun0 root netem delay 10ms"), -2,
	     NULL, UNSUPPORTED);
	both("tc pfifo limit",
	     CMDS("tc qdisc delete dev tun0 root 2>/dev/null ; tc qdisc add "
		  "dev tun0 root pfifo limit 0"), -2, NULL, -1);
	both("ethtool offloads off", CMDS("ethtool -K tun0 tso off gso off",
					  "ethtool -k tun0"), -1, NULL, 0);
	both("ethtool on again", CMDS("ethtool -K tun0 tso off",
				      "ethtool -K tun0 tso on gso off",
				      "ethtool -k tun0"), -1,
	     "net/netdrill/offload/tun0=tso on gso off", 0);
	both("ethtool other feature refused", CMDS("ethtool -K tun0 gro off"),
	     -1, NULL, UNSUPPORTED);
	both("ethtool other refused", CMDS("ethtool -i tun0"), -1, NULL,
	     UNSUPPORTED);
	both("nstat", CMDS("nstat > /dev/null", "nstat", "nstat -n 2>&1"),
	     -1, NULL, 0);
}

/* sequences, comments, continuations, redirections */
static void test_sequences(void)
{
	both("comments and blank lines",
	     CMDS("# nothing\n\n   # still nothing\n"), -1, NULL, 0);
	both("continuations changes",
	     CMDS("sysctl -q \\\n  net.ipv4.tcp_sack=0 \\\n"
		  "\tnet.ipv4.tcp_dsack=0  # both\n"
		  "sysc\\\ntl -q net.ipv4.tcp_fack=1\n"), -1,
	     "net/ipv4/tcp_dsack=0", 0);
	both("status is the last command's",
	     CMDS("sysctl -q net.ipv4.tcp_nope=1; sysctl -q "
		  "net.ipv4.tcp_sack=0",
		  "sysctl -q net.ipv4.tcp_sack=1\nip link show"),
	     1, NULL, UNSUPPORTED);
	both("redirections", CMDS("sysctl net.ipv4.tcp_sack=0 > /dev/null",
				  "sysctl net.ipv4.tcp_x=0 2>/dev/null",
				  "sysctl net.ipv4.tcp_x=0 2>&1 >/dev/null",
				  "sysctl net.ipv4.tcp_x=0 >/dev/null 2>&1",
				  "sysctl net.ipv4.tcp_sack 1>&2 2>>/dev/null"),
	     -1, NULL, 0);
}

/* script files */
static void test_scripts(void)
{
	put("set.sh",
	    "#!/bin/bash\n"
	    "# a defaults.sh of our own\n\n"
	    "ip tcp_metrics flush all > /dev/null 2>&1\n"
	    "sysctl -q net.ipv4.tcp_rmem=\"4096 87380 $((6*1024*1024))\"\n"
	    "sysctl -q net.ipv4.tcp_timestamps=0\n"
	    "sysctl -q net.ipv4.tcp_early_retrans=4 net.ipv4.tcp_recovery=1\n"
	    "sysctl -q net.ipv4.tcp_no_such=1 > /dev/null 2>&1\n"
	    "sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 > /dev/null 2>&1\n"
	    "sysctl -q net.ipv4.tcp_fastopen_key="
	    "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4\n"
	    "tc qdisc add dev tun0 root pfifo\n", 0755);
	put("link.sh", "set.sh", 0644);	/* a symlink placeholder */
	put("sh.sh", "#!/bin/sh\necho 0 > /proc/sys/net/ipv4/tcp_sack\n"
	    "sysctl net.ipv4.tcp_sack\n./set.sh\n", 0755);
	put("fails.sh", "#!/bin/bash\nsysctl -q net.ipv4.tcp_none=1\n", 0755);
	put("noisy.sh", "#!/bin/sh\nsysctl net.ipv4.tcp_sack=0\n"
	    "sysctl net.ipv4.tcp_none=1\n", 0755);
	put("empty.sh", "#!/bin/sh\n", 0755);
	put("unsupported.sh", "#!/bin/sh\nif true; then sysctl -q "
	    "net.ipv4.tcp_sack=0; fi\n", 0755);
	put("ppid.sh", "#!/bin/sh\necho $PPID\n", 0755);
	put("noexec.sh", "#!/bin/sh\nsysctl -q net.ipv4.tcp_sack=0\n", 0644);
	both("bash script changes", CMDS("./set.sh"), -1,
	     "net/ipv4/tcp_timestamps=0", 0);
	both("script placeholder changes",
	     CMDS("sysctl -q net.ipv4.tcp_ecn=1\n./link.sh"), -1,
	     "net/ipv4/tcp_timestamps=0", 0);
	both("sh script calling a script changes", CMDS("./sh.sh"), -1,
	     "net/ipv4/tcp_sack=0", 0);
	both("script status", CMDS("./fails.sh"), -1, NULL, 255);
	both("script output redirected",
	     CMDS("./noisy.sh > /dev/null", "./noisy.sh 2>&1",
		  "./empty.sh"), -1, NULL, 0);
}

/* outside the subset: /bin/sh runs them, with the same results */
static void test_fallback(void)
{
	both("&& falls back", CMDS("sysctl -q net.ipv4.tcp_sack=0 && true"), 0,
	     "net/ipv4/tcp_sack=0", 0);
	both("pipe falls back", CMDS("sysctl net.ipv4.tcp_sack | cat",
				     "nstat | grep Tcp > /dev/null"), 0,
	     NULL, 1);
	both("loop falls back",
	     CMDS("for x in 0; do sysctl -q net.ipv4.tcp_sack=$x; done"), 0,
	     "net/ipv4/tcp_sack=0", 0);
	both("other variables fall back",
	     CMDS("sysctl -q net.ipv4.tcp_sack=${NETDRILL_TEST_UNSET:-0}",
		  "sysctl -q net.ipv4.tcp_fin_timeout=$((PPID % 50 + 10))"), 0,
	     "net/ipv4/tcp_sack=0", 0);
	both("command substitution falls back",
	     CMDS("test \"$(sysctl -n net.ipv4.tcp_sack)\" = 1"), 0, NULL, 0);
	both("unmodelled file falls back",
	     CMDS("echo 1 > /proc/sys/net/ipv4/tcp_not_modelled"), 0, NULL,
	     -1);
	both("script outside the subset falls back",
	     CMDS("./unsupported.sh", "./ppid.sh > /dev/null"), 0,
	     "net/ipv4/tcp_sack=0", 0);
	put("arg.sh", "#!/bin/bash\nsysctl -q net.ipv4.tcp_sack=$1\n", 0755);
	put("amp.sh", "#!/bin/bash\nsysctl -q net.ipv4.tcp_nope=1 &> "
	    "/dev/null\nsysctl -q net.ipv4.tcp_dsack=0\n", 0755);
	both("script arguments fall back", CMDS("./arg.sh 0"), 0,
	     "net/ipv4/tcp_sack=0", 0);
	both("bash's &> falls back", CMDS("./amp.sh"), 0,
	     "net/ipv4/tcp_dsack=0", 0);
	both("appending to a sysctl file falls back",
	     CMDS("echo 0 >> /proc/sys/net/ipv4/tcp_sack"), 0, NULL, -1);
	both("tilde falls back", CMDS("echo ~ > /dev/null"), 0, NULL, 0);
	{
		char cmd[1400] = "sysctl -q net.ipv4.tcp_fastopen_key=";

		memset(cmd + strlen(cmd), '1', 1100);
		both("a value longer than a file read back falls back",
		     CMDS(cmd), 0, NULL, -1);
	}
	both("script not executable falls back", CMDS("./noexec.sh"), 0, NULL,
	     126);
	both("mixed: native after /bin/sh changes",
	     CMDS("./unsupported.sh", "./set.sh", "sysctl net.ipv4.tcp_sack"),
	     2, "net/ipv4/tcp_timestamps=0", 0);
}

/* the suite's set_sysctls.py, recognised by its bytes */
static void test_set_sysctls_py(void)
{
	const char *conf = getenv("CONFORMANCE_DIR");
	char py[4096];
	bool have_py;

	snprintf(py, sizeof(py), "%s/upstream/tcp/common/set_sysctls.py",
		 conf ? conf : "/nonexistent");
	have_py = copy_file(py, "set_sysctls.py", NULL) &&
		  copy_file(py, "changed.py", "# one more line\n");
	if (!have_py) {
		tap_skip("no set_sysctls.py in $CONFORMANCE_DIR");
	} else {
		both("set_sysctls.py and restore changes",
		     CMDS("./set_sysctls.py /proc/sys/net/ipv4/tcp_timestamps=0 "
			  "/proc/sys/net/ipv4/tcp_wmem=\"4096 50000 4194304\"",
			  "sysctl net.ipv4.tcp_timestamps net.ipv4.tcp_wmem",
			  "/tmp/sysctl_restore_${PPID}.sh",
			  "sysctl net.ipv4.tcp_timestamps net.ipv4.tcp_wmem"),
		     -1, "net/ipv4/tcp_timestamps=1", 0);
		both("set_sysctls.py after a script changes",
		     CMDS("./set.sh\n ./set_sysctls.py \\\n"
			  "  /proc/sys/net/ipv4/tcp_fastopen=0x30403 \\\n"
			  "  /proc/sys/net/ipv4/tcp_fastopen_key="
			  "a0bf63f7-ed803d81-cd641d30-cebc4a90\n"),
		     -1, "net/ipv4/tcp_fastopen=197635", 0);
		both("set_sysctls.py /sys/module, same file twice",
		     CMDS("./set_sysctls.py /sys/module/tcp_cubic/parameters/"
			  "hystart_detect=2 /proc/sys/net/ipv4/tcp_sack=0 "
			  "/proc/sys/net/ipv4/tcp_sack=1",
			  "/tmp/sysctl_restore_$PPID.sh"), -1,
		     "net/ipv4/tcp_sack=0", 0);
		both("restore file read by /bin/sh is python's",
		     CMDS("./set_sysctls.py /proc/sys/net/ipv4/tcp_rmem="
			  "\"4096 1000 2000\" /proc/sys/net/ipv4/tcp_ecn=1",
			  "cat /tmp/sysctl_restore_${PPID}.sh; ls -l "
			  "/tmp/sysctl_restore_${PPID}.sh | cut -c1-10",
			  "/tmp/sysctl_restore_${PPID}.sh"), 2,
		     "net/ipv4/tcp_ecn=2", 0);
		both("modified set_sysctls.py runs for real",
		     CMDS("./changed.py /proc/sys/net/ipv4/tcp_timestamps=0",
			  "/tmp/sysctl_restore_${PPID}.sh"), 1,
		     "net/ipv4/tcp_timestamps=1", 0);
		both("set_sysctls.py on an unmodelled file runs for real",
		     CMDS("./set_sysctls.py /proc/sys/net/ipv4/tcp_nope=1"), 0,
		     NULL, 1);
	}
}

/* python3 behind a pyenv shim: the interpreter pyenv would pick runs
 * directly, pyenv's own start-up skipped; anything pyenv resolves in a
 * less plain way is left to the shim */
static void test_pyenv(void)
{
	{
		char *old_path = strdup(getenv("PATH") ? getenv("PATH") : ""),
		     *path;
		struct result r = { 0 };

		REQUIRE(!mkdir("pyenv", 0755) && !mkdir("pyenv/shims", 0755) &&
			!mkdir("pyenv/versions", 0755) &&
			!mkdir("pyenv/versions/9.9", 0755) &&
			!mkdir("pyenv/versions/9.9/bin", 0755));
		put("pyenv/shims/python3", "#!/bin/sh\n# a pyenv shim\n"
		    "echo \"via pyenv $PYENV_VERSION\"\n", 0755);
		put("pyenv/versions/9.9/bin/python3", "#!/bin/sh\n"
		    "echo \"direct $1 $(command -v python3)\"\n", 0755);
		path = malloc(strlen(dir) + strlen(old_path) + 64);
		sprintf(path, "%s/pyenv/shims:%s", dir, old_path);
		setenv("PATH", path, 1);
		setenv("PYENV_ROOT", "pyenv", 1);
		setenv("PYENV_VERSION", "9.9", 1);
		run_cmds(CMDS("python3 arg"), true, 0, &r);
		snprintf(path, strlen(dir) + strlen(old_path) + 64,
			 "direct arg %s/pyenv/versions/9.9/bin/python3\n", dir);
		check("python3 behind pyenv runs the version's interpreter",
		      !strcmp(r.output, path) ||
		      !strcmp(r.output, "direct arg pyenv/versions/9.9/bin/"
			      "python3\n"), r.output);
		result_free(&r);
		setenv("PYENV_VERSION", "9.9 9.8", 1);
		run_cmds(CMDS("python3 arg"), true, 0, &r);
		check("python3 behind pyenv, two versions: the shim decides",
		      !strcmp(r.output, "via pyenv 9.9 9.8\n"), r.output);
		result_free(&r);
		setenv("PYENV_VERSION", "9.7", 1);
		run_cmds(CMDS("python3 arg"), true, 0, &r);
		check("python3 behind pyenv, version not installed: the shim "
		      "decides", !strcmp(r.output, "via pyenv 9.7\n"),
		      r.output);
		result_free(&r);
		setenv("PATH", old_path, 1);
		unsetenv("PYENV_ROOT");
		unsetenv("PYENV_VERSION");
		free(path);
		free(old_path);
	}
}

/* nothing left behind, nothing of the host changed */
static void test_host_untouched(void)
{
	{
		char restore[64];

		snprintf(restore, sizeof(restore),
			 "/tmp/sysctl_restore_%d.sh", (int)getpid());
		check("no restore file left behind",
		      access(restore, F_OK) != 0, restore);
	}
	{
		char *host_after = host_values();

		check("no host sysctl changed",
		      !strcmp(host_before, host_after), host_after);
		free(host_after);
	}
}

/* the work folder goes */
static void test_cleanup(void)
{
	char cmd[4200];

	free(host_before);
	free(initial_sysctls);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECKF(system(cmd) == 0, "work folder removed");
}

int main(void)
{
	return TAP_RUN(test_setup, test_sysctl, test_echo, test_tools,
		       test_sequences, test_scripts, test_fallback,
		       test_set_sysctls_py, test_pyenv, test_host_untouched,
		       test_cleanup);
}
