/* SPDX-License-Identifier: GPL-2.0-only */
/* compare.c: --stack=compare (see compare.h for the approach): a
 * recording wrapper around any struct sut, a fork into an embedded-stack
 * child and a kernel parent, and the diff of their two records. */
#include "compare.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "packet.h"
#include "packet_to_string.h"
#include "sut_kernel.h"
#include "util.h"

#define MAX_FLOWS 64

/* Per TCP connection (by port pair): the two initial sequence numbers. */
struct flow {
	uint16_t lport, rport;
	bool have_local, have_remote;
	uint32_t local_isn, remote_isn;
};

struct rec {
	struct sut sut;
	struct sut_ops ops;	/* ours, with the inner back end's caps */
	struct sut *inner;
	int fd;			/* the record, a memfd */
	sut_output_fn output;
	void *output_ctx;
	int *fds;		/* live fd of script fd #i */
	int nfds;
	struct flow flows[MAX_FLOWS];
	int nflows;
	bool settle;		/* the kernel's side: record a little longer */
	bool ended;		/* the script's events are over: no more
				 * records */
	int nrec;		/* lines recorded so far */
	int call_start;		/* nrec when the current call began */
};

/* What the parent's exit handler needs. */
static struct {
	bool used;
	pid_t child;
	int child_record, child_output, own_record;
	int64_t tolerance;
	int verbose;
} cmp;

static struct rec *rec_of(struct sut *sut)
{
	return sut->priv;
}

/* A system call begins: what is recorded from here to its own line
 * happened while it ran. */
static struct rec *enter(struct sut *sut)
{
	struct rec *r = rec_of(sut);

	r->call_start = r->nrec;
	return r;
}

/* One line "STREAM TIME START TEXT" (t < 0: now). START: for a system
 * call, how many lines were recorded when it began (packets it caused come
 * before its own line, at the same time on the virtual clock), else the
 * line's own place. */
static void record_at(struct rec *r, char stream, int64_t t,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void record_at(struct rec *r, char stream, int64_t t,
		      const char *fmt, ...)
{
	va_list ap;
	char *body, *line;
	int n;

	if (r->ended)
		return;
	va_start(ap, fmt);
	n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t < 0)
		t = r->inner->ops->now(r->inner);
	n = asprintf(&line, "%c %" PRId64 " %d %s\n", stream, t,
		     stream == 'S' ? r->call_start : r->nrec, body);
	free(body);
	if (n < 0)
		return;
	r->nrec++;
	if (write(r->fd, line, (size_t)n) != n) {
		/* a short record shows up as a divergence */
	}
	free(line);
}

#define record(r, stream, ...) record_at(r, stream, -1, __VA_ARGS__)

/* ---- normalising packets ---- */

static struct flow *flow_of(struct rec *r, uint16_t lport, uint16_t rport)
{
	int i;

	for (i = 0; i < r->nflows; i++)
		if (r->flows[i].lport == lport && r->flows[i].rport == rport)
			return &r->flows[i];
	if (r->nflows == MAX_FLOWS)
		return NULL;
	memset(&r->flows[r->nflows], 0, sizeof(struct flow));
	r->flows[r->nflows].lport = lport;
	r->flows[r->nflows].rport = rport;
	return &r->flows[r->nflows++];
}

/* The packet in script syntax, its sequence space relative to each
 * side's ISN and its TS option values blanked. */
