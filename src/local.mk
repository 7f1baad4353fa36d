# src/local.mk: this folder's part of the top-level Makefile.am.

# --- command line and run configuration (build helper) ---------------------
# src/main.c is the tool's only file outside libnetdrill.a (see Makefile.am).
libnetdrill_a_SOURCES += src/config.c src/config.h src/sut.h
# --- end of the command-line block; other src/ parts go below ---------------

# --- packets ----------------------------------------------------------------
# Wire packets, building script packets, matching, text, the socket table,
# and the packet events of a run (contract: /work/interp-contract.md).
libnetdrill_a_SOURCES += src/packet.c src/packet.h \
	src/packet_build.c src/packet_build.h \
	src/packet_match.c src/packet_match.h \
	src/packet_to_string.c src/packet_to_string.h \
	src/socket.c src/socket.h \
	src/run_packet.c src/run_packet.h
TESTS += src/tests/test_packet
check_PROGRAMS += src/tests/test_packet
src_tests_test_packet_SOURCES = src/tests/test_packet.c
src_tests_test_packet_LDADD = libnetdrill.a
# --- end of the packets block -----------------------------------------------

# --- interpreter ------------------------------------------------------------
# The run loop, system calls, shell commands with sysctls aimed at the
# embedded stack, %{ }% code blocks, and the embedded-stack back end
# (contract: /work/interp-contract.md).
libnetdrill_a_SOURCES += src/run.c src/run.h \
	src/run_syscall.c src/run_syscall.h \
	src/run_command.c src/run_command.h \
	src/code.c src/code.h \
	src/sut_embedded.c
TESTS += src/tests/test_code
check_PROGRAMS += src/tests/test_code
src_tests_test_code_SOURCES = src/tests/test_code.c
src_tests_test_code_LDADD = libnetdrill.a
# --- end of the interpreter block -------------------------------------------

# --- kernel -----------------------------------------------------------------
# --stack=kernel: the host kernel over tun0 in a network namespace of
# netdrill's own; --stack=compare: both stacks, first divergence; sut_new()
# picks the back end.
libnetdrill_a_SOURCES += src/sut.c \
	src/sut_kernel.c src/sut_kernel.h \
	src/netns.c src/netns.h \
	src/compare.c src/compare.h
# --- end of the kernel block ------------------------------------------------

# --- suites -----------------------------------------------------------------
# Suite mode: folders of scripts, several IP versions, a pool of child
# processes (-j), TAP (--tap), JUnit XML (--junit) and pcap captures
# (--pcap, through libpcap). gtests/runners/: stand-ins for packetdrill's
# run_all.py and the kernel selftests' ksft_runner.sh, run with netdrill.
libnetdrill_a_SOURCES += src/suite.c src/suite.h \
	src/report_tap.c src/report_tap.h \
	src/report_junit.c src/report_junit.h \
	src/pcap_writer.c src/pcap_writer.h
# --- end of the suites block ------------------------------------------------

# --- cmdperf ----------------------------------------------------------------
# Commands run natively when they are made of what the shims do (see
# run_command.h); test_command runs each shape both natively and through
# /bin/sh and compares status, output and the sysctl table.
TESTS += src/tests/test_command
check_PROGRAMS += src/tests/test_command
src_tests_test_command_SOURCES = src/tests/test_command.c
src_tests_test_command_LDADD = libnetdrill.a
# --- end of the cmdperf block -----------------------------------------------
