#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Generate configure and Makefile.in from configure.ac and Makefile.am.
# Needs autoconf, automake and pkg-config (for pkg.m4); then run ./configure.
set -e
cd "$(dirname "$0")"
for tool in autoreconf aclocal automake; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "autogen.sh: $tool not found; install autoconf and automake" \
			"(Debian: apt-get install autoconf automake pkg-config)" >&2
		exit 1
	fi
done
mkdir -p m4 build-aux
autoreconf --install --force --warnings=all
