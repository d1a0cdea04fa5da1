#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds the Debian packages from a clean clone (dpkg-buildpackage -us -uc -b; the tests are
# left to the other CI stages) with Debian's build flags, fails on any compiler warning in the
# project's code or a symbols file that does not match the library, and runs lintian on the
# packages: any error fails.
#   scripts/check-debian-package.sh WORKDIR
set -euo pipefail
cd "$(dirname "$0")/.."
work=$1
rm -rf "$work"
mkdir -p "$work"
git clone -q . "$work/ffclock"
(cd "$work/ffclock" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" DEB_BUILD_PROFILES=nocheck dpkg-buildpackage -us -uc -b) \
  2>&1 | tee "$work/build.log"
# The package keeps warnings as warnings (a new compiler must not break it), but with Debian's
# own flags (dpkg-buildflags: -O2, hardening, -Wformat-security) this project's code has none.
warnings=$(grep -E '^[^ ]*/ffclock/(src|include|tools|sim|examples)/[^ ]*: warning:' "$work/build.log" || true)
if [ -n "$warnings" ]; then
  echo "compiler warnings with Debian's flags:"; echo "$warnings"; exit 1
fi
# The library's exported symbols must be the ones debian/libffclock0.symbols lists: a C API
# function added without its line (ffclock_wait_for_step once) is only a warning to dpkg.
if grep -q "dpkg-gensymbols: warning" "$work/build.log"; then
  echo "debian/libffclock0.symbols does not match the library's exports:"
  grep -A20 "dpkg-gensymbols: warning" "$work/build.log"; exit 1
fi
ls "$work"/*.deb
lintian --fail-on error --suppress-tags bad-distribution-in-changes-file "$work"/*.changes
echo "check-debian-package: $(cd "$work" && ls ./*.deb | xargs -n1 basename | tr '\n' ' ')built, lintian clean of errors"
