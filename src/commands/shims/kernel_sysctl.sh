#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's sysctl for the kernel back end: runs the system's own sysctl
# (found on $NETDRILL_REAL_PATH) inside netdrill's network namespace, with
# the same arguments, output and exit status. Then, for every NAME=VALUE it
# was asked to write that did not take because of a setting of the host
# (not of the namespace), it appends to $NETDRILL_ORACLE_NOTES what refused
# it and the host-side command that would allow it; netdrill then fails the
# command instead of letting the kernel run the script with other settings.
# It never changes the host itself. ($NETDRILL_ORACLE_PROC_SYS, default
# /proc/sys, lets tests/kernel-oracle.test check the logic on files.)
proc=${NETDRILL_ORACLE_PROC_SYS:-/proc/sys}
PATH=${NETDRILL_REAL_PATH:-/usr/sbin:/usr/bin:/sbin:/bin}
export PATH
sysctl "$@"
rc=$?
[ -n "$NETDRILL_ORACLE_NOTES" ] || exit $rc
set -f
for a in "$@"; do
  case $a in
    -*) continue ;;
    *=*) ;;
    *) continue ;;
  esac
  name=$(printf '%s' "${a%%=*}" | tr / .)
  value=${a#*=}
  case $name in
    net.ipv4.tcp_congestion_control)
      now=$(cat $proc/net/ipv4/tcp_congestion_control 2>/dev/null)
      [ "$now" = "$value" ] && continue
      avail=$(cat $proc/net/ipv4/tcp_available_congestion_control \
              2>/dev/null)
      allowed=$(cat $proc/net/ipv4/tcp_allowed_congestion_control \
                2>/dev/null)
      case " $avail " in
        *" $value "*)
          case " $allowed " in
            *" $value "*) ;;
            *) echo "$name=$value was refused: the host does not allow" \
                 "'$value' in other network namespaces" \
                 "(net.ipv4.tcp_allowed_congestion_control = \"$allowed\"), so" \
                 "the kernel would run the script with $now; to allow it, on" \
                 "the host as root: sysctl -w" \
                 "net.ipv4.tcp_allowed_congestion_control=\"$allowed $value\"" \
                 >> "$NETDRILL_ORACLE_NOTES" ;;
          esac ;;
        *) echo "$name=$value was refused: the host kernel has no" \
             "congestion control '$value' (net.ipv4.tcp_available_congestion_control" \
             "= \"$avail\"), so the kernel would run the script with $now;" \
             "on the host as root: modprobe tcp_$value, then allow it in" \
             "net.ipv4.tcp_allowed_congestion_control" \
             >> "$NETDRILL_ORACLE_NOTES" ;;
      esac ;;
  esac
done
exit $rc
