/* SPDX-License-Identifier: GPL-2.0-only */
/* tools.c: the native path of backquoted commands (run_command.h): the
 * shims' tools (sysctl, ip, tc, ethtool, nstat) and the suite's
 * set_sysctls.py run in-process by the shell subset (shell.h), on a
 * transaction over the sysctl files that is committed only when the
 * whole command stayed in the subset. */
#include "commands_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "shell.h"
#include "sut.h"
#include "util.h"

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
 *  - the shims sysctl, ip, tc, ethtool, nstat (the same rules as the shims in
 *    shims/NAME.sh), echo (no options, no backslashes);
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
static void tx_out(struct tx *t, const struct sh_fds *m, int fd,
		   const char *text)
{
	int sink = m->sink[fd];

	if (sink != SH_OUT && sink != SH_ERR)
		return;		/* /dev/null (echo handles files) */
	t->out = realloc(t->out, (size_t)(t->nout + 1) * sizeof(*t->out));
	if (!t->out)
		abort();
	t->out[t->nout].fd = sink == SH_OUT ? 1 : 2;
	t->out[t->nout].text = strdup(text);
	if (!t->out[t->nout].text)
		abort();
	t->nout++;
}

static void tx_outf(struct tx *t, const struct sh_fds *m, int fd,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void tx_outf(struct tx *t, const struct sh_fds *m, int fd,
		    const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vstrdup_printf(fmt, ap);
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

/* The sysctl shim (shims/sysctl.sh, shims/bash_env.sh). */
static int run_sysctl(struct tx *t, const struct sh_fds *m, int argc,
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

/* "fq" and the tc-fq(8) parameters the embedded stack models (sch.c
 * checks their values): the words after "root". */
static bool tc_fq_spec(int argc, char **argv)
{
	static const char *const flags[] = { "pacing", "nopacing",
		"horizon_drop", "horizon_cap" };
	static const char *const keys[] = { "limit", "flow_limit", "quantum",
		"initial_quantum", "maxrate", "buckets", "orphan_mask",
		"refill_delay", "low_rate_threshold", "ce_threshold",
		"timer_slack", "horizon" };
	int i;

	if (argc < 1 || strcmp(argv[0], "fq"))
		return false;
	for (i = 1; i < argc; i++) {
		bool ok = false;

		for (size_t k = 0; k < sizeof(flags) / sizeof(*flags); k++)
			ok |= !strcmp(argv[i], flags[k]);
		for (size_t k = 0; !ok && k < sizeof(keys) / sizeof(*keys); k++)
			if (!strcmp(argv[i], keys[k]) && i + 1 < argc) {
				ok = true;
				i++;
			}
		if (!ok)
			return false;
	}
	return true;
}

/* tc, as its shim: tun0's root qdisc, in the net/netdrill/qdisc/tun0
 * file; -1 (the shell decides) for what the shim would refuse. */
static int run_tc(struct tx *t, const struct sh_fds *m, int argc, char **argv)
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
	spec = sh_join(argc, argv, 6);
	if (strchr(spec, '\\') || (strcmp(spec, "pfifo") &&
	    fnmatch("pfifo limit [0-9]*", spec, 0) &&
	    !tc_fq_spec(argc - 6, argv + 6))) {
		free(spec);
		return -1;
	}
	if (!strcmp(argv[2], "add") && strcmp(cur, "none")) {
		tx_out(t, m, 2, "Error: Exclusivity flag on, cannot modify.\n");
		free(spec);
		return 2;
	}
	if (t->verbose) {
		char *all = sh_join(argc, argv, 1);

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
static int run_ethtool(struct tx *t, const struct sh_fds *m, int argc,
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
	spec = strdup_printf("%s", "");
	for (i = 3; i + 1 < argc; i += 2) {
		if ((strcmp(argv[i], "tso") && strcmp(argv[i], "gso")) ||
		    (strcmp(argv[i + 1], "on") && strcmp(argv[i + 1], "off"))) {
			free(spec);
			goto refuse;
		}
		next = strdup_printf("%s %s %s", spec, argv[i], argv[i + 1]);
		free(spec);
		spec = next;
	}
	if (t->verbose) {
		char *all = sh_join(argc, argv, 1);

		tx_outf(t, m, 2, "netdrill: `ethtool %s`: tun0's offloads are "
			"now%s\n", all, spec);
		free(all);
	}
	next = strdup_printf("%s%s", cur, spec);
	tx_set(t, f, next);
	free(next);
	free(spec);
	return 0;
refuse:
	spec = sh_join(argc, argv, 1);
	tx_outf(t, m, 2, "netdrill: `ethtool %s` is not supported by the "
		"embedded stack\n", spec);
	if (!t->c->unsupported)
		t->c->unsupported = strdup_printf("ethtool %s", spec);
	free(spec);
	return 1;
}

/* nstat, as its shim: the stack's counters as they are now (read from
 * the back end, not the file), the change since the last nstat unless
 * -a, nonzero ones unless -z; the history saved unless -s. */
static int run_nstat(struct tx *t, const struct sh_fds *m, int argc,
		     char **argv)
{
	struct sut *sut = t->c->sut;
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
static int run_tool(struct tx *t, const struct sh_fds *m, int argc,
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
	char *all = sh_join(argc, argv, 1), *subject;
	size_t i, j;
	int rc = 1;

	if (strchr(all, '\\')) {
		free(all);
		return -1;	/* the shims' echo would interpret it */
	}
	if (!strcmp(argv[0], "ip") &&
	    (strstr(all, "route") || strstr(all, "link"))) {
		free(all);
		return -1;	/* route metrics, MTU: through the shell shim */
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
	subject = strdup_printf(" %s ", all);
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
	if (rc) {
		tx_outf(t, m, 2, "netdrill: `%s %s` is not supported by the "
			"embedded stack\n", argv[0], all);
		if (!t->c->unsupported)
			t->c->unsupported = strdup_printf("%s %s", argv[0],
							  all);
	}
	free(subject);
	free(all);
	return rc;
}

static const struct sh_ops tx_ops;

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
static int run_script_text(struct tx *t, const struct sh_fds *m,
			   const char *text)
{
	struct sh_prog p = { 0 };
	int rc;

	if (!interpreter_ok(text) || t->depth >= 8 || sh_parse(text, -1, &p))
		return -1;
	t->depth++;
	rc = sh_run(&p, m, &tx_ops, t);
	t->depth--;
	sh_prog_free(&p);
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

/* The suite's set_sysctls.py (identified by its fingerprint): for each
 * FILE=VALUE, a line of the restore script that puts back the file's
 * current value, then the file gets VALUE (python's os.system echo). */
static int run_set_sysctls(struct tx *t, int argc, char **argv)
{
	struct sh_buf r = { 0 };
	char *restore = restore_host_path(t->c);
	int i;

	if (!on_path("python3") || access("/tmp", W_OK) ||
	    (access(restore, F_OK) == 0 && access(restore, W_OK))) {
		free(restore);
		return -1;
	}
	free(restore);
	sh_buf_add(&r, "#!/bin/bash\n");
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
		sh_buf_add(&r, "echo \"");
		sh_buf_addn(&r, cur, (size_t)(end - cur));
		sh_buf_add(&r, "\" > ");
		sh_buf_add(&r, path);
		sh_buf_add(&r, "\n");
		free(path);
		tx_set(t, f, eq + 1);
	}
	free(t->restore);
	t->restore = sh_buf_take(&r);
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
static int run_file(struct tx *t, const struct sh_fds *m, int argc,
		    char **argv)
{
	char *restore = restore_path(), buf[65536], *host;
	const char *virt = t->restore ? t->restore : t->c->restore_text;
	const char *file;
	struct stat st;
	ssize_t n, len = 0;
	int fd;

	if (virt && !strcmp(argv[0], restore)) {
		free(restore);
		return run_script_text(t, m, virt);
	}
	free(restore);
	/* a script file in /tmp is in the run's own /tmp */
	host = commands_tmp_path(t->c, argv[0]);
	file = host ? host : argv[0];
	if (stat(file, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size >= (off_t)sizeof(buf) || access(file, X_OK)) {
		free(host);
		return -1;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	free(host);
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

/* A command word other than echo (sh_ops.command). */
static int tx_command(void *ctx, const struct sh_fds *m, int argc,
		      char **argv)
{
	struct tx *t = ctx;
	const char *cmd = argv[0];

	if (!strcmp(cmd, "sysctl"))
		return run_sysctl(t, m, argc, argv);
	if (!strcmp(cmd, "ip") || !strcmp(cmd, "tc") ||
	    !strcmp(cmd, "ethtool") || !strcmp(cmd, "nstat"))
		return run_tool(t, m, argc, argv);
	if (strchr(cmd, '/'))
		return run_file(t, m, argc, argv);
	return -1;
}

static int tx_file(void *ctx, const char *path)
{
	return tx_proc_file(ctx, path);
}

static void tx_set_file(void *ctx, int file, const char *content)
{
	tx_set(ctx, file, content);
}

static void tx_out_cb(void *ctx, const struct sh_fds *m, int fd,
		      const char *text)
{
	tx_out(ctx, m, fd, text);
}

static const struct sh_ops tx_ops = {
	.file = tx_file,
	.set_file = tx_set_file,
	.out = tx_out_cb,
	.command = tx_command,
};

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

int native_run(struct commands *c, const char *text, int line,
		      int *status, int *rc, char **error)
{
	struct sh_fds m = { { SH_NULL, SH_OUT, SH_ERR }, -1 };
	struct tx t = { 0 };
	struct sh_prog p = { 0 };
	int i;

	if (sh_parse(text, (int)getpid(), &p))
		return 0;
	t.c = c;
	t.verbose = c->config->verbose > 0;
	t.pending = calloc((size_t)c->nfiles + 1, sizeof(char *));
	if (!t.pending)
		abort();
	*status = sh_run(&p, &m, &tx_ops, &t);
	sh_prog_free(&p);
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
			sysctl_apply(c, i, t.pending[i], line, rc, error);
	if (t.restore) {
		free(c->restore_text);
		c->restore_text = t.restore;
		t.restore = NULL;
	}
	tx_free(&t);
	return 1;
}