static void record_packet(struct rec *r, bool outbound, const uint8_t *data,
			  size_t len, int64_t when)
{
	char *err = NULL, *text;
	struct packet *p = packet_parse(data, len, &err);
	uint8_t *t;

	free(err);
	err = NULL;
	if (!p) {
		record_at(r, 'P', when, "%s unparsable packet of %zu bytes",
		       outbound ? ">" : "<", len);
		return;
	}
	t = packet_tcp(p);
	if (t) {
		uint16_t sport = tcph_src_port(t), dport = tcph_dst_port(t);
		struct flow *f = outbound ? flow_of(r, sport, dport) :
				 flow_of(r, dport, sport);
		uint32_t seq_base = 0, ack_base = 0, sack_base = 0;
		int ts;

		if (f && tcph_flag(t, 0x02)) {		/* SYN */
			if (outbound && !f->have_local) {
				f->local_isn = tcph_seq(t);
				f->have_local = true;
			} else if (!outbound && !f->have_remote) {
				f->remote_isn = tcph_seq(t);
				f->have_remote = true;
			}
		}
		if (f) {
			seq_base = outbound ? f->local_isn : f->remote_isn;
			ack_base = outbound ? f->remote_isn : f->local_isn;
			sack_base = ack_base;
		}
		tcph_set_seq(t, tcph_seq(t) - seq_base);
		if (tcph_flag(t, 0x10))			/* ACK */
			tcph_set_ack_seq(t, tcph_ack_seq(t) - ack_base);
		if (sack_base && packet_offset_sack_blocks(p, -sack_base, &err))
			free(err);
		ts = packet_tcp_ts_val_off(p);
		if (ts >= 0)
			memset(p->buf + ts, 0, 8);
	}
	text = packet_to_string(p, DUMP_SHORT);
	record_at(r, 'P', when, "%s %s", outbound ? ">" : "<", text ? text : "?");
	free(text);
	packet_free(p);
}

static void rec_output(void *ctx, const uint8_t *packet, size_t len,
		       int64_t t_us)
{
	struct rec *r = ctx;

	record_packet(r, true, packet, len, t_us);
	if (r->output)
		r->output(r->output_ctx, packet, len, t_us);
}

/* ---- fds: numbered in the order the script got them ---- */

static void fd_note(struct rec *r, int fd)
{
	int *n = realloc(r->fds, sizeof(int) * (size_t)(r->nfds + 1));

	if (!n)
		abort();
	r->fds = n;
	r->fds[r->nfds++] = fd;
}

static const char *fd_name(struct rec *r, int fd, char *buf, size_t len)
{
	int i;

	for (i = r->nfds - 1; i >= 0; i--)
		if (r->fds[i] == fd) {
			snprintf(buf, len, "fd#%d", i + 1);
			return buf;
		}
	snprintf(buf, len, "fd?");
	return buf;
}

static const char *result(int64_t v, char *buf, size_t len)
{
	if (v < 0 && v > -4096)
		snprintf(buf, len, "-1 %s", strerrorname_np((int)-v) ?
			 strerrorname_np((int)-v) : "E?");
	else
		snprintf(buf, len, "%" PRId64, v);
	return buf;
}

#define BLOCKED(v) ((v) == -SUT_EBLOCKED)

/* ---- the wrapped operations ---- */

/* How long the kernel's side keeps recording after the script's events
 * ended: what the kernel sends in answer to the script's last event leaves
 * a little after it on the real clock, where the embedded stack sends it
 * at once. */
#define COMPARE_SETTLE_USECS 2000

/* The script's events are over (all ran, or one failed): both records end
 * here, the kernel's COMPARE_SETTLE_USECS later. The embedded stack's
 * clock stops at this point; the kernel's runs on while netdrill reports
 * and tears down (as packetdrill's process exits on a failure), and what
 * its timers send then is no answer to the script, so it is not
 * recorded. */
static void rec_events_done(struct sut *sut)
{
	struct rec *r = rec_of(sut);

	if (r->ended)
		return;
	if (r->settle) {
		sut_output_fn out = r->output;

		r->output = NULL;	/* no event is waiting for them */
		r->inner->ops->advance(r->inner,
				       r->inner->ops->now(r->inner) +
				       COMPARE_SETTLE_USECS);
		r->output = out;
	}
	r->ended = true;
}

static void rec_destroy(struct sut *sut)
{
	struct rec *r = rec_of(sut);

	r->output = NULL;	/* the interpreter is gone */
	rec_events_done(sut);
	r->inner->ops->destroy(r->inner);
	free(r->fds);
	free(r);
}

