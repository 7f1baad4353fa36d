#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# save-and-set.sh FILE=VALUE...: write a script that restores the current
# values, named after $PACKETDRILL_PID, then set the new ones (what the
# suite's helpers do).
restore=/tmp/sysctl_restore_${PACKETDRILL_PID}.sh
echo '#!/bin/sh' > "$restore"
for a in "$@"; do
	f=${a%%=*}
	echo "echo '$(cat "$f")' > $f" >> "$restore"
	echo "${a#*=}" > "$f"
done
chmod u+x "$restore"
