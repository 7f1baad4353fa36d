#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's tc for the kernel back end: runs the system's own tc (found on
# $NETDRILL_REAL_PATH) inside netdrill's network namespace, with the same
# arguments, output and exit status. When it refuses a qdisc because the
# host kernel has no such qdisc kind (e.g. fq without sch_fq), it appends
# to $NETDRILL_ORACLE_NOTES what was refused and what the host lacks, and
# netdrill then fails the command instead of letting the kernel run the
# script with tun0's qdisc unchanged. Any other failure is the script's
# own business (a `tc qdisc delete` of nothing), as under packetdrill.
PATH=${NETDRILL_REAL_PATH:-/usr/sbin:/usr/bin:/sbin:/bin}
export PATH
err=$(mktemp "${TMPDIR:-/tmp}/netdrill-tc.XXXXXX") || exec tc "$@"
tc "$@" 2>"$err"
rc=$?
cat "$err" >&2
if [ $rc -ne 0 ] && [ -n "$NETDRILL_ORACLE_NOTES" ] &&
   grep -q "kind is unknown" "$err"; then
  # the kind: the first word after the object and verb that is not a
  # selector (dev D, parent P, handle H, root, ingress, clsact)
  kind=
  skip=2
  want=
  for a in "$@"; do
    if [ $skip -gt 0 ]; then
      case $a in -*) continue ;; esac
      skip=$((skip - 1))
      continue
    fi
    if [ -n "$want" ]; then want=; continue; fi
    case $a in
      dev|parent|handle|estimator) want=1 ;;
      root|ingress|clsact|egress) ;;
      *) kind=$a; break ;;
    esac
  done
  echo "\`tc $*\` was refused: the host kernel has no '${kind:-?}'" \
       "qdisc (sch_${kind:-?} is neither built in nor loadable), so the" \
       "kernel would run the script with tun0's qdisc unchanged; on the" \
       "host as root: modprobe sch_${kind:-?} (a kernel built with it)" \
       >> "$NETDRILL_ORACLE_NOTES"
fi
rm -f "$err"
exit $rc