static int64_t rec_now(struct sut *sut)
{
	return rec_of(sut)->inner->ops->now(rec_of(sut)->inner);
}

static int64_t rec_next_event(struct sut *sut)
{
	return rec_of(sut)->inner->ops->next_event(rec_of(sut)->inner);
}

static void rec_advance(struct sut *sut, int64_t t)
{
	rec_of(sut)->inner->ops->advance(rec_of(sut)->inner, t);
}

static int rec_inject(struct sut *sut, const uint8_t *packet, size_t len)
{
	struct rec *r = rec_of(sut);

	record_packet(r, false, packet, len, -1);
	return r->inner->ops->inject(r->inner, packet, len);
}

static void rec_set_output(struct sut *sut, sut_output_fn fn, void *ctx)
{
	struct rec *r = rec_of(sut);

	r->output = fn;
	r->output_ctx = ctx;
	r->inner->ops->set_output(r->inner, rec_output, r);
}

static int rec_socket(struct sut *sut, int domain, int type, int protocol)
{
	struct rec *r = enter(sut);
	int v = r->inner->ops->socket(r->inner, domain, type, protocol);
	char b[64];

	if (v >= 0)
		fd_note(r, v);
	record(r, 'S', "socket(%d, %d, %d) = %s", domain, type, protocol,
	       v >= 0 ? fd_name(r, v, b, sizeof(b)) :
	       result(v, b, sizeof(b)));
	return v;
}

#define SIMPLE(call_expr, fmt, ...)					\
	do {								\
		char a_[32], b_[64];					\
		int64_t v_ = (call_expr);				\
		if (!BLOCKED(v_))					\
			record(r, 'S', fmt " = %s",			\
			       fd_name(r, fd, a_, sizeof(a_)),		\
			       ##__VA_ARGS__, result(v_, b_, sizeof(b_))); \
		return v_;						\
	} while (0)

static int rec_bind(struct sut *sut, int fd, const struct sockaddr *addr,
		    socklen_t len)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->bind(r->inner, fd, addr, len), "bind(%s)");
}

static int rec_listen(struct sut *sut, int fd, int backlog)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->listen(r->inner, fd, backlog), "listen(%s, %d)",
	       backlog);
}

static int rec_accept(struct sut *sut, int fd, struct sockaddr *addr,
		      socklen_t *len, int flags, struct sut_wait *wait)
{
	struct rec *r = enter(sut);
	int v = r->inner->ops->accept(r->inner, fd, addr, len, flags, wait);
	char a[32], b[64];

	if (BLOCKED(v))
		return v;
	if (v >= 0)
		fd_note(r, v);
	fd_name(r, fd, a, sizeof(a));
	record(r, 'S', "accept(%s) = %s", a,
	       v >= 0 ? fd_name(r, v, b, sizeof(b)) :
	       result(v, b, sizeof(b)));
	return v;
}

static int rec_connect(struct sut *sut, int fd, const struct sockaddr *addr,
		       socklen_t len, struct sut_wait *wait)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->connect(r->inner, fd, addr, len, wait),
	       "connect(%s)");
}

static ssize_t rec_sendmsg(struct sut *sut, int fd, const struct msghdr *msg,
			   int flags, struct sut_wait *wait)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->sendmsg(r->inner, fd, msg, flags, wait),
	       "sendmsg(%s, %#x)", flags);
}

static ssize_t rec_recvmsg(struct sut *sut, int fd, struct msghdr *msg,
			   int flags, struct sut_wait *wait)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->recvmsg(r->inner, fd, msg, flags, wait),
	       "recvmsg(%s, %#x)", flags);
}

static int rec_close(struct sut *sut, int fd, struct sut_wait *wait)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->close(r->inner, fd, wait), "close(%s)");
}

static int rec_shutdown(struct sut *sut, int fd, int how)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->shutdown(r->inner, fd, how), "shutdown(%s, %d)",
	       how);
}

