# bench/local.mk: benchmarks that print figures (make bench) and the dump
# round trip over the upstream corpus (make check-roundtrip). Both skip,
# saying so, when $(CONFORMANCE_DIR) holds no corpus.
EXTRA_DIST += bench/corpus-args.sh bench/parse.sh bench/roundtrip.sh

bench: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/parse.sh '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)'
	@$(SHELL) $(srcdir)/bench/roundtrip.sh '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)' | tail -1

check-roundtrip: src/netdrill$(EXEEXT)
	@$(SHELL) $(srcdir)/bench/roundtrip.sh --check '$(NETDRILL_RUN)' '$(CONFORMANCE_DIR)'

PHONY_TARGETS += bench check-roundtrip

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
