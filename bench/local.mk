# SPDX-License-Identifier: GPL-2.0-only
# bench/local.mk: benchmarks that print figures (make bench) and the dump
# round trip over the upstream corpus (make check-roundtrip). Both skip,
# saying so, when $(CONFORMANCE_DIR) holds no corpus.
EXTRA_DIST += bench/corpus-args.sh bench/parse.sh bench/roundtrip.sh \
	bench/memory.sh

# bench/memory.sh: peak memory of --dry_run and of a run over a generated
# 100000-event script, as a multiple of the script's size, against the
# target (under 5x; needs no corpus).
bench: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/memory.sh '$(NETDRILL_RUN)'
	@$(SHELL) $(srcdir)/bench/parse.sh '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)'
	@$(SHELL) $(srcdir)/bench/roundtrip.sh '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)' | tail -1

check-roundtrip: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/roundtrip.sh --check '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)'

PHONY_TARGETS += bench check-roundtrip

# make status: README's status figures (upstream suite passes per variant,
# packetdrill's own on Linux 6.18, wall time), measured now; make
# status-readme writes them into README.md between its status markers.
EXTRA_DIST += bench/status.sh

status: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/status.sh '$(abs_top_builddir)/src/netdrill$(EXEEXT)' '$(CONFORMANCE_DIR)'

status-readme: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/status.sh --update '$(srcdir)/README.md' '$(abs_top_builddir)/src/netdrill$(EXEEXT)' '$(CONFORMANCE_DIR)'

PHONY_TARGETS += status status-readme

# --- cmdperf ---
# make bench-conformance: the conformance runner over the upstream corpus in
# its three address variants with this netdrill: wall time, passes, the
# runner's own floor and where netdrill's time goes (commands native or
# through /bin/sh). BENCH_COMPARE=1 adds a pass with NETDRILL_NO_FASTPATH=1.
EXTRA_DIST += bench/conformance.sh

bench-conformance: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/conformance.sh '$(abs_top_builddir)/src/netdrill$(EXEEXT)' '$(CONFORMANCE_DIR)'

PHONY_TARGETS += bench-conformance
# --- end cmdperf ---

# --- trace ---
# make bench-trace: the upstream corpus in suite mode with tracing off, with
# --trace (text, JSON) and with --report (bench/trace-cost.sh; set
# BENCH_BASELINE=path/to/netdrill for a before/after row).
# make check-trace-pcap: every upstream script's JSON trace parses as JSON
# lines and its packets equal the run's --pcap capture, packet for packet
# (tests/trace_pcap_check.py, three address variants).
EXTRA_DIST += bench/trace-cost.sh tests/trace_pcap_check.py

bench-trace: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/trace-cost.sh '$(abs_top_builddir)/src/netdrill$(EXEEXT)' '$(CONFORMANCE_DIR)'

check-trace-pcap: src/netdrill$(EXEEXT)
	@if [ -d '$(CONFORMANCE_DIR)/upstream' ]; then \
		python3 $(srcdir)/tests/trace_pcap_check.py -j 2 \
			-V ipv4,ipv6,ipv4-mapped-ipv6 src/netdrill$(EXEEXT) \
			'$(CONFORMANCE_DIR)/upstream'; \
	else echo "SKIP: no conformance corpus at $(CONFORMANCE_DIR)"; fi

# make report-screenshot: README's picture of a report (doc/report.png),
# the walkthrough's --report page rendered by headless Chromium.
EXTRA_DIST += doc/screenshot.sh doc/report.png

report-screenshot: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/doc/screenshot.sh '$(abs_top_builddir)/src/netdrill$(EXEEXT)' '$(abs_top_srcdir)'

PHONY_TARGETS += bench-trace check-trace-pcap report-screenshot
# --- end trace ---
