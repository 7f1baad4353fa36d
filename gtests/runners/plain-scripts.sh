# SPDX-License-Identifier: GPL-2.0-only
# plain-scripts.sh: sourced by the .suite drivers. plain_scripts DIR...
# prints the scripts of each DIR (relative to the current folder) that
# must pass as they are: no NAME.err beside them (must-fail scripts stay
# with their folder's driver) and no "// netdrill-args:" or
# "// netdrill-variants:" line (those need their driver's flags), except,
# with presets=1, a netdrill-args line that only defines what suite mode's
# per-version presets define (CMSG_LEVEL_IP, CMSG_TYPE_RECVERR, TFO_COOKIE,
# CODE: run_all.py's -D values, which then differ per IP version).
plain_scripts() {
	for _d in "$@"; do
		for _f in "$_d"/*.pkt; do
			[ -e "$_f" ] || continue
			[ -e "${_f%.pkt}.err" ] && continue
			grep -q '^// netdrill-variants:' "$_f" && continue
			_a=$(sed -n 's|^// netdrill-args: *||p' "$_f" | head -n 1)
			if [ "${presets:-0}" = 1 ]; then
				_a=$(printf '%s\n' "$_a" | sed -E \
				    's/(^| )-D *(CMSG_LEVEL_IP|CMSG_TYPE_RECVERR|TFO_COOKIE|CODE)=[^ ]+//g; s/ //g')
			fi
			[ -n "$_a" ] && continue
			echo "$_f"
		done
	done
}
