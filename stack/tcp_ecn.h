/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_ecn.h: ECN for TCP, RFC 3168 and Accurate ECN (RFC 9768), as
 * Linux mainline has it (include/net/tcp_ecn.h, the AccECN parts of
 * net/ipv4/tcp_input.c and tcp_output.c). Linux 6.18 has no AccECN, so
 * what is modelled here cannot be checked against the host kernel. */
#ifndef NETDRILL_TCP_ECN_H
#define NETDRILL_TCP_ECN_H

#include "tcp_priv.h"

/* net.ipv4.tcp_ecn: the highest ECN variant asked for in, and out */
enum tcp_ecn_sysctl_mode {
	TCP_ECN_IN_NOECN_OUT_NOECN = 0,
	TCP_ECN_IN_ECN_OUT_ECN = 1,
	TCP_ECN_IN_ECN_OUT_NOECN = 2,
	TCP_ECN_IN_ACCECN_OUT_ACCECN = 3,
	TCP_ECN_IN_ACCECN_OUT_ECN = 4,
	TCP_ECN_IN_ACCECN_OUT_NOECN = 5,
};

/* net.ipv4.tcp_ecn_option */
#define TCP_ACCECN_OPTION_DISABLED 0
#define TCP_ACCECN_OPTION_MINIMUM 1
#define TCP_ACCECN_OPTION_FULL 2
#define TCP_ACCECN_OPTION_PERSIST 3

/* acc.fail_mode */
#define TCP_ACCECN_ACE_FAIL_SEND 0x1
#define TCP_ACCECN_ACE_FAIL_RECV 0x2
#define TCP_ACCECN_OPT_FAIL_SEND 0x4
#define TCP_ACCECN_OPT_FAIL_RECV 0x8

/* acc.saw_opt */
#define TCP_ACCECN_OPT_NOT_SEEN 0
#define TCP_ACCECN_OPT_EMPTY_SEEN 1
#define TCP_ACCECN_OPT_COUNTER_SEEN 2
#define TCP_ACCECN_OPT_FAIL_SEEN 3

#define TCP_ACCECN_CEP_ACE_MASK 0x7
#define TCP_ACCECN_ACE_MAX_DELTA 6
#define TCP_ACCECN_CEP_INIT_OFFSET 5
#define TCP_ACCECN_E1B_INIT_OFFSET 1
#define TCP_ACCECN_E0B_INIT_OFFSET 1
#define TCP_ACCECN_CEB_INIT_OFFSET 0
#define TCP_ACCECN_SAFETY_SHIFT 1
#define TCPOLEN_ACCECN_BASE 2
#define TCPOLEN_ACCECN_PERFIELD 3
#define TCP_ACCECN_NUMFIELDS 3
#define TCP_ACCECN_MAXSIZE (TCPOLEN_ACCECN_BASE + \
			    TCPOLEN_ACCECN_PERFIELD * TCP_ACCECN_NUMFIELDS)

#define INET_ECN_NOT_ECT 0
#define INET_ECN_ECT_1 1
#define INET_ECN_ECT_0 2
#define INET_ECN_CE 3

/* the modes, from ecn_flags */
static inline bool tcp_ecn_mode_any(const struct sock *sk)
{
	return (sk->ecn_flags & (TCP_ECN_OK | TCP_ECN_MODE_ACCECN)) != 0;
}
static inline bool tcp_ecn_mode_rfc3168(const struct sock *sk)
{
	return (sk->ecn_flags & (TCP_ECN_OK | TCP_ECN_MODE_ACCECN)) ==
	       TCP_ECN_OK;
}
static inline bool tcp_ecn_mode_accecn(const struct sock *sk)
{
	return (sk->ecn_flags & (TCP_ECN_OK | TCP_ECN_MODE_ACCECN)) ==
	       TCP_ECN_MODE_ACCECN;
}
static inline bool tcp_ecn_mode_pending(const struct sock *sk)
{
	return (sk->ecn_flags & (TCP_ECN_OK | TCP_ECN_MODE_ACCECN)) ==
	       (TCP_ECN_OK | TCP_ECN_MODE_ACCECN);
}

static inline uint8_t tcp_seg_ace(const struct tcp_seg *seg)
{
	return (uint8_t)((seg->ae ? 4 : 0) |
			 ((seg->flags & TCPHDR_CWR) ? 2 : 0) |
			 ((seg->flags & TCPHDR_ECE) ? 1 : 0));
}

/* handshake */
void tcp_ecn_send_syn(struct sock *sk, uint16_t *flags);
void tcp_ecn_rcv_synack(struct sock *sk, const struct tcp_seg *seg);
void tcp_ecn_rcv_syn(struct sock *sk, const struct tcp_seg *seg);
void tcp_ecn_create_request(struct sock *sk, const struct tcp_seg *seg);
uint16_t tcp_ecn_make_synack(struct sock *sk, bool timer_rtx);
void tcp_ecn_syn_recv_rcv_syn(struct sock *sk, const struct tcp_seg *seg);
void tcp_ecn_openreq_child(struct sock *sk, const struct tcp_seg *seg);
void tcp_ecn_challenge_reflect(struct sock *sk, const struct tcp_seg *seg);

/* receive */
void tcp_ecn_received_counters_payload(struct sock *sk,
				       const struct tcp_seg *seg);
void tcp_data_ecn_check(struct sock *sk, const struct tcp_seg *seg);
void tcp_ecn_accept_cwr(struct sock *sk, const struct tcp_seg *seg);
bool tcp_ecn_rcv_ecn_echo(const struct sock *sk, const struct tcp_seg *seg);
uint32_t tcp_accecn_process(struct sock *sk, const struct tcp_seg *seg,
			    uint32_t delivered_pkts, uint32_t delivered_bytes,
			    int *flag, int progress, int syn_acked);
void tcp_ecn_rcv_spurious_retrans(struct sock *sk, const struct tcp_seg *seg);

/* send */
void tcp_ecn_send(struct sock *sk, uint32_t seq, uint32_t len,
		  uint16_t *flags, int *ect);
int tcp_ecn_established_option(struct sock *sk, int size, int *num_sacks,
			       int *nfields);
int tcp_ecn_synack_option(const struct sock *sk, int size, bool sack_alone,
			  bool wscale);
void tcp_ecn_option_sent(struct sock *sk, bool dsack);
void tcp_ecn_option_not_sent(struct sock *sk);
int tcp_ecn_tw_tos(const struct sock *sk);
void tcp_ecn_time_wait(struct sock *sk);

#endif
