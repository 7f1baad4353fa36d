# SPDX-License-Identifier: GPL-2.0-only
# src/local.mk: the interpreter's part of the top-level Makefile.am, one
# block per room of src/ (see DEVELOPERS.md for what each room owns and
# which rooms it may include). Includes point down the data flow: cli ->
# report -> interp -> {commands, code} -> sut -> packet -> base (interp/trace.c
# records the run; every room may include base).

# Each room's headers are found by name ("run.h", "sut.h").
AM_CPPFLAGS += -I$(srcdir)/src/cli -I$(srcdir)/src/report \
	-I$(srcdir)/src/interp -I$(srcdir)/src/commands -I$(srcdir)/src/code \
	-I$(srcdir)/src/packet -I$(srcdir)/src/sut -I$(srcdir)/src/base

# Each room's README says what it owns and what it may include.
EXTRA_DIST += src/base/README.md src/cli/README.md src/code/README.md \
	src/commands/README.md src/interp/README.md src/packet/README.md \
	src/report/README.md src/sut/README.md

# --- cli: the command line ----------------------------------------------------
# src/cli/main.c is the tool's only file, outside libnetdrill.a (Makefile.am).
# main.c prints PACKAGE_VERSION, which configure passes on the command line:
# rebuild it when configure ran again (a new version in configure.ac).
src/cli/main.$(OBJEXT): $(top_builddir)/config.status

# --- report: suite mode and its reporters ----------------------------------
# Folders of scripts, several IP versions, a pool of child processes (-j),
# TAP (--tap) and JUnit XML (--junit). gtests/runners/ holds stand-ins for
# packetdrill's run_all.py and the kernel selftests' ksft_runner.sh.
libnetdrill_a_SOURCES += src/report/suite.c src/report/suite.h \
	src/report/suite_pool.c src/report/suite_pool.h \
	src/report/report_text.c src/report/report_text.h \
	src/report/report_tap.c src/report/report_tap.h \
	src/report/report_junit.c src/report/report_junit.h

# --- interp: the run loop and its events -----------------------------------
# The event loop on the back end's clock, system calls, packet events and
# the script-to-live socket table.
libnetdrill_a_SOURCES += src/interp/run.c src/interp/run.h \
	src/interp/run_syscall.c src/interp/run_syscall.h \
	src/interp/syscall_priv.h src/interp/syscall_args.c \
	src/interp/syscall_socket.c src/interp/syscall_data.c \
	src/interp/syscall_file.c src/interp/syscall_poll.c \
	src/interp/run_packet.c src/interp/run_packet.h \
	src/interp/socket.c src/interp/socket.h

# --- packet: wire packets ----------------------------------------------------
# The packet model, building script packets, matching, text, pcap files.
libnetdrill_a_SOURCES += src/packet/packet.c src/packet/packet.h \
	src/packet/packet_build.c src/packet/packet_build.h \
	src/packet/packet_match.c src/packet/packet_match.h \
	src/packet/packet_to_string.c src/packet/packet_to_string.h \
	src/packet/pcap_writer.c src/packet/pcap_writer.h
TESTS += src/packet/tests/test_packet
check_PROGRAMS += src/packet/tests/test_packet
src_packet_tests_test_packet_SOURCES = src/packet/tests/test_packet.c
src_packet_tests_test_packet_LDADD = libnetdrill.a

# --- commands: backquoted shell commands ------------------------------------
# run_command.h is the room's door; commands_priv.h maps its files. The
# shell subset (shell.c) has its own table-driven test (test_shell);
# test_command runs each command shape both natively and through /bin/sh
# and compares status, output and the sysctl table. The shims are real
# shell scripts (shims/*.sh), turned into C strings at build time.
COMMAND_SHIMS = src/commands/shims/sysctl.sh src/commands/shims/ip.sh \
	src/commands/shims/tc.sh src/commands/shims/ethtool.sh \
	src/commands/shims/nstat.sh src/commands/shims/bash_env.sh \
	src/commands/shims/kernel_sysctl.sh src/commands/shims/kernel_tc.sh \
	src/commands/shims/kernel_ethtool.sh
EXTRA_DIST += $(COMMAND_SHIMS) src/commands/shims/to_c.sh
libnetdrill_a_SOURCES += src/commands/run_command.c \
	src/commands/run_command.h src/commands/commands_priv.h \
	src/commands/shell.c src/commands/shell.h \
	src/commands/tools.c src/commands/sandbox.c src/commands/python.c
nodist_libnetdrill_a_SOURCES = src/commands/shims.c
BUILT_SOURCES += src/commands/shims.c
CLEANFILES += src/commands/shims.c
src/commands/shims.c: $(COMMAND_SHIMS:%=$(srcdir)/%) \
		$(srcdir)/src/commands/shims/to_c.sh
	$(AM_V_GEN)$(MKDIR_P) src/commands && \
	$(SHELL) $(srcdir)/src/commands/shims/to_c.sh \
		$(COMMAND_SHIMS:%=$(srcdir)/%) > $@-t && mv $@-t $@
TESTS += src/commands/tests/test_shell src/commands/tests/test_command \
	src/commands/tests/kernel-sysctl.test \
	src/commands/tests/kernel-tools.test
EXTRA_DIST += src/commands/tests/kernel-sysctl.test \
	src/commands/tests/kernel-tools.test
check_PROGRAMS += src/commands/tests/test_shell src/commands/tests/test_command
src_commands_tests_test_shell_SOURCES = src/commands/tests/test_shell.c
src_commands_tests_test_shell_LDADD = libnetdrill.a
src_commands_tests_test_command_SOURCES = src/commands/tests/test_command.c
src_commands_tests_test_command_LDADD = libnetdrill.a

# --- code: %{ }% code blocks ------------------------------------------------
# code.h is the room's door; code_priv.h maps its files. The Python
# subset (pysubset.c) has its own public header and table test.
libnetdrill_a_SOURCES += src/code/code.c src/code/code.h \
	src/code/code_priv.h src/code/tcp_info.c src/code/tcp_info.h \
	src/code/pysubset.c src/code/pysubset.h src/code/python3.c
TESTS += src/code/tests/test_code
check_PROGRAMS += src/code/tests/test_code
src_code_tests_test_code_SOURCES = src/code/tests/test_code.c
src_code_tests_test_code_LDADD = libnetdrill.a

# --- sut: the seam and the systems under test --------------------------------
# sut.h is the seam; the embedded stack, the host kernel over tun0 in a
# network namespace of netdrill's own, and --stack=compare (both, first
# divergence); sut_new() picks the back end.
libnetdrill_a_SOURCES += src/sut/sut.h src/sut/sut.c \
	src/sut/sut_embedded.c \
	src/sut/sut_kernel.c src/sut/sut_kernel.h \
	src/sut/netns.c src/sut/netns.h \
	src/sut/compare.c src/sut/compare.h

# --- base: below every room ---------------------------------------------------
# The run's configuration (struct config: options from the command line and
# from a script's --option lines) and the helpers every room uses:
# strdup_printf, fail(error, fmt, ...).
libnetdrill_a_SOURCES += src/base/config.c src/base/config.h \
	src/base/util.c src/base/util.h

# --- the run's timeline (src/interp/trace.c: --trace, the failure tail) and
# the HTML report drawn from it (--report, src/report/report_html.c) -------
libnetdrill_a_SOURCES += src/interp/trace.c src/interp/trace.h \
	src/report/report_html.c src/report/report_html.h \
	src/report/report_index.c
