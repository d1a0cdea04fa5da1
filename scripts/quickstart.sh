#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the main job with a default that
# needs no network (today: `ffclock probe`, which describes this machine's counters).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/bin/ffclock probe "$@"
