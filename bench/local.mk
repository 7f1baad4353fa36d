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
