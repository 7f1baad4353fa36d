#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# to_c.sh FILE...: the shims as C strings, one `const char shim_NAME[]` per
# FILE (NAME is the file's name without .sh), on stdout. Run by make to
# build src/commands/shims.c (src/local.mk).
set -e
echo '/* Made from src/commands/shims/NAME.sh by to_c.sh: do not edit. */'
for f in "$@"; do
	name=$(basename "$f" .sh)
	echo
	echo "const char shim_$name[] ="
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$f"
	echo ';'
done
