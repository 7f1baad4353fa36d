/* SPDX-License-Identifier: GPL-2.0-only */
/* sut_embedded.c: the embedded-stack back end of src/sut.h, a thin
 * adapter over stack/stack.h (the nds_* API mirrors sut.h one-for-one).
 * The only file in src/ that includes stack/stack.h. */
#include "sut.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack.h"
#include "util.h"

_Static_assert(NDS_EBLOCKED == SUT_EBLOCKED, "blocked codes agree");
_Static_assert(sizeof(struct nds_wait) == sizeof(struct sut_wait),
	       "wait layouts agree");
_Static_assert(sizeof(struct nds_sock_state) == sizeof(struct sut_sock_state),
	       "sock_state layouts agree");

static struct nds *ns_of(struct sut *sut)
{
	return sut->priv;
}

/* struct sut_wait and struct nds_wait have the same fields in the same
 * order (checked above); the stack owns the contents either way. */
static struct nds_wait *wait_of(struct sut_wait *wait)
{
	return (struct nds_wait *)wait;
}

static void emb_destroy(struct sut *sut)
{
	nds_free(ns_of(sut));
	free(sut);
}

static int64_t emb_now(struct sut *sut)
{
	return nds_now(ns_of(sut));
}

static int64_t emb_next_event(struct sut *sut)
{
	return nds_next_timer(ns_of(sut));
}

static void emb_advance(struct sut *sut, int64_t t)
{
	nds_advance(ns_of(sut), t);
}

static int emb_inject(struct sut *sut, const uint8_t *packet, size_t len)
{
	return nds_input(ns_of(sut), packet, len);
}

static void emb_set_output(struct sut *sut, sut_output_fn fn, void *ctx)
{
	nds_set_output(ns_of(sut), fn, ctx);
}

static int emb_socket(struct sut *sut, int domain, int type, int protocol)
{
	return nds_socket(ns_of(sut), domain, type, protocol);
}

static int emb_bind(struct sut *sut, int fd, const struct sockaddr *addr,
		    socklen_t len)
{
	return nds_bind(ns_of(sut), fd, addr, len);
}

static int emb_listen(struct sut *sut, int fd, int backlog)
{
	return nds_listen(ns_of(sut), fd, backlog);
}

static int emb_accept(struct sut *sut, int fd, struct sockaddr *addr,
		      socklen_t *len, int flags, struct sut_wait *wait)
{
	return nds_accept(ns_of(sut), fd, addr, len, flags, wait_of(wait));
}

static int emb_connect(struct sut *sut, int fd, const struct sockaddr *addr,
		       socklen_t len, struct sut_wait *wait)
{
	return nds_connect(ns_of(sut), fd, addr, len, wait_of(wait));
}

static ssize_t emb_sendmsg(struct sut *sut, int fd, const struct msghdr *msg,
			   int flags, struct sut_wait *wait)
{
	return nds_sendmsg(ns_of(sut), fd, msg, flags, wait_of(wait));
}

static ssize_t emb_recvmsg(struct sut *sut, int fd, struct msghdr *msg,
			   int flags, struct sut_wait *wait)
{
	return nds_recvmsg(ns_of(sut), fd, msg, flags, wait_of(wait));
}

static int emb_close(struct sut *sut, int fd, struct sut_wait *wait)
{
	return nds_close(ns_of(sut), fd, wait_of(wait));
}

static int emb_shutdown(struct sut *sut, int fd, int how)
{
	return nds_shutdown(ns_of(sut), fd, how);
}

static int emb_setsockopt(struct sut *sut, int fd, int level, int name,
			  const void *val, socklen_t len)
{
	return nds_setsockopt(ns_of(sut), fd, level, name, val, len);
}

static int emb_getsockopt(struct sut *sut, int fd, int level, int name,
			  void *val, socklen_t *len)
{
	return nds_getsockopt(ns_of(sut), fd, level, name, val, len);
}

static int emb_fcntl(struct sut *sut, int fd, int cmd, long arg)
{
	return nds_fcntl(ns_of(sut), fd, cmd, arg);
}

static int emb_ioctl(struct sut *sut, int fd, unsigned long request,
		     void *arg)
{
	return nds_ioctl(ns_of(sut), fd, request, arg);
}

static int emb_poll(struct sut *sut, struct pollfd *fds, nfds_t nfds,
		    int timeout_ms, struct sut_wait *wait)
{
	return nds_poll(ns_of(sut), fds, nfds, timeout_ms, wait_of(wait));
}

static int emb_epoll_create(struct sut *sut, int flags)
{
	return nds_epoll_create(ns_of(sut), flags);
}

static int emb_epoll_ctl(struct sut *sut, int epfd, int op, int fd,
			 struct epoll_event *event)
{
	return nds_epoll_ctl(ns_of(sut), epfd, op, fd, event);
}

static int emb_epoll_wait(struct sut *sut, int epfd,
			  struct epoll_event *events, int maxevents,
			  int timeout_ms, struct sut_wait *wait)
{
	return nds_epoll_wait(ns_of(sut), epfd, events, maxevents, timeout_ms,
			      wait_of(wait));
}

static int emb_sysctl_write(struct sut *sut, const char *path,
			    const char *value)
{
	return nds_sysctl_write(ns_of(sut), path, value);
}

