#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Checks an installed prefix (cmake --install ... --prefix PREFIX): the files a user and a
# packager expect are there, and examples/ builds against it, outside the tree, both with
# find_package(ffclock) and with pkg-config. The examples then run against a page that does
# not exist and must say so (exit 2), and against the installed ffclockd's live page (offline
# `system` source, scratch paths) and must read a usable clock (exit 0).
#   scripts/check-install.sh PREFIX WORKDIR
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(realpath "$1")
work=$2
mkdir -p "$work"
missing=()
for pattern in bin/ffclock bin/ffclock-sim 'sbin/ffclockd' include/ffclock/ffclock.h include/ffclock/clock.hpp \
               'lib*/libffclock.so.0' 'lib*/libffclock.so' 'lib*/libffclock.a' 'lib*/cmake/ffclock/ffclockConfig.cmake' \
               'lib*/pkgconfig/ffclock.pc' share/man/man1/ffclock.1 share/man/man8/ffclockd.8 \
               share/man/man5/ffclockd.toml.5 lib/systemd/system/ffclockd.service lib/sysusers.d/ffclock.conf \
               lib/tmpfiles.d/ffclock.conf etc/ffclock/ffclockd.toml share/doc/ffclock/LICENSE; do
  compgen -G "$prefix/$pattern" >/dev/null || missing+=("$pattern")
done
if ((${#missing[@]})); then
  # ffclockd comes with the daemon; until then its absence is reported, not fatal.
  if [ "${missing[*]}" = "sbin/ffclockd" ]; then
    echo "check-install: sbin/ffclockd is not installed (no ffclockd target in this tree)"
  else
    echo "check-install: not installed: ${missing[*]}" >&2
    exit 1
  fi
fi
libdir=$(dirname "$(compgen -G "$prefix/lib*/libffclock.so" | head -1)")

# find_package(ffclock): ffclock::ffclock for C, ffclock::reader for C++.
cmake -S examples -B "$work/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_RPATH="$libdir"
cmake --build "$work/cmake"
# pkg-config: ffclock.pc.
mkdir -p "$work/pc"
PKG_CONFIG_PATH="$libdir/pkgconfig" make -C examples --no-print-directory O="$(realpath "$work/pc")" \
  LDFLAGS="-Wl,-rpath,$libdir"
for exe in "$work"/cmake/ffclock-example-c "$work"/cmake/ffclock-example-cpp "$work"/pc/ffclock-example-c \
           "$work"/pc/ffclock-example-cpp; do
  rc=0
  "$exe" "$work/no-such-page" >/dev/null 2>&1 || rc=$?
  if [ "$rc" != 2 ]; then
    echo "check-install: $exe on a missing page exited $rc, not 2" >&2
    exit 1
  fi
done
# The installed daemon, offline (the kernel clock as its source), publishing in the work dir.
live=$(realpath "$work")/live
mkdir -p "$live"
printf '[clock]\npage = "%s/page"\nsources-page = "%s/sources"\nstate-file = "%s/state"\n[[source]]\nmode = "system"\n' \
  "$live" "$live" "$live" > "$live/ffclockd.toml"
"$prefix/sbin/ffclockd" --config "$live/ffclockd.toml" > "$live/log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true' EXIT
usable=0
for _ in $(seq 1 60); do
  if "$prefix/bin/ffclock" now --page "$live/page" >/dev/null 2>&1; then usable=1; break; fi
  sleep 1
done
if [ "$usable" != 1 ]; then
  echo "check-install: the installed ffclockd published no usable clock in 60 s: $(tail -2 "$live/log")" >&2
  exit 1
fi
for exe in "$work"/cmake/ffclock-example-c "$work"/cmake/ffclock-example-cpp "$work"/pc/ffclock-example-c \
           "$work"/pc/ffclock-example-cpp; do
  if ! "$exe" "$live/page" > "$live/out" 2>&1; then
    echo "check-install: $exe on the live page failed: $(head -3 "$live/out")" >&2
    exit 1
  fi
done
kill "$daemon"
wait "$daemon" 2>/dev/null || true
trap - EXIT

# The shared library exports the C API and nothing else.
if nm -D --defined-only "$libdir/libffclock.so" | awk '{print $3}' | grep -v '^ffclock_' | grep -v '^LIBFFCLOCK_' | grep -q .; then
  echo "check-install: libffclock.so exports more than ffclock_*" >&2
  exit 1
fi
echo "check-install: $prefix is complete; the examples build with find_package and pkg-config and read the installed ffclockd's live page"
