#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# core/ is sans-IO: no syscalls, clocks, threads, globals or logging. This check fails the
# build on the includes and calls that would break that rule.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE '#include <(thread|mutex|atomic|condition_variable|future|iostream|fstream|cstdio|unistd\.h|sys/[a-z_]+\.h|fcntl\.h|time\.h|random)>|std::chrono::(system|steady|high_resolution)_clock|clock_gettime|getenv|printf\(|std::cout|std::cerr|rand\(\)' src/core || true)
# rfc3339.cpp may use snprintf into a local buffer (formatting, not I/O).
bad=$(printf '%s\n' "$bad" | grep -vE '^src/core/time/rfc3339\.cpp:[0-9]+:(#include <cstdio>|.*snprintf)' || true)
if [ -n "$bad" ]; then
  echo "core purity violations:"; echo "$bad"; exit 1
fi
echo "core purity: ok"
