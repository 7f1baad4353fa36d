/* SPDX-License-Identifier: GPL-2.0-only */
/* main.c: the netdrill command line: read options, then parse, check,
 * dump or run each script named on the command line. */
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "script.h"

#include "code.h"
#include "run.h"
#include "report_html.h"
#include "run_packet.h"
#include "suite.h"
#include "trace.h"
#include "util.h"

enum {
	EXIT_PASS = 0,		/* every script valid / passed */
	EXIT_SCRIPT = 1,	/* an invalid script or a failed run */
	EXIT_USAGE = 2,		/* bad command line or setup error */
};

#define OPT_HELP	1000
#define OPT_VERSION	1001
#define OPT_JOBS	1002	/* suite mode (suite.h) */
#define OPT_TAP		1003
#define OPT_JUNIT	1004
#define OPT_PCAP	1005
#define OPT_TIMEOUT	1006
#define OPT_SHARD	1007
#define OPT_UNSUPPORTED	2000	/* + index in config_unsupported_options */

/* struct cli_option (one option as given on the command line) is in
 * suite.h, which runs scripts with them too. */

static const char *progname = "netdrill";

static void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		progname);
	exit(EXIT_USAGE);
}

static void show_help(void)
{
	const struct config_option_info *o;

	printf("Usage: %s [OPTION]... SCRIPT.pkt|FOLDER...\n"
	       "Run packetdrill scripts against netdrill's embedded TCP/IP stack.\n"
	       "\nOptions (--name=value or --name value; defaults in parentheses):\n",
	       progname);
	for (o = config_options; o->name; o++) {
		char left[64];
		const char *shrt = !strcmp(o->name, "define") ? "-D, " :
				   !strcmp(o->name, "verbose") ? "-v, " : "    ";

		snprintf(left, sizeof(left), "%s--%s%s%s", shrt, o->name,
			 o->arg_help ? "=" : "", o->arg_help ? o->arg_help :
			 !strcmp(o->name, "trace") ? "[=LIST]" : "");
		if (strlen(left) > 28)
			printf("  %s\n  %-28s %s\n", left, "", o->help);
		else
			printf("  %-28s %s\n", left, o->help);
	}
	printf("\nSuite mode (folders, several scripts or versions; see netdrill(1)):\n");
	printf("  %-28s %s\n", "-j, --jobs=N", "runs at once (number of CPUs)");
	printf("  %-28s %s\n", "    --ip_version=V,V,...",
	       "each script once per version, run_all.py's");
	printf("  %-28s %s\n", "", "addresses; VERSION:value scopes an option");
	printf("  %-28s %s\n", "    --tap[=FILE]", "TAP 13 results (stdout without FILE)");
	printf("  %-28s %s\n", "    --junit=FILE", "JUnit XML results");
	printf("  %-28s %s\n", "    --pcap=PATH", "a capture per run (PATH a folder for many)");
	printf("  %-28s %s\n", "    --timeout=SECS", "wall-clock limit per run (none)");
	printf("  %-28s %s\n", "    --shard=K/N", "run only the K-th of N slices (CI matrix)");
	printf("\n");
	printf("  %-28s %s\n", "    --help", "print this help and exit");
	printf("  %-28s %s\n", "    --version", "print the version and exit");
	printf("\nEach SCRIPT is parsed and checked, then run against the embedded\n"
	       "stack on a virtual clock; the first failure of a script is reported\n"
	       "as FILE:LINE: error ...\n"
	       "\nExit status: 0 if every script is valid (--dry_run, --dump) or passed,\n"
	       "1 if a script is invalid or fails, 2 on a usage or setup error.\n"
	       "See netdrill(1).\n");
}

/* Suite mode's own options, which config_options[] does not hold. */
static const struct option suite_options[] = {
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "tap", optional_argument, NULL, OPT_TAP },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "pcap", required_argument, NULL, OPT_PCAP },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "shard", required_argument, NULL, OPT_SHARD },
};
#define N_SUITE_OPTIONS (sizeof(suite_options) / sizeof(suite_options[0]))

/* Build getopt_long's table from config_options[], the unsupported
 * packetdrill options and suite_options[]. */
static struct option *make_long_options(void)
{
	size_t n = 0, nu = 0, i;
	struct option *opts;

