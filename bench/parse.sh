#!/bin/sh
# parse.sh: how long one `netdrill --dry_run` process takes to parse and
# check every upstream TCP script (best of 5). Prints figures, asserts none.
# usage: parse.sh NETDRILL CONFORMANCE_DIR   (NETDRILL may be a command)
NETDRILL=$1 CONFORMANCE_DIR=$2
. "$(dirname "$0")/corpus-args.sh"
corpus_setup || exit 0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
find "$CORPUS_TCP" -name '*.pkt' | LC_ALL=C sort > "$tmp/list"
n=$(wc -l < "$tmp/list")
best=
for i in 1 2 3 4 5; do
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	$NETDRILL --dry_run $CORPUS_ARGS $(cat "$tmp/list") > /dev/null 2> "$tmp/err"
	rc=$?
	ns=$(( $(date +%s%N) - start ))
	if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
done
invalid=$(grep -E '^[^:]+\.pkt:[0-9]+(:[0-9]+)?: error' "$tmp/err" | cut -d: -f1 | sort -u | wc -l)
printf 'bench parse: %d scripts in one --dry_run process: best of 5 %d.%03d ms wall, %d us/script\n' \
	"$n" $((best / 1000000)) $((best / 1000 % 1000)) $((best / 1000 / n))
printf 'bench parse: exit status %d, %d of %d scripts reported invalid\n' "$rc" "$invalid" "$n"
if [ "$rc" -gt 1 ]; then echo "bench parse: netdrill said: $(head -1 "$tmp/err")"; fi
