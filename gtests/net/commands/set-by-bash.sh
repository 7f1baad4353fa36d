#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# set-by-bash.sh: sysctl from a bash script (netdrill defines it as a bash
# function there, through $BASH_ENV) behaves like the sysctl command.
sysctl -q net.ipv4.tcp_syn_retries=4 net.ipv4.tcp_fin_timeout=40
[ "$(type -t sysctl)" = function ] || exit 10
[ "$(sysctl -n net.ipv4.tcp_syn_retries)" = 4 ] || exit 11
[ "$(sysctl net.ipv4.tcp_fin_timeout)" = "net.ipv4.tcp_fin_timeout = 40" ] || exit 12
sysctl -q net.ipv4.tcp_no_such_sysctl=1 2>/dev/null && exit 13
sysctl -q -e net.ipv4.tcp_no_such_sysctl=1 || exit 14
exit 0
