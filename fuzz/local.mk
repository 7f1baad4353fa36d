# SPDX-License-Identifier: GPL-2.0-only
# fuzz/local.mk: this folder's part of the top-level Makefile.am.

# --- script parser fuzzing (tests helper) -----------------------------------
# fuzz_parser.c is a libFuzzer target: parse an input, and when it is
# valid check the --dump round trip. Two builds of it:
#   make check   fuzz/fuzz_replay (normal compiler) replays the seeds and
#                every saved reproducer in fuzz/regressions/;
#   make fuzz    clang -fsanitize=fuzzer,address,undefined build, run for
#                FUZZ_SECONDS (make fuzz FUZZ_SECONDS=600) over a corpus
#                seeded from gtests/; prints the number of executions.
#                Crashes land in fuzz/crashes/: add each one to
#                fuzz/regressions/ once fixed.
check_PROGRAMS += fuzz/fuzz_replay
fuzz_fuzz_replay_SOURCES = fuzz/fuzz_replay.c fuzz/fuzz_parser.c \
	fuzz/fuzz_parser.h
fuzz_fuzz_replay_LDADD = libnetdrill.a $(PCAP_LIBS)
TESTS += fuzz/fuzz_replay
# Reproducers of bugs not fixed yet go in fuzz/regressions/open/; while
# there are any, list fuzz/open-bugs.test in TESTS and XFAIL_TESTS here
# (none open now: the first one, a NUL byte in a code block, was fixed and
# moved up to fuzz/regressions/).
EXTRA_DIST += fuzz/script.dict fuzz/regressions fuzz/open-bugs.test

FUZZ_SECONDS = 60
# More libFuzzer flags, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to keep
# going after a crash; FUZZ_NO_ROUNDTRIP=1 in the environment checks
# memory safety only.
FUZZ_ARGS =
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# The front end and what it needs: the grammar/ sources of libnetdrill.a
# (parser.y and lexer.l as the .c files bison and flex made), config.c and
# util.c.
FUZZ_PARSER_SRCS = $(filter grammar/%.c grammar/%.y grammar/%.l, \
	$(libnetdrill_a_SOURCES)) src/base/config.c src/base/util.c \
	fuzz/fuzz_parser.c
MOSTLYCLEANFILES += fuzz/fuzz_parser_fuzzer fuzz/obj/*.o

if HAVE_FUZZ_CC
fuzz/fuzz_parser_fuzzer: libnetdrill.a $(FUZZ_PARSER_SRCS:.y=.c) \
		fuzz/fuzz_parser.h
	@$(MKDIR_P) fuzz/obj
	$(AM_V_CC)set -e; objs=; \
	for s in $(FUZZ_PARSER_SRCS); do \
	  case $$s in *.y|*.l) s=$${s%.*}.c ;; esac; \
	  if test -f "$$s"; then f=$$s; else f=$(srcdir)/$$s; fi; \
	  o=fuzz/obj/`echo "$$s" | sed 's|/|_|g; s|\.c$$|.o|'`; \
	  $(FUZZ_CC) $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) \
	    -Wall -Wno-unused-parameter $(FUZZ_CFLAGS) -c "$$f" -o "$$o"; \
	  objs="$$objs $$o"; \
	done; \
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $$objs $(LIBS)

fuzz: fuzz/fuzz_parser_fuzzer
	@$(MKDIR_P) fuzz/corpus fuzz/crashes
	@cp $(srcdir)/gtests/syntax/*.pkt $(srcdir)/gtests/errors/*.pkt \
	  $(srcdir)/gtests/example.pkt fuzz/corpus/
	@echo "fuzz: running fuzz/fuzz_parser_fuzzer for $(FUZZ_SECONDS) s (log: fuzz/fuzz.log)"
	@rc=0; ./fuzz/fuzz_parser_fuzzer -max_total_time=$(FUZZ_SECONDS) \
	  -print_final_stats=1 -dict=$(srcdir)/fuzz/script.dict \
	  -artifact_prefix=fuzz/crashes/ $(FUZZ_ARGS) fuzz/corpus \
	  > fuzz/fuzz.log 2>&1 || rc=$$?; \
	execs=`sed -n 's/^stat::number_of_executed_units: *//p' fuzz/fuzz.log`; \
	test -n "$$execs" || execs=`sed -n 's/^#\([0-9][0-9]*\).*/\1/p' fuzz/fuzz.log | tail -n 1`; \
	echo "fuzz: $${execs:-?} executions, corpus `ls fuzz/corpus | wc -l` files, exit $$rc"; \
	if test $$rc -ne 0; then tail -n 40 fuzz/fuzz.log; \
	  echo "fuzz: reproducers in fuzz/crashes/:"; ls fuzz/crashes; fi; \
	exit $$rc
