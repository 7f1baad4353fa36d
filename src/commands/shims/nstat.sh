#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's nstat: the embedded stack's counters (net/netdrill/nstat holds
# "name value history" lines), printed as nstat prints them: the change
# since the last run (history), nonzero ones only, history then updated
# The stack's counters come from stack/mib.c; -a, -z, -s, -n and -r as
# nstat reads them.
f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/nstat
no() { echo "netdrill: \`nstat $args\` is not supported by the embedded stack" >&2
	[ -z "$NETDRILL_UNSUPPORTED" ] || echo "nstat $args" >>"$NETDRILL_UNSUPPORTED"; exit 1; }
args=$*
abs=0; zeros=0; save=1; out=1
[ -f "$f" ] || no
for a in "$@"; do
  case $a in
    --ignore) abs=1 ;; --zeros) zeros=1 ;; --no-update) save=0 ;;
    --nooutput) out=0 ;; --reset) abs=1 ;;
    -[azsnr]*)
      o=${a#-}
      while [ -n "$o" ]; do
        c=${o%"${o#?}"}; o=${o#?}
        case $c in
          a|r) abs=1 ;; z) zeros=1 ;; s) save=0 ;; n) out=0 ;; *) no ;;
        esac
      done ;;
    *) no ;;
  esac
done
if [ $out = 1 ]; then
  echo '#kernel'
  awk -v abs=$abs -v zeros=$zeros '{ v = abs ? $2 : $2 - $3
    if (v != 0 || zeros) printf "%-32s%-16d%6.1f\n", $1, v, 0 }' "$f" || exit 1
fi
if [ $save = 1 ]; then echo snapshot > "$f" || exit 1; fi
exit 0
