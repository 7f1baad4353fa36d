/* suite.c: discovery, per-version expansion, the pool of child processes
 * and the reports of suite mode (see suite.h). */
#include "suite.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pcap_writer.h"
#include "report_junit.h"
#include "report_tap.h"
#include "run_packet.h"

static const char *const version_names[] = {
	[IP_VERSION_4] = "ipv4",
	[IP_VERSION_4_MAPPED_6] = "ipv4-mapped-ipv6",
	[IP_VERSION_6] = "ipv6",
};

/* The address settings and definitions packetdrill's run_all.py (and the
 * kernel's selftests) pass for each version, as the conformance runner of
 * this project uses them; applied before the command line's options when
 * --ip_version lists versions. */
static const struct cli_option presets_v4[] = {
	{ "local_ip", "192.168.0.1" }, { "gateway_ip", "192.168.0.1" },
	{ "netmask_ip", "255.255.0.0" }, { "remote_ip", "192.0.2.1" },
	{ "define", "TFO_COOKIE=3021b9d889017eeb" },
	{ "define", "CODE=host_unreachable" },
	{ "define", "CMSG_LEVEL_IP=SOL_IP" },
	{ "define", "CMSG_TYPE_RECVERR=IP_RECVERR" },
	{ NULL, NULL },
};
static const struct cli_option presets_v6[] = {
	{ "mtu", "1520" }, { "local_ip", "fd3d:0a0b:17d6::1" },
	{ "gateway_ip", "fd3d:0a0b:17d6:8888::1" },
	{ "remote_ip", "fd3d:fa7b:d17d::1" },
	{ "define", "TFO_COOKIE=c1d1e9742a47a9bc" },
	{ "define", "CODE=no_route" },
	{ "define", "CMSG_LEVEL_IP=SOL_IPV6" },
	{ "define", "CMSG_TYPE_RECVERR=IPV6_RECVERR" },
	{ NULL, NULL },
};
static const struct cli_option presets_v4_mapped[] = {
	{ "local_ip", "192.168.0.1" }, { "gateway_ip", "192.168.0.1" },
	{ "netmask_ip", "255.255.0.0" }, { "remote_ip", "192.0.2.1" },
	{ "define", "TFO_COOKIE=3021b9d889017eeb" },
	{ "define", "CODE=host_unreachable" },
	{ "define", "CMSG_LEVEL_IP=SOL_IPV6" },
	{ "define", "CMSG_TYPE_RECVERR=IPV6_RECVERR" },
	{ NULL, NULL },
};

const char *suite_version_name(enum ip_version v)
{
	return (unsigned)v < 3 ? version_names[v] : "?";
}

int suite_parse_version(const char *s, int len)
{
	int v;

	if (len < 0)
		len = (int)strlen(s);
	for (v = 0; v < 3; v++)
		if ((int)strlen(version_names[v]) == len &&
		    !strncmp(version_names[v], s, (size_t)len))
			return v;
	/* run_all.py's name for the mapped variant */
	if (len == 14 && !strncmp(s, "ipv4-mapped-v6", 14))
		return IP_VERSION_4_MAPPED_6;
	return -1;
}

int suite_parse_versions(struct suite_params *p, const char *list,
			 char **error)
{
	const char *s = list;

	p->nversions = 0;
	while (*s) {
		int len = (int)strcspn(s, ", "), v, i;

		if (len > 0) {
			v = suite_parse_version(s, len);
			if (v < 0) {
				if (asprintf(error, "bad --ip_version: '%.*s' "
					     "(expected ipv4, ipv6 or "
					     "ipv4-mapped-ipv6)", len, s) < 0)
					*error = NULL;
				return -1;
			}
			for (i = 0; i < p->nversions; i++)
				if (p->versions[i] == (enum ip_version)v)
					break;
			if (i == p->nversions)
				p->versions[p->nversions++] = v;
		}
		s += len;
		if (*s)
			s++;
	}
	if (p->nversions == 0) {
		if (asprintf(error, "bad --ip_version: '%s'", list) < 0)
			*error = NULL;
		return -1;
	}
	return 0;
}

int suite_option_scope(const char *value, const char **rest)
{
	const char *colon;
	int v;

	*rest = value;
	if (!value)
		return -1;
	colon = strchr(value, ':');
	if (!colon)
		return -1;
	v = suite_parse_version(value, (int)(colon - value));
	if (v >= 0)
		*rest = colon + 1;
	return v;
}

