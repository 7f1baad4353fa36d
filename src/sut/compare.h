/* SPDX-License-Identifier: GPL-2.0-only */
/* compare.h: --stack=compare, one script against both the embedded stack
 * and the host kernel, reporting the first point where they differ.
 *
 * How: compare_sut_new() forks. The child runs the script against the
 * embedded stack (its output captured), the parent against the kernel
 * (sut_kernel.h), each through a recording wrapper of struct sut_ops that
 * writes one line per event, in two streams:
 *   packets   every inbound and outbound packet in script syntax, with
 *             sequence and ACK numbers made relative to each side's
 *             initial sequence numbers and TS val/ecr blanked (the kernel
 *             picks random ones), and its time;
 *   syscalls  every completed system call of the seam: its name, fd
 *             (numbered in creation order), small arguments, the result
 *             or -errno, and small getsockopt values.
 * Both runs see the same script, hence the same inbound packets and
 * calls. When the parent exits it waits for the child and prints to
 * stdout both verdicts (exit statuses, and the embedded run's messages),
 * then for each stream the first event where the two records differ: its
 * position, both lines, the first differing field and both values, or,
 * for packets, a gap since the previous event of that side (packet or
 * system call) that differs by more than --tolerance_usecs (gaps, not
 * absolute times, so that the real clock's small delays and the run time
 * of the kernel side's commands do not add up; inbound packets are the
 * script's and not timed); with -v both records side by side. Both
 * records end where the script's events end (the last one done, or the
 * first failure: sut_ops.events_done), the kernel's 2 ms later, so that
 * its answer to the last event, which leaves a little later on the real
 * clock, counts as the embedded stack's immediate one does; what the
 * kernel sends after that, while netdrill reports and tears down, is not
 * the script's (the embedded stack's clock has stopped, and packetdrill
 * has exited by then). Sysctl changes are not recorded (commands make
 * them directly in kernel mode). Exit status: 0 if the two
 * runs agree (same verdict, same records), 1 if they diverge, 2 if either
 * could not be set up.
 *
 * One script per invocation: a second script is refused (exit 2). */
#ifndef NETDRILL_COMPARE_H
#define NETDRILL_COMPARE_H

#include "config.h"
#include "sut.h"

/* Fork and return the recording back end of this process's side (the
 * kernel in the parent, the embedded stack in the child). NULL and *error
 * (caller frees) on failure. */
struct sut *compare_sut_new(const struct config *config, char **error);

#endif /* NETDRILL_COMPARE_H */
