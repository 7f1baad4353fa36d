/* SPDX-License-Identifier: GPL-2.0-only */
/* suite_pool.c: the pool of child processes of suite mode (see
 * suite_pool.h): start runs up to the job limit, collect their output and
 * result records, enforce the time limit, judge each run from its
 * record. */
#include "suite_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pcap_writer.h"
#include "run_packet.h"

/* A growing byte buffer, NUL-terminated. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

struct job {
	struct suite_result *r;
	pid_t pid;		/* > 0 while running */
	int out_fd, res_fd;	/* -1 once at end of file */
	struct buf out, res;
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

/* ---- the result record ---- */

static const char *const outcome_words[] = {
	[SUITE_PASS] = "pass", [SUITE_FAIL] = "fail",
	[SUITE_UNSUPPORTED] = "unsupported", [SUITE_ERROR] = "error",
};

char *suite_record_format(long long end_us, int events, long packets,
			  const struct suite_verdict *v, size_t *len)
{
	const char *file = v->file ? v->file : "";
	const char *msg = v->message ? v->message : "";
	unsigned o = (unsigned)v->outcome <= SUITE_ERROR ? v->outcome :
		     SUITE_ERROR;
	char *s;
	int n;

	n = asprintf(&s, "netdrill-result 1\nend_us %lld\nevents %d\n"
		     "packets %ld\noutcome %s\nline %d\nfile %zu\n%s"
		     "message %zu\n%s", end_us, events, packets,
		     outcome_words[o], v->line, strlen(file), file,
		     strlen(msg), msg);
	if (n < 0)
		abort();
	*len = (size_t)n;
	return s;
}

/* "key VALUE\n" at *p: the value's text (up to the newline), p moved
 * past the line. NULL if the line is not there. */
static const char *record_field(const char **p, const char *end,
				const char *key)
{
	size_t k = strlen(key);
	const char *nl, *v;

	if ((size_t)(end - *p) <= k || strncmp(*p, key, k) || (*p)[k] != ' ')
		return NULL;
	v = *p + k + 1;
	nl = memchr(v, '\n', (size_t)(end - v));
	if (!nl)
		return NULL;
	*p = nl + 1;
	return v;
}

/* "key LEN\n" then LEN bytes: a malloc'd copy, p moved past them. */
static char *record_bytes(const char **p, const char *end, const char *key)
{
	const char *v = record_field(p, end, key);
	char *stop;
	unsigned long n;
	char *s;

	if (!v)
		return NULL;
	n = strtoul(v, &stop, 10);
	if (*stop != '\n' || n > (size_t)(end - *p))
		return NULL;
	s = strndup(*p, n);
	if (!s)
		abort();
	*p += n;
	return s;
}

int suite_record_parse(const char *buf, size_t len, long long *end_us,
		       int *events, long *packets, struct suite_verdict *v)
{
	const char *p = buf, *end = buf + len, *f[6];
	static const char *const keys[] = {
		"netdrill-result", "end_us", "events", "packets", "outcome",
		"line",
	};
	int i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < 6; i++)
		if (!(f[i] = record_field(&p, end, keys[i])))
			return -1;
	if (strncmp(f[0], "1\n", 2))
		return -1;
	*end_us = strtoll(f[1], NULL, 10);
	*events = (int)strtol(f[2], NULL, 10);
	*packets = strtol(f[3], NULL, 10);
	v->outcome = SUITE_ERROR;
	for (i = 0; i <= SUITE_ERROR; i++)
		if (!strncmp(f[4], outcome_words[i], strlen(outcome_words[i]))
		    && f[4][strlen(outcome_words[i])] == '\n')
			v->outcome = i;
	v->line = (int)strtol(f[5], NULL, 10);
	v->file = record_bytes(&p, end, "file");
	if (v->file)
		v->message = record_bytes(&p, end, "message");
	if (!v->file || !v->message) {
		suite_verdict_free(v);
		return -1;
	}
	if (!*v->file) {
		free(v->file);
		v->file = NULL;
	}
	if (!*v->message) {
		free(v->message);
		v->message = NULL;
	}
	return 0;
}