static const char *emb_sysctl_name(struct sut *sut, int i)
{
	(void)sut;
	return nds_sysctl_name(i);
}

static int emb_sysctl_read(struct sut *sut, const char *path, char *buf,
			   size_t len)
{
	return nds_sysctl_read(ns_of(sut), path, buf, len);
}

_Static_assert(sizeof(struct nds_trace_record) ==
	       sizeof(struct sut_trace_record), "trace records agree");
_Static_assert(offsetof(struct nds_trace_record, old) ==
	       offsetof(struct sut_trace_record, old), "trace records agree");
_Static_assert((int)NDS_TRACE_COUNTER == (int)SUT_TRACE_COUNTER,
	       "trace kinds agree");
_Static_assert(NDS_TRACE_WANT_CALLS == SUT_TRACE_WANT_CALLS &&
	       NDS_TRACE_WANT_DETAIL == SUT_TRACE_WANT_DETAIL,
	       "trace wants agree");

/* The embedded back end: struct sut first, then the trace hook. */
struct emb_sut {
	struct sut sut;
	sut_trace_fn trace_fn;
	void *trace_ctx;
};

static void emb_trace_record(void *ctx, const struct nds_trace_record *rec)
{
	struct emb_sut *e = ctx;
	struct sut_trace_record r;

	memcpy(&r, rec, sizeof(r));
	e->trace_fn(e->trace_ctx, &r);
}

static void emb_set_trace(struct sut *sut, sut_trace_fn fn, void *ctx,
			  int want)
{
	struct emb_sut *e = (struct emb_sut *)sut;

	e->trace_fn = fn;
	e->trace_ctx = ctx;
	nds_set_trace_records(ns_of(sut), fn ? emb_trace_record : NULL, e,
			      want);
}

static void emb_trace_sync(struct sut *sut)
{
	nds_trace_sync(ns_of(sut));
}

static int emb_sock_state(struct sut *sut, int fd, struct sut_sock_state *st)
{
	return nds_sock_state(ns_of(sut), fd, (struct nds_sock_state *)st);
}

static const struct sut_ops embedded_ops = {
	.name = "embedded",
	.caps = SUT_CAP_VIRTUAL_CLOCK | SUT_CAP_OWN_SYSCTLS,
	.destroy = emb_destroy,
	.now = emb_now,
	.next_event = emb_next_event,
	.advance = emb_advance,
	.inject = emb_inject,
	.set_output = emb_set_output,
	.socket = emb_socket,
	.bind = emb_bind,
	.listen = emb_listen,
	.accept = emb_accept,
	.connect = emb_connect,
	.sendmsg = emb_sendmsg,
	.recvmsg = emb_recvmsg,
	.close = emb_close,
	.shutdown = emb_shutdown,
	.setsockopt = emb_setsockopt,
	.getsockopt = emb_getsockopt,
	.fcntl = emb_fcntl,
	.ioctl = emb_ioctl,
	.poll = emb_poll,
	.epoll_create = emb_epoll_create,
	.epoll_ctl = emb_epoll_ctl,
	.epoll_wait = emb_epoll_wait,
	.sysctl_write = emb_sysctl_write,
	.sysctl_read = emb_sysctl_read,
	.sysctl_name = emb_sysctl_name,
	.sock_state = emb_sock_state,
	.set_trace = emb_set_trace,
	.trace_sync = emb_trace_sync,
};

/* A small deterministic seed from the addresses, so that two runs of the
 * same script see the same ISNs and timestamps. */
static uint64_t seed_of(const struct nds_config *nc)
{
	const unsigned char *p = (const unsigned char *)nc;
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < offsetof(struct nds_config, seed); i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct sut *sut_embedded_new(const struct config *config, char **error)
{
	struct nds_config nc;
	struct sut *sut;
	struct nds *ns;

	memset(&nc, 0, sizeof(nc));
	nc.mtu = config->mtu > 0 ? config->mtu : 1500;
	if (config->live_local_ip.family == AF_INET) {
		nc.has_v4 = 1;
		nc.local_v4 = config->live_local_ip.u.v4;
		nc.prefix_v4 = config->live_prefix_len;
		if (config->live_gateway_ip.family == AF_INET)
			nc.gateway_v4 = config->live_gateway_ip.u.v4;
	} else if (config->live_local_ip.family == AF_INET6) {
		nc.has_v6 = 1;
		nc.local_v6 = config->live_local_ip.u.v6;
		nc.prefix_v6 = config->live_prefix_len;
		if (config->live_gateway_ip.family == AF_INET6)
			nc.gateway_v6 = config->live_gateway_ip.u.v6;
	} else {
		fail(error, "embedded stack: no local address");
		return NULL;
	}
	nc.seed = seed_of(&nc);

	ns = nds_new(&nc);
	if (!ns) {
		fail(error, "embedded stack: cannot create the stack "
		     "(bad address or out of memory)");
		return NULL;
	}
	sut = calloc(1, sizeof(struct emb_sut));
	if (!sut) {
		nds_free(ns);
		fail(error, "out of memory");
		return NULL;
	}
	sut->ops = &embedded_ops;
	sut->priv = ns;
	/* --mss: injected segments longer than it arrive as GRO packets of
	 * mss-sized segments, as packetdrill's tun writes make them. */
	nds_set_rx_gso_size(ns, config->mss);
	return sut;
}
