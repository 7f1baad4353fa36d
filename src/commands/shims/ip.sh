#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's ip: TCP metrics flushes (each run starts with an empty
# cache) and route metrics (net/netdrill/route: stack/route.c)
# `ip tcp_metrics flush|delete` bumps net/netdrill/tcp_metrics_flushes,
# which empties the stack's Fast Open cookie cache; `ip [-4|-6] route
# change|replace|add|del DST [via GW] [dev tun0] [advmss N] [mtu [lock] M]
# [initcwnd K]` sets the stack's route metrics; `ip link set [dev] tun0
# [mtu N] [up]` sets tun0's MTU (net/netdrill/mtu/tun0; tun0 is always
# up); anything else is refused.
case " $* " in
  *" tcp_metrics flush"*|*" tcp_metrics delete"*|*" tcpmetrics flush"*|*" tcpmetrics delete"*)
    m=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/tcp_metrics_flushes
    [ ! -f "$m" ] || echo $(( $(cat "$m") + 1 )) > "$m"
    [ -z "$NETDRILL_VERBOSE" ] || echo "netdrill: \`ip $*\`: the Fast Open cookie cache is emptied" >&2
    exit 0 ;;
esac
args=$*
no() { echo "netdrill: \`ip $args\` is not supported by the embedded stack" >&2
	[ -z "$NETDRILL_UNSUPPORTED" ] || echo "ip $args" >>"$NETDRILL_UNSUPPORTED"; exit 1; }
case $1 in -4|-6) shift ;; esac
case $1 in
  link|l)
    m=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/mtu/tun0
    [ -f "$m" ] && [ "$2" = set ] || no
    shift 2
    [ "$1" != dev ] || shift
    [ "$1" = tun0 ] || no
    shift; mtu=
    while [ $# -gt 0 ]; do
      case $1 in
        mtu) [ $# -ge 2 ] || no; mtu=$2; shift 2 ;;
        up) shift ;;
        *) no ;;
      esac
    done
    if [ -n "$mtu" ]; then
      printf '%s\n' "$mtu" > "$m" || exit 1
    fi
    [ -z "$NETDRILL_VERBOSE" ] || echo "netdrill: \`ip $args\`: tun0's MTU is $(cat "$m")" >&2
    exit 0 ;;
esac
f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/route
case $1 in route|ro|r) ;; *) no ;; esac
[ -f "$f" ] && [ $# -ge 3 ] || no
op=$2; dst=$3; shift 3; spec=
while [ $# -gt 0 ]; do
  case $1 in
    via) [ $# -ge 2 ] || no; shift 2 ;;
    dev) [ "$2" = tun0 ] || no; shift 2 ;;
    advmss|initcwnd) [ $# -ge 2 ] || no; spec="$spec $1 $2"; shift 2 ;;
    mtu) if [ "$2" = lock ]; then [ $# -ge 3 ] || no; spec="$spec mtu lock $3"; shift 3
         else [ $# -ge 2 ] || no; spec="$spec mtu $2"; shift 2; fi ;;
    *) no ;;
  esac
done
case $op in
  change|replace|add) line="$dst$spec" ;;
  del|delete) [ -z "$spec" ] || no; line="del $dst" ;;
  *) no ;;
esac
printf '%s\n' "$line" > "$f" || exit 1
[ -z "$NETDRILL_VERBOSE" ] || echo "netdrill: \`ip $args\`: route $line" >&2
exit 0