else
fuzz:
	@echo "make fuzz needs clang with libFuzzer: ./configure FUZZ_CC=clang" >&2
	@exit 2
endif
PHONY_TARGETS += fuzz
# --- end of the fuzzing block -----------------------------------------------

# --- packet fuzzing (embedded stack) ----------------------------------------
# stack/tests/fuzz_packet.c feeds arbitrary bytes into nds_input() on a stack
# with a listener and an established connection. make check replays it as a
# plain program (stack/local.mk); `make fuzz-packet` builds it with libFuzzer,
# ASan and UBSan and runs it for FUZZ_SECONDS, printing the executions.
FUZZ_PACKET_SRCS = $(filter stack/%.c, $(libnetdrill_a_SOURCES)) \
	stack/tests/fuzz_packet.c
MOSTLYCLEANFILES += fuzz/fuzz_packet_fuzzer fuzz/pobj/*.o

if HAVE_FUZZ_CC
fuzz/fuzz_packet_fuzzer: libnetdrill.a
	@$(MKDIR_P) fuzz/pobj
	$(AM_V_CC)set -e; objs=; \
	for s in $(FUZZ_PACKET_SRCS); do \
	  o=fuzz/pobj/`echo "$$s" | sed 's|/|_|g; s|\.c$$|.o|'`; \
	  $(FUZZ_CC) $(DEFS) $(DEFAULT_INCLUDES) $(AM_CPPFLAGS) $(CPPFLAGS) \
	    -DNDS_LIBFUZZER -Wall -Wno-unused-parameter $(FUZZ_CFLAGS) \
	    -c "$(srcdir)/$$s" -o "$$o"; \
	  objs="$$objs $$o"; \
	done; \
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $$objs $(LIBS)

fuzz-packet: fuzz/fuzz_packet_fuzzer
	@$(MKDIR_P) fuzz/packet-corpus fuzz/packet-crashes
	@echo "fuzz-packet: running fuzz/fuzz_packet_fuzzer for $(FUZZ_SECONDS) s (log: fuzz/fuzz-packet.log)"
	@rc=0; ./fuzz/fuzz_packet_fuzzer -max_total_time=$(FUZZ_SECONDS) \
	  -print_final_stats=1 -artifact_prefix=fuzz/packet-crashes/ \
	  $(FUZZ_ARGS) fuzz/packet-corpus > fuzz/fuzz-packet.log 2>&1 || rc=$$?; \
	execs=`sed -n 's/^stat::number_of_executed_units: *//p' fuzz/fuzz-packet.log`; \
	echo "fuzz-packet: $${execs:-?} executions, corpus `ls fuzz/packet-corpus | wc -l` files, exit $$rc"; \
	if test $$rc -ne 0; then tail -n 40 fuzz/fuzz-packet.log; \
	  echo "fuzz-packet: reproducers in fuzz/packet-crashes/:"; ls fuzz/packet-crashes; fi; \
	exit $$rc
else
fuzz-packet:
	@echo "make fuzz-packet needs clang with libFuzzer: ./configure FUZZ_CC=clang" >&2
	@exit 2
endif
PHONY_TARGETS += fuzz-packet
