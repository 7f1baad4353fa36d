#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# ksft_runner.sh: a small stand-in for the kernel selftests' packetdrill
# runner (tools/testing/selftests/net/packetdrill/ksft_runner.sh), written
# for netdrill's tests: `ksft_runner.sh SCRIPT` runs the `packetdrill`
# found in PATH on SCRIPT (by its base name, from the current folder) over
# IPv4 and over IPv6 with the selftests' addresses, stdout discarded, and
# prints KTAP: "ok N ipv4" / "not ok N ipv6", then a totals line. Exit
# status as kselftest's: 0 pass, 1 fail, 4 skip (no packetdrill).
KSFT_PASS=0 KSFT_FAIL=1 KSFT_SKIP=4

if [ $# -ne 1 ]; then
	echo "Bail out! usage: $0 <script>"
	exit $KSFT_FAIL
fi
script=$(basename "$1")
if ! command -v packetdrill >/dev/null 2>&1; then
	echo "TAP version 13"
	echo "1..0 # SKIP packetdrill not found in PATH"
	exit $KSFT_SKIP
fi
# The selftests isolate each run in a fresh network namespace; use one
# when this user may create it (netdrill's embedded stack does not need it).
wrap=
if unshare -n true 2>/dev/null; then
	wrap="unshare -n"
fi

echo "TAP version 13"
echo "1..2"
n=0 pass=0 fail=0
for v in ipv4 ipv6; do
	n=$((n + 1))
	if [ $v = ipv4 ]; then
		set -- --ip_version=ipv4 --local_ip=192.168.0.1 \
			--gateway_ip=192.168.0.1 --netmask_ip=255.255.0.0 \
			--remote_ip=192.0.2.1 -D CMSG_LEVEL_IP=SOL_IP \
			-D CMSG_TYPE_RECVERR=IP_RECVERR
	else
		set -- --ip_version=ipv6 --mtu=1520 \
			--local_ip=fd3d:0a0b:17d6::1 \
			--gateway_ip=fd3d:0a0b:17d6:8888::1 \
			--remote_ip=fd3d:fa7b:d17d::1 -D CMSG_LEVEL_IP=SOL_IPV6 \
			-D CMSG_TYPE_RECVERR=IPV6_RECVERR
	fi
	if $wrap packetdrill "$@" "$script" >/dev/null; then
		echo "ok $n $v"
		pass=$((pass + 1))
	else
		echo "not ok $n $v"
		fail=$((fail + 1))
	fi
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:0 error:0"
[ $fail -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
