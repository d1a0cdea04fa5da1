#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Compiles the libraries (core, platform, runtime, C API) and the public headers for aarch64
# with the Debian cross compiler, so that the Arm code paths (CNTVCT_EL0 counter, isb; mrs
# reads) are type-checked with warnings as errors on every CI run. Compile only: nothing
# here can run without an Arm machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cxx=${CXX_ARM64:-aarch64-linux-gnu-g++}
if ! command -v "$cxx" >/dev/null; then
  echo "check-arm64: $cxx not found (apt-get install g++-aarch64-linux-gnu)" >&2
  exit 1
fi
flags=(-std=c++20 -O2 -Wall -Wextra -Werror -Wshadow -Wold-style-cast -Iinclude -Isrc -fsyntax-only)
n=0
while IFS= read -r f; do
  "$cxx" "${flags[@]}" "$f"
  n=$((n + 1))
done < <(find src/core src/platform src/runtime src/capi -name '*.cpp' | sort)
# The header-only reader, as an application would include it.
printf '#include "ffclock/clock.hpp"\n#include "ffclock/ffclock.h"\nint main() { return 0; }\n' |
  "$cxx" "${flags[@]}" -x c++ -
echo "check-arm64: $n sources and the reader headers compile for aarch64"
