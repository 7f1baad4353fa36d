#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# screenshot.sh: the picture of a report in README.md (make
# report-screenshot): the --report page of gtests' blocking-write
# walkthrough, rendered by headless Chromium into doc/report.png.
# usage: screenshot.sh NETDRILL SRCDIR
NETDRILL=$1 SRCDIR=$2
browser=
for b in chromium chromium-browser google-chrome; do
	command -v "$b" > /dev/null 2>&1 && { browser=$b; break; }
done
if [ -z "$browser" ]; then
	echo "report-screenshot: needs chromium (apt-get install chromium)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-shot.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
(cd "$SRCDIR/gtests/net/tcp/sndbuf" &&
 "$NETDRILL" --report="$tmp/report.html" walkthrough-blocking-write.pkt) ||
	exit 1
"$browser" --headless --no-sandbox --disable-gpu \
	--disable-background-networking --disable-component-update \
	--disable-sync --no-first-run --user-data-dir="$tmp/profile" \
	--hide-scrollbars --window-size=1000,2500 \
	--screenshot="$tmp/report.png" "file://$tmp/report.html" \
	> "$tmp/browser.log" 2>&1
if [ ! -s "$tmp/report.png" ]; then
	cat "$tmp/browser.log" >&2
	exit 1
fi
cp "$tmp/report.png" "$SRCDIR/doc/report.png" &&
	echo "report-screenshot: wrote $SRCDIR/doc/report.png"