/* ---- the child ---- */

/* Hand the record to the parent and end the child. */
static void child_exit(int res_fd, int status, long long end_us, int events,
		       long packets, const struct suite_verdict *v)
{
	size_t len, off = 0;
	char *rec = suite_record_format(end_us, events, packets, v, &len);

	fflush(stdout);
	fflush(stderr);
	while (off < len) {
		ssize_t n = write(res_fd, rec + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			status = 2;
			break;
		}
		off += (size_t)n;
	}
	_exit(status);
}

/* A setup error in the child, before the script runs. */
static void child_setup_error(int res_fd, const char *fmt, const char *a,
			      const char *b)
{
	struct suite_verdict v = { SUITE_ERROR, NULL, 0, NULL };
	char *msg;

	if (asprintf(&msg, fmt, a, b) < 0)
		_exit(2);
	fprintf(stderr, "netdrill: %s\n", msg);
	v.message = msg;
	child_exit(res_fd, 2, -1, -1, -1, &v);
}

/* stdin from /dev/null, stdout and stderr into out_fd. */
static void child_redirect(int out_fd)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0) {
		dup2(devnull, 0);
		close(devnull);
	}
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	close(out_fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* In the child: run one script and report through res_fd. */
static void child_run(const struct suite_params *p, struct suite_result *r,
		      int out_fd, int res_fd)
{
	struct suite_verdict v = { SUITE_PASS, NULL, 0, NULL };
	struct run_packet_observer obs;
	struct pcap_writer *pw = NULL;
	struct cli_option *o;
	struct config base;
	char *error = NULL;
	int n, i, status;
	long packets = -1;

	child_redirect(out_fd);
	/* Commands the script runs must not hold the result pipe open. */
	fcntl(res_fd, F_SETFD, FD_CLOEXEC);
	if (chdir(r->abs_dir))
		child_setup_error(res_fd, "cannot enter %s: %s", r->abs_dir,
				  strerror(errno));

	memset(&obs, 0, sizeof(obs));
	obs.end_us = -1;
	obs.num_events = -1;
	if (r->pcap_path) {
		pw = pcap_writer_open(r->pcap_path,
				      r->version == IP_VERSION_6 ? AF_INET6 :
				      AF_INET, &error);
		if (!pw)
			child_setup_error(res_fd, "%s%s", error ? error :
					  "cannot write capture", "");
		obs.packet = pcap_writer_observe;
		obs.ctx = pw;
	}
	run_packet_observer = &obs;

	o = suite_options_for(p, r->version, &n);
	if (r->report_path) {	/* room for it: suite_options_for */
		o[n].name = "report";
		o[n++].value = r->report_path;
	}
	config_init(&base);
	for (i = 0; i < n; i++)
		if (config_set_option(&base, o[i].name, o[i].value, &error))
			child_setup_error(res_fd, "%s%s", error, "");
	/* The embedded stack's clock is virtual: its time 0 stays the epoch.
	 * A real back end's starts with the run: shift it to real time. */
	if (pw && base.stack != STACK_EMBEDDED) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		pcap_writer_set_offset(pw, (int64_t)t.tv_sec * 1000000 +
				       t.tv_nsec / 1000);
	}
	status = p->run_one(r->base, &base, o, n, &v);
	run_packet_observer = NULL;
	if (pw)
		packets = pcap_writer_close(pw);
	/* A run_one that failed without saying how still fails. */
	if (status != 0 && v.outcome == SUITE_PASS)
		v.outcome = status == 1 ? SUITE_FAIL : SUITE_ERROR;
	child_exit(res_fd, status, (long long)obs.end_us, obs.num_events,
		   packets, &v);
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
	j->start_secs = now_secs();
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

/* ---- judging a run ---- */

/* r->message: "file:line: " and the message's first line. */
static void set_message(struct suite_result *r, const struct suite_verdict *v)
{
	const char *m = v->message ? v->message : "failed";
	int len = (int)strcspn(m, "\n"), k;

	free(r->message);
	if (v->file && v->line > 0)
		k = asprintf(&r->message, "%s:%d: %.*s", v->file, v->line,
			     len, m);
	else if (v->file)
		k = asprintf(&r->message, "%s: %.*s", v->file, len, m);
	else
		k = asprintf(&r->message, "%.*s", len, m);
	if (k < 0)
		abort();
}

static void judge_exit(const struct suite_params *p, struct suite_result *r,
		       int status, bool timed_out, const struct buf *res)
{
	struct suite_verdict v;
	long long end_us;
	int events;
	long packets;
	bool have = res->s && !suite_record_parse(res->s, res->len, &end_us,
						  &events, &packets, &v);

	if (have) {
		r->script_secs = end_us >= 0 ? end_us / 1e6 : -1;
		r->events = events;
		r->packets = packets;
	}
	if (WIFSIGNALED(status)) {
		r->exit_status = WTERMSIG(status);
		r->outcome = timed_out ? SUITE_TIMEOUT : SUITE_CRASH;
		if ((timed_out ? asprintf(&r->message, "timed out after %d s",
					  p->timeout_secs) :
		     asprintf(&r->message, "killed by signal %d (%s)",
			      r->exit_status, strsignal(r->exit_status))) < 0)
			abort();
	} else if (!have) {
		r->exit_status = WEXITSTATUS(status);
		r->outcome = SUITE_ERROR;
		if (asprintf(&r->message, "exit status %d without a result "
			     "from the run", r->exit_status) < 0)
			abort();
	} else {
		r->exit_status = WEXITSTATUS(status);
		r->outcome = v.outcome;
		r->line = v.line;
		if (r->outcome != SUITE_PASS)
			set_message(r, &v);
	}
	if (have)
		suite_verdict_free(&v);
	if (r->pcap_path && r->packets < 0 && r->outcome == SUITE_PASS)
		r->packets = 0;
}

static void finish_job(const struct suite_params *p, struct job *j)
{
	struct suite_result *r = j->r;
	int status = 0;

	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	j->pid = 0;
	r->wall_secs = now_secs() - j->start_secs;
	r->output = j->out.s ? j->out.s : strdup("");
	j->out.s = NULL;
	judge_exit(p, r, status, j->timed_out, &j->res);
	free(j->res.s);
	j->res.s = NULL;
}

/* ---- the pool's loop ---- */

/* Read what is there from fd into the job; false at end of file. With
 * all set, read until nothing is left (without blocking). */
static bool drain(struct job *j, int fd, bool all)
{
	if (all) {
		int flags = fcntl(fd, F_GETFL);

		if (flags >= 0)
			fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	}
	for (;;) {
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)
			return false;
		buf_add(fd == j->res_fd ? &j->res : &j->out, buf, (size_t)n);
		if (!all)
			return true;
	}
}

