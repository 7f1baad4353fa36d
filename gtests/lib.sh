# SPDX-License-Identifier: GPL-2.0-only
# lib.sh: shared setup for the gtests/*.test drivers run by `make check`.
# Sourced, not run. Works from the source tree, a separate build
# directory, and `make distcheck` (read-only sources).
#
# Environment:
#   top_srcdir the top source directory (Makefile.am exports it)
#   NETDRILL   the command under test (Makefile.am exports it; default:
#              ./src/netdrill from the top build directory)

# The top source directory: make check exports top_srcdir (absolute);
# by hand, run from the top of the tree or set srcdir.
srcdir=${top_srcdir:-${srcdir:-.}}
srcdir=$(cd "$srcdir" && pwd)
# $NETDRILL may be a command with words (valgrind ... /path/netdrill), so it
# is used unquoted; its last word is the binary.
: "${NETDRILL:=$PWD/src/netdrill}"
netdrill_bin=$(echo "$NETDRILL" | awk '{ print $NF }')
if [ ! -x "$netdrill_bin" ]; then
	echo "Bail out! netdrill binary not found at $netdrill_bin" >&2
	exit 99		# hard error for the automake harness
fi

# Seconds one netdrill run may take before it counts as hung.
: "${TEST_TIMEOUT:=10}"
case $NETDRILL in *valgrind*) TEST_TIMEOUT=$((TEST_TIMEOUT * 12)) ;; esac

# Under --enable-asan/--enable-ubsan a sanitizer report must not look like
# a plain script error (exit 1): make it exit 223, which counts as a crash.
ASAN_OPTIONS="exitcode=223${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=223:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS

TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/netdrill-test.XXXXXX") || exit 99
trap 'rm -rf "$TEST_TMP"' EXIT
trap 'exit 130' INT TERM

n_ok=0
n_fail=0
n_total=0

ok() {
	n_total=$((n_total + 1)); n_ok=$((n_ok + 1))
	echo "ok $n_total - $*"
}

not_ok() {
	n_total=$((n_total + 1)); n_fail=$((n_fail + 1))
	echo "not ok $n_total - $*"
}

# Print a file indented, for failure details.
show() {
	sed 's/^/    | /' "$1" | head -n "${2:-40}"
}

# The -D and other flags a script asks for on a line
#   // netdrill-args: -D NAME=value ...
# (shell words; quotes allowed).
script_args() {
	sed -n 's|^// netdrill-args: *||p' "$1" | head -n 1
}

# run_netdrill DIR OUT ERR [ARGS...]: run netdrill in DIR with a time
# limit, stdout to OUT, stderr to ERR; sets $rc.
run_netdrill() {
	_dir=$1 _out=$2 _err=$3
	shift 3
	# shellcheck disable=SC2086
	(cd "$_dir" && exec timeout -k 2 "$TEST_TIMEOUT" $NETDRILL "$@") \
		>"$_out" 2>"$_err" </dev/null
	rc=$?
}

# A crash or a hang, by exit status (timeout says 124, or 137 after -k).
is_crash() {
	[ "$1" -ge 124 ]
}

finish() {
	echo "1..$n_total"
	echo "# $n_ok passed, $n_fail failed"
	[ "$n_total" -gt 0 ] || { echo "# no tests ran" >&2; exit 99; }
	[ "$n_fail" -eq 0 ]
}
