#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's ethtool: tun0's offloads in the embedded stack (a file the
# stack reads back: net/netdrill/offload/tun0 = "tso on gso on")
# `-K tun0` appends its "tso|gso on|off" pairs, which the stack applies in
# order; `-k tun0` shows them. Other features and options are refused.
f=${NETDRILL_SYSCTL_ROOT:-/proc/sys}/net/netdrill/offload/tun0
args=$*
no() { echo "netdrill: \`ethtool $args\` is not supported by the embedded stack" >&2
	[ -z "$NETDRILL_UNSUPPORTED" ] || echo "ethtool $args" >>"$NETDRILL_UNSUPPORTED"; exit 1; }
[ -f "$f" ] || no
cur=$(cat "$f") || exit 1
case "$1" in
  -k|--show-offload)
    [ $# = 2 ] && [ "$2" = tun0 ] || no
    tso=on gso=on
    set -- $cur
    while [ $# -ge 2 ]; do
      case $1 in tso) tso=$2 ;; gso) gso=$2 ;; esac
      shift 2
    done
    echo "Features for tun0:"
    echo "tcp-segmentation-offload: $tso"
    echo "generic-segmentation-offload: $gso"
    exit 0 ;;
  -K|--offload)
    [ $# -ge 4 ] && [ "$2" = tun0 ] || no
    shift 2
    spec=
    while [ $# -ge 2 ]; do
      case "$1 $2" in "tso on"|"tso off"|"gso on"|"gso off") ;; *) no ;; esac
      spec="$spec $1 $2"
      shift 2
    done
    [ $# = 0 ] || no
    printf '%s\n' "$cur$spec" > "$f" || exit 1
    [ -z "$NETDRILL_VERBOSE" ] || echo "netdrill: \`ethtool $args\`: tun0's offloads are now$spec" >&2
    exit 0 ;;
esac
no
