# SPDX-License-Identifier: GPL-2.0-only
# stack/local.mk: this folder's part of the top-level Makefile.am.
# The embedded TCP/IP stack (public API stack/stack.h, prefix nds_), by
# module as stack/README.md lists them, then its unit tests (stack/tests,
# tests/tap.h) and the packet fuzz target.

# --- the instance: API, virtual clock and timers, sysctls, trace ---
# trace_priv.h has the TRACE_* macros behind stack.h's NDS_TRACE_* records.
libnetdrill_a_SOURCES += stack/stack.h stack/nds_priv.h stack/nds.c \
	stack/sysctl_net.c stack/trace.c stack/trace_priv.h

# --- sockets: fd table, socket calls, SOL_SOCKET options, poll, epoll ---
# sock_errqueue.c: the error queue (MSG_ZEROCOPY notifications,
# SO_TIMESTAMPING transmit timestamps, recvmsg(MSG_ERRQUEUE)).
libnetdrill_a_SOURCES += stack/sock.c stack/inet_hashtables.c \
	stack/sock_errqueue.c stack/sock_errqueue.h

# --- IP, ICMP, UDP (wire formats in stack/proto) ---
libnetdrill_a_SOURCES += stack/proto/ip.h stack/proto/ipv6.h \
	stack/proto/tcp.h stack/proto/udp.h stack/proto/icmp.h \
	stack/ip_input.c stack/ip_output.c stack/ipv6.c stack/icmp.c \
	stack/udp.c stack/udp_priv.h

# --- TCP: state machine, input, output, timers, congestion control,
# recovery (RACK), ECN and AccECN, urgent data, Fast Open, SYN cookies ---
libnetdrill_a_SOURCES += stack/tcp_priv.h stack/tcp.c stack/tcp_ipv4.c \
	stack/tcp_input.c stack/tcp_output.c stack/tcp_timer.c \
	stack/tcp_recovery.c stack/tcp_cong.c stack/tcp_cubic.c \
	stack/tcp_cubic.h stack/tcp_ecn.c stack/tcp_ecn.h stack/tcp_urg.c \
	stack/tcp_urg.h stack/tcp_fastopen.c stack/tcp_fastopen.h \
	stack/tcp_fastopen_client.c stack/tcp_fastopen_priv.h \
	stack/syncookies.c

# --- device and route state that scripts set with commands ---
# tun0's root qdisc (sch.c), MTU and offloads, route metrics (route.c),
# nstat's counters (mib.c), reached through net/netdrill/ sysctl paths
# (netdev.c); see netdev_priv.h.
libnetdrill_a_SOURCES += stack/netdev.c stack/netdev_priv.h stack/sch.c \
	stack/sch_fq.c \
	stack/route.c stack/mib.c

EXTRA_DIST += stack/README.md

# --- unit tests: one program per area, all on stack/tests/tcp_helper.c
# (inbound segments in, outbound packets parsed, th_established) and
# tests/tap.h (TAP in each .log) ---
STACK_TEST_HELPER = stack/tests/tcp_helper.c stack/tests/tcp_helper.h \
	stack/tests/th_wire.h tests/tap.h
STACK_TESTS = stack/tests/test_handshake stack/tests/test_data \
	stack/tests/test_recovery stack/tests/test_close \
	stack/tests/test_sock stack/tests/test_timers \
	stack/tests/test_rcvwin stack/tests/test_tcpfid \
	stack/tests/test_errqueue stack/tests/test_fastopen \
	stack/tests/test_fastopen_client stack/tests/test_urg \
	stack/tests/test_netdev
TESTS += $(STACK_TESTS)
check_PROGRAMS += $(STACK_TESTS)
stack_tests_test_handshake_SOURCES = stack/tests/test_handshake.c \
	$(STACK_TEST_HELPER)
stack_tests_test_handshake_LDADD = libnetdrill.a
stack_tests_test_data_SOURCES = stack/tests/test_data.c $(STACK_TEST_HELPER)
stack_tests_test_data_LDADD = libnetdrill.a
stack_tests_test_recovery_SOURCES = stack/tests/test_recovery.c \
	$(STACK_TEST_HELPER)
stack_tests_test_recovery_LDADD = libnetdrill.a
stack_tests_test_close_SOURCES = stack/tests/test_close.c $(STACK_TEST_HELPER)
stack_tests_test_close_LDADD = libnetdrill.a
stack_tests_test_sock_SOURCES = stack/tests/test_sock.c $(STACK_TEST_HELPER)
stack_tests_test_sock_LDADD = libnetdrill.a
stack_tests_test_timers_SOURCES = stack/tests/test_timers.c $(STACK_TEST_HELPER)
stack_tests_test_timers_LDADD = libnetdrill.a
# receive window: growth, scaling ratio, window_clamp, truesize, DRS
stack_tests_test_rcvwin_SOURCES = stack/tests/test_rcvwin.c \
	$(STACK_TEST_HELPER)
stack_tests_test_rcvwin_LDADD = libnetdrill.a
# Linux's wire and tcp_info details
stack_tests_test_tcpfid_SOURCES = stack/tests/test_tcpfid.c \
	$(STACK_TEST_HELPER)
stack_tests_test_tcpfid_LDADD = libnetdrill.a
# MSG_ZEROCOPY, SO_TIMESTAMPING, MSG_ERRQUEUE, bad user buffers
stack_tests_test_errqueue_SOURCES = stack/tests/test_errqueue.c \
	$(STACK_TEST_HELPER)
stack_tests_test_errqueue_LDADD = libnetdrill.a
stack_tests_test_fastopen_SOURCES = stack/tests/test_fastopen.c \
	$(STACK_TEST_HELPER)
stack_tests_test_fastopen_LDADD = libnetdrill.a
stack_tests_test_fastopen_client_SOURCES = \
	stack/tests/test_fastopen_client.c $(STACK_TEST_HELPER)
stack_tests_test_fastopen_client_LDADD = libnetdrill.a
stack_tests_test_urg_SOURCES = stack/tests/test_urg.c $(STACK_TEST_HELPER)
stack_tests_test_urg_LDADD = libnetdrill.a
# qdisc, route, nstat, offload and MTU state (net/netdrill/...)
stack_tests_test_netdev_SOURCES = stack/tests/test_netdev.c \
	$(STACK_TEST_HELPER)
stack_tests_test_netdev_LDADD = libnetdrill.a

# Packet fuzz target: a plain replay program under make check (seeded
# pseudo-random segments plus any files given as arguments); build it with
# clang -fsanitize=fuzzer -DNDS_LIBFUZZER for libFuzzer (see the file).
# th_wire.h is the IP header and checksum code it shares with tcp_helper.c.
TESTS += stack/tests/fuzz_packet
check_PROGRAMS += stack/tests/fuzz_packet
stack_tests_fuzz_packet_SOURCES = stack/tests/fuzz_packet.c \
	stack/tests/th_wire.h
stack_tests_fuzz_packet_LDADD = libnetdrill.a