static int rec_setsockopt(struct sut *sut, int fd, int level, int name,
			  const void *val, socklen_t len)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->setsockopt(r->inner, fd, level, name, val, len),
	       "setsockopt(%s, %d, %d)", level, name);
}

static int rec_getsockopt(struct sut *sut, int fd, int level, int name,
			  void *val, socklen_t *len)
{
	struct rec *r = enter(sut);
	int v = r->inner->ops->getsockopt(r->inner, fd, level, name, val, len);
	char a[32], b[64], value[48] = "";

	/* Small values (flags, sizes) are compared; TCP_INFO is not, its
	 * times and counters differ between any two runs. */
	if (v == 0 && len && *len > 0 && *len <= 8 &&
	    !(level == IPPROTO_TCP && name == TCP_INFO)) {
		int64_t x = 0;

		memcpy(&x, val, *len);
		snprintf(value, sizeof(value), " value %" PRId64, x);
	}
	record(r, 'S', "getsockopt(%s, %d, %d) = %s%s",
	       fd_name(r, fd, a, sizeof(a)), level, name,
	       result(v, b, sizeof(b)), value);
	return v;
}

static int rec_fcntl(struct sut *sut, int fd, int cmd, long arg)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->fcntl(r->inner, fd, cmd, arg),
	       "fcntl(%s, %d, %ld)", cmd, arg);
}

static int rec_ioctl(struct sut *sut, int fd, unsigned long request,
		     void *arg)
{
	struct rec *r = enter(sut);

	SIMPLE(r->inner->ops->ioctl(r->inner, fd, request, arg),
	       "ioctl(%s, %#lx)", request);
}

static int rec_poll(struct sut *sut, struct pollfd *fds, nfds_t nfds,
		    int timeout_ms, struct sut_wait *wait)
{
	struct rec *r = enter(sut);
	int v = r->inner->ops->poll(r->inner, fds, nfds, timeout_ms, wait);
	char b[64], ev[256] = "";
	size_t i, at = 0;

	if (BLOCKED(v))
		return v;
	for (i = 0; i < nfds && at + 16 < sizeof(ev); i++)
		at += (size_t)snprintf(ev + at, sizeof(ev) - at, " %#x",
				       (unsigned)fds[i].revents);
	record(r, 'S', "poll(%d) = %s revents%s", (int)nfds,
	       result(v, b, sizeof(b)), ev);
	return v;
}

static int rec_epoll_create(struct sut *sut, int flags)
{
	struct rec *r = enter(sut);
	int v = r->inner->ops->epoll_create(r->inner, flags);
	char b[64];

	if (v >= 0)
		fd_note(r, v);
	record(r, 'S', "epoll_create(%#x) = %s", flags,
	       v >= 0 ? fd_name(r, v, b, sizeof(b)) :
	       result(v, b, sizeof(b)));
	return v;
}

static int rec_epoll_ctl(struct sut *sut, int epfd, int op, int fd,
			 struct epoll_event *event)
{
	struct rec *r = enter(sut);
	char e[32];

	fd_name(r, epfd, e, sizeof(e));
	SIMPLE(r->inner->ops->epoll_ctl(r->inner, epfd, op, fd, event),
	       "epoll_ctl(%s, %d, %s)", op, e);
}

static int rec_epoll_wait(struct sut *sut, int epfd,
			  struct epoll_event *events, int maxevents,
			  int timeout_ms, struct sut_wait *wait)
{
	struct rec *r = enter(sut);
	int fd = epfd;

	SIMPLE(r->inner->ops->epoll_wait(r->inner, epfd, events, maxevents,
					 timeout_ms, wait),
	       "epoll_wait(%s)");
}

/* Not recorded: in the embedded run the command shims report sysctl
 * changes through here, in the kernel run commands write them directly. */
static int rec_sysctl_write(struct sut *sut, const char *path,
			    const char *value)
{
	return rec_of(sut)->inner->ops->sysctl_write(rec_of(sut)->inner, path,
						     value);
}

