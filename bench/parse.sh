#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# parse.sh: how long one `netdrill --dry_run` process takes to parse and
# check every upstream TCP script (best of 5). Prints figures, asserts none.
# First all of them in one process with the runner's IPv4 flags (the
# IPv6-only ones then warn about their ICMPv6 names but parse), then the
# split the runner uses: the IPv4 scripts with the IPv4 flags, the few
# IPv6-only ones (*v6.pkt) with its IPv6 flags.
# usage: parse.sh NETDRILL CONFORMANCE_DIR   (NETDRILL may be a command)
NETDRILL=$1 CONFORMANCE_DIR=$2
. "$(dirname "$0")/corpus-args.sh"
corpus_setup || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
find "$CORPUS_TCP" -name '*.pkt' | LC_ALL=C sort > "$tmp/all"
grep -v 'v6\.pkt$' "$tmp/all" > "$tmp/v4"
grep 'v6\.pkt$' "$tmp/all" > "$tmp/v6"

# bench NAME LIST ARGS: time one --dry_run process over LIST, best of 5.
bench() {
	name=$1 list=$2 args=$3
	n=$(wc -l < "$list")
	[ "$n" -gt 0 ] || return 0
	best=
	for i in 1 2 3 4 5; do
		start=$(date +%s%N)
		# shellcheck disable=SC2086
		$NETDRILL --dry_run $args $(cat "$list") > /dev/null 2> "$tmp/err"
		rc=$?
		ns=$(( $(date +%s%N) - start ))
		if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
	done
	invalid=$(grep -E '^[^:]+\.pkt:[0-9]+(:[0-9]+)?: error' "$tmp/err" | cut -d: -f1 | sort -u | wc -l)
	printf 'bench parse %s: %d scripts in one --dry_run process: best of 5 %d.%03d ms wall, %d us/script; exit %d, %d invalid\n' \
		"$name" "$n" $((best / 1000000)) $((best / 1000 % 1000)) $((best / 1000 / n)) "$rc" "$invalid"
	if [ "$rc" -gt 1 ] || [ "$invalid" -gt 0 ]; then
		sed -n '1,3s/^/    /p' "$tmp/err"
	fi
}
bench all "$tmp/all" "$CORPUS_ARGS_V4"
bench ipv4 "$tmp/v4" "$CORPUS_ARGS_V4"
bench ipv6 "$tmp/v6" "$CORPUS_ARGS_V6"
