# SPDX-License-Identifier: GPL-2.0-only
# tests/local.mk: tests of the command line and the run configuration, and
# the dump round trip over the upstream corpus (build helper).
TESTS += tests/cli.test tests/config_test tests/man.test tests/readme.test \
	tests/roundtrip.test
check_PROGRAMS += tests/config_test
tests_config_test_SOURCES = tests/config_test.c
tests_config_test_LDADD = libnetdrill.a $(PCAP_LIBS)
EXTRA_DIST += tests/valgrind.supp tests/cli.test tests/man.test tests/readme.test \
	tests/roundtrip.test