static int rec_sysctl_read(struct sut *sut, const char *path, char *buf,
			   size_t len)
{
	return rec_of(sut)->inner->ops->sysctl_read(rec_of(sut)->inner, path,
						    buf, len);
}

static const char *rec_sysctl_name(struct sut *sut, int i)
{
	return rec_of(sut)->inner->ops->sysctl_name(rec_of(sut)->inner, i);
}

static int rec_sock_state(struct sut *sut, int fd, struct sut_sock_state *st)
{
	return rec_of(sut)->inner->ops->sock_state(rec_of(sut)->inner, fd, st);
}

static const struct sut_ops rec_ops = {
	.name = "compare",
	.destroy = rec_destroy,
	.events_done = rec_events_done,
	.now = rec_now,
	.next_event = rec_next_event,
	.advance = rec_advance,
	.inject = rec_inject,
	.set_output = rec_set_output,
	.socket = rec_socket,
	.bind = rec_bind,
	.listen = rec_listen,
	.accept = rec_accept,
	.connect = rec_connect,
	.sendmsg = rec_sendmsg,
	.recvmsg = rec_recvmsg,
	.close = rec_close,
	.shutdown = rec_shutdown,
	.setsockopt = rec_setsockopt,
	.getsockopt = rec_getsockopt,
	.fcntl = rec_fcntl,
	.ioctl = rec_ioctl,
	.poll = rec_poll,
	.epoll_create = rec_epoll_create,
	.epoll_ctl = rec_epoll_ctl,
	.epoll_wait = rec_epoll_wait,
	.sysctl_write = rec_sysctl_write,
	.sysctl_read = rec_sysctl_read,
	.sysctl_name = rec_sysctl_name,
	.sock_state = rec_sock_state,
};

static struct sut *rec_new(struct sut *inner, int fd)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->ops = rec_ops;
	r->ops.caps = inner->ops->caps;
	if (!inner->ops->sysctl_name)
		r->ops.sysctl_name = NULL;
	r->inner = inner;
	r->fd = fd;
	r->sut.ops = &r->ops;
	r->sut.priv = r;
	return &r->sut;
}

/* ---- the report ---- */

struct line {
	int64_t t;
	int seq;		/* its place in the record (a system call's:
				 * where it began), the order of events at
				 * one time */
	const char *text;
};

struct stream {
	struct line *v;
	int n;
};

static char *slurp(int fd)
{
	size_t cap = 4096, len = 0;
	char *s = malloc(cap);
	ssize_t n;

	if (!s)
		abort();
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, s + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			s = realloc(s, cap);
			if (!s)
				abort();
		}
	}
	s[len] = 0;
	return s;
}

/* Split a record (modified in place) into its two streams. */
static void split(char *text, struct stream *packets, struct stream *calls)
{
	char *save = NULL, *l;

	memset(packets, 0, sizeof(*packets));
	memset(calls, 0, sizeof(*calls));
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct stream *s = l[0] == 'P' ? packets : calls;
		char *rest;

		s->v = realloc(s->v, sizeof(struct line) * (size_t)(s->n + 1));
		if (!s->v)
			abort();
		s->v[s->n].t = strtoll(l + 2, &rest, 10);
		s->v[s->n].seq = (int)strtol(rest, &rest, 10);
		s->v[s->n].text = *rest ? rest + 1 : rest;
		s->n++;
	}
	/* The kernel's sniffer can hand over an answer after the next
	 * injected packet was recorded: packets in time order (stable, so
	 * the embedded stack's ties keep their causal order). */
	for (int i = 1; i < packets->n; i++) {
		struct line x = packets->v[i];
		int j = i;

		for (; j > 0 && packets->v[j - 1].t > x.t; j--)
			packets->v[j] = packets->v[j - 1];
		packets->v[j] = x;
	}
}

/* The first differing word of a and b, with the word before it as the
 * field's name (into name, when given). */