	while (config_options[n].name)
		n++;
	while (config_unsupported_options[nu].name)
		nu++;
	/* help, version, the suite's, and the zero entry that ends it */
	opts = calloc(n + 2 + nu + N_SUITE_OPTIONS + 1, sizeof(*opts));
	if (!opts)
		abort();
	for (i = 0; i < n; i++) {
		opts[i].name = config_options[i].name;
		opts[i].has_arg = config_options[i].has_arg ?
				  required_argument :
				  !strcmp(config_options[i].name, "trace") ?
				  optional_argument : no_argument;
		opts[i].val = 256 + (int)i;
	}
	opts[n].name = "help";
	opts[n].val = OPT_HELP;
	opts[n + 1].name = "version";
	opts[n + 1].val = OPT_VERSION;
	for (i = 0; i < nu; i++) {
		opts[n + 2 + i].name = config_unsupported_options[i].name;
		opts[n + 2 + i].has_arg = config_unsupported_options[i].has_arg ?
					  required_argument : no_argument;
		opts[n + 2 + i].val = OPT_UNSUPPORTED + (int)i;
	}
	memcpy(&opts[n + 2 + nu], suite_options, sizeof(suite_options));
	return opts;
}

/* Is "--abc[=...]" a prefix of several long options (getopt_long takes
 * unambiguous abbreviations)? */
static int is_ambiguous(const struct option *opts, const char *arg)
{
	size_t len;
	int n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return 0;
	arg += 2;
	len = strcspn(arg, "=");
	for (; opts->name; opts++)
		if (strncmp(opts->name, arg, len) == 0)
			n++;
	return n > 1;
}

/* An unknown or malformed option (getopt_long returned c, ':' or '?'),
 * in glibc getopt's own wording. */
static void getopt_error(int c, const struct option *long_options,
			 char **argv) __attribute__((noreturn));

static void getopt_error(int c, const struct option *long_options,
			 char **argv)
{
	switch (c) {
	case ':':
		if (optopt > 0 && optopt < 256)
			usage_error("option requires an argument -- '%c'",
				    optopt);
		usage_error("option '%s' requires an argument",
			    argv[optind - 1]);
	case '?':
		if (optopt >= 256 || optopt == OPT_HELP ||
		    optopt == OPT_VERSION)
			usage_error("option '%.*s' doesn't allow an "
				    "argument", (int)strcspn(
				    argv[optind - 1], "="),
				    argv[optind - 1]);
		if (optopt)
			usage_error("invalid option -- '%c'", optopt);
		if (is_ambiguous(long_options, argv[optind - 1]))
			usage_error("option '%.*s' is ambiguous",
				    (int)strcspn(argv[optind - 1], "="),
				    argv[optind - 1]);
		usage_error("unrecognized option '%s'",
			    argv[optind - 1]);
	}
	usage_error("unrecognized option '%s'", argv[optind - 1]);
}

/* Apply the recorded command-line options to a config. */
static int apply_cli(struct config *config, const struct cli_option *cli,
		     int ncli, char **error)
{
	int i;

	for (i = 0; i < ncli; i++)
		if (config_set_option(config, cli[i].name, cli[i].value,
				      error))
			return -1;
	return 0;
}

/* Record a failure "kind: message" in the verdict (NULL: none kept). */
static void record(struct suite_verdict *verdict, enum suite_outcome outcome,
		   const char *path, int line, const char *kind,
		   const char *message)
{
	char *m;

	if (!verdict)
		return;
	if (asprintf(&m, "%s: %s", kind, message) < 0)
		abort();
	suite_verdict_set(verdict, outcome, path, line, m);
	free(m);
}

/* A run's failure: run_script's message starts "PATH:LINE: " (run.h);
 * keep the line apart from the rest. */
static void record_run(struct suite_verdict *verdict, int rc,
		       const char *path, const char *error)
{
	enum suite_outcome o = rc == RUN_UNSUPPORTED ? SUITE_UNSUPPORTED :
			       rc == 1 ? SUITE_FAIL : SUITE_ERROR;
	size_t n = strlen(path);
	const char *rest = error ? error : "failed";
	int line = 0;

	if (error && !strncmp(error, path, n) && error[n] == ':') {
		char *end;
		long l = strtol(error + n + 1, &end, 10);

		if (end > error + n + 1 && end[0] == ':' && end[1] == ' ' &&
		    l > 0 && l < INT32_MAX) {
			line = (int)l;
			rest = end + 2;
		} else if (end == error + n + 1 && end[0] == ' ') {
			rest = error + n + 2;
		}
	}
	suite_verdict_set(verdict, o, path, line, rest);
}

/* The configuration a script runs with: packetdrill's defaults, then the
 * script's option lines, then the command line, which overrides them.
 * On error the message is printed and nothing is left to free. */
