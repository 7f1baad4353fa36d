/* SPDX-License-Identifier: GPL-2.0-only */
/* netns.h: a private network namespace with a TUN device for kernel mode.
 *
 * netns_enter() moves the calling process (which must still be
 * single-threaded) into a fresh network namespace and a private mount
 * namespace of its own, so nothing it does reaches the host's interfaces,
 * routes or sysctls. Everything it creates lives only as long as the
 * process: the namespace, the TUN device and its addresses and routes
 * vanish when the process exits, however it exits (SIGKILL included),
 * because no other process holds a reference to them and nothing is
 * written to the file system.
 *
 * Inside it, netns_tun_up() brings up lo and a TUN device "tun0"
 * (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR, with checksum and TSO offloads
 * like packetdrill's, so the kernel hands over unsegmented TSO packets),
 * gives it the run's local address (IPv6: nodad) and MTU, and routes the
 * remote address (with its prefix) via the gateway, all over rtnetlink.
 *
 * Errors: -1 and *error (malloc'd, caller frees), one line naming what is
 * missing, e.g. "kernel mode needs /dev/net/tun: No such file or
 * directory". */
#ifndef NETDRILL_NETNS_H
#define NETDRILL_NETNS_H

#include "config.h"

/* The name packetdrill scripts use for the test device (tc, ip route). */
#define NETNS_TUN_NAME "tun0"

/* Enter a new network + mount namespace (as root; otherwise through a
 * user namespace where the kernel allows one). */
int netns_enter(char **error);

/* Create and configure tun0 for config; returns the TUN fd (O_NONBLOCK,
 * O_CLOEXEC; frames carry a struct virtio_net_hdr first). */
int netns_tun_up(const struct config *config, char **error);

#endif /* NETDRILL_NETNS_H */
