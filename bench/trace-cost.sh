#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# trace-cost.sh: what tracing costs. The whole upstream TCP corpus in suite
# mode (three address variants, -j JOBS) with
#   off      this netdrill, no --trace, no --report (the trace hook is
#            compiled in but unset: one test per traced function)
#   trace    --trace (every category, text) to /dev/null
#   json     --trace-format=json to /dev/null
#   report   --report=DIR/ (a page per run and index.html, call path on)
#   base     BENCH_BASELINE=/path/to/netdrill, e.g. one built before the
#            trace, for the before/after figure (skipped when unset)
# each BENCH_REPEAT times (default 3); prints the median wall time and the
# median CPU time (user + system of netdrill and its children, steadier
# than wall time on a shared machine) and the ratios to off. Prints
# figures, asserts nothing.
# usage: trace-cost.sh NETDRILL CONFORMANCE_DIR
NETDRILL=$1 CONFORMANCE_DIR=$2
jobs=${BENCH_JOBS:-2}
repeat=${BENCH_REPEAT:-3}
. "$(dirname "$0")/corpus-args.sh"
corpus_setup || exit 0
case $NETDRILL in /*) ;; *) NETDRILL=$(pwd)/$NETDRILL ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-trace-cost.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# one BINARY ARGS...: one suite pass; prints "wall_ms cpu_ms passed"
one() {
	bin=$1
	shift
	/usr/bin/env time -f '%e %U %S' -o "$tmp/time" "$bin" -j "$jobs" \
		--ip_version=ipv4,ipv6,ipv4-mapped-ipv6 \
		-D TFO_COOKIE=3021b9d889017eeb -D CODE=host_unreachable \
		-D CMSG_LEVEL_IP=SOL_IP -D CMSG_TYPE_RECVERR=IP_RECVERR \
		"$@" "$CORPUS_TCP" > "$tmp/out" 2>&1
	passed=$(grep -Eo '[0-9]+ passed' "$tmp/out" | tail -1 | cut -d' ' -f1)
	# GNU time puts "Command exited with non-zero status 1" first when
	# some scripts fail: the figures are on the last line
	tail -n 1 "$tmp/time" |
		awk -v p="${passed:-?}" '{ printf "%d %d %s\n", $1 * 1000, ($2 + $3) * 1000, p }' 
}

# median of the lines on stdin, field $1
median() { sort -n -k"$1" | awk -v f="$1" '{ v[NR] = $f } END { print v[int((NR + 1) / 2)] }'; }

# measure LABEL BINARY ARGS...: prints a row, sets wall/cpu
measure() {
	label=$1
	shift
	: > "$tmp/runs"
	i=0
	while [ "$i" -lt "$repeat" ]; do
		one "$@" >> "$tmp/runs"
		i=$((i + 1))
	done
	wall=$(median 1 < "$tmp/runs")
	cpu=$(median 2 < "$tmp/runs")
	passed=$(tail -1 "$tmp/runs" | cut -d' ' -f3)
}

if ! command -v time > /dev/null 2>&1 && [ ! -x /usr/bin/time ]; then
	echo "SKIP: trace-cost needs GNU time (/usr/bin/time)"
	exit 0
fi
echo "trace cost: $NETDRILL -j $jobs --ip_version=ipv4,ipv6,ipv4-mapped-ipv6 $CORPUS_TCP, median of $repeat"
echo "host: $(nproc 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
printf '%-8s %10s %10s %8s %8s %7s\n' run wall_ms cpu_ms wall/off cpu/off passed
measure off "$NETDRILL"
off_wall=$wall off_cpu=$cpu
row() {
	printf '%-8s %10d %10d %8.3f %8.3f %7s\n' "$1" "$wall" "$cpu" \
		"$(echo "$wall $off_wall" | awk '{ print $1 / ($2 ? $2 : 1) }')" \
		"$(echo "$cpu $off_cpu" | awk '{ print $1 / ($2 ? $2 : 1) }')" \
		"$passed"
}
row off
if [ -n "${BENCH_BASELINE:-}" ]; then
	measure base "$BENCH_BASELINE"
	row base
fi
measure trace "$NETDRILL" --trace --trace-file=/dev/null
row trace
measure json "$NETDRILL" --trace-format=json --trace-file=/dev/null
row json
measure report "$NETDRILL" --report="$tmp/reports/"
row report
measure both "$NETDRILL" --trace --trace-file=/dev/null --report="$tmp/reports/"
row both
