/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_fastopen_priv.h: TCP Fast Open client state (RFC 7413): the
 * per-socket request that MSG_FASTOPEN / TCP_FASTOPEN_CONNECT build, and
 * the per-instance cookie cache (Linux keeps it in tcp_metrics).
 *
 * Self-contained on purpose: nds_priv.h embeds these structs in struct
 * sock and struct nds, so this header must not include nds_priv.h. The
 * functions live in tcp_fastopen_client.c.
 */
#ifndef NETDRILL_TCP_FASTOPEN_PRIV_H
#define NETDRILL_TCP_FASTOPEN_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define TCP_FASTOPEN_COOKIE_MIN 4
#define TCP_FASTOPEN_COOKIE_MAX 16

/* A Fast Open cookie as carried in the option (struct tcp_fastopen_cookie). */
struct tfo_cookie {
	int8_t len;			/* -1: no option; 0: a request */
	bool exp;			/* experimental kind 254, magic 0xF989 */
	uint8_t val[TCP_FASTOPEN_COOKIE_MAX];
};

/* Per-socket client state (tcp_sock's fastopen_req and syn_* bits). */
struct tfo_client {
	bool req;			/* fastopen_req exists */
	const struct msghdr *msg;	/* data for the SYN, during sendmsg */
	size_t size;			/* bytes the caller offered */
	size_t offered;			/* ... before a faulting buffer cut
					 * the msg (sock_sendmsg_begin) */
	size_t copied;			/* bytes that went into the SYN */
	struct tfo_cookie cookie;	/* option for the first SYN */
	bool opt_pending;		/* first SYN not built yet */
	uint32_t data_len;		/* payload of the first SYN */
	bool defer_connect;		/* TCP_FASTOPEN_CONNECT: SYN on write */
	bool write_pending;		/* a writer waits for the handshake */
	bool no_cookie;			/* TCP_FASTOPEN_NO_COOKIE */
	bool syn_data;			/* the SYN carried data */
	bool syn_fastopen;		/* the SYN carried an FO option */
	bool syn_fastopen_exp;		/* ... of kind 254 */
	uint8_t client_fail;		/* tcpi_fastopen_client_fail: */
#define TFO_STATUS_UNSPEC 0
#define TFO_COOKIE_UNAVAILABLE 1
#define TFO_DATA_NOT_ACKED 2
#define TFO_SYN_RETRANSMITTED 3
};

/* One destination's cached Fast Open facts (struct tcp_fastopen_metrics). */
struct tfo_metric {
	uint8_t daddr[16], saddr[16];	/* struct in6_addr bytes */
	bool used;
	uint16_t mss;			/* MSS from the peer's SYN-ACK */
	uint8_t try_exp;		/* 1: request with kind 254; 2: back to 34 */
	struct tfo_cookie cookie;
	uint64_t age;			/* for replacement */
};

#define TFO_CACHE_SIZE 16

/* Per-instance cache, emptied by `ip tcp_metrics flush`. */
struct tfo_cache {
	struct tfo_metric e[TFO_CACHE_SIZE];
	uint64_t clock;
	int flushes_seen;		/* last net/netdrill/tcp_metrics_flushes */
};

/* ------------------------------------------------ tcp_fastopen_client.c
 * Hooks called from the stack's files (one line each). */
struct sock;
struct tcp_seg;
struct nds_wait;

/* tcp_sendmsg, for MSG_FASTOPEN or a deferred TCP_FASTOPEN_CONNECT
 * (tcp_sendmsg_fastopen): connects, putting what fits of msg into the SYN.
 * Non-zero: tcp_sendmsg returns it. Zero: go on with the normal path, whose
 * bytes already queued are wait->progress (the SYN data). */
ssize_t tcp_sendmsg_fastopen(struct sock *sk, const struct msghdr *msg,
			     int flags, struct nds_wait *wait);
/* tcp_v4_connect, before tcp_connect: true if TCP_FASTOPEN_CONNECT holds
 * the SYN back until the first write (a cookie is cached). */
bool tcp_fastopen_defer_connect(struct sock *sk);
/* tcp_connect, after the SYN is queued: queue the SYN data (if a cookie
 * allows) behind it and choose the FO option (tcp_send_syn_data). */
void tcp_fastopen_connect(struct sock *sk);
/* tcp_send_syn: the FO option and payload of the first SYN (none for
 * retransmissions). opt_used: option bytes already taken. Returns the
 * payload length; *fo_len = -1 means no option. */
uint32_t tcp_fastopen_syn_options(struct sock *sk, int opt_used, int *fo_len,
				  bool *fo_exp, const uint8_t **fo_cookie,
				  const uint8_t **data);
/* tcp_rcv_synsent_state_process, once ESTABLISHED: cache the cookie and
 * MSS, retransmit SYN data the SYN-ACK did not cover. True: send no ACK
 * now (the retransmission or the waiting writer's data carries it). */
bool tcp_rcv_fastopen_synack(struct sock *sk, const struct tcp_seg *seg);
/* tcp_input.c: queue a Fast Open SYN-ACK's data and FIN */
void tcp_fastopen_add_skb(struct sock *sk, const struct tcp_seg *seg);
/* ICMP "fragmentation needed" in SYN_SENT after a SYN with data: mark
 * the SYN and its data lost so tcp_xmit_retransmit_queue resends a plain
 * SYN now (the Fast Open case of tcp_simple_retransmit). */
void tcp_fastopen_mtu_reduced(struct sock *sk);
/* TCP_FASTOPEN_CONNECT and TCP_FASTOPEN_NO_COOKIE; -ENOPROTOOPT for
 * other names. */
int tcp_fastopen_setsockopt(struct sock *sk, int name, int val);
int tcp_fastopen_getsockopt(struct sock *sk, int name, int *val);

#endif /* NETDRILL_TCP_FASTOPEN_PRIV_H */
