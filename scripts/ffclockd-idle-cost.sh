#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ffclockd's idle cost (issue 10 acceptance): four loopback chronyd servers polled every
# 16 s (minpoll = maxpoll = 4); after a warm-up, CPU time and RSS over a measured interval.
# Usage: scripts/ffclockd-idle-cost.sh [SECONDS=600] [WARMUP=60]   (from a built checkout)
set -euo pipefail
secs=${1:-600} warm=${2:-60}
B=$(cd "$(dirname "$0")/.." && pwd)/build/bin
[ -x /usr/sbin/chronyd ] || { echo "needs /usr/sbin/chronyd (apt-get install chrony)"; exit 1; }
W=$(mktemp -d /tmp/ffclockd-idle.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.3; rm -rf "$W"' EXIT
conf="[clock]
page = \"$W/page\"
sources-page = \"$W/sources\"
state-file = \"$W/state\"
"
for i in 0 1 2 3; do
  port=$((11280 + i)); d=$W/c$i; mkdir -p "$d"
  printf 'local stratum 1\nallow 127.0.0.1\nport %s\ncmdport 0\npidfile %s/pid\n' "$port" "$d" > "$d/conf"
  /usr/sbin/chronyd -x -d -f "$d/conf" > "$d/log" 2>&1 & pids+=($!)
  conf+="
[[source]]
mode = \"server\"
address = \"127.0.0.1:$port\"
minpoll = 4
maxpoll = 4
"
done
printf '%s' "$conf" > "$W/ffclockd.toml"
sleep 1
"$B/ffclockd" --config "$W/ffclockd.toml" 2> "$W/ffclockd.log" & pids+=($!)
pid=$!
sleep "$warm"
tick=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
c0=$(cpu); t0=$(date +%s.%N)
sleep "$secs"
c1=$(cpu); t1=$(date +%s.%N)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
threads=$(awk '/^Threads/ {print $2}' "/proc/$pid/status")
python3 -c "
c=($c1-$c0)/$tick; t=$t1-$t0
print(f'ffclockd, 4 servers at poll 16 s, {t:.0f} s after {$warm} s warm-up: CPU {c:.2f} s = {100*c/t:.4f} % of a core; RSS {$rss/1024:.2f} MiB (peak {$hwm/1024:.2f} MiB); threads $threads')"
grep -c '' "$W/ffclockd.log" | xargs echo "log lines:"
