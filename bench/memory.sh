#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# memory.sh: how much memory netdrill needs per byte of script, on a
# generated script of EVENTS packet events (default 100000, about 4 MB):
# the peak resident set size of --dry_run and of a run over the script's
# size, against issue 10's target (under 5x the script). Prints the
# figures, asserts nothing. A run also holds what the stack sends that
# the script never expects (here an ACK for most of the segments, which
# overflow the receive buffer). Needs GNU time (/usr/bin/time); says
# SKIP without it.
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
	print "+0 > S. 0:0(0) ack 1 <...>"
	print "+.1 < . 1:1(0) ack 1 win 257"
	print "+0 accept(3, ..., ...) = 4"
	for (i = 0; i < n; i++)
		printf "+0 < P. %d:%d(10) ack 1 win 257\n", 1 + 10 * i, 11 + 10 * i
}' > "$tmp/big.pkt"
bytes=$(wc -c < "$tmp/big.pkt")
for mode in --dry_run run; do
	# shellcheck disable=SC2086
	if [ $mode = run ]; then
		/usr/bin/time -o "$tmp/rss" -f %M $NETDRILL "$tmp/big.pkt" >/dev/null 2>&1
	else
		/usr/bin/time -o "$tmp/rss" -f %M $NETDRILL --dry_run "$tmp/big.pkt" >/dev/null 2>&1
	fi
	kb=$(tail -n 1 "$tmp/rss")
	echo "$mode $bytes $kb $EVENTS" | awk '{ printf "memory: %s of %d events (%.1f MB of script): %.1f MB peak, %.1fx the script (target: under 5x), %d bytes per event\n", $1, $4, $2 / 1e6, $3 / 1024, $3 * 1024 / $2, $3 * 1024 / $4 }'
done
echo "memory: (a run also keeps each packet the stack sends until a script line matches it: here the ACKs of the segments the full receive buffer drops)"
