/* SPDX-License-Identifier: GPL-2.0-only */
/* sut_kernel.h: the host-kernel back end of src/sut.h (kernel mode).
 *
 * The process enters a network namespace of its own (src/netns.h) and
 * talks to the kernel's TCP/IP stack over tun0: inject() writes to the TUN
 * device, a reader thread timestamps every packet the kernel sends out of
 * it (CLOCK_MONOTONIC, microseconds since the back end started) and the
 * main thread hands them to the output hook during advance() and the other
 * calls. System calls are the real ones; a call that may block runs on a
 * thread of its own and reports -SUT_EBLOCKED until it finished, which
 * fits the interpreter's parked-call model. At the end every socket the
 * script opened is reset (SO_LINGER 0, close), as packetdrill does, so
 * nothing is left retransmitting. */
#ifndef NETDRILL_SUT_KERNEL_H
#define NETDRILL_SUT_KERNEL_H

#include "config.h"
#include "sut.h"

/* Enter the namespace, bring up tun0 and start the back end. NULL and
 * *error (caller frees) when the privileges or /dev/net/tun are missing;
 * the message is one line naming what is missing. */
struct sut *sut_kernel_new(const struct config *config, char **error);

#endif /* NETDRILL_SUT_KERNEL_H */
