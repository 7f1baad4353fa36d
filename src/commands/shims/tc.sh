#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's tc: the root qdisc of tun0 in the embedded stack (a file the
# stack reads back: net/netdrill/qdisc/tun0 = none, pfifo, pfifo limit N)
# "pfifo [limit N]" and "fq [parameters]" can be added, replaced and
# deleted as tc does (a dropping "pfifo limit 0" included; fq paces, the
# stack checks its parameters' values); any other qdisc (netem, ...) or fq
# parameter is refused. tools.c's run_tc does the same in-process.
f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/qdisc/tun0
no() { echo "netdrill: \`tc $args\` is not supported by the embedded stack" >&2
	[ -z "$NETDRILL_UNSUPPORTED" ] || echo "tc $args" >>"$NETDRILL_UNSUPPORTED"; exit 1; }
args=$*
[ -f "$f" ] || no
cur=$(cat "$f") || exit 1
case " $* " in
  " qdisc add dev tun0 root "*|" qdisc replace dev tun0 root "*)
    spec=${*#qdisc * dev tun0 root }
    case $spec in
      pfifo|"pfifo limit "[0-9]*) ;;
      fq|"fq "*)
        set -- $spec; shift
        while [ $# -gt 0 ]; do
          case $1 in
            pacing|nopacing|horizon_drop|horizon_cap) shift ;;
            limit|flow_limit|quantum|initial_quantum|maxrate|buckets|\
            orphan_mask|refill_delay|low_rate_threshold|ce_threshold|\
            timer_slack|horizon) [ $# -ge 2 ] || no; shift 2 ;;
            *) no ;;
          esac
        done
        set -- $args ;;
      *) no ;;
    esac
    if [ "$1 $2" = "qdisc add" ] && [ "$cur" != none ]; then
      echo "Error: Exclusivity flag on, cannot modify." >&2; exit 2
    fi ;;
  " qdisc del dev tun0 root "|" qdisc delete dev tun0 root ")
    if [ "$cur" = none ]; then
      echo "Error: Cannot delete qdisc with handle of zero." >&2; exit 2
    fi
    spec=none ;;
  " qdisc show "|" qdisc show dev tun0 ")
    [ "$cur" = none ] || echo "qdisc $cur dev tun0 root"
    exit 0 ;;
  *) no ;;
esac
printf '%s\n' "$spec" > "$f" || exit 1
[ -z "$NETDRILL_VERBOSE" ] || echo "netdrill: \`tc $args\`: tun0's root qdisc is now $spec" >&2
exit 0