/* The options of one version's runs: presets, then the command line's
 * unscoped options and those scoped to v (scope removed), then the
 * version itself. The array is malloc'd; the strings are borrowed. */
static struct cli_option *options_for(const struct suite_params *p,
				      enum ip_version v, int *n)
{
	const struct cli_option *pre = v == IP_VERSION_6 ? presets_v6 :
		v == IP_VERSION_4_MAPPED_6 ? presets_v4_mapped : presets_v4;
	struct cli_option *o;
	int i, k = 0;

	o = calloc((size_t)p->ncli + 16, sizeof(*o));
	if (!o)
		abort();
	o[k].name = "ip_version";
	o[k++].value = version_names[v];
	for (i = 0; p->presets && pre[i].name; i++)
		o[k++] = pre[i];
	for (i = 0; i < p->ncli; i++) {
		const char *rest;
		int scope = suite_option_scope(p->cli[i].value, &rest);

		if (scope >= 0 && scope != (int)v)
			continue;
		o[k].name = p->cli[i].name;
		o[k++].value = rest;
	}
	*n = k;
	return o;
}

static enum ip_version version_at(const struct suite_params *p, int i)
{
	return p->nversions ? p->versions[i] : IP_VERSION_4;
}

int suite_check(const struct suite_params *p, char **error)
{
	int i, j, n, nv = p->nversions ? p->nversions : 1;

	for (i = 0; i < nv; i++) {
		struct cli_option *o = options_for(p, version_at(p, i), &n);
		struct config c;
		int bad = 0;

		config_init(&c);
		for (j = 0; j < n && !bad; j++)
			bad = config_set_option(&c, o[j].name, o[j].value,
						error);
		if (!bad)
			bad = config_finalize(&c, error);
		config_free(&c);
		free(o);
		if (bad) {
			char *e = *error;

			if (p->nversions > 1 &&
			    asprintf(error, "%s (for %s)", e ? e : "error",
				     suite_version_name(version_at(p, i))) >= 0)
				free(e);
			return -1;
		}
	}
	return 0;
}

/* ---- discovery ---- */

struct script_entry {
	char *shown;		/* as shown in reports */
	char *rel;		/* for capture file names */
};

struct script_list {
	struct script_entry *v;
	int n, cap;
};

static void list_add(struct script_list *l, char *shown, char *rel)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, (size_t)l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n].shown = shown;
	l->v[l->n++].rel = rel;
}

static char *join(const char *a, const char *b)
{
	char *s;

	if (!*a)
		return strdup(b);
	if (asprintf(&s, "%s%s%s", a, a[strlen(a) - 1] == '/' ? "" : "/",
		     b) < 0)
		abort();
	return s;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct script_entry *)a)->shown,
		      ((const struct script_entry *)b)->shown);
}

/* Every *.pkt below dir (shown as shown/..., rel as rel/...). */
static void walk(const char *dir, const char *shown, const char *rel,
		 struct script_list *l)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "netdrill: cannot read folder %s: %s\n", dir,
			strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		char *path, *s, *r;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		path = join(dir, e->d_name);
		if (stat(path, &st)) {
			free(path);
			continue;
		}
		s = join(shown, e->d_name);
		r = join(rel, e->d_name);
		if (S_ISDIR(st.st_mode)) {
			walk(path, s, r, l);
			free(s);
			free(r);
		} else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".pkt")) {
			list_add(l, s, r);
		} else {
			free(s);
			free(r);
		}
		free(path);
	}
	closedir(d);
}

static char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return strdup(s ? s + 1 : path);
}

static char *dir_name(const char *path)
{
	const char *s = strrchr(path, '/');

	if (!s)
		return strdup(".");
	if (s == path)
		return strdup("/");
	return strndup(path, (size_t)(s - path));
}

/* Does version v run script name? As run_all.py: *v6.pkt only over IPv6,
 * *v4.pkt only over IPv4 (plain and mapped). */
static bool version_runs(enum ip_version v, const char *name)
{
	if (v == IP_VERSION_6)
		return !ends_with(name, "v4.pkt");
	return !ends_with(name, "v6.pkt");
}

/* ---- the pool ---- */

