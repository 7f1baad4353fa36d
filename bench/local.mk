# bench/local.mk: this folder's part of the top-level Makefile.am.
