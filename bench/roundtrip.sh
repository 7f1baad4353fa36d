#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# roundtrip.sh: for every upstream TCP script, dump it, parse the dump, dump
# again and compare the two dumps byte for byte. Each script gets the
# runner's flags for it (IPv6 ones for *v6.pkt, IPv4 ones otherwise).
# usage: roundtrip.sh [--check] NETDRILL CONFORMANCE_DIR
# With --check, exit 1 if any script fails to parse or dumps differently.
check=0
if [ "$1" = --check ]; then check=1; shift; fi
NETDRILL=$1 CONFORMANCE_DIR=$2
. "$(dirname "$0")/corpus-args.sh"
corpus_setup || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-roundtrip.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 same=0 unparsed=0 differ=0
for f in $(find "$CORPUS_TCP" -name '*.pkt' | LC_ALL=C sort); do
	n=$((n + 1))
	rel=${f#"$CORPUS_TCP"/}
	args=$(corpus_args "$f")
	# shellcheck disable=SC2086
	if ! $NETDRILL --dump $args "$f" > "$tmp/dump1.pkt" 2> "$tmp/err"; then
		unparsed=$((unparsed + 1))
		echo "roundtrip: $rel: does not parse: $(head -1 "$tmp/err")"
		continue
	fi
	# shellcheck disable=SC2086
	if ! $NETDRILL --dump $args "$tmp/dump1.pkt" > "$tmp/dump2.pkt" 2> "$tmp/err"; then
		differ=$((differ + 1))
		echo "roundtrip: $rel: its dump does not parse: $(head -1 "$tmp/err")"
		continue
	fi
	if cmp -s "$tmp/dump1.pkt" "$tmp/dump2.pkt"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		echo "roundtrip: $rel: the dump of its dump differs:"
		diff "$tmp/dump1.pkt" "$tmp/dump2.pkt" | head -6 | sed 's/^/    /'
	fi
done
echo "roundtrip: $same/$n identical ($unparsed do not parse, $differ differ)"
if [ "$check" = 1 ] && [ "$same" -ne "$n" ]; then exit 1; fi
exit 0