static void field_diff(const char *a, const char *b, char *name,
		       size_t name_len, bool print)
{
	const char *pa = a, *pb = b, *prev_a = NULL;
	size_t prev_len = 0;

	if (name)
		snprintf(name, name_len, "?");
	for (;;) {
		size_t la = strcspn(pa, " "), lb = strcspn(pb, " ");

		if (la != lb || strncmp(pa, pb, la)) {
			if (name && prev_a)
				snprintf(name, name_len, "%.*s",
					 (int)prev_len, prev_a);
			else if (name)
				snprintf(name, name_len, "first word");
			if (!print)
				return;
			if (prev_a)
				printf("compare:   field %.*s: kernel %.*s vs "
				       "embedded %.*s\n", (int)prev_len,
				       prev_a, (int)la, pa, (int)lb, pb);
			else
				printf("compare:   first word: kernel %.*s vs "
				       "embedded %.*s\n", (int)la, pa, (int)lb,
				       pb);
			return;
		}
		if (!pa[la] || !pb[lb])
			return;
		prev_a = pa;
		prev_len = la;
		pa += la + 1;
		pb += lb + 1;
	}
}

/* After the first divergence: how many of the events both records have
 * differ, and in which fields (the first differing one of each), so that
 * one systematic difference does not hide the others. */
static void diff_tally(const char *what, const struct stream *k,
		       const struct stream *e)
{
	struct { char name[32]; int n; } f[16];
	int nf = 0, ndiff = 0, i, j, n = k->n < e->n ? k->n : e->n;

	for (i = 0; i < n; i++) {
		char name[32];

		if (!strcmp(k->v[i].text, e->v[i].text))
			continue;
		ndiff++;
		field_diff(k->v[i].text, e->v[i].text, name, sizeof(name),
			   false);
		for (j = 0; j < nf && strcmp(f[j].name, name); j++)
			;
		if (j == nf && nf < 16) {
			snprintf(f[nf].name, sizeof(f[nf].name), "%s", name);
			f[nf++].n = 0;
		}
		if (j < nf)
			f[j].n++;
	}
	printf("compare: %s: %d of %d differ in text", what, ndiff, n);
	for (j = 0; j < nf; j++)
		printf("%s %s %d", j ? "," : "; first differing field:",
		       f[j].name, f[j].n);
	if (k->n != e->n)
		printf("; kernel %d, embedded %d in all", k->n, e->n);
	printf("\n");
}

/* -v: both records of a stream side by side, one event a line. */
static void list_stream(const char *what, const struct stream *k,
			const struct stream *e)
{
	int i;

	printf("compare: %s, kernel | embedded:\n", what);
	for (i = 0; i < k->n || i < e->n; i++) {
		const struct line *a = i < k->n ? &k->v[i] : NULL;
		const struct line *b = i < e->n ? &e->v[i] : NULL;
		bool same = a && b && !strcmp(a->text, b->text);

		printf("compare: %c%3d ", same ? ' ' : '*', i + 1);
		if (a)
			printf("%10.6f %-56s", (double)a->t / 1e6, a->text);
		else
			printf("%-67s", "");
		if (b)
			printf(" | %10.6f %s", (double)b->t / 1e6,
			       same ? "=" : b->text);
		printf("\n");
	}
}

/* When the event before packet i of s happened on its side: the previous
 * packet or a later system call (or command-delayed call) before it. A
 * call at the packet's own time counts only if it began before the packet
 * was recorded (the write that sent it): on the virtual clock a call that
 * follows the packet in the script (a read after the packet it waited
 * for) has the same time. */
static int64_t prev_time(const struct stream *s, const struct stream *calls,
			 int i)
{
	int64_t t = i ? s->v[i - 1].t : 0;

	for (int j = 0; calls && j < calls->n; j++) {
		const struct line *c = &calls->v[j];

		if ((c->t < s->v[i].t ||
		     (c->t == s->v[i].t && c->seq <= s->v[i].seq)) &&
		    c->t > t)
			t = c->t;
	}
	return t;
}

