#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# status.sh: README's status figures, measured: the upstream packetdrill TCP
# suite in its three address variants through this netdrill, with the
# conformance runner (run_all.py's addresses and -D definitions), beside
# packetdrill's own verdicts on Linux 6.18 (kernel-reference.tsv).
# Prints the sentence README.md's Status section holds between the
# markers <!-- status: make status --> and <!-- end status -->;
# with --update README.md it rewrites that part of the file.
# usage: status.sh [--update README.md] NETDRILL CONFORMANCE_DIR
update=
if [ "$1" = --update ]; then update=$2; shift 2; fi
netdrill=$1 conf=$2
if [ ! -x "$conf/run" ] || [ ! -d "$conf/upstream/tcp" ]; then
	echo "SKIP: no conformance corpus at $conf (make status CONFORMANCE_DIR=...)"
	exit 0
fi
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
start=$(date +%s.%N)
"$conf/run" -j "$(nproc 2>/dev/null || echo 2)" -V ipv4,ipv6,ipv4-mapped-ipv6 \
	-o "$out" "$netdrill" "$conf/upstream/tcp" >/dev/null 2>&1
end=$(date +%s.%N)
scripts=$(cut -f3 "$out" | sort -u | wc -l)
runs=$(wc -l <"$out")
# passes and runs of a variant in a result file
count() { awk -F'\t' -v v="$2" '$2 == v { n++; if ($1 == "PASS") p++ }
	END { printf "%d %d", p, n }' "$1"; }
set -- $(count "$out" ipv4) $(count "$out" ipv6) $(count "$out" ipv4-mapped-ipv6)
k4=$(awk -F'\t' '$1 == "PASS" && $2 == "ipv4"' "$conf/kernel-reference.tsv" | wc -l)
k6=$(awk -F'\t' '$1 == "PASS" && $2 == "ipv6"' "$conf/kernel-reference.tsv" | wc -l)
km=$(awk -F'\t' '$1 == "PASS" && $2 == "ipv4-mapped-ipv6"' "$conf/kernel-reference.tsv" | wc -l)
secs=$(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }')
text="Over the upstream packetdrill TCP suite ($scripts scripts) it passes $1 of $2
IPv4 runs, $3 of $4 IPv6 and $5 of $6 IPv4-mapped IPv6 (the host's Linux 6.18
kernel under packetdrill: $k4, $k6, $km); all $runs runs take $secs s on $(nproc 2>/dev/null || echo ?) cores
($(date -u +%Y-%m-%d), \`make status\`)."
printf '%s\n' "$text"
if [ -n "$update" ]; then
	# the text takes the marker's indentation (README: a list item)
	awk -v text="$text" '
		/<!-- status: make status -->/ {
			print; ind = $0; sub(/<.*/, "", ind)
			t = text; gsub(/\n/, "\n" ind, t); print ind t
			skip = 1; next }
		/<!-- end status -->/ { skip = 0 }
		!skip' "$update" >"$update.new" && mv "$update.new" "$update"
	echo "status: $update updated"
fi
