#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Installs what ffclock needs from Debian 12 packages, only what is missing. Idempotent.
# Extra package names as arguments are installed too (CI adds the aarch64 cross compiler).
# chrony: its chronyd is the NTP server of the ffclockd integration test (run with -x, it never
# touches the clock; on a machine with systemd, installing it also enables its own service).
# ntpsec-ntpdate: its ntpdig is a client of ffclockd's NTP server in the integration tests.
set -euo pipefail
pkgs=("$@" build-essential cmake ninja-build clang-14 clang lld libclang-rt-14-dev
      libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libtomlplusplus-dev
      nlohmann-json3-dev libfmt-dev libcpp-httplib-dev pkg-config curl tzdata python3 chrony ntpsec-ntpdate scdoc)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