/* The kernel's timers run on jiffies (CONFIG_HZ of the running kernel,
 * from /proc/config.gz, else 1000) and its timer wheel rounds an expiry
 * up to the granularity of the level it lands in (8 times coarser for each
 * 64 slots: kernel/time/timer.c, calc_wheel_index), so a packet a timer
 * sends leaves on the kernel up to that much plus a tick later than the
 * timeout. How far off the kernel may be for a gap of gap_us. */
static int64_t kernel_timer_slack(int64_t gap_us)
{
	static int64_t tick_us;
	int64_t j, gran = 1;

	if (!tick_us) {
		FILE *f = popen("zcat /proc/config.gz 2>/dev/null | "
				"sed -n 's/^CONFIG_HZ=//p'", "r");
		long hz = 0;

		if (f) {
			if (fscanf(f, "%ld", &hz) != 1)
				hz = 0;
			pclose(f);
		}
		tick_us = hz > 0 && hz <= 10000 ? 1000000 / hz : 1000;
	}
	if (gap_us < 1000)
		return 0;	/* not a timer's */
	/* The embedded stack runs the same wheel (stack/nds.c) with one
	 * fixed phase of the jiffies against the script's clock, the
	 * kernel with its own: the same timer may leave up to a bucket and
	 * a tick either side. */
	for (j = gap_us / tick_us; j >= 63; j >>= 3)
		gran <<= 3;
	return (gran + 2) * tick_us;
}

/* The kernel takes injected packets and answers them on the real clock:
 * its answer to one can be recorded after the next injected packet, where
 * the embedded stack answers before taking the next. Where the kernel's
 * record has, within the tolerance, the embedded stack's next packet a
 * few places later behind packets of the other direction only, move it
 * up (both records then differ only where the stacks do). */
static void align_crossings(struct stream *k, const struct stream *e,
			    int64_t tolerance)
{
	for (int i = 0; i < k->n && i < e->n; i++) {
		char dir;

		if (!strcmp(k->v[i].text, e->v[i].text))
			continue;
		dir = e->v[i].text[0];
		for (int j = i + 1; j < k->n && j <= i + 8; j++) {
			struct line x = k->v[j];

			if (k->v[j - 1].text[0] == dir ||
			    x.t - k->v[i].t > tolerance)
				break;
			if (strcmp(x.text, e->v[i].text))
				continue;
			memmove(&k->v[i + 1], &k->v[i],
				sizeof(struct line) * (size_t)(j - i));
			k->v[i] = x;
			break;
		}
	}
}

/* Print the first divergence of one stream; true if there is one. kc and
 * ec (packets only): the system calls, whose times count as events too. */
static bool diff_stream(const char *what, const struct stream *k,
			const struct stream *e, const struct stream *kc,
			const struct stream *ec, int64_t tolerance)
{
	int i;

	for (i = 0; i < k->n || i < e->n; i++) {
		const struct line *a = i < k->n ? &k->v[i] : NULL;
		const struct line *b = i < e->n ? &e->v[i] : NULL;
		int64_t dt;

		/* Times are compared as the gap since the previous event
		 * (packet or system call): the real clock's small delays,
		 * and the time a command takes on the kernel's side, must
		 * not add up. */
		if (a && b && !strcmp(a->text, b->text)) {
			int64_t gk = a->t - prev_time(k, kc, i);
			int64_t ge = b->t - prev_time(e, ec, i);

			dt = gk - ge;
			if (dt < 0)
				dt = -dt;
			if (what[0] == 'p' && dt > tolerance &&
			    dt <= tolerance + kernel_timer_slack(ge))
				continue;	/* a timer, on jiffies */
			/* an inbound packet's time is the script's, not a
			 * stack's */
			if (what[0] != 'p' || dt <= tolerance ||
			    a->text[0] == '<')
				continue;
		}
		printf("compare: %s: first divergence at #%d:\n", what, i + 1);
		if (a)
			printf("compare:   kernel   %10.6f %s\n",
			       (double)a->t / 1e6, a->text);
		else
			printf("compare:   kernel   (nothing more)\n");
		if (b)
			printf("compare:   embedded %10.6f %s\n",
			       (double)b->t / 1e6, b->text);
		else
			printf("compare:   embedded (nothing more)\n");
		if (a && b && strcmp(a->text, b->text))
			field_diff(a->text, b->text, NULL, 0, true);
		else if (a && b)
			printf("compare:   gap since the previous packet "
			       "differs by %.6f sec (tolerance %.6f)\n",
			       (double)dt / 1e6,
			       (double)tolerance / 1e6);
		diff_tally(what, k, e);
		return true;
	}
	printf("compare: %s: no divergence (%d each)\n", what, k->n);
	return false;
}

