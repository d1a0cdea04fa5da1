#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Quick start: install what is missing, build, then run the clock with the offline default:
# ffclockd with the `system` source (the kernel's CLOCK_REALTIME, no network) publishing a
# page in a temporary directory, `ffclock status` and `ffclock now` reading it, and the
# daemon stopped again. Nothing is installed system-wide and the clock is never set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
B=build/bin

dir=$(mktemp -d /tmp/ffclock-quickstart.XXXXXX)
cat > "$dir/ffclockd.toml" <<TOML
[clock]
page = "$dir/page"
sources-page = "$dir/sources"
state-file = "$dir/state"

[[source]]
mode = "system"
TOML
"$B/ffclockd" --config "$dir/ffclockd.toml" 2> "$dir/ffclockd.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
echo "ffclockd (pid $pid) publishing $dir/page from the system clock; waiting until it is usable..."
usable=""
for _ in $(seq 1 60); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "ffclockd exited:"; cat "$dir/ffclockd.log"; exit 1; fi
  if "$B/ffclock" now --page "$dir/page" --json 2>/dev/null | grep -Eq '"status": *"(synchronized|freerunning)"'; then
    usable=1; break
  fi
  sleep 1
done
[ -n "$usable" ] || { echo "no usable clock after 60 s; ffclockd said:"; cat "$dir/ffclockd.log"; exit 1; }
echo
if "$B/ffclock" --help 2>/dev/null | grep -Eq "^ +status "; then
  echo "\$ ffclock status"
  "$B/ffclock" status --page "$dir/page" --sources-page "$dir/sources" || true
  echo
fi
echo "\$ ffclock now"
"$B/ffclock" now --page "$dir/page"
echo
echo "ffclockd's log:"
cat "$dir/ffclockd.log"
