#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every C and C++ file of the project follows .clang-format (clang-format 14, Debian 12's).
# Fix with: git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format-14 -i
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format)
bad=$(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs "$fmt" --dry-run 2>&1 | grep -oE '^[^:]+\.(cpp|hpp|h|c):' | sort -u || true)
if [ -n "$bad" ]; then
  echo "not clang-formatted:"; echo "$bad"; exit 1
fi
echo "clang-format: ok ($(git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | wc -l) files)"