static int script_config(struct config *config, const struct script *script,
			 const char *path, const struct cli_option *cli,
			 int ncli, struct suite_verdict *verdict)
{
	const struct ast_option *opt;
	char *error = NULL;

	config_init(config);
	config->script_path = path;
	for (opt = script->options; opt; opt = opt->next) {
		if (config_set_option(config, opt->name, opt->value, &error)) {
			fprintf(stderr, "%s:%d:%d: error: %s\n", path,
				opt->loc.line, opt->loc.column,
				error ? error : "bad option");
			record(verdict, SUITE_FAIL, path, opt->loc.line, "error",
			       error ? error : "bad option");
			free(error);
			config_free(config);
			return -1;
		}
	}
	if (apply_cli(config, cli, ncli, &error) ||
	    config_finalize(config, &error)) {
		fprintf(stderr, "%s: error: %s\n", path,
			error ? error : "bad configuration");
		record(verdict, SUITE_FAIL, path, 0, "error",
		       error ? error : "bad configuration");
		free(error);
		config_free(config);
		return -1;
	}
	return 0;
}

/* --dry_run: the checks the run makes on the script's own text (each
 * packet builds). 0, or 1 after printing every failure. */
static int dry_run_checks(const struct config *config,
			  const struct script *script, const char *path,
			  struct suite_verdict *verdict)
{
	int status = EXIT_PASS;

	for (int i = 0; i < script->nevents; i++) {
		enum ast_event_kind kind = script->events[i].kind;
		const struct ast_event *ev;
		char *error = NULL;

		if (kind != EVENT_PACKET && kind != EVENT_CODE)
			continue;
		ev = script_event_load(script, i);
		if (!ev)
			error = strdup_printf("%s:%d: error: out of memory",
					      path, script->events[i].line);
		else if (kind == EVENT_CODE ? !code_check(path, ev, &error) :
			 !run_packet_check(config, ev, &error)) {
			ast_event_free(ev);
			continue;
		}
		ast_event_free(ev);
		fprintf(stderr, "%s\n", error);
		record_run(verdict, 1, path, error);
		free(error);
		status = EXIT_SCRIPT;
	}
	return status;
}

/* Parse, check and then dump or run one script; returns an exit code. */
static int do_script(const char *path, const struct config *base,
		     const struct cli_option *cli, int ncli,
		     struct suite_verdict *verdict)
{
	struct config config;
	struct script *script;
	int nerrors = 0, status = EXIT_PASS;

	script = script_parse_file(path, base, stderr, &nerrors);
	if (!script) {
		record(verdict, SUITE_FAIL, path, 0, "error",
		       "cannot read the script");
		return EXIT_SCRIPT;
	}
	if (nerrors > 0) {
		record(verdict, SUITE_FAIL, path, script->error_line, "error",
		       script->error_message ? script->error_message :
		       "invalid script");
		script_free(script);
		return EXIT_SCRIPT;
	}
	if (script_config(&config, script, path, cli, ncli, verdict)) {
		script_free(script);
		return EXIT_SCRIPT;
	}
	if (base->dump)
		script_dump(script, stdout);
	if (base->dry_run)
		status = dry_run_checks(&config, script, path, verdict);
	if (!base->dry_run && !base->dump) {
		char *error = NULL;
		int rc = run_script(&config, script, &error);

		/* run.h: 0 passed, 1 failed, 2 setup error, RUN_UNSUPPORTED
		 * a feature the back end does not model. */
		if (rc != 0) {
			if (error)
				fprintf(stderr, "%s\n", error);
			record_run(verdict, rc, path, error);
			status = rc == 2 ? EXIT_USAGE : EXIT_SCRIPT;
		}
		free(error);
	}
	config_free(&config);
	script_free(script);
	return status;
}

/* Suite mode (suite.h) with the options recorded in cli[]. */
static int run_suite(struct suite_params *suite, struct cli_option *cli,
		     int ncli, char *const *paths, int npaths)
{
	char *error = NULL;
	int i, k;

	/* the versions' own --ip_version comes from the list */
	for (k = 0, i = 0; i < ncli; i++) {
		/* --report names a folder of reports (suite.h) */
		if (!strcmp(cli[i].name, "report")) {
			suite->report = cli[i].value;
			continue;
		}
		if (strcmp(cli[i].name, "ip_version") || suite->nversions == 0)
			cli[k++] = cli[i];
	}
	suite->cli = cli;
	suite->ncli = k;
	suite->run_one = do_script;
	if (suite_check(suite, &error))
		usage_error("%s", error);
	return suite_main(suite, paths, npaths);
}

