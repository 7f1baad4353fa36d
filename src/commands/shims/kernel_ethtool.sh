#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# netdrill's ethtool for the kernel back end: runs the system's own ethtool
# (found on $NETDRILL_REAL_PATH) inside netdrill's network namespace, with
# the same arguments, output and exit status. When the host has no
# ethtool, the shell would say "not found" and a multi-line command would
# run on with tun0's offloads unchanged (TSO on where the script turns it
# off); instead it appends to $NETDRILL_ORACLE_NOTES what did not run, and
# netdrill fails the command.
PATH=${NETDRILL_REAL_PATH:-/usr/sbin:/usr/bin:/sbin:/bin}
export PATH
if command -v ethtool >/dev/null 2>&1; then
  exec ethtool "$@"
fi
echo "ethtool: not found" >&2
if [ -n "$NETDRILL_ORACLE_NOTES" ]; then
  echo "\`ethtool $*\` did not run: ethtool is not installed on the host," \
       "so the kernel would run the script with tun0's offloads unchanged;" \
       "install it on the host (e.g. apt-get install ethtool)" \
       >> "$NETDRILL_ORACLE_NOTES"
fi
exit 127