static const char *verdict(int status)
{
	return status == 0 ? "pass" : status == 1 ? "fail" : "setup error";
}

static void compare_finish(int status, void *arg)
{
	int st = 0, child_status;
	char *kernel, *embedded, *output;
	struct stream kp, ks, ep, es;
	bool diverged;

	(void)arg;
	fflush(stdout);
	fflush(stderr);
	while (waitpid(cmp.child, &st, 0) < 0 && errno == EINTR)
		;
	child_status = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
	kernel = slurp(cmp.own_record);
	embedded = slurp(cmp.child_record);
	output = slurp(cmp.child_output);
	split(kernel, &kp, &ks);
	split(embedded, &ep, &es);

	printf("compare: kernel:   %s (exit %d)\n", verdict(status), status);
	printf("compare: embedded: %s (exit %d)%s\n", verdict(child_status),
	       child_status, *output ? ", its output:" : "");
	if (*output) {
		char *save = NULL, *l;

		for (l = strtok_r(output, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			printf("compare:   | %s\n", l);
	}
	align_crossings(&kp, &ep, cmp.tolerance);
	if (cmp.verbose) {
		list_stream("packets", &kp, &ep);
		list_stream("system calls", &ks, &es);
	}
	diverged = diff_stream("packets", &kp, &ep, &ks, &es, cmp.tolerance);
	diverged |= diff_stream("system calls", &ks, &es, NULL, NULL, 0);
	diverged |= status != child_status;
	printf("compare: %s\n", diverged ? "the stacks diverge" :
	       "the stacks agree");
	fflush(stdout);
	_exit(status == 2 || child_status == 2 ? 2 : diverged ? 1 : 0);
}

struct sut *compare_sut_new(const struct config *config, char **error)
{
	struct sut *inner;
	pid_t parent = getpid();

	*error = NULL;
	if (cmp.used) {
		*error = strdup("--stack=compare runs one script per "
				"invocation");
		return NULL;
	}
	cmp.used = true;
	cmp.tolerance = config->tolerance_usecs;
	cmp.verbose = config->verbose;
	cmp.child_record = memfd_create("netdrill-compare-embedded",
					MFD_CLOEXEC);
	cmp.child_output = memfd_create("netdrill-compare-output",
					MFD_CLOEXEC);
	cmp.own_record = memfd_create("netdrill-compare-kernel", MFD_CLOEXEC);
	if (cmp.child_record < 0 || cmp.child_output < 0 ||
	    cmp.own_record < 0) {
		fail(error, "cannot create a memfd: %s", strerror(errno));
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	cmp.child = fork();
	if (cmp.child < 0) {
		fail(error, "cannot fork: %s", strerror(errno));
		return NULL;
	}
	if (cmp.child == 0) {
		/* The embedded side: dies with the parent, talks into the
		 * capture. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(2);
		dup2(cmp.child_output, 1);
		dup2(cmp.child_output, 2);
		inner = sut_embedded_new(config, error);
		return inner ? rec_new(inner, cmp.child_record) : NULL;
	}
	inner = sut_kernel_new(config, error);
	if (!inner) {
		kill(cmp.child, SIGKILL);
		waitpid(cmp.child, NULL, 0);
		return NULL;
	}
	on_exit(compare_finish, NULL);
	{
		struct sut *rs = rec_new(inner, cmp.own_record);

		if (rs)
			rec_of(rs)->settle = true;
		return rs;
	}
}
