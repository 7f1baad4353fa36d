/* SPDX-License-Identifier: GPL-2.0-only */
/* tcp_cubic.h: CUBIC hooks used by tcp_cong.c. */
#ifndef NETDRILL_TCP_CUBIC_H
#define NETDRILL_TCP_CUBIC_H

#include "tcp_priv.h"

void cubictcp_init(struct sock *sk);
void cubictcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked);
uint32_t cubictcp_recalc_ssthresh(struct sock *sk);
uint32_t cubictcp_undo_cwnd(struct sock *sk);
void cubictcp_state_loss(struct sock *sk);
void cubictcp_tx_start(struct sock *sk);
void cubictcp_acked(struct sock *sk, uint32_t rtt_us);

#endif /* NETDRILL_TCP_CUBIC_H */
