/* SPDX-License-Identifier: GPL-2.0-only */
/* socket.c: the socket table. System calls tell it which sockets exist
 * and what they were bound or connected to; run_packet.c fills in what
 * packets reveal (ephemeral ports, ISNs, TS values). */
#include "socket.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* Remote ports for passive opens. packetdrill asks the host for an
 * ephemeral port; the embedded stack has no other users, so a fixed
 * sequence in the ephemeral range keeps runs reproducible. */
#define FIRST_REMOTE_PORT 48123

struct socket_table *socket_table_new(const struct config *config)
{
	struct socket_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->config = config;
	t->next_remote_port = FIRST_REMOTE_PORT;
	return t;
}

void socket_table_free(struct socket_table *t)
{
	struct socket *s, *next;

	if (!t)
		return;
	for (s = t->sockets; s; s = next) {
		next = s->next;
		free(s->ts_map);
		free(s);
	}
	free(t);
}

struct socket *socket_table_add(struct socket_table *t)
{
	struct socket *s = calloc(1, sizeof(*s));

	if (!s)
		abort();	/* out of memory: nothing sensible to do */
	s->fd = -1;
	s->listen_fd = -1;
	s->state = SOCKET_INIT;
	s->protocol = IPPROTO_TCP;
	s->next = t->sockets;
	t->sockets = s;
	t->under_test = s;
	return s;
}

struct socket *socket_find_fd(const struct socket_table *t, int fd)
{
	struct socket *s;

	if (fd < 0)
		return NULL;
	for (s = t->sockets; s; s = s->next)
		if (s->fd == fd)
			return s;
	return NULL;
}

uint16_t socket_table_next_remote_port(struct socket_table *t)
{
	uint16_t port = t->next_remote_port++;

	if (t->next_remote_port == 0 || t->next_remote_port > 60999)
		t->next_remote_port = 32768;
	return port;
}

void endpoint_from_ip(struct endpoint *e, const struct ip_address *ip)
{
	memset(e->ip, 0, sizeof(e->ip));
	e->family = ip->family;
	if (ip->family == AF_INET)
		memcpy(e->ip, &ip->u.v4, 4);
	else if (ip->family == AF_INET6)
		memcpy(e->ip, &ip->u.v6, 16);
}

void endpoint_from_sockaddr(struct endpoint *e, const struct sockaddr *addr,
			    socklen_t len)
{
	memset(e, 0, sizeof(*e));
	e->family = AF_UNSPEC;
	if (!addr)
		return;
	if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const void *)addr;

		e->family = AF_INET;
		memcpy(e->ip, &in->sin_addr, 4);
		e->port = ntohs(in->sin_port);
	} else if (addr->sa_family == AF_INET6 &&
		   len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const void *)addr;

		e->port = ntohs(in6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			e->family = AF_INET;
			memcpy(e->ip, &in6->sin6_addr.s6_addr[12], 4);
		} else {
			e->family = AF_INET6;
			memcpy(e->ip, &in6->sin6_addr, 16);
		}
	}
}

bool endpoint_ip_equal(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family && memcmp(a->ip, b->ip, 16) == 0;
}

void sockets_on_socket(struct socket_table *t, int fd, int domain, int type,
		       int protocol)
{
	struct socket *old = socket_find_fd(t, fd);
	struct socket *s;

	if (old)	/* a stale entry for a reused fd number */
		old->fd = -1;
	s = socket_table_add(t);
	s->fd = fd;
	s->state = SOCKET_NEW;
	s->domain = domain;
	s->type = type & 0xf;	/* without SOCK_NONBLOCK / SOCK_CLOEXEC */
	if (protocol != 0)
		s->protocol = protocol;
	else if (s->type == SOCK_DGRAM)
		s->protocol = IPPROTO_UDP;
	else
		s->protocol = IPPROTO_TCP;
}

void sockets_on_bind(struct socket_table *t, int fd,
		     const struct sockaddr *addr, socklen_t len)
{
	struct socket *s = socket_find_fd(t, fd);
	struct endpoint e;

	if (!s)
		return;
	endpoint_from_sockaddr(&e, addr, len);
	s->live.local.port = e.port;
	/* A wildcard bind says nothing about the address packets use. */
	if (e.family != AF_UNSPEC) {
		static const uint8_t zero[16];

		if (memcmp(e.ip, zero, 16) != 0) {
			s->live.local.family = e.family;
			memcpy(s->live.local.ip, e.ip, 16);
		}
	}
}

void sockets_on_listen(struct socket_table *t, int fd)
{
	struct socket *s = socket_find_fd(t, fd);

	if (!s)
		return;
	s->state = SOCKET_PASSIVE_LISTENING;
	t->under_test = s;
}