static void kill_job(struct job *j)
{
	kill(-j->pid, SIGKILL);
	kill(j->pid, SIGKILL);
}

/* Kill the runs over their time; the poll timeout until the next one
 * is due (-1: none), at most cap_ms when cap_ms > 0. */
static int enforce_timeouts(const struct suite_params *p, struct job *jobs,
			    int next, int cap_ms)
{
	double t = now_secs();
	int i, wait_ms = cap_ms > 0 ? cap_ms : -1;

	for (i = 0; p->timeout_secs > 0 && i < next; i++) {
		double left;

		if (jobs[i].pid <= 0 || jobs[i].timed_out)
			continue;
		left = jobs[i].start_secs + p->timeout_secs - t;
		if (left <= 0) {
			jobs[i].timed_out = true;
			kill_job(&jobs[i]);
			left = 0.05;
		}
		if (wait_ms < 0 || left * 1000 + 1 < wait_ms)
			wait_ms = (int)(left * 1000) + 1;
	}
	return wait_ms;
}

/* One pipe of a job hit end of file. */
static void pipe_closed(struct job *j, int fd)
{
	close(fd);
	if (fd == j->out_fd)
		j->out_fd = -1;
	else
		j->res_fd = -1;
	/* The result pipe ends when the run's process does: take what it
	 * wrote, and do not wait for background commands that kept its
	 * output. */
	if (j->res_fd < 0 && j->out_fd >= 0) {
		drain(j, j->out_fd, true);
		close(j->out_fd);
		j->out_fd = -1;
	}
}

