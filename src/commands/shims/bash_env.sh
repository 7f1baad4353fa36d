# SPDX-License-Identifier: GPL-2.0-only
# netdrill's sysctl shim (sysctl.sh) as a bash function, read by every bash
# script a command runs through $BASH_ENV (the suite's defaults.sh runs
# sysctl some 25 times): no fork per call. An exported BASH_FUNC_sysctl%%
# would not survive /bin/sh when that is dash.
sysctl () {
	local root=${NETDRILL_SYSCTL_ROOT:-/proc/sys} quiet=0 ignore=0
	local values=0 rc=0 a o c key p f v
	for a in "$@"; do
		case $a in
		--quiet) quiet=1; continue ;;
		--ignore) ignore=1; continue ;;
		--write|--load=*) continue ;;
		--values) values=1; continue ;;
		-[A-Za-z]*)
			o=${a#-}
			while [ -n "$o" ]; do
				c=${o:0:1}; o=${o:1}
				case $c in
				q) quiet=1 ;; e) ignore=1 ;; w|N) ;; n) values=1 ;;
				*) echo "sysctl: option -$c is not supported by netdrill" >&2
				   return 1 ;;
				esac
			done
			continue ;;
		esac
		key=${a%%=*}; p=${key//.//}; f=$root/$p
		if [ ! -f "$f" ]; then
			if [ $ignore = 0 ]; then
				echo "sysctl: cannot stat /proc/sys/$p: No such file or directory" >&2
				rc=255
			fi
			continue
		fi
		case $a in
		*=*) v=${a#*=}
		     if ! printf '%s\n' "$v" > "$f"; then rc=255; continue; fi
		     [ $quiet = 1 ] || echo "$key = $v" ;;
		*)   v=$(<"$f")
		     if [ $values = 1 ]; then echo "$v"; else echo "$key = $v"; fi ;;
		esac
	done
	return $rc
}
