#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# ffclockd --eval-reference with a device that does not exist: a startup error, exit 2 (as a
# bad configuration), one message naming the path, and nothing started.
ffclockd=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
printf '[clock]\npage = "%s/page"\nsources-page = "%s/sources"\nstate-file = ""\n' "$dir" "$dir" >"$dir/c.toml"
"$ffclockd" --config "$dir/c.toml" --eval-reference /nonexistent/ptp9 2>"$dir/err"
rc=$?
cat "$dir/err"
[ "$rc" -eq 2 ] || { echo "exit $rc, expected 2"; exit 1; }
grep -q "/nonexistent/ptp9" "$dir/err" || { echo "the message does not name the device"; exit 1; }
[ ! -e "$dir/page" ] || { echo "the daemon started"; exit 1; }
echo OK
