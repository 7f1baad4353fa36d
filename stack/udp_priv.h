/* SPDX-License-Identifier: GPL-2.0-only */
/* udp_priv.h: UDP socket operations used by the socket layer. */
#ifndef NETDRILL_UDP_PRIV_H
#define NETDRILL_UDP_PRIV_H

#include "nds_priv.h"

int udp_connect(struct sock *sk, const struct sockaddr *addr, socklen_t len);
ssize_t udp_sendmsg(struct sock *sk, const struct msghdr *msg, int flags);
ssize_t udp_recvmsg(struct sock *sk, struct msghdr *msg, int flags,
		    struct nds_wait *wait);
unsigned int udp_poll(struct sock *sk);
int udp_ioctl(struct sock *sk, unsigned long req, int *out);
int udp_setsockopt(struct sock *sk, int name, const void *val,
		   socklen_t len);
void udp_err(struct sock *sk, int err);

#endif /* NETDRILL_UDP_PRIV_H */
