#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# acceptance.sh: the suite-mode acceptance run, by hand (not part of
# make check: it needs the upstream corpus and takes a while).
#   usage: acceptance.sh NETDRILL [CORPUS_DIR] [WORK_DIR]
# Runs the whole corpus (default ../shared/conformance/upstream/tcp beside
# the source tree) in one netdrill command in three IP versions with TAP,
# JUnit and pcap output, then checks the reports (prove, xmllint,
# check-pcaps.sh), runs ../shared/conformance/run over the same scripts,
# and compares wall times and per-run results.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }
nd=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
conf=$(cd "$here/../../.." && pwd)/shared/conformance
corpus=${2:-$conf/upstream/tcp}
work=${3:-$(mktemp -d "${TMPDIR:-/tmp}/netdrill-acceptance.XXXXXX")}
mkdir -p "$work" && cd "$work" || exit 2
rm -rf caps r.tap r.xml

now() { date +%s.%N; }
t0=$(now)
"$nd" -j 2 --ip_version=ipv4,ipv6,ipv4-mapped-ipv6 --tap=r.tap \
	--junit=r.xml --pcap=caps/ "$corpus" >netdrill.txt 2>&1
rc=$?
t1=$(now)
echo "netdrill one command: exit $rc, $(tail -n 1 netdrill.txt), wall $(echo "$t1 - $t0" | bc) s"
prove r.tap >prove.txt 2>&1
echo "prove: $(grep -c -i 'parse errors' prove.txt) parse errors; $(grep -E '^(Failed|Result)' prove.txt | tr '\n' ' ')"
xmllint --noout r.xml && echo "xmllint: r.xml well-formed"
bash "$here/check-pcaps.sh" r.tap
t2=$(now)
"$conf/run" -j 2 -V ipv4,ipv6,ipv4-mapped-ipv6 "$nd" "$corpus" >run.txt 2>&1
t3=$(now)
echo "conformance/run: $(tail -n 1 run.txt), wall $(echo "$t3 - $t2" | bc) s"
if diff <(grep -E '^(ok|FAIL|TIMEOUT|CRASH) ' netdrill.txt |
	  awk '{ print ($1 == "ok" ? "PASS" : "FAIL"), $2, $3 }' | sort) \
	<(grep -E '^(PASS|FAIL|TIMEOUT) ' run.txt |
	  awk '{ print ($1 == "PASS" ? "PASS" : "FAIL"), $2, $3 }' | sort) \
	>diff.txt; then
	echo "per-run results: identical"
else
	echo "per-run results differ:"; cat diff.txt
fi
echo "work folder: $work"
