#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# memory.sh: how much memory `netdrill --dry_run` needs per byte of script,
# on a generated script of EVENTS packet events (default 100000, about
# 4 MB): the peak resident set size over the script's size. Prints the
# figure, asserts nothing. Needs GNU time (/usr/bin/time); says SKIP
# without it.
# usage: memory.sh NETDRILL [EVENTS]
NETDRILL=$1 EVENTS=${2:-100000}
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
	echo "memory: SKIP (no GNU time at /usr/bin/time)"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-mem.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
awk -v n="$EVENTS" 'BEGIN {
	print "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3"
	print "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"
	print "+0 bind(3, ..., ...) = 0"
	print "+0 listen(3, 1) = 0"
	print "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>"
	print "+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>"
	print "+.1 < . 1:1(0) ack 1 win 257"
	print "+0 accept(3, ..., ...) = 4"
	for (i = 0; i < n; i++)
		printf "+0 < P. %d:%d(10) ack 1 win 257\n", 1 + 10 * i, 11 + 10 * i
}' > "$tmp/big.pkt"
bytes=$(wc -c < "$tmp/big.pkt")
# shellcheck disable=SC2086
/usr/bin/time -o "$tmp/rss" -f %M $NETDRILL --dry_run "$tmp/big.pkt" >/dev/null 2>&1
kb=$(tail -n 1 "$tmp/rss")
echo "$bytes $kb $EVENTS" | awk '{ printf "memory: --dry_run of %d events (%.1f MB of script): %.1f MB peak, %.1fx the script, %d bytes per event\n", $3, $1 / 1e6, $2 / 1024, $2 * 1024 / $1, $2 * 1024 / $3 }'
