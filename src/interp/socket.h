/* SPDX-License-Identifier: GPL-2.0-only */
/* socket.h: the socket table -- what netdrill knows about each socket of
 * the system under test, so that script packets (written with script
 * addresses, ports and sequence numbers) and live packets (with the real
 * ones) can be mapped onto each other (packetdrill's struct socket idea).
 *
 * Sequence numbers follow tcpdump's convention, as packetdrill does: in
 * packets with SYN set they are absolute; in all others they are relative
 * to the ISN of their side. The remote side's live ISN is the script's
 * (netdrill injects those packets); the local side's live ISN is learned
 * from the first SYN or SYN-ACK the system under test sends.
 *
 * Ownership: socket_table_new() returns a table the caller frees with
 * socket_table_free(); sockets belong to their table.
 */
#ifndef NETDRILL_SOCKET_H
#define NETDRILL_SOCKET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "config.h"

enum socket_state {
	SOCKET_INIT,			/* created for a packet, no call yet */
	SOCKET_NEW,			/* after socket() */
	SOCKET_PASSIVE_LISTENING,	/* after listen() */
	SOCKET_PASSIVE_PACKET_RECEIVED,	/* child: the first SYN came in */
	SOCKET_PASSIVE_SYNACK_SENT,	/* child: SYN-ACK went out */
	SOCKET_PASSIVE_SYNACK_ACKED,	/* child: the handshake ACK came in */
	SOCKET_ACTIVE_CONNECTING,	/* after connect() */
	SOCKET_ACTIVE_SYN_SENT,		/* the script expects our SYN */
	SOCKET_ACTIVE_SYN_ACKED,	/* the peer's SYN-ACK came in */
};

/* An address and port as they appear on the wire (IPv4 for
 * ipv4-mapped-ipv6 runs). Port in host order; 0 = not known. */
struct endpoint {
	int family;		/* AF_INET, AF_INET6, AF_UNSPEC = not known */
	uint8_t ip[16];		/* IPv4 in the first 4 bytes */
	uint16_t port;
};

/* The script's or the live view of a connection. */
struct socket_side {
	struct endpoint local;	/* the system under test's end */
	struct endpoint remote;	/* netdrill's (the peer's) end */
	uint32_t local_isn;
	uint32_t remote_isn;
};

/* One learned TS val pair: script value -> live value. */
struct ts_map_entry {
	uint32_t script_val;
	uint32_t live_val;
};

struct socket {
	int fd;			/* live fd, -1 if none (not yet accepted) */
	int listen_fd;		/* for accepted children: the listener */
	enum socket_state state;
	int domain, type, protocol;	/* protocol: IPPROTO_TCP/UDP/... */
	struct socket_side script;
	struct socket_side live;

	/* Outbound TS val mapping, learned from matched packets. */
	struct ts_map_entry *ts_map;
	int ts_map_len, ts_map_cap;
	bool found_first_ts;
	uint32_t first_script_ts_val, first_live_ts_val;

	/* IPv6 flow label mapping (script -> live), 0 = none yet. */
	uint32_t flowlabel_script, flowlabel_live;

	struct socket *next;
};

struct socket_table {
	const struct config *config;
	struct socket *sockets;		/* newest first */
	struct socket *under_test;	/* packetdrill's socket under test */
	uint16_t next_remote_port;	/* for passive opens */
};

struct socket_table *socket_table_new(const struct config *config);
void socket_table_free(struct socket_table *t);

/* Called by run_syscall.c after the call SUCCEEDED on the system under
 * test, with the live values used. */
void sockets_on_socket(struct socket_table *t, int fd, int domain, int type,
		       int protocol);
void sockets_on_bind(struct socket_table *t, int fd,
		     const struct sockaddr *addr, socklen_t len);
void sockets_on_listen(struct socket_table *t, int fd);
void sockets_on_connect(struct socket_table *t, int fd,
			const struct sockaddr *addr, socklen_t len);
void sockets_on_accept(struct socket_table *t, int listen_fd, int new_fd);
/* connect(AF_UNSPEC): the socket is SOCKET_NEW again. */
void sockets_on_disconnect(struct socket_table *t, int fd);
void sockets_on_close(struct socket_table *t, int fd);

/* The fd of the socket under test, -1 if none. */
int sockets_fd_under_test(const struct socket_table *t);

/* --- for run_packet.c --- */

/* A new socket object (state SOCKET_INIT, fd -1), made the socket under
 * test. */
struct socket *socket_table_add(struct socket_table *t);
struct socket *socket_find_fd(const struct socket_table *t, int fd);
/* The next remote port for a passive open. */
uint16_t socket_table_next_remote_port(struct socket_table *t);

/* Fill an endpoint from a sockaddr (IPv4-mapped IPv6 becomes IPv4). */
void endpoint_from_sockaddr(struct endpoint *e, const struct sockaddr *addr,
			    socklen_t len);
/* Fill an endpoint's address from a config address. */
void endpoint_from_ip(struct endpoint *e, const struct ip_address *ip);
bool endpoint_ip_equal(const struct endpoint *a, const struct endpoint *b);

/* TS val map */
void socket_set_ts_mapping(struct socket *s, uint32_t script_val,
			   uint32_t live_val);
bool socket_get_ts_mapping(const struct socket *s, uint32_t script_val,
			   uint32_t *live_val);

/* Sequence offsets, packetdrill's convention (see top of file): add the
 * offset to go from script to live (or subtract for live to script). */
static inline uint32_t remote_seq_script_to_live_offset(const struct socket *s,
							bool is_syn)
{
	return is_syn ? 0 : s->live.remote_isn;
}
static inline uint32_t local_seq_script_to_live_offset(const struct socket *s,
						       bool is_syn)
{
	return is_syn ? s->live.local_isn - s->script.local_isn :
			s->live.local_isn;
}

const char *socket_state_name(enum socket_state state);

#endif /* NETDRILL_SOCKET_H */