/* Poll the running jobs' pipes once; returns the number of runs that
 * ended, or -1 on a poll error. */
static int poll_jobs(const struct suite_params *p, struct job *jobs, int next,
		     int wait_ms, const struct suite_pool_hooks *h)
{
	struct pollfd *pfd = calloc((size_t)next * 2 + 1, sizeof(*pfd));
	struct job **owner = calloc((size_t)next * 2 + 1, sizeof(*owner));
	int np = 0, k, ended = 0, i;

	if (!pfd || !owner)
		abort();
	for (i = 0; i < next; i++) {
		int fds[2] = { jobs[i].out_fd, jobs[i].res_fd }, f;

		for (f = 0; f < 2; f++) {
			if (fds[f] < 0)
				continue;
			pfd[np].fd = fds[f];
			pfd[np].events = POLLIN;
			owner[np++] = &jobs[i];
		}
	}
	if (poll(pfd, (nfds_t)np, wait_ms) < 0 && errno != EINTR) {
		perror("netdrill: poll");
		ended = -1;
	}
	for (k = 0; ended >= 0 && !interrupted && k < np; k++) {
		struct job *j = owner[k];

		if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((pfd[k].fd == j->out_fd || pfd[k].fd == j->res_fd) &&
		    !drain(j, pfd[k].fd, false))
			pipe_closed(j, pfd[k].fd);
		if (j->out_fd < 0 && j->res_fd < 0 && j->pid > 0) {
			finish_job(p, j);
			ended++;
			if (h->finished)
				h->finished(h->ctx, j->r);
		}
	}
	free(pfd);
	free(owner);
	return ended;
}

int suite_pool_run(const struct suite_params *p, struct suite_result **results,
		   int n, const struct suite_pool_hooks *h)
{
	struct job *jobs = calloc((size_t)n + 1, sizeof(*jobs));
	int i, next = 0, active = 0, done = 0, rc = 0, njobs;

	if (!jobs)
		abort();
	for (i = 0; i < n; i++) {
		jobs[i].r = results[i];
		jobs[i].out_fd = jobs[i].res_fd = -1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	njobs = p->jobs > 0 ? p->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (njobs < 1)
		njobs = 1;

	while (done < n) {
		int ended;

		while (active < njobs && next < n) {
			if (start_job(p, &jobs[next])) {
				fprintf(stderr, "netdrill: cannot start a run: "
					"%s\n", strerror(errno));
				rc = 2;
				goto out;
			}
			next++;
			active++;
		}
		if (h->tick)
			h->tick(h->ctx, next, done);
		ended = poll_jobs(p, jobs, next,
				  enforce_timeouts(p, jobs, next, h->tick_ms), h);
		if (interrupted) {
			for (i = 0; i < next; i++)
				if (jobs[i].pid > 0)
					kill_job(&jobs[i]);
			signal(interrupted, SIG_DFL);
			raise(interrupted);
			rc = 2;
			goto out;
		}
		if (ended < 0) {
			rc = 2;
			goto out;
		}
		active -= ended;
		done += ended;
	}
out:
	for (i = 0; i < n; i++) {
		free(jobs[i].out.s);
		free(jobs[i].res.s);
	}
	free(jobs);
	return rc;
}
