# tests/local.mk: tests of the command line (build helper).
TESTS += tests/cli.test
EXTRA_DIST += tests/cli.test
