#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds the Debian packages from a clean clone (dpkg-buildpackage -us -uc -b; the tests are
# left to the other CI stages) and runs lintian on them: any error fails.
#   scripts/check-debian-package.sh WORKDIR
set -euo pipefail
cd "$(dirname "$0")/.."
work=$1
rm -rf "$work"
mkdir -p "$work"
git clone -q . "$work/ffclock"
(cd "$work/ffclock" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" DEB_BUILD_PROFILES=nocheck dpkg-buildpackage -us -uc -b)
ls "$work"/*.deb
lintian --fail-on error --suppress-tags bad-distribution-in-changes-file "$work"/*.changes
echo "check-debian-package: $(cd "$work" && ls ./*.deb | xargs -n1 basename | tr '\n' ' ')built, lintian clean of errors"
