#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kill-stress.sh: kill kernel-mode runs at random moments and check that
# nothing they made survives them.
#
# usage: gtests/kernel/kill-stress.sh [-n RUNS] NETDRILL
#   Runs NETDRILL RUNS times (default 100) over this folder's scripts, in
#   kernel mode and now and then in compare mode, and kills each run after
#   a random 0-0.6 s (the scripts take 0.2-1.3 s) with SIGINT, SIGTERM or
#   SIGKILL (chosen at random).
#   Afterwards it checks, against a snapshot taken before:
#     - no named network namespace appeared (ip netns list) and no
#       network namespace is still in use by any process (lsns, or
#       /proc/*/ns/net) that was not in use before;
#     - the host namespace has no new interface (tun0 or any other);
#     - /tmp and /dev/shm have no entry named after one of the runs' pids
#       (netdrill-PID-*, sysctl_restore_PID.sh), and the private TMPDIR
#       the runs got is empty;
#     - no process of NETDRILL is left.
#   Prints one line per problem and a summary; exit 0 if nothing was left.
# Needs root (kernel mode does). Run it on a quiet machine: other netdrill
# runs at the same time would show up as leftovers.
set -u
set -m		# background runs must not ignore SIGINT (they would without job control)
runs=100
while getopts "n:h" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	*) sed -n '4,19p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '4,19p' "$0"; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "kill-stress: needs root" >&2; exit 2; }

netns_in_use() {
	if command -v lsns >/dev/null 2>&1; then
		lsns -n -t net -o NS 2>/dev/null | sort -u
	else
		for p in /proc/[0-9]*/ns/net; do readlink "$p"; done 2>/dev/null |
			sort -u
	fi
}
snapshot() {	# snapshot DIR
	ip netns list 2>/dev/null | sort >"$1/netns"
	netns_in_use >"$1/inuse"
	ls /sys/class/net | sort >"$1/links"
	ls -A /tmp /dev/shm 2>/dev/null | sort >"$1/tmpfiles"
}

work=$(mktemp -d /tmp/kill-stress.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/before" "$work/after" "$work/tmp"
snapshot "$work/before"

scripts=(passive-open.pkt active-open.pkt blocking-accept.pkt
	 retransmit.pkt tcp-info.pkt)
signals=(INT TERM KILL)
declare -A by_signal=() by_status=()
pids=()
exec 3>&2 2>/dev/null	# bash's job notices ("Killed ...") are noise here
for ((i = 1; i <= runs; i++)); do
	s=${scripts[$((RANDOM % ${#scripts[@]}))]}
	sig=${signals[$((RANDOM % 3))]}
	mode=kernel
	[ $((i % 5)) -eq 0 ] && mode=compare
	delay=$(printf '0.%03d' $((RANDOM % 600)))
	(cd "$here" && exec env TMPDIR="$work/tmp" "$bin" --stack=$mode "$s") \
		>/dev/null 2>&1 </dev/null &
	pid=$!
	pids+=("$pid")
	sleep "$delay"
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	by_signal[$sig]=$((${by_signal[$sig]:-0} + 1))
	by_status[$st]=$((${by_status[$st]:-0} + 1))
done
exec 2>&3 3>&-
sleep 1		# let the kernel finish tearing namespaces down
snapshot "$work/after"

problems=0
problem() {
	echo "LEFT BEHIND: $*"
	problems=$((problems + 1))
}
new_lines() {	# new_lines FILE: lines in after/FILE not in before/FILE
	comm -13 "$work/before/$1" "$work/after/$1"
}
for n in $(new_lines netns); do problem "named network namespace $n"; done
for n in $(new_lines inuse); do problem "network namespace $n in use"; done
for n in $(new_lines links); do problem "host interface $n"; done
for n in $(new_lines tmpfiles); do
	for p in "${pids[@]}"; do
		case $n in
		*netdrill-$p-*|*_$p.sh) problem "temp entry $n" ;;
		esac
	done
done
for f in "$work"/tmp/*; do
	[ -e "$f" ] && problem "file in the runs' TMPDIR: $(basename "$f")"
done
for p in $(pgrep -f "^$bin" 2>/dev/null); do
	problem "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
done

echo "kill-stress: $runs runs killed" \
     "(SIGINT ${by_signal[INT]:-0}, SIGTERM ${by_signal[TERM]:-0}," \
     "SIGKILL ${by_signal[KILL]:-0}); exit statuses:" \
     "$(for k in "${!by_status[@]}"; do printf '%s:%s ' "$k" "${by_status[$k]}"; done)"
echo "kill-stress: network namespaces in use before $(wc -l <"$work/before/inuse")," \
     "after $(wc -l <"$work/after/inuse"); host interfaces before" \
     "$(wc -l <"$work/before/links"), after $(wc -l <"$work/after/links")"
if [ $problems -eq 0 ]; then
	echo "kill-stress: nothing left behind"
	exit 0
fi
echo "kill-stress: $problems things left behind"
exit 1
