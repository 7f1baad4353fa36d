/* SPDX-License-Identifier: GPL-2.0-only */
/* suite_pool.h: suite mode's pool of child processes (internal to
 * src/report/). Each run is fork()ed into its own process group, runs its
 * script in its folder with the output captured through one pipe, and
 * hands its verdict (struct suite_verdict), its clock and its packet
 * count to the parent through a second pipe as a small record:
 *
 *     netdrill-result 1
 *     end_us N          the back end's clock at the end (-1: none)
 *     events N          events run (-1: unknown)
 *     packets N         packets captured (-1: no capture)
 *     outcome WORD      pass, fail, unsupported or error
 *     line N            the failure's script line (0: none)
 *     file LEN          then LEN bytes: the failure's script ("" none)
 *     message LEN       then LEN bytes: the failure's message
 *
 * A run that ends without a complete record (killed, or it exited before
 * writing one) is judged by its exit status or signal alone. */
#ifndef NETDRILL_SUITE_POOL_H
#define NETDRILL_SUITE_POOL_H

#include "suite.h"

/* What the pool tells its caller (the reporters and the progress line). */
struct suite_pool_hooks {
	/* a run ended; r is complete (outcome, message, output, times) */
	void (*finished)(void *ctx, struct suite_result *r);
	/* called at least every tick_ms while runs go on (tick_ms 0: never) */
	void (*tick)(void *ctx, int started, int done);
	int tick_ms;
	void *ctx;
};

/* Run results[0..n-1], p->jobs at a time, each limited to
 * p->timeout_secs. 0 when every run ended (whatever its outcome), 2 when
 * a run could not be started. On SIGINT/SIGTERM/SIGHUP the runs are
 * killed and the signal is raised again (the process ends). */
int suite_pool_run(const struct suite_params *p, struct suite_result **results,
		   int n, const struct suite_pool_hooks *hooks);

/* The options of one version's runs (suite.c): presets, then the command
 * line's unscoped options and those scoped to v, then the version. The
 * array is malloc'd; the strings are borrowed. */
struct cli_option *suite_options_for(const struct suite_params *p,
				     enum ip_version v, int *n);

/* The record's encoding, shared with the tests. parse returns 0 when buf
 * holds a complete record. */
char *suite_record_format(long long end_us, int events, long packets,
			  const struct suite_verdict *v, size_t *len);
int suite_record_parse(const char *buf, size_t len, long long *end_us,
		       int *events, long *packets, struct suite_verdict *v);

#endif /* NETDRILL_SUITE_POOL_H */
