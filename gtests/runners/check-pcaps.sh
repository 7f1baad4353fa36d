#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# check-pcaps.sh: does every capture file netdrill wrote hold the number
# of packets netdrill reported for it? Reads netdrill's TAP output
# (--tap), whose "# capture: FILE: N packets" lines name each run's pcap,
# and counts the packets of each file with `tcpdump -r`.
#   usage: check-pcaps.sh REPORT.tap
# Prints one line per mismatch or unreadable file, then
# "checked N captures (P packets), M wrong"; exit 0 if none is wrong,
# 1 if some is, 2 on a usage error or without tcpdump.
[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: $0 REPORT.tap" >&2; exit 2; }
command -v tcpdump >/dev/null 2>&1 || { echo "$0: tcpdump not found" >&2; exit 2; }

n=0 wrong=0 total=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
sed -n 's/^# capture: \(.*\): \(-\{0,1\}[0-9][0-9]*\) packets$/\2 \1/p' "$1" >"$tmp"
while read -r want file; do
	n=$((n + 1))
	if ! got=$(tcpdump -n -r "$file" 2>/dev/null | wc -l) ||
	   ! tcpdump -n -r "$file" >/dev/null 2>&1; then
		echo "unreadable: $file"
		wrong=$((wrong + 1))
		continue
	fi
	got=$((got + 0))
	total=$((total + got))
	if [ "$got" -ne "$want" ]; then
		echo "mismatch: $file: netdrill reported $want packets, tcpdump read $got"
		wrong=$((wrong + 1))
	fi
done <"$tmp"
echo "checked $n captures ($total packets), $wrong wrong"
[ "$wrong" -eq 0 ]
