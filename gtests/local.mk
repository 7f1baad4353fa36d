# SPDX-License-Identifier: GPL-2.0-only
# gtests/local.mk: this folder's part of the top-level Makefile.am.

# --- script-language tests (tests helper) -----------------------------------
# gtests/syntax/*.pkt   valid scripts covering every construct (--dry_run)
# gtests/errors/        broken scripts beside their exact diagnostics
# gtests/example.pkt    README's quick-start script
# Drivers (sh, TAP-style output in the .log files):
#   syntax.test      every syntax/*.pkt and example.pkt parses
#   errors.test      every errors/NAME.pkt fails with NAME.err on stderr
#   dump.test        --dump round trip over every valid gtests script
#   robustness.test  malformed input made on the fly: exit 1, no crash
TESTS += gtests/syntax.test gtests/errors.test gtests/dump.test \
	gtests/robustness.test
EXTRA_DIST += gtests/lib.sh gtests/syntax.test gtests/errors.test \
	gtests/dump.test gtests/robustness.test gtests/example.pkt \
	gtests/syntax gtests/errors
# --- end of the script-language block ---------------------------------------

# --- packet scripts (packets helper) ----------------------------------------
# gtests/net/packets/*.pkt: packet semantics against the embedded stack;
# NAME.err beside a script = it must fail with that message (packets.test).
EXTRA_DIST += gtests/net/packets
TESTS += gtests/net/packets/packets.test
# --- end of the packet scripts block ----------------------------------------

# --- interpreter scripts ----------------------------------------------------
# gtests/net/{syscalls,commands,code}/*.pkt: system calls, blocking calls on
# the virtual clock, commands whose sysctls reach the embedded stack, code
# blocks; NAME.err beside a script = it must fail with that message.
# commands/host-sysctl.test: no command changes the host's sysctls.
TESTS += gtests/net/interp.test gtests/net/commands/host-sysctl.test
EXTRA_DIST += gtests/net/interp.test gtests/net/syscalls gtests/net/commands \
	gtests/net/code
# --- end of the interpreter scripts block -----------------------------------

# --- kernel mode scripts (kernel helper) ------------------------------------
# gtests/kernel/*.pkt against the host kernel (--stack=kernel) in netdrill's
# own network namespace, host isolation, unprivileged refusal and
# --stack=compare; SKIPPED (77) without root, /dev/net/tun or namespaces.
TESTS += gtests/kernel/kernel.test
EXTRA_DIST += gtests/kernel
# --- end of the kernel mode block -------------------------------------------

# --- errqueue scripts (errqueue helper) -------------------------------------
# gtests/net/tcp/{zerocopy,timestamping}/*.pkt: MSG_ZEROCOPY notifications
# and SO_TIMESTAMPING reports read with recvmsg(MSG_ERRQUEUE), in the ipv4,
# ipv6 and ipv4-mapped-ipv6 variants; NAME.err beside a script = it must
# fail with that message.
TESTS += gtests/net/tcp/errqueue.test
EXTRA_DIST += gtests/net/tcp/errqueue.test gtests/net/tcp/zerocopy \
	gtests/net/tcp/timestamping
# --- end of the errqueue scripts block --------------------------------------

# --- fastopen ---------------------------------------------------------------
# gtests/net/tcp/fastopen/*.pkt: TCP Fast Open client scripts run against
# the embedded stack in all three address variants; NAME.err beside a
# script = it must fail with that message (fastopen.test).
EXTRA_DIST += gtests/net/tcp/fastopen
TESTS += gtests/net/tcp/fastopen/fastopen.test
# --- end of the fastopen block ----------------------------------------------

# --- suites (suites helper) -------------------------------------------------
# gtests/runners/: netdrill's suite mode and its drop-in use under CI
# runners. *.suite run netdrill's own must-pass scripts through
# `netdrill -j 2 --tap ...`, read by Automake's TAP driver (one test point
# per script and IP version); runners.test checks suite mode (counts, exit
# codes, scoped options, TAP/prove, JUnit/xmllint, pcap/tcpdump) and the
# stand-ins for packetdrill's run_all.py and the selftests' ksft_runner.sh.
TEST_EXTENSIONS += .suite
SUITE_LOG_COMPILER = $(SHELL)
SUITE_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
TESTS += gtests/runners/net.suite gtests/runners/interp.suite \
	gtests/runners/runners.test gtests/runners/trust.test \
	gtests/runners/limits.test
EXTRA_DIST += gtests/runners
# --- end of the suites block ------------------------------------------------

# --- tcpfid -----------------------------------------------------------------
# gtests/net/tcp/tcpfid/*.pkt: netdrill's own scripts for Linux wire details
# of the embedded stack (tcpfid helper), all three address variants.
TESTS += gtests/net/tcp/tcpfid/tcpfid.test
EXTRA_DIST += gtests/net/tcp/tcpfid
# --- end tcpfid -------------------------------------------------------------

# --- rcvwin -----------------------------------------------------------------
# gtests/net/tcp/rcvwin/*.pkt: the receive window (growth, scaling ratio,
# window_clamp, truesize, DRS), all three address variants.
TESTS += gtests/net/tcp/rcvwin/rcvwin.test
EXTRA_DIST += gtests/net/tcp/rcvwin
# --- end rcvwin -------------------------------------------------------------

# --- netdev -----------------------------------------------------------------
# gtests/net/tcp/{qdisc,nstat,route}/*.pkt: device, route and MIB state
# set by commands (tc qdiscs on tun0, ip route metrics, nstat counters and
# history); gtests/net/tcp/urg/*.pkt: urgent data (MSG_OOB, SIOCATMARK,
# SO_OOBINLINE); in the address variants; NAME.err beside a script = it
# must fail with that message.
TESTS += gtests/net/tcp/netdev.test
EXTRA_DIST += gtests/net/tcp/netdev.test gtests/net/tcp/qdisc \
	gtests/net/tcp/nstat gtests/net/tcp/route gtests/net/tcp/urg
# --- end of the netdev block ------------------------------------------------

# --- gtcp -------------------------------------------------------------------
# gtests/net/tcp/{handshake,data,...}/*.pkt: netdrill's own per-behaviour
# scripts, checked against the host kernel (--stack=kernel) too; net.suite
# runs them in the three variants. Their known-diff/ subfolders (not run by
# make check) hold scripts where the embedded stack or kernel still differs.
EXTRA_DIST += gtests/net/tcp/accecn
EXTRA_DIST += gtests/net/tcp/handshake gtests/net/tcp/data gtests/net/tcp/rto \
	gtests/net/tcp/close gtests/net/tcp/rst gtests/net/tcp/nonblock \
	gtests/net/tcp/sndbuf gtests/net/tcp/congestion gtests/net/tcp/udp \
	gtests/net/tcp/icmp gtests/net/tcp/sockopt gtests/net/tcp/ioctl \
	gtests/net/tcp/ipv6 gtests/net/tcp/syncookies gtests/net/tcp/pacing
# --- end gtcp ---------------------------------------------------------------

# --- report (trace helper) --------------------------------------------------
# gtests/report/report.test: --report pages of a pass, a failure and a
# retransmission-heavy script rendered by headless Chromium and read back
# from the DOM (one ladder arrow per captured packet, plots with points,
# the failing packet highlighted); SKIPPED without chromium, FAILS without
# it under CI=true (.ci/run installs it).
TESTS += gtests/report/report.test
EXTRA_DIST += gtests/report/report.test
# --- end of the report block ------------------------------------------------
