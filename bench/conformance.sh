#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# conformance.sh: the conformance runner over the upstream TCP corpus in its
# three address variants (`run -j JOBS -V ipv4,ipv6,ipv4-mapped-ipv6`), with
# netdrill, and where the time goes:
#  - the runner's own floor: the same run with a binary that only exits 0;
#  - netdrill's share, from NETDRILL_CMD_STATS (one line per run): time in
#    its process, its CPU time, the shell commands' time, native or through
#    /bin/sh, and their children's CPU time.
# Prints figures, asserts nothing.
# usage: conformance.sh NETDRILL CONFORMANCE_DIR
#   BENCH_JOBS=N        runner jobs (default 2)
#   BENCH_COMPARE=1     also run with every command through /bin/sh
#                       (NETDRILL_NO_FASTPATH=1), for before/after figures
NETDRILL=$1 CONFORMANCE_DIR=$2
jobs=${BENCH_JOBS:-2}
. "$(dirname "$0")/corpus-args.sh"
corpus_setup || exit 0
case $NETDRILL in /*) ;; *) NETDRILL=$(pwd)/$NETDRILL ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
runner=$CONFORMANCE_DIR/run
variants=ipv4,ipv6,ipv4-mapped-ipv6

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# one LABEL BINARY [ENV=VALUE...]: a whole runner pass; sets wall (ms)
one() {
	label=$1 bin=$2
	shift 2
	start=$(ms_now)
	env "$@" "$runner" -j "$jobs" -V "$variants" -o "$tmp/$label.tsv" \
		"$bin" > "$tmp/$label.out" 2>&1
	wall=$(( $(ms_now) - start ))
}

printf '#!/bin/sh\nexit 0\n' > "$tmp/noop"
chmod +x "$tmp/noop"
echo "conformance: $runner -j $jobs -V $variants over $CORPUS_TCP"
echo "host: $(nproc 2>/dev/null || echo '?') cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

one noop "$tmp/noop"
floor=$wall
runs=$(wc -l < "$tmp/noop.tsv")

# report LABEL: wall, passes, where the time went
report() {
	label=$1
	printf '%s: %d.%03d s wall for %d script runs (runner floor %d.%03d s)\n' \
		"$label" $((wall / 1000)) $((wall % 1000)) "$runs" \
		$((floor / 1000)) $((floor % 1000))
	awk -F'\t' '{ n[$2]++; if ($1 == "PASS") p[$2]++ }
		END { for (v in n) printf "  %-17s %d/%d passed\n", v, p[v], n[v] }' \
		"$tmp/$label.tsv" | sort
	[ -s "$tmp/$label.stats" ] || return 0
	awk -v wall="$wall" -v floor="$floor" -v jobs="$jobs" '
	{ nn += $2; tn += $3; ns += $5; ts += $6; setup += $8; run += $10
	  su += $12; ss += $13; cu += $15; cs += $16; k++ }
	END {
		printf "  in netdrill: %.2f s over %d runs (%.2f ms/run); CPU %.2f s user + %.2f s sys\n", \
			run / 1e6, k, run / 1e3 / (k ? k : 1), su / 1e6, ss / 1e6
		printf "  commands: %d native in %.3f s (%.3f ms each), %d through /bin/sh in %.2f s (%.1f ms each, %.2f s of it setting up work dirs and namespaces)\n", \
			nn, tn / 1e6, nn ? tn / 1e3 / nn : 0, ns, ts / 1e6, ns ? ts / 1e3 / ns : 0, setup / 1e6
		printf "  their children (sh, bash, python, shims): CPU %.2f s user + %.2f s sys\n", \
			cu / 1e6, cs / 1e6
		printf "  wall above the runner floor: %.2f s (netdrill time / %d jobs: %.2f s)\n", \
			(wall - floor) / 1e3, jobs, run / 1e6 / jobs
	}' "$tmp/$label.stats"
}

one native "$NETDRILL" NETDRILL_CMD_STATS="$tmp/native.stats"
report native
if [ -n "$BENCH_COMPARE" ]; then
	one shell "$NETDRILL" NETDRILL_CMD_STATS="$tmp/shell.stats" \
		NETDRILL_NO_FASTPATH=1
	report shell
fi
