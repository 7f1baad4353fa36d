/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_urg.h: TCP urgent data (tcp_urg.c): per-socket state embedded in
 * struct sock, and the hooks the TCP code calls. */
#ifndef NETDRILL_TCP_URG_H
#define NETDRILL_TCP_URG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Receive side: tp->urg_data / urg_seq; send side: tp->snd_up. */
struct tcp_urg {
	uint16_t urg_data;	/* TCP_URG_* | the urgent byte */
#define TCP_URG_VALID 0x0100	/* the byte arrived and is held */
#define TCP_URG_NOTYET 0x0200	/* pointer seen, byte not yet arrived */
#define TCP_URG_READ 0x0400	/* the byte was read with MSG_OOB */
	uint32_t urg_seq;	/* sequence number of the urgent byte */
	bool snd_up_set;	/* urgent mode: snd_up is meaningful */
	uint32_t snd_up;	/* one past our last urgent byte (BSD) */
};

struct sock;
struct tcp_seg;
struct msghdr;

/* tcp_urg: step 6 of segment processing (URG bit), before its data. */
void tcp_urg(struct sock *sk, const struct tcp_seg *seg);
/* tcp_recvmsg: MSG_OOB reads the held byte (tcp_recv_urg). */
ssize_t tcp_recv_urg(struct sock *sk, struct msghdr *msg, int flags);
/* tcp_recvmsg, before reading: step over the urgent byte at the read
 * position unless SO_OOBINLINE (it is read with MSG_OOB instead). */
void tcp_urg_skip_mark(struct sock *sk, int flags);
/* tcp_recvmsg: a read stops at the urgent mark; n limited so. */
size_t tcp_urg_limit(const struct sock *sk, size_t n);
size_t tcp_urg_splice_limit(const struct sock *sk, size_t n);
/* tcp_recvmsg, after reading: forget urgent data the stream passed. */
void tcp_urg_consumed(struct sock *sk);
/* tcp_push: MSG_OOB makes the last byte written urgent (tcp_mark_urg). */
void tcp_mark_urg(struct sock *sk, int flags);
/* tcp_transmit: URG flag and pointer for a segment starting at seq. */
uint16_t tcp_urg_ptr(const struct sock *sk, uint32_t seq, uint8_t *flags);
/* SIOCATMARK: reading is at the urgent mark. */
int tcp_at_mark(const struct sock *sk);
/* poll: POLLPRI while the urgent byte is held; how many more bytes than
 * otherwise a read needs to count as readable (the held byte). */
unsigned int tcp_urg_poll(const struct sock *sk, uint32_t *target);

#endif /* NETDRILL_TCP_URG_H */
