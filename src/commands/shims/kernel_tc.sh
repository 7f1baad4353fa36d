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
[ -n "$NETDRILL_ORACLE_NOTES" ] || exec tc "$@"
# Shell builtins only besides tc itself: a command's time counts on the
# real clock of a kernel run (timers run meanwhile).
err=$NETDRILL_ORACLE_NOTES.tc
tc "$@" 2>"$err"
rc=$?
msg=
while IFS= read -r l || [ -n "$l" ]; do
  printf '%s\n' "$l" >&2
  msg="$msg $l"
done <"$err"
case $rc:$msg in
  0:*) ;;
  *"kind is unknown"*)
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
         >> "$NETDRILL_ORACLE_NOTES" ;;
esac
exit $rc