void sockets_on_connect(struct socket_table *t, int fd,
			const struct sockaddr *addr, socklen_t len)
{
	struct socket *s = socket_find_fd(t, fd);

	if (!s)
		return;
	endpoint_from_sockaddr(&s->live.remote, addr, len);
	/* Connecting again (e.g. a non-blocking connect polled to
	 * completion) must not forget what the SYN taught us. */
	if (s->state == SOCKET_NEW || s->state == SOCKET_INIT)
		s->state = SOCKET_ACTIVE_CONNECTING;
	t->under_test = s;
}

void sockets_on_disconnect(struct socket_table *t, int fd)
{
	struct socket *s = socket_find_fd(t, fd);

	/* The addresses stay until the next connect() replaces them: the
	 * reset the disconnect sends still belongs to the old connection. */
	if (s)
		s->state = SOCKET_NEW;
}

void sockets_on_accept(struct socket_table *t, int listen_fd, int new_fd)
{
	struct socket *s, *child = NULL;

	/* The child created for the incoming SYN: prefer the socket under
	 * test, else the oldest child not yet accepted. */
	if (t->under_test && t->under_test->fd < 0 &&
	    t->under_test->state >= SOCKET_PASSIVE_PACKET_RECEIVED &&
	    t->under_test->state <= SOCKET_PASSIVE_SYNACK_ACKED)
		child = t->under_test;
	for (s = t->sockets; s && !child; s = s->next)
		if (s->fd < 0 && s->state >= SOCKET_PASSIVE_PACKET_RECEIVED &&
		    s->state <= SOCKET_PASSIVE_SYNACK_ACKED)
			child = s;	/* keeps the last = oldest match */
	if (!child) {
		/* Accepted without netdrill seeing the handshake. */
		child = socket_table_add(t);
		child->state = SOCKET_PASSIVE_SYNACK_ACKED;
	}
	child->fd = new_fd;
	child->listen_fd = listen_fd;
	s = socket_find_fd(t, listen_fd);
	if (s) {
		child->domain = s->domain;
		child->type = s->type;
	}
	t->under_test = child;
}

void sockets_on_close(struct socket_table *t, int fd)
{
	struct socket *s = socket_find_fd(t, fd);

	/* Keep the socket: its connection lives on (FIN, TIME_WAIT) and
	 * the script may still exchange packets with it. Only forget the
	 * fd number, which the next socket() may reuse. */
	if (s)
		s->fd = -1;
}

int sockets_fd_under_test(const struct socket_table *t)
{
	return t && t->under_test ? t->under_test->fd : -1;
}

void socket_set_ts_mapping(struct socket *s, uint32_t script_val,
			   uint32_t live_val)
{
	int i;

	for (i = 0; i < s->ts_map_len; i++)
		if (s->ts_map[i].script_val == script_val) {
			s->ts_map[i].live_val = live_val;
			return;
		}
	if (s->ts_map_len == s->ts_map_cap) {
		int cap = s->ts_map_cap ? 2 * s->ts_map_cap : 16;
		struct ts_map_entry *m = realloc(s->ts_map,
						 (size_t)cap * sizeof(*m));

		if (!m)
			abort();
		s->ts_map = m;
		s->ts_map_cap = cap;
	}
	s->ts_map[s->ts_map_len].script_val = script_val;
	s->ts_map[s->ts_map_len].live_val = live_val;
	s->ts_map_len++;
}

bool socket_get_ts_mapping(const struct socket *s, uint32_t script_val,
			   uint32_t *live_val)
{
	int i;

	for (i = 0; i < s->ts_map_len; i++)
		if (s->ts_map[i].script_val == script_val) {
			*live_val = s->ts_map[i].live_val;
			return true;
		}
	return false;
}

const char *socket_state_name(enum socket_state state)
{
	switch (state) {
	case SOCKET_INIT:			return "init";
	case SOCKET_NEW:			return "new";
	case SOCKET_PASSIVE_LISTENING:		return "listening";
	case SOCKET_PASSIVE_PACKET_RECEIVED:	return "syn received";
	case SOCKET_PASSIVE_SYNACK_SENT:	return "syn-ack sent";
	case SOCKET_PASSIVE_SYNACK_ACKED:	return "syn-ack acked";
	case SOCKET_ACTIVE_CONNECTING:		return "connecting";
	case SOCKET_ACTIVE_SYN_SENT:		return "syn sent";
	case SOCKET_ACTIVE_SYN_ACKED:		return "syn acked";
	}
	return "?";
}
