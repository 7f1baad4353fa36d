# stack/local.mk: this folder's part of the top-level Makefile.am.
# The embedded TCP/IP stack (public API stack/stack.h, prefix nds_), its
# private headers (stack/*_priv.h), wire formats (stack/proto/*.h), and its
# unit tests (lwIP tcp_helper style) plus a packet fuzz target.
libnetdrill_a_SOURCES += \
	stack/stack.h stack/nds_priv.h stack/tcp_priv.h stack/udp_priv.h \
	stack/tcp_cubic.h \
	stack/proto/ip.h stack/proto/ipv6.h stack/proto/tcp.h \
	stack/proto/udp.h stack/proto/icmp.h \
	stack/nds.c stack/sysctl_net.c stack/sock.c stack/inet_hashtables.c \
	stack/ip_input.c stack/ip_output.c stack/ipv6.c stack/icmp.c \
	stack/udp.c stack/tcp.c stack/tcp_ipv4.c stack/tcp_input.c \
	stack/tcp_output.c stack/tcp_timer.c stack/tcp_cong.c stack/tcp_cubic.c \
	stack/tcp_recovery.c stack/tcp_fastopen.c stack/tcp_fastopen.h

# --- accecn ---
# ECN and Accurate ECN (RFC 3168, RFC 9768): tcp_ecn.c, tcp_ecn.h.
libnetdrill_a_SOURCES += stack/tcp_ecn.c stack/tcp_ecn.h
# --- end accecn ---

# --- fastopen ---
# Fast Open client (fastopen helper): tcp_fastopen_client.c, its state
# in tcp_fastopen_priv.h (embedded in struct sock / struct nds).
libnetdrill_a_SOURCES += stack/tcp_fastopen_client.c stack/tcp_fastopen_priv.h
TESTS += stack/tests/test_fastopen_client
check_PROGRAMS += stack/tests/test_fastopen_client
stack_tests_test_fastopen_client_SOURCES = \
	stack/tests/test_fastopen_client.c $(STACK_TEST_HELPER)
stack_tests_test_fastopen_client_LDADD = libnetdrill.a
# --- end fastopen ---

STACK_TEST_HELPER = stack/tests/tcp_helper.c stack/tests/tcp_helper.h

TESTS += stack/tests/test_handshake stack/tests/test_data \
	stack/tests/test_recovery stack/tests/test_close stack/tests/test_sock \
	stack/tests/test_fastopen stack/tests/test_timers stack/tests/fuzz_packet
check_PROGRAMS += stack/tests/test_handshake stack/tests/test_data \
	stack/tests/test_recovery stack/tests/test_close stack/tests/test_sock \
	stack/tests/test_fastopen stack/tests/test_timers stack/tests/fuzz_packet
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
stack_tests_test_fastopen_SOURCES = stack/tests/test_fastopen.c \
	$(STACK_TEST_HELPER)
stack_tests_test_fastopen_LDADD = libnetdrill.a
stack_tests_test_timers_SOURCES = stack/tests/test_timers.c $(STACK_TEST_HELPER)
stack_tests_test_timers_LDADD = libnetdrill.a

# Packet fuzz target: a plain replay program under make check (seeded
# pseudo-random segments plus any files given as arguments); build it with
# clang -fsanitize=fuzzer -DNDS_LIBFUZZER for libFuzzer (see the file).
stack_tests_fuzz_packet_SOURCES = stack/tests/fuzz_packet.c
stack_tests_fuzz_packet_LDADD = libnetdrill.a

# --- errqueue ---
# Socket error queue: MSG_ZEROCOPY notifications, SO_TIMESTAMPING transmit
# timestamps, recvmsg(MSG_ERRQUEUE), bad user buffers (stack/sock_errqueue.c).
libnetdrill_a_SOURCES += stack/sock_errqueue.h stack/sock_errqueue.c
TESTS += stack/tests/test_errqueue
check_PROGRAMS += stack/tests/test_errqueue
stack_tests_test_errqueue_SOURCES = stack/tests/test_errqueue.c \
	$(STACK_TEST_HELPER)
stack_tests_test_errqueue_LDADD = libnetdrill.a
# --- end errqueue ---

EXTRA_DIST += stack/README.md

# --- netdev ---
# Device and MIB state that scripts set with tc / ip route / nstat (netdev
# helper): root qdisc of tun0 (sch.c), route metrics (route.c), SNMP/TcpExt
# counters (mib.c), reached through
# net/netdrill/ sysctl paths (netdev.c); see netdev_priv.h.
libnetdrill_a_SOURCES += stack/netdev_priv.h stack/netdev.c stack/sch.c \
	stack/mib.c stack/route.c stack/tcp_urg.h stack/tcp_urg.c
TESTS += stack/tests/test_netdev
check_PROGRAMS += stack/tests/test_netdev
stack_tests_test_netdev_SOURCES = stack/tests/test_netdev.c \
	$(STACK_TEST_HELPER)
stack_tests_test_netdev_LDADD = libnetdrill.a
TESTS += stack/tests/test_urg
check_PROGRAMS += stack/tests/test_urg
stack_tests_test_urg_SOURCES = stack/tests/test_urg.c $(STACK_TEST_HELPER)
stack_tests_test_urg_LDADD = libnetdrill.a
# --- end netdev ---

# --- tcpfid ---
# Linux wire/tcp_info details of the embedded stack (tcpfid helper).
TESTS += stack/tests/test_tcpfid
check_PROGRAMS += stack/tests/test_tcpfid
stack_tests_test_tcpfid_SOURCES = stack/tests/test_tcpfid.c \
	$(STACK_TEST_HELPER)
stack_tests_test_tcpfid_LDADD = libnetdrill.a
# --- end tcpfid ---

# --- rcvwin ---
# Receive window (rcvwin helper): window growth, scaling ratio and
# window_clamp, truesize accounting, DRS: unit test plus netdrill's own
# scripts in gtests/net/tcp/rcvwin/ (all three address variants).
TESTS += stack/tests/test_rcvwin gtests/net/tcp/rcvwin/rcvwin.test
check_PROGRAMS += stack/tests/test_rcvwin
stack_tests_test_rcvwin_SOURCES = stack/tests/test_rcvwin.c \
	$(STACK_TEST_HELPER)
stack_tests_test_rcvwin_LDADD = libnetdrill.a
EXTRA_DIST += gtests/net/tcp/rcvwin
# --- end rcvwin ---

# --- trace ---
# The structured trace (stack.h NDS_TRACE_*): call path, decision values,
# state deltas, timers, counters; trace_priv.h has the TRACE_* macros.
libnetdrill_a_SOURCES += stack/trace.c stack/trace_priv.h
