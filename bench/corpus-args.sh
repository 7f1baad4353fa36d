# corpus-args.sh: sourced by the bench scripts. Sets CORPUS_TCP (the upstream
# TCP scripts) and CORPUS_ARGS (the IPv4 flags and -D definitions the
# conformance runner passes), or returns 1 with a message if the corpus
# is absent. Needs CONFORMANCE_DIR.
corpus_setup() {
	CORPUS_TCP=$CONFORMANCE_DIR/upstream/tcp
	if [ ! -d "$CORPUS_TCP" ] || [ ! -f "$CONFORMANCE_DIR/run" ]; then
		echo "SKIP: no conformance corpus at $CONFORMANCE_DIR (set CONFORMANCE_DIR=...)"
		return 1
	fi
	# The runner's own ipv4 line, so both always agree.
	CORPUS_ARGS=$(sed -n 's/^ *ipv4) echo "\(.*\)" ;;$/\1/p' "$CONFORMANCE_DIR/run")
	if [ -z "$CORPUS_ARGS" ]; then
		echo "ERROR: cannot find the ipv4 arguments in $CONFORMANCE_DIR/run"
		return 2
	fi
	return 0
}
