/* SPDX-License-Identifier: GPL-2.0-only */
/* sock_errqueue.h: the socket error queue (sk_error_queue) and what feeds
 * it: MSG_ZEROCOPY completion notifications and SO_TIMESTAMPING transmit
 * timestamps. Private to stack/; the hooks below are one-line calls from
 * sock.c, tcp.c, tcp_input.c and tcp_output.c.
 *
 * Call chains modelled (Linux names):
 *   sendmsg  -> tcp_sendmsg_locked -> msg_zerocopy_realloc,
 *               skb_zerocopy_iter_stream (frag limit), tcp_tx_timestamp,
 *               net_zcopy_put / net_zcopy_put_abort
 *   free skb -> skb_zcopy_clear -> msg_zerocopy_callback ->
 *               __msg_zerocopy_callback -> sk_error_queue (coalesced)
 *   xmit     -> __dev_queue_xmit (SCM_TSTAMP_SCHED), driver (SCM_TSTAMP_SND)
 *   ACK      -> tcp_clean_rtx_queue -> tcp_ack_tstamp (SCM_TSTAMP_ACK)
 *   recvmsg(MSG_ERRQUEUE) -> inet_recv_error -> ip_recv_error /
 *               ipv6_recv_error -> sock_dequeue_err_skb
 */
#ifndef NETDRILL_SOCK_ERRQUEUE_H
#define NETDRILL_SOCK_ERRQUEUE_H

#include "nds_priv.h"

#define MAX_SKB_FRAGS 17

/* --- socket options (sock.c) --- */
int sock_set_zerocopy(struct sock *sk, int val);		/* SO_ZEROCOPY */
int sock_set_timestamping(struct sock *sk, const void *val, socklen_t len);
/* getsockopt SO_ZEROCOPY / SO_TIMESTAMPING */
int sock_errqueue_getsockopt(struct sock *sk, int name, void *val,
			     socklen_t *len);
/* accept: the child inherits SOCK_ZEROCOPY and the timestamping flags
 * (sk_clone_lock), with a fresh zerocopy counter and an empty queue.
 * 0, or -ENOMEM. */
int sock_errqueue_clone(struct sock *child, const struct sock *parent);
/* sk_free: drop the queue and any state (after the skb queues are purged) */
void sock_errqueue_destroy(struct sock *sk);

/* --- poll: POLLERR while the error queue is not empty --- */
unsigned int sock_errqueue_poll(const struct sock *sk);

/* --- recvmsg(MSG_ERRQUEUE): one queued report, or -EAGAIN --- */
ssize_t sock_recv_error(struct sock *sk, struct msghdr *msg, int flags);

/* --- sendmsg around the protocol's sendmsg (nds_sendmsg) ---
 * sock_sendmsg_begin: checks the user buffers (-EFAULT where Linux's copy
 * from user space faults; a message whose later buffers are bad is cut to
 * its good prefix in *out, which the caller passes on), allocates or
 * extends the MSG_ZEROCOPY notification range. Returns 0 or a negative
 * errno to return at once. *out stays valid until sock_sendmsg_end.
 * sock_sendmsg_end: completes or aborts the range and records a transmit
 * timestamp key; returns r. */
ssize_t sock_sendmsg_begin(struct sock *sk, const struct msghdr *msg,
			   int flags, struct nds_wait *wait,
			   struct msghdr *out);
ssize_t sock_sendmsg_end(struct sock *sk, const struct msghdr *msg, int flags,
			 struct nds_wait *wait, struct msghdr *out, ssize_t r);

/* --- recvmsg: -EFAULT for a bad buffer when there is data to copy --- */
ssize_t sock_recvmsg_begin(struct sock *sk, struct msghdr *msg, int flags,
			   struct msghdr *out);
void sock_recvmsg_end(struct msghdr *msg, struct msghdr *out);

/* --- tcp_sendmsg loop (tcp.c) ---
 * skb_zcopy_room: before appending to the tail skb: 0 (and the skb marked
 * PSH, tcp_mark_push) when MSG_ZEROCOPY data cannot go into it (no frag
 * left, or it holds another notification range); else copy.
 * skb_zcopy_take: how many of copy bytes at offset off of msg fit into the
 * skb's remaining frags (MAX_SKB_FRAGS), recording them and the range. */
uint32_t skb_zcopy_room(struct sock *sk, struct sk_buff *skb,
			const struct msghdr *msg, size_t off, uint32_t copy);
uint32_t skb_zcopy_take(struct sock *sk, struct sk_buff *skb,
			const struct msghdr *msg, size_t off, uint32_t copy);
/* tcp_tx_timestamp: before the final tcp_push of a sendmsg that copied. */
void sock_tx_timestamp(struct sock *sk, size_t copied);

/* --- skb life (sock.c skb_free, tcp_output.c tcp_fragment) --- */
void skb_zcopy_clear(struct sk_buff *skb);
int skb_zcopy_split(struct sk_buff *skb, struct sk_buff *buff);	/* -ENOMEM */
/* skb_zcopy: the skb holds MSG_ZEROCOPY pages (a notification range) */
bool skb_zcopy(const struct sk_buff *skb);

/* --- transmit timestamps --- */
/* tcp_transmit: a segment with len payload bytes left at seq */
void sock_tx_tstamp_xmit(struct sock *sk, uint32_t seq, uint8_t flags,
			 const uint8_t *data, uint32_t len);
/* tcp_ack: bytes [prior_snd_una, snd_una) were just acknowledged */
void sock_tx_tstamp_acked(struct sock *sk, uint32_t prior_snd_una);

#endif /* NETDRILL_SOCK_ERRQUEUE_H */