struct job {
	struct suite_result *r;
	char *rel;
	pid_t pid;
	int out_fd, res_fd;
	char *out;
	size_t out_len, out_cap;
	char res[128];
	size_t res_len;
	struct timespec start;
	double start_secs;	/* now_secs() at the start */
	bool timed_out;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static double now_secs(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int mkdir_parents(const char *path)
{
	char *p = strdup(path), *s;

	if (!p)
		abort();
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* In the child: run one script and report through res_fd. */
static void child_run(const struct suite_params *p, struct suite_result *r,
		      int out_fd, int res_fd)
{
	struct run_packet_observer obs;
	struct pcap_writer *pw = NULL;
	struct cli_option *o;
	struct config base;
	char *error = NULL, line[128];
	int n, i, status, devnull;
	long packets = -1;

	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0) {
		dup2(devnull, 0);
		close(devnull);
	}
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	close(out_fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (chdir(r->abs_dir)) {
		fprintf(stderr, "netdrill: cannot enter %s: %s\n", r->abs_dir,
			strerror(errno));
		_exit(2);
	}
	/* Commands the script runs must not hold the result pipe open. */
	fcntl(res_fd, F_SETFD, FD_CLOEXEC);

	memset(&obs, 0, sizeof(obs));
	obs.end_us = -1;
	obs.num_events = -1;
	if (r->pcap_path) {
		pw = pcap_writer_open(r->pcap_path,
				      r->version == IP_VERSION_6 ? AF_INET6 :
				      AF_INET, &error);
		if (!pw) {
			fprintf(stderr, "netdrill: %s\n",
				error ? error : "cannot write capture");
			_exit(2);
		}
		obs.packet = pcap_writer_observe;
		obs.ctx = pw;
	}
	run_packet_observer = &obs;

	o = options_for(p, r->version, &n);
	config_init(&base);
	for (i = 0; i < n; i++)
		if (config_set_option(&base, o[i].name, o[i].value, &error)) {
			fprintf(stderr, "netdrill: %s\n", error);
			_exit(2);
		}
	/* The embedded stack's clock is virtual: its time 0 stays the epoch.
	 * A real back end's starts with the run: shift it to real time. */
	if (pw && base.stack != STACK_EMBEDDED) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		pcap_writer_set_offset(pw, (int64_t)t.tv_sec * 1000000 +
				       t.tv_nsec / 1000);
	}
	status = p->run_one(r->base, &base, o, n);
	run_packet_observer = NULL;
	if (pw)
		packets = pcap_writer_close(pw);
	fflush(stdout);
	fflush(stderr);
	n = snprintf(line, sizeof(line), "%lld %d %ld\n",
		     (long long)obs.end_us, obs.num_events, packets);
	if (write(res_fd, line, (size_t)n) < 0)
		status = 2;
	_exit(status);
}

static int start_job(const struct suite_params *p, struct job *j)
{
	int out[2], res[2];

	if (pipe(out))
		return -1;
	if (pipe(res)) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	j->start_secs = j->start.tv_sec + j->start.tv_nsec / 1e9;
	j->pid = fork();
	if (j->pid < 0) {
		close(out[0]); close(out[1]); close(res[0]); close(res[1]);
		return -1;
	}
	if (j->pid == 0) {
		/* Its own process group, so that a time-out or an interrupt
		 * also ends the commands it started. */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		close(out[0]);
		close(res[0]);
		child_run(p, j->r, out[1], res[1]);
	}
	setpgid(j->pid, j->pid);
	close(out[1]);
	close(res[1]);
	j->out_fd = out[0];
	j->res_fd = res[0];
	fcntl(j->out_fd, F_SETFD, FD_CLOEXEC);
	fcntl(j->res_fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* The first line of the output that says what went wrong. */
static char *first_error(const char *out)
{
	const char *p = out, *first = NULL;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);

		if (!line)
			abort();
		if (len && !first)
			first = p;
		if (strstr(line, "error") || strstr(line, "fail") ||
		    strstr(line, "not supported") ||
		    strstr(line, "unsupported"))
			return line;
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	if (first)
		return strndup(first, strcspn(first, "\n"));
	return NULL;
}

static void finish_job(const struct suite_params *p, struct job *j)
{
	struct suite_result *r = j->r;
	struct timespec end;
	long long end_us = -1;
	long packets = -1;
	int status = 0, events = -1;

	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	clock_gettime(CLOCK_MONOTONIC, &end);
	r->wall_secs = (end.tv_sec - j->start.tv_sec) +
		       (end.tv_nsec - j->start.tv_nsec) / 1e9;
	j->res[j->res_len] = '\0';
	if (sscanf(j->res, "%lld %d %ld", &end_us, &events, &packets) != 3)
		end_us = -1, events = -1, packets = -1;
	r->script_secs = end_us >= 0 ? end_us / 1e6 : -1;
	r->events = events;
	r->packets = packets;
	r->output = j->out ? j->out : strdup("");
	j->out = NULL;
	if (WIFEXITED(status)) {
		r->exit_status = WEXITSTATUS(status);
		r->outcome = r->exit_status == 0 ? SUITE_PASS :
			     r->exit_status == 1 ? SUITE_FAIL : SUITE_ERROR;
		if (r->outcome != SUITE_PASS)
			r->message = first_error(r->output);
		if (r->outcome != SUITE_PASS && !r->message &&
		    asprintf(&r->message, "exit status %d",
			     r->exit_status) < 0)
			r->message = NULL;
	} else if (WIFSIGNALED(status)) {
		r->exit_status = WTERMSIG(status);
		if (j->timed_out) {
			r->outcome = SUITE_TIMEOUT;
			if (asprintf(&r->message, "timed out after %d s",
				     p->timeout_secs) < 0)
				r->message = NULL;
		} else {
			r->outcome = SUITE_CRASH;
			if (asprintf(&r->message, "killed by signal %d (%s)",
				     r->exit_status,
				     strsignal(r->exit_status)) < 0)
				r->message = NULL;
		}
	}
	if (r->pcap_path && r->packets < 0 && r->outcome == SUITE_PASS)
		r->packets = 0;
}

/* Read what is there from fd into the job; false at end of file. */
static bool drain(struct job *j, int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (fd == j->res_fd) {
		size_t room = sizeof(j->res) - 1 - j->res_len;

		if ((size_t)n > room)
			n = (ssize_t)room;
		memcpy(j->res + j->res_len, buf, (size_t)n);
		j->res_len += (size_t)n;
		return true;
	}
	if (j->out_len + (size_t)n + 1 > j->out_cap) {
		j->out_cap = (j->out_len + (size_t)n + 1) * 2;
		j->out = realloc(j->out, j->out_cap);
		if (!j->out)
			abort();
	}
	memcpy(j->out + j->out_len, buf, (size_t)n);
	j->out_len += (size_t)n;
	j->out[j->out_len] = '\0';
	return true;
}

/* Read what is left in the output pipe without blocking. */
static void drain_rest(struct job *j)
{
	int flags = fcntl(j->out_fd, F_GETFL);

	if (flags >= 0)
		fcntl(j->out_fd, F_SETFL, flags | O_NONBLOCK);
	for (;;) {
		char buf[4096];
		ssize_t n = read(j->out_fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (j->out_len + (size_t)n + 1 > j->out_cap) {
			j->out_cap = (j->out_len + (size_t)n + 1) * 2;
			j->out = realloc(j->out, j->out_cap);
			if (!j->out)
				abort();
		}
		memcpy(j->out + j->out_len, buf, (size_t)n);
		j->out_len += (size_t)n;
		j->out[j->out_len] = '\0';
	}
}

/* ---- reports ---- */

static void print_result(FILE *f, const struct suite_result *r,
			 bool verbose)
{
	const char *word = r->outcome == SUITE_PASS ? "ok" :
			   r->outcome == SUITE_TIMEOUT ? "TIMEOUT" :
			   r->outcome == SUITE_CRASH ? "CRASH" : "FAIL";
	const char *p;

	fprintf(f, "%-7s %-16s %s (%.3f s", word,
		suite_version_name(r->version), r->script, r->wall_secs);
	if (r->script_secs >= 0)
		fprintf(f, ", script %.3f s", r->script_secs);
	if (r->pcap_path)
		fprintf(f, ", %ld packets in %s", r->packets, r->pcap_path);
	fputs(")\n", f);
	if (r->outcome == SUITE_PASS && !verbose)
		return;
	for (p = r->output; p && *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(f, "    | %.*s\n", len, p);
		p = nl ? nl + 1 : NULL;
	}
	if (r->outcome == SUITE_CRASH || r->outcome == SUITE_TIMEOUT)
		fprintf(f, "    | %s\n", r->message ? r->message : "");
	fflush(f);
}

static bool verbose_cli(const struct suite_params *p)
{
	int i;

	for (i = 0; i < p->ncli; i++)
		if (!strcmp(p->cli[i].name, "verbose"))
			return true;
	return false;
}

static bool pcap_folder_mode(const char *path, int nruns)
{
	struct stat st;

	return nruns > 1 || ends_with(path, "/") ||
	       (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

int suite_main(const struct suite_params *p, char *const *paths, int npaths)
{
	struct script_list scripts = { NULL, 0, 0 };
	struct suite_result **results = NULL;
	struct job *jobs;
	FILE *tap = NULL, *human = stdout;
	int i, v, n = 0, cap = 0, next = 0, active = 0, done = 0;
	int passed = 0, failed = 0, exit_code = 0, njobs;
	int nv = p->nversions ? p->nversions : 1;
	bool verbose = verbose_cli(p), folder_mode;
	double t0 = now_secs();

	for (i = 0; i < npaths; i++) {
		struct stat st;
		char *shown = strdup(paths[i]);
		size_t len = strlen(shown);

		while (len > 1 && shown[len - 1] == '/')
			shown[--len] = '\0';
		if (stat(shown, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct script_list sub = { NULL, 0, 0 };
			char *top = base_name(shown);
			int k;

			if (!strcmp(top, ".") || !strcmp(top, "..") ||
			    !strcmp(top, "/")) {
				free(top);
				top = strdup("");
			}
			walk(shown, shown, top, &sub);
			qsort(sub.v, (size_t)sub.n, sizeof(*sub.v),
			      cmp_entries);
			for (k = 0; k < sub.n; k++)
				list_add(&scripts, sub.v[k].shown,
					 sub.v[k].rel);
			free(sub.v);
			free(top);
			free(shown);
		} else {
			list_add(&scripts, shown, base_name(shown));
		}
	}

	for (i = 0; i < scripts.n; i++) {
		char *dir = dir_name(scripts.v[i].shown);
		char *abs = realpath(dir, NULL);

		for (v = 0; v < nv; v++) {
			enum ip_version ver = version_at(p, v);
			struct suite_result *r;
			char *b = base_name(scripts.v[i].shown);

			if (!version_runs(ver, b)) {
				free(b);
				continue;
			}
			r = calloc(1, sizeof(*r));
			if (!r)
				abort();
			r->script = strdup(scripts.v[i].shown);
			r->folder = strdup(dir);
			r->base = b;
			r->abs_dir = strdup(abs ? abs : dir);
			r->version = ver;
			r->script_secs = -1;
			r->events = -1;
			r->packets = -1;
			r->index = n;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				results = realloc(results,
						  (size_t)cap * sizeof(*results));
				if (!results)
					abort();
			}
			results[n++] = r;
		}
		free(abs);
		free(dir);
	}

	jobs = calloc((size_t)n + 1, sizeof(*jobs));
	if (!jobs)
		abort();
	folder_mode = p->pcap && pcap_folder_mode(p->pcap, n);
	for (i = 0; i < n; i++) {
		jobs[i].r = results[i];
		jobs[i].out_fd = jobs[i].res_fd = -1;
		if (!p->pcap)
			continue;
		if (!folder_mode) {
			results[i]->pcap_path = strdup(p->pcap);
		} else {
			const char *rel = scripts.v[0].rel;
			char *stem;
			int k;

			/* the entry this result came from */
			for (k = 0; k < scripts.n; k++)
				if (!strcmp(scripts.v[k].shown,
					    results[i]->script)) {
					rel = scripts.v[k].rel;
					break;
				}
			stem = strndup(rel, strlen(rel) -
				       (ends_with(rel, ".pkt") ? 4 : 0));
			if (asprintf(&results[i]->pcap_path, "%s%s%s.%s.pcap",
				     p->pcap, ends_with(p->pcap, "/") ? "" : "/",
				     stem,
				     suite_version_name(results[i]->version)) < 0)
				abort();
			free(stem);
		}
		if (results[i]->pcap_path[0] != '/') {
			char cwd[PATH_MAX], *abs;

			if (!getcwd(cwd, sizeof(cwd)))
				strcpy(cwd, ".");
			if (asprintf(&abs, "%s/%s", cwd,
				     results[i]->pcap_path) < 0)
				abort();
			free(results[i]->pcap_path);
			results[i]->pcap_path = abs;
		}
		if (mkdir_parents(results[i]->pcap_path)) {
			fprintf(stderr, "netdrill: cannot create the folder "
				"of %s: %s\n", results[i]->pcap_path,
				strerror(errno));
			return 2;
		}
	}

	if (p->tap) {
		if (!strcmp(p->tap, "-")) {
			tap = stdout;
			human = NULL;
		} else if (!(tap = fopen(p->tap, "w"))) {
			fprintf(stderr, "netdrill: cannot write %s: %s\n",
				p->tap, strerror(errno));
			return 2;
		}
		tap_begin(tap, n);
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	njobs = p->jobs > 0 ? p->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (njobs < 1)
		njobs = 1;

	while (done < n) {
		struct pollfd *pfd;
		struct job **owner;
		int np = 0, k, wait_ms;

		while (active < njobs && next < n) {
			if (start_job(p, &jobs[next])) {
				fprintf(stderr, "netdrill: cannot start a run: "
					"%s\n", strerror(errno));
				return 2;
			}
			next++;
			active++;
		}
		pfd = calloc((size_t)active * 2 + 1, sizeof(*pfd));
		owner = calloc((size_t)active * 2 + 1, sizeof(*owner));
		if (!pfd || !owner)
			abort();
		for (i = 0; i < next; i++) {
			if (jobs[i].out_fd >= 0) {
				pfd[np].fd = jobs[i].out_fd;
				pfd[np].events = POLLIN;
				owner[np++] = &jobs[i];
			}
			if (jobs[i].res_fd >= 0) {
				pfd[np].fd = jobs[i].res_fd;
				pfd[np].events = POLLIN;
				owner[np++] = &jobs[i];
			}
		}
		wait_ms = -1;
		if (p->timeout_secs > 0) {
			double t = now_secs();

			for (i = 0; i < next; i++) {
				double left;

				if (jobs[i].pid <= 0 || jobs[i].timed_out)
					continue;
				left = jobs[i].start_secs + p->timeout_secs - t;
				if (left <= 0) {
					jobs[i].timed_out = true;
					kill(-jobs[i].pid, SIGKILL);
					kill(jobs[i].pid, SIGKILL);
					left = 0.05;
				}
				if (wait_ms < 0 || left * 1000 + 1 < wait_ms)
					wait_ms = (int)(left * 1000) + 1;
			}
		}
		if (poll(pfd, (nfds_t)np, wait_ms) < 0 && errno != EINTR) {
			perror("netdrill: poll");
			return 2;
		}
		if (interrupted) {
			for (i = 0; i < next; i++)
				if (jobs[i].pid > 0) {
					kill(-jobs[i].pid, SIGKILL);
					kill(jobs[i].pid, SIGKILL);
				}
			signal(interrupted, SIG_DFL);
			raise(interrupted);
			return 2;
		}
		for (k = 0; k < np; k++) {
			struct job *j = owner[k];

			if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!drain(j, pfd[k].fd)) {
				close(pfd[k].fd);
				if (pfd[k].fd == j->out_fd)
					j->out_fd = -1;
				else
					j->res_fd = -1;
				/* The result pipe ends when the run's process
				 * does: take what it wrote, and do not wait for
				 * background commands that kept its output. */
				if (j->res_fd < 0 && j->out_fd >= 0) {
					drain_rest(j);
					close(j->out_fd);
					j->out_fd = -1;
				}
			}
			if (j->out_fd < 0 && j->res_fd < 0 && j->pid > 0) {
				struct suite_result *r = j->r;

				finish_job(p, j);
				j->pid = 0;
				active--;
				done++;
				if (r->outcome == SUITE_PASS) {
					passed++;
				} else {
					failed++;
					if (exit_code < 1)
						exit_code = 1;
					if (r->outcome == SUITE_ERROR &&
					    r->exit_status == 2)
						exit_code = 2;
				}
				if (human)
					print_result(human, r, verbose);
				if (tap)
					tap_add(tap, done, r);
			}
		}
		free(pfd);
		free(owner);
	}

	if (p->junit && junit_write(p->junit, results, n,
				    now_secs() - t0)) {
		fprintf(stderr, "netdrill: cannot write %s: %s\n", p->junit,
			strerror(errno));
		exit_code = 2;
	}
	if (tap) {
		tap_end(tap, passed, failed);
		if (tap != stdout)
			fclose(tap);
	}
	if (human)
		fprintf(human, "%d passed, %d failed\n", passed, failed);

	for (i = 0; i < n; i++) {
		struct suite_result *r = results[i];

		free(r->script);
		free(r->folder);
		free(r->base);
		free(r->abs_dir);
		free(r->output);
		free(r->message);
		free(r->pcap_path);
		free(r);
		free(jobs[i].out);
	}
	for (i = 0; i < scripts.n; i++) {
		free(scripts.v[i].shown);
		free(scripts.v[i].rel);
	}
	free(scripts.v);
	free(results);
	free(jobs);
	return exit_code;
}
