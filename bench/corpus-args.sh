# SPDX-License-Identifier: GPL-2.0-only
# corpus-args.sh: sourced by the bench scripts. Sets CORPUS_TCP (the upstream
# TCP scripts) and CORPUS_ARGS_V4 / CORPUS_ARGS_V6 (the flags and -D
# definitions the conformance runner passes for its ipv4 and ipv6 variants),
# or returns 1 with a message if the corpus is absent. Needs CONFORMANCE_DIR.
# Like the runner (and packetdrill's run_all.py), scripts named *v6.pkt are
# IPv6-only; every other script is taken with the IPv4 flags.
corpus_setup() {
	CORPUS_TCP=$CONFORMANCE_DIR/upstream/tcp
	if [ ! -d "$CORPUS_TCP" ] || [ ! -f "$CONFORMANCE_DIR/run" ]; then
		echo "SKIP: no conformance corpus at $CONFORMANCE_DIR (set CONFORMANCE_DIR=...)"
		return 1
	fi
	# The runner's own lines, so both always agree.
	CORPUS_ARGS_V4=$(sed -n 's/^ *ipv4) echo "\(.*\)" ;;$/\1/p' "$CONFORMANCE_DIR/run")
	CORPUS_ARGS_V6=$(sed -n 's/^ *ipv6) echo "\(.*\)" ;;$/\1/p' "$CONFORMANCE_DIR/run")
	if [ -z "$CORPUS_ARGS_V4" ] || [ -z "$CORPUS_ARGS_V6" ]; then
		echo "ERROR: cannot find the ipv4/ipv6 arguments in $CONFORMANCE_DIR/run"
		return 2
	fi
	return 0
}

# corpus_args FILE: the flags for one script.
corpus_args() {
	case $1 in *v6.pkt) echo "$CORPUS_ARGS_V6" ;; *) echo "$CORPUS_ARGS_V4" ;; esac
}
