/* SPDX-License-Identifier: GPL-2.0-only */
/* suite.h: netdrill's suite mode: run many scripts, each in several IP
 * versions, in parallel child processes, and report the results as text,
 * TAP (--tap) and JUnit XML (--junit), with a pcap capture per run
 * (--pcap). What run_all.py, a tcpdump wrapper and a TAP writer do around
 * packetdrill, in one binary.
 *
 * Each run is a fork()ed child: its own fresh stack, its script's folder
 * as working directory (as run_all.py), its output captured through a pipe
 * and shown by the parent when the run ends. */
#ifndef NETDRILL_SUITE_H
#define NETDRILL_SUITE_H

#include <stdbool.h>

#include "config.h"

/* One option as given on the command line (name without "--", value NULL
 * for a flag), kept to apply again after a script's own option lines: the
 * command line wins, as in packetdrill. In suite mode a value may start
 * with "ipv4:", "ipv6:" or "ipv4-mapped-ipv6:" to apply only to the runs
 * of that IP version (e.g. --local_ip=ipv6:fd00::1, -D ipv6:X=1). */
struct cli_option {
	const char *name;
	const char *value;	/* NULL for a flag */
};

#define SUITE_MAX_VERSIONS 3

/* How one run ended, for the reports. */
enum suite_outcome {
	SUITE_PASS = 0,
	SUITE_FAIL,		/* the script failed or is invalid (exit 1) */
	SUITE_UNSUPPORTED,	/* it needs what the back end does not model
				 * (exit 1; counted apart from SUITE_FAIL) */
	SUITE_ERROR,		/* setup error (exit 2), or no result */
	SUITE_CRASH,		/* killed by a signal */
	SUITE_TIMEOUT,		/* killed after timeout_secs */
};

/* What a run says about itself: filled by the suite_script_fn in the
 * child process and handed to the parent through a pipe (never guessed
 * from the run's printed output). */
struct suite_verdict {
	enum suite_outcome outcome;	/* PASS, FAIL, UNSUPPORTED or ERROR */
	char *file;		/* the script the failure is in, or NULL */
	int line;		/* its line, 0 when not tied to a line */
	char *message;		/* the failure without "file:line: ", e.g.
				 * "error handling packet: ..." (may hold
				 * several lines), or NULL */
};

/* Record a failure in v (v may be NULL: nothing is recorded). Only the
 * first one counts; file and message are copied. */
void suite_verdict_set(struct suite_verdict *v, enum suite_outcome outcome,
		       const char *file, int line, const char *message);
void suite_verdict_free(struct suite_verdict *v);

/* Run one script (path relative to the working directory) with the base
 * configuration (for the parser: -D definitions, --dry_run, --dump) and
 * the options to apply after the script's option lines. Returns an exit
 * code (0 pass, 1 script failure, 2 setup error); messages go to stderr,
 * and the verdict (when verdict is not NULL) says how the run ended.
 * main.c provides it. */
typedef int (*suite_script_fn)(const char *path, const struct config *base,
			       const struct cli_option *cli, int ncli,
			       struct suite_verdict *verdict);

/* One script run in one IP version. */
struct suite_result {
	char *script;		/* path as shown: the PATH given + below it */
	char *folder;		/* the script's folder as shown */
	char *base;		/* the script's file name */
	char *abs_dir;		/* absolute folder: the run's working dir */
	char *classname;	/* JUnit class: the folder relative to the
				 * PATH given (its last component first),
				 * '.' between components, e.g. "tcp.sack" */
	char *rel;		/* PATH's last component + below, for the
				 * capture's file name (borrowed) */
	enum ip_version version;
	enum suite_outcome outcome;
	int exit_status;	/* exit code or signal number */
	char *output;		/* what the run printed (stdout and stderr) */
	char *message;		/* the failure as one line, "file:line: ...",
				 * or why there is no verdict (NULL: passed) */
	int line;		/* the failure's script line (0: none) */
	double wall_secs;	/* wall-clock time of the run */
	double script_secs;	/* the back end's clock at the end (-1: none) */
	int events;		/* events run (-1: unknown) */
	long packets;		/* packets captured (-1: no capture) */
	char *pcap_path;	/* capture file, or NULL */
	char *report_path;	/* --report page of this run, or NULL */
	int index;		/* position in input order, from 0 */
};

/* "ok", "FAIL", "NOTSUPP", "ERROR", "CRASH" or "TIMEOUT". */
const char *suite_outcome_word(enum suite_outcome o);

struct suite_params {
	const struct cli_option *cli;	/* command-line options, in order */
	int ncli;
	enum ip_version versions[SUITE_MAX_VERSIONS];
	int nversions;			/* 0: packetdrill's default (ipv4) */
	bool presets;			/* run_all.py's addresses per version */
	int jobs;			/* runs at once; 0: number of CPUs */
	int timeout_secs;		/* wall-clock limit per run; 0: none */
	const char *tap;		/* --tap FILE, "-" stdout, NULL none */
	const char *junit;		/* --junit FILE, NULL none */
	const char *pcap;		/* --pcap FILE or FOLDER, NULL none */
	const char *report;		/* --report FILE.html or FOLDER (one
					 * page per run and index.html) */
	int shard, nshards;		/* --shard=K/N: run only slice K (1..N)
					 * of N; nshards 0: everything */
	suite_script_fn run_one;
};

/* The version named by s ("ipv4", "ipv6", "ipv4-mapped-ipv6"); -1 if none.
 * With len < 0 s is NUL-terminated. */
int suite_parse_version(const char *s, int len);
const char *suite_version_name(enum ip_version v);

/* Parse a comma-separated --ip_version list into p->versions (repeats
 * dropped). 0, or -1 with *error (malloc'd). */
int suite_parse_versions(struct suite_params *p, const char *list,
			 char **error);

/* Parse --shard's "K/N" (1 <= K <= N <= 100000) into p. 0, or -1 with
 * *error (malloc'd). */
int suite_parse_shard(struct suite_params *p, const char *arg, char **error);

/* If value starts with a version scope "VERSION:", return that version
 * and set *rest to what follows; else -1 and *rest = value. */
int suite_option_scope(const char *value, const char **rest);

/* Check the options of every version (a bad address, an IPv4 address for
 * an IPv6 run) before any script runs. 0, or -1 with *error. */
int suite_check(const struct suite_params *p, char **error);

/* Find the scripts of paths[] (files, or folders searched recursively for
 * *.pkt), expand them per version, keep the shard's slice, run them and
 * report. Returns the exit code: 0 if every run passed, 1 if one failed
 * (or was not supported), 2 on a setup error, a path that does not exist
 * or a folder without scripts. */
int suite_main(const struct suite_params *p, char *const *paths, int npaths);

#endif /* NETDRILL_SUITE_H */