int main(int argc, char **argv)
{
	/* --report pages are drawn by report/ from interp's trace. */
	trace_report_writer = report_html_write;
	/* Static: still reachable when usage_error() exits. */
	static struct option *long_options;
	static struct cli_option *cli;
	static struct config base, check;
	static struct suite_params suite;
	char *error = NULL;
	int ncli = 0, c, i, status = EXIT_PASS;
	bool suite_mode = false, scoped = false;

	long_options = make_long_options();
	cli = calloc(argc + 1, sizeof(*cli));
	if (!cli)
		abort();
	opterr = 0;	/* our own messages, with the --help hint */
	config_init(&base);
	while ((c = getopt_long(argc, argv, ":vD:j:", long_options, NULL)) != -1) {
		const char *name;

		switch (c) {
		case OPT_HELP:
			show_help();
			goto done;
		case OPT_VERSION:
			printf("netdrill %s\n", PACKAGE_VERSION);
			goto done;
		case 'v':
			name = "verbose";
			break;
		case 'D':
			name = "define";
			break;
		case 'j':
		case OPT_JOBS:
		case OPT_TIMEOUT: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || end == optarg || n < (c == OPT_TIMEOUT ? 0 : 1)
			    || n > 100000)
				usage_error("bad --%s: '%s' (expected an integer "
					    "from %d to 100000)", c == OPT_TIMEOUT ?
					    "timeout" : "jobs", optarg,
					    c == OPT_TIMEOUT ? 0 : 1);
			if (c == OPT_TIMEOUT)
				suite.timeout_secs = (int)n;
			else
				suite.jobs = (int)n;
			suite_mode = true;
			continue;
		}
		case OPT_TAP:
			suite.tap = optarg ? optarg : "-";
			suite_mode = true;
			continue;
		case OPT_JUNIT:
			suite.junit = optarg;
			suite_mode = true;
			continue;
		case OPT_PCAP:
			suite.pcap = optarg;
			suite_mode = true;
			continue;
		case OPT_SHARD:
			if (suite_parse_shard(&suite, optarg, &error))
				usage_error("%s", error);
			suite_mode = true;
			continue;
		/* Unknown or malformed options: glibc getopt's own wording. */
		case ':':
		case '?':
			getopt_error(c, long_options, argv);
		default:
			if (c >= OPT_UNSUPPORTED)
				name = config_unsupported_options[
					c - OPT_UNSUPPORTED].name;
			else
				name = config_options[c - 256].name;
			break;
		}
		/* A list of versions, or a value scoped to one version
		 * ("ipv6:..."): suite mode, checked per version below. */
		if (!strcmp(name, "ip_version") && strchr(optarg, ',')) {
			if (suite_parse_versions(&suite, optarg, &error))
				usage_error("%s", error);
			suite.presets = true;
			suite_mode = true;
			continue;
		}
		if (!strcmp(name, "ip_version") &&
		    suite_parse_version(optarg, -1) >= 0) {
			suite.versions[0] = suite_parse_version(optarg, -1);
			suite.nversions = 1;
		}
		cli[ncli].name = name;
		cli[ncli].value = optarg;
		if (suite_option_scope(optarg, &(const char *){ NULL }) >= 0) {
			scoped = true;
			ncli++;
			continue;
		}
		if (config_set_option(&base, name, optarg, &error))
			usage_error("%s", error);
		ncli++;
	}

	/* Suite mode: folders, several scripts or versions, reports,
	 * captures (suite.h); never for --dry_run or --dump. */
	for (i = optind; i < argc && !suite_mode; i++) {
		struct stat st;

		suite_mode = argc - optind > 1 ||
			     (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode));
	}
	if (base.dry_run || base.dump)
		suite_mode = false;
	if (suite_mode || scoped) {
		if (optind >= argc)
			usage_error("no script given");
		status = run_suite(&suite, cli, ncli, argv + optind,
				   argc - optind);
		goto done;
	}

	/* Catch what only shows once all options are in (an IPv4 address
	 * with --ip_version=ipv6) before touching any script. */
	config_init(&check);
	if (apply_cli(&check, cli, ncli, &error) ||
	    config_finalize(&check, &error))
		usage_error("%s", error);
	config_free(&check);

	if (optind >= argc)
		usage_error("no script given");

	for (i = optind; i < argc; i++) {
		int s = do_script(argv[i], &base, cli, ncli, NULL);

		if (s > status)
			status = s;
	}
done:
	config_free(&base);
	free(cli);
	free(long_options);
	return status;
}
