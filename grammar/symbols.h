/* SPDX-License-Identifier: GPL-2.0-only */
/* symbols.h: Linux constant names that scripts may use (SOL_SOCKET,
 * TCP_NODELAY, EPOLLIN, EAGAIN, ...), the system calls netdrill knows,
 * and ICMP type/code names. Values are Linux's (from the build host's
 * headers where they exist, else Linux's numbers), independent of the
 * system under test. Tables are constant; nothing here allocates. */
#ifndef NETDRILL_SYMBOLS_H
#define NETDRILL_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

/* Look up a constant by name. Returns 1 and sets *value if known, else 0. */
int symbol_lookup(const char *name, int64_t *value);

/* True if name is a system call scripts may use (packetdrill's set). */
bool syscall_known(const char *name);

/* Look up an ICMP (family AF_INET) or ICMPv6 (AF_INET6) type name such as
 * "unreachable" or "echo_request" and an optional code name (NULL: code 0)
 * such as "frag_needed", "host_unreachable", "no_route". Numeric strings
 * ("type_3", "code_4") are accepted too. Returns 0 and fills *type and *code, or -1 if the
 * type is unknown, -2 if the code is unknown for that type. */
int icmp_lookup(int family, const char *type_name, const char *code_name,
		int *type, int *code);

#endif /* NETDRILL_SYMBOLS_H */
