# plain-scripts.sh: sourced by the .suite drivers. plain_scripts DIR...
# prints the scripts of each DIR (relative to the current folder) that
# must pass as they are: no NAME.err beside them (must-fail scripts stay
# with their folder's driver) and no "// netdrill-args:" or
# "// netdrill-variants:" line (those need their driver's flags).
plain_scripts() {
	for _d in "$@"; do
		for _f in "$_d"/*.pkt; do
			[ -e "$_f" ] || continue
			[ -e "${_f%.pkt}.err" ] && continue
			grep -q '^// netdrill-\(args\|variants\):' "$_f" && continue
			echo "$_f"
		done
	done
}
