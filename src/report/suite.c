/* SPDX-License-Identifier: GPL-2.0-only */
/* suite.c: suite mode (see suite.h): the options of each IP version,
 * discovery of the scripts, expansion per version, the shard's slice, the
 * captures' names, and the tally. The pool of child processes is in
 * suite_pool.c, the reporters in report_text.c, report_tap.c and
 * report_junit.c. */
#include "suite.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report_html.h"
#include "report_junit.h"
#include "report_tap.h"
#include "report_text.h"
#include "suite_pool.h"

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
struct cli_option *suite_options_for(const struct suite_params *p,
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
		struct cli_option *o = suite_options_for(p, version_at(p, i), &n);
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

static double now_secs(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static bool verbose_cli(const struct suite_params *p)
{
	int i;

	for (i = 0; i < p->ncli; i++)
		if (!strcmp(p->cli[i].name, "verbose"))
			return true;
	return false;
}

/* ---- verdicts ---- */

void suite_verdict_set(struct suite_verdict *v, enum suite_outcome outcome,
		       const char *file, int line, const char *message)
{
	if (!v || v->outcome != SUITE_PASS)
		return;
	v->outcome = outcome;
	v->file = file ? strdup(file) : NULL;
	v->line = line;
	v->message = message ? strdup(message) : NULL;
}

void suite_verdict_free(struct suite_verdict *v)
{
	free(v->file);
	free(v->message);
	v->file = v->message = NULL;
}

const char *suite_outcome_word(enum suite_outcome o)
{
	switch (o) {
	case SUITE_PASS: return "ok";
	case SUITE_FAIL: return "FAIL";
	case SUITE_UNSUPPORTED: return "NOTSUPP";
	case SUITE_ERROR: return "ERROR";
	case SUITE_CRASH: return "CRASH";
	case SUITE_TIMEOUT: return "TIMEOUT";
	}
	return "?";
}

int suite_parse_shard(struct suite_params *p, const char *arg, char **error)
{
	char *end;
	long k, n;

	k = strtol(arg, &end, 10);
	if (end != arg && *end == '/') {
		const char *s = end + 1;

		n = strtol(s, &end, 10);
		if (end != s && !*end && k >= 1 && n >= 1 && k <= n &&
		    n <= 100000) {
			p->shard = (int)k;
			p->nshards = (int)n;
			return 0;
		}
	}
	if (asprintf(error, "bad --shard: '%s' (expected K/N, 1 <= K <= N, "
		     "e.g. --shard=2/4)", arg) < 0)
		*error = NULL;
	return -1;
}

/* ---- discovery ---- */

struct script_entry {
	char *shown;		/* as shown in reports */
	char *rel;		/* for capture file names */
	char *class_root;	/* JUnit class names are relative to it */
};

struct script_list {
	struct script_entry *v;
	int n, cap;
};

static void list_add(struct script_list *l, char *shown, char *rel,
		     const char *class_root)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, (size_t)l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n].shown = shown;
	l->v[l->n].rel = rel;
	l->v[l->n++].class_root = class_root ? strdup(class_root) : NULL;
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
			list_add(l, s, r, NULL);
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

/* The folder JUnit class names of the scripts of path (a folder, or a
 * script's folder) are relative to: the working directory when path is
 * below it, else path's parent folder. */
static char *class_root_of(const char *dir)
{
	char *abs = realpath(dir, NULL), *root, cwd[PATH_MAX];
	size_t n;

	if (!abs)
		return strdup("");
	n = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : 0;
	if (n > 1 && !strncmp(abs, cwd, n) && abs[n] == '/') {
		free(abs);
		return strdup(cwd);
	}
	root = dir_name(abs);
	free(abs);
	return root;
}

/* The scripts of one command-line path: 0, or 2 after a message when it
 * does not exist or holds no script. */
static int discover_one(const char *path, struct script_list *scripts)
{
	struct script_list sub = { NULL, 0, 0 };
	char *shown = strdup(path), *top, *root;
	size_t len = strlen(shown);
	struct stat st;
	int k;

	while (len > 1 && shown[len - 1] == '/')
		shown[--len] = '\0';
	if (stat(shown, &st)) {
		fprintf(stderr, "netdrill: %s: %s\n", shown, strerror(errno));
		free(shown);
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		char *dir = dir_name(shown);

		root = class_root_of(dir);
		list_add(scripts, shown, base_name(shown), root);
		free(root);
		free(dir);
		return 0;
	}
	top = base_name(shown);
	if (!strcmp(top, ".") || !strcmp(top, "..") || !strcmp(top, "/")) {
		free(top);
		top = strdup("");
	}
	walk(shown, shown, top, &sub);
	if (sub.n == 0)
		fprintf(stderr, "netdrill: no scripts found under %s (no "
			"*.pkt file in it or its subfolders)\n", shown);
	if (sub.n)	/* (sub.v is NULL for none: qsort's is nonnull) */
		qsort(sub.v, (size_t)sub.n, sizeof(*sub.v), cmp_entries);
	root = class_root_of(shown);
	for (k = 0; k < sub.n; k++)
		list_add(scripts, sub.v[k].shown, sub.v[k].rel, root);
	free(root);
	free(sub.v);
	free(top);
	free(shown);
	return sub.n ? 0 : 2;
}

/* Every path's scripts, in order: 0, or 2 if a path gave none. */
static int discover(char *const *paths, int npaths,
		    struct script_list *scripts)
{
	int i, rc = 0;

	for (i = 0; i < npaths; i++)
		if (discover_one(paths[i], scripts))
			rc = 2;
	return rc;
}

/* ---- runs: one per script and version ---- */

struct run_list {
	struct suite_result **v;
	int n, cap;
};

/* Does version v run script name? As run_all.py: *v6.pkt only over IPv6,
 * *v4.pkt only over IPv4 (plain and mapped). */
static bool version_runs(enum ip_version v, const char *name)
{
	if (v == IP_VERSION_6)
		return !ends_with(name, "v4.pkt");
	return !ends_with(name, "v6.pkt");
}

/* abs relative to root, '/' turned into '.'; abs's last component when
 * it is not below root. */
static char *dotted_class(const char *abs, const char *root)
{
	size_t n = strlen(root);
	char *s, *c;

	if (n > 1 && !strncmp(abs, root, n) && abs[n] == '/')
		s = strdup(abs + n + 1);
	else if (!strcmp(root, "/") && abs[0] == '/' && abs[1])
		s = strdup(abs + 1);
	else
		s = base_name(abs);
	if (!s)
		abort();
	for (c = s; *c; c++)
		if (*c == '/')
			*c = '.';
	return s;
}

static void add_run(struct run_list *l, const struct script_entry *e,
		    const char *dir, const char *abs, enum ip_version ver)
{
	struct suite_result *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->script = strdup(e->shown);
	r->folder = strdup(dir);
	r->base = base_name(e->shown);
	r->abs_dir = strdup(abs ? abs : dir);
	r->classname = dotted_class(r->abs_dir, e->class_root ?
				    e->class_root : "");
	r->rel = e->rel;
	r->version = ver;
	r->script_secs = -1;
	r->events = -1;
	r->packets = -1;
	r->index = l->n;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, (size_t)l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = r;
}

/* Each script once per version that runs it, in script order. */
static void expand(const struct suite_params *p,
		   const struct script_list *scripts, struct run_list *runs)
{
	int i, v, nv = p->nversions ? p->nversions : 1;

	for (i = 0; i < scripts->n; i++) {
		char *dir = dir_name(scripts->v[i].shown);
		char *abs = realpath(dir, NULL);
		char *b = base_name(scripts->v[i].shown);

		for (v = 0; v < nv; v++)
			if (version_runs(version_at(p, v), b))
				add_run(runs, &scripts->v[i], dir, abs,
					version_at(p, v));
		free(b);
		free(abs);
		free(dir);
	}
}

static void free_result(struct suite_result *r)
{
	free(r->script);
	free(r->folder);
	free(r->base);
	free(r->abs_dir);
	free(r->classname);
	free(r->output);
	free(r->message);
	free(r->pcap_path);
	free(r->report_path);
	free(r);
}

/* --shard=K/N: the runs whose position i (in script and version order)
 * has i % N == K - 1. The same scripts and versions always give the same
 * slices, every run is in exactly one, and slices differ by one run at
 * most. */
static void keep_shard(const struct suite_params *p, struct run_list *runs)
{
	int i, k = 0;

	if (p->nshards <= 1)
		return;
	for (i = 0; i < runs->n; i++) {
		if (i % p->nshards == p->shard - 1) {
			runs->v[k] = runs->v[i];
			runs->v[k]->index = k;
			k++;
		} else {
			free_result(runs->v[i]);
		}
	}
	runs->n = k;
}

/* ---- captures ---- */

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

static bool pcap_folder_mode(const char *path, int nruns)
{
	struct stat st;

	return nruns > 1 || ends_with(path, "/") ||
	       (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/* --pcap and --report: each run's file (folder/stem.version.ext, or
 * the one file given for a single run), absolute (runs change folder),
 * its folder created. 0, or 2 after a message. */
static int name_files(const char *given, const char *ext,
		      struct run_list *runs, size_t field)
{
	bool folder_mode = pcap_folder_mode(given, runs->n);
	int i;

	for (i = 0; i < runs->n; i++) {
		struct suite_result *r = runs->v[i];
		char **path = (char **)((char *)r + field);

		if (!folder_mode) {
			*path = strdup(given);
		} else {
			char *stem = strndup(r->rel, strlen(r->rel) -
					     (ends_with(r->rel, ".pkt") ? 4 : 0));

			if (asprintf(path, "%s%s%s.%s.%s", given,
				     ends_with(given, "/") ? "" : "/", stem,
				     suite_version_name(r->version), ext) < 0)
				abort();
			free(stem);
		}
		if ((*path)[0] != '/') {
			char cwd[PATH_MAX], *abs;

			if (!getcwd(cwd, sizeof(cwd)))
				strcpy(cwd, ".");
			if (asprintf(&abs, "%s/%s", cwd, *path) < 0)
				abort();
			free(*path);
			*path = abs;
		}
		if (mkdir_parents(*path)) {
			fprintf(stderr, "netdrill: cannot create the folder "
				"of %s: %s\n", *path, strerror(errno));
			return 2;
		}
	}
	return 0;
}

static int name_captures(const struct suite_params *p, struct run_list *runs)
{
	return name_files(p->pcap, "pcap", runs,
			  offsetof(struct suite_result, pcap_path));
}

/* ---- tally and reports ---- */

struct tally {
	const struct suite_params *p;
	struct text_report *text;	/* NULL with --tap to stdout */
	FILE *tap;			/* NULL without --tap */
	int n, done;
	int passed, failed, unsupported;	/* failed counts unsupported */
	int exit_code;
};

static void on_finished(void *ctx, struct suite_result *r)
{
	struct tally *t = ctx;

	t->done++;
	if (r->outcome == SUITE_PASS) {
		t->passed++;
	} else {
		t->failed++;
		t->unsupported += r->outcome == SUITE_UNSUPPORTED;
		if (t->exit_code < 1)
			t->exit_code = 1;
		if (r->outcome == SUITE_ERROR && r->exit_status == 2)
			t->exit_code = 2;
	}
	if (t->text)
		text_report_result(t->text, r, t->done, t->n);
	if (t->tap)
		tap_add(t->tap, t->done, r);
}

static void on_tick(void *ctx, int started, int done)
{
	struct tally *t = ctx;

	(void)started;
	text_report_progress(t->text, done, t->n);
}

static int open_reports(const struct suite_params *p, struct tally *t)
{
	FILE *human = stdout;

	if (p->tap) {
		if (!strcmp(p->tap, "-")) {
			t->tap = stdout;
			human = NULL;
		} else if (!(t->tap = fopen(p->tap, "w"))) {
			fprintf(stderr, "netdrill: cannot write %s: %s\n",
				p->tap, strerror(errno));
			return 2;
		}
		tap_begin(t->tap, t->n);
	}
	if (human)
		t->text = text_report_new(human, verbose_cli(p));
	return 0;
}

static void close_reports(const struct suite_params *p, struct tally *t,
			  struct suite_result **results, double wall_secs)
{
	if (p->junit && junit_write(p->junit, results, t->n, wall_secs, p)) {
		fprintf(stderr, "netdrill: cannot write %s: %s\n", p->junit,
			strerror(errno));
		t->exit_code = 2;
	}
	if (t->tap) {
		tap_end(t->tap, t->passed, t->failed, t->unsupported);
		if (t->tap != stdout)
			fclose(t->tap);
	}
	if (t->text) {
		text_report_summary(t->text, t->passed, t->failed,
				    t->unsupported);
		text_report_free(t->text);
	}
}

int suite_main(const struct suite_params *p, char *const *paths, int npaths)
{
	struct script_list scripts = { NULL, 0, 0 };
	struct run_list runs = { NULL, 0, 0 };
	struct tally t = { .p = p };
	struct suite_pool_hooks hooks = { on_finished, NULL, 0, &t };
	double t0 = now_secs();
	int i, rc;

	rc = discover(paths, npaths, &scripts);
	if (!rc) {
		expand(p, &scripts, &runs);
		if (runs.n == 0) {
			fprintf(stderr, "netdrill: no runs: every script is "
				"for another IP version (*v4.pkt, *v6.pkt)\n");
			rc = 2;
		}
	}
	if (!rc) {
		int all = runs.n;

		keep_shard(p, &runs);
		t.n = runs.n;
		if (runs.n == 0)
			fprintf(stderr, "netdrill: shard %d/%d holds none of "
				"the %d runs\n", p->shard, p->nshards, all);
		if (p->pcap)
			rc = name_captures(p, &runs);
		if (!rc && p->report)
			rc = name_files(p->report, "html", &runs,
					offsetof(struct suite_result,
						 report_path));
	}
	if (!rc)
		rc = open_reports(p, &t);
	if (!rc) {
		if (t.text && text_report_live(t.text)) {
			hooks.tick = on_tick;
			hooks.tick_ms = 500;
		}
		rc = suite_pool_run(p, runs.v, runs.n, &hooks);
		close_reports(p, &t, runs.v, now_secs() - t0);
		if (p->report && pcap_folder_mode(p->report, runs.n) &&
		    report_html_index(p->report, runs.v, runs.n,
				      now_secs() - t0) && !rc)
			rc = 2;
		if (!rc)
			rc = t.exit_code;
	}

	for (i = 0; i < runs.n; i++)
		free_result(runs.v[i]);
	for (i = 0; i < scripts.n; i++) {
		free(scripts.v[i].shown);
		free(scripts.v[i].rel);
		free(scripts.v[i].class_root);
	}
	free(scripts.v);
	free(runs.v);
	return rc;
}
