# SPDX-License-Identifier: GPL-2.0-only
# grammar/local.mk: this folder's part of the top-level Makefile.am.
# The script front end: scanner, parser, model, checks, dump, diagnostics.
libnetdrill_a_SOURCES += \
	grammar/parser.y grammar/lexer.l grammar/lex.h \
	grammar/ast.c grammar/ast.h grammar/script.h grammar/parse_priv.h \
	grammar/check.c grammar/dump.c grammar/diag.c grammar/diag.h \
	grammar/symbols.c grammar/symbols.h
# lexer.c includes the parser's token header, so make it first.
BUILT_SOURCES += grammar/parser.h

# Unit tests of the front end (TAP output in the .log file).
TESTS += grammar/tests/test_grammar
check_PROGRAMS += grammar/tests/test_grammar
grammar_tests_test_grammar_SOURCES = grammar/tests/test_grammar.c
grammar_tests_test_grammar_LDADD = libnetdrill.a $(PCAP_LIBS)
