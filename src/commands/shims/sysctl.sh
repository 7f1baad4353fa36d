#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's sysctl: reads and writes the embedded stack's sysctls
# Usage: sysctl [-q] [-e] [-w] [-n] name[=value] ..., names with dots or
# slashes, on the files below $NETDRILL_SYSCTL_ROOT (the run's copy of
# /proc/sys). tools.c's run_sysctl does the same in-process.
root=${NETDRILL_SYSCTL_ROOT:-/proc/sys}
quiet=0; ignore=0; values=0; rc=0
set -f
for a in "$@"; do
  case $a in
    --quiet) quiet=1; continue ;;
    --ignore) ignore=1; continue ;;
    --write|--load=*) continue ;;
    --values) values=1; continue ;;
    -[A-Za-z]*)
      o=${a#-}
      while [ -n "$o" ]; do
        c=${o%"${o#?}"}; o=${o#?}
        case $c in
          q) quiet=1 ;; e) ignore=1 ;; w) ;; n) values=1 ;; N) ;;
          *) echo "sysctl: option -$c is not supported by netdrill" >&2; exit 1 ;;
        esac
      done
      continue ;;
  esac
  key=${a%%=*}
  p=; IFS=.; for part in $key; do p=${p:+$p/}$part; done; unset IFS
  f=$root/$p
  if [ ! -f "$f" ]; then
    if [ $ignore = 0 ]; then
      echo "sysctl: cannot stat /proc/sys/$p: No such file or directory" >&2
      rc=255
    fi
    continue
  fi
  case $a in
    *=*) v=${a#*=}
         if ! printf '%s\n' "$v" > "$f"; then rc=255; continue; fi
         [ $quiet = 1 ] || echo "$key = $v" ;;
    *)   v=$(cat "$f")
         if [ $values = 1 ]; then echo "$v"; else echo "$key = $v"; fi ;;
  esac
done
exit $rc
