#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ffclockd's NTP server against chronyd's on loopback, in one run, with the same load tool
# (build/bin/ffclock-load) and the same cores: answered requests per second, loss and latency
# for each, in alternating rounds, and their ratio. A third server, `ffclock-load --echo`,
# does only the work no server can avoid (batched receive, mode and origin, batched send): its
# figure is this machine's ceiling for the load, and each server's share of it says how much
# of the cost is the server's own. Then whether serving disturbs the client side: the offsets
# ffclockd measures to its own upstream chronyd, idle and under load.
# Usage: scripts/server-throughput.sh [ROUNDS=3] [SECONDS=5] [SOCKETS=16] [OUTSTANDING=4]
set -euo pipefail
rounds=${1:-3} secs=${2:-5} socks=${3:-16} outst=${4:-4}
B=$(cd "$(dirname "$0")/.." && pwd)/build/bin
for t in ffclockd ffclock ffclock-load; do [ -x "$B/$t" ] || { echo "missing $B/$t (build first)"; exit 1; }; done
[ -x /usr/sbin/chronyd ] || { echo "needs /usr/sbin/chronyd (apt-get install chrony)"; exit 1; }
W=$(mktemp -d /tmp/ffclock-throughput.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.3; rm -rf "$W"' EXIT
up=11291 srv=11292 cmp=11293 echo=11294
for port in $up $cmp; do
  d=$W/chrony-$port; mkdir -p "$d"
  # chronyd as a server of its (untouched) system clock; no rate limit unless configured.
  printf 'local stratum 1\nallow 127.0.0.1\nport %s\ncmdport 0\npidfile %s/pid\n' "$port" "$d" > "$d/conf"
  /usr/sbin/chronyd -x -d -f "$d/conf" > "$d/log" 2>&1 & pids+=($!)
done
cat > "$W/ffclockd.toml" <<EOF
[clock]
page = "$W/page"
sources-page = "$W/sources"
state-file = "$W/state"
[[source]]
mode = "server"
address = "127.0.0.1:$up"
minpoll = 0
maxpoll = 0
[[server]]
listen = "127.0.0.1:$srv"
ratelimit = false
EOF
"$B/ffclock-load" --echo "127.0.0.1:$echo" --seconds $((rounds * secs * 4 + 120)) > /dev/null & pids+=($!)
sleep 1
"$B/ffclockd" --config "$W/ffclockd.toml" > "$W/ffclockd.log" 2>&1 & pids+=($!)
"$B/ffclock" wait-sync --page "$W/page" --max-error 1ms --timeout 60s > /dev/null ||
  { echo "ffclockd did not synchronize: $(tail -2 "$W/ffclockd.log")"; exit 1; }
sleep 5

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
echo "load: ffclock-load --seconds $secs --sockets $socks --outstanding $outst (as fast as answered)"
printf '%-6s %-9s %12s %9s %10s %10s\n' round server answered/s loss p50_us p99_us
load() { "$B/ffclock-load" "127.0.0.1:$1" --seconds "$secs" --sockets "$socks" --outstanding "$outst" --json; }
: > "$W/rounds"
for r in $(seq 1 "$rounds"); do
  # Alternate which goes first, so neither always meets a warmer cache or a quieter machine.
  if ((r % 2)); then order="ffclockd chronyd echo"; else order="echo chronyd ffclockd"; fi
  for who in $order; do
    port=$srv; [ "$who" = chronyd ] && port=$cmp; [ "$who" = echo ] && port=$echo
    j=$(load "$port")
    echo "$r $who $j" >> "$W/rounds"
    python3 -c 'import json,sys; d=json.loads(sys.argv[3]); a,l,p5,p9=d["answered_per_s"],d["loss"]*100,d["latency_p50_us"],d["latency_p99_us"]; print(f"{sys.argv[1]:<6} {sys.argv[2]:<9} {a:12.0f} {l:8.3f}% {p5:10.1f} {p9:10.1f}")' "$r" "$who" "$j"
  done
done
python3 - "$W/rounds" <<'PY'
import json, sys, statistics
rows = [l.split(' ', 2) for l in open(sys.argv[1]).read().splitlines()]
by = {}
for r, who, j in rows:
    by.setdefault(r, {})[who] = json.loads(j)['answered_per_s']
def line(name, a, b):
    r = [v[a] / max(v[b], 1) for v in by.values()]
    print(f"{name} per round: " + ", ".join(f"{x:.2f}" for x in r) + f"; median {statistics.median(r):.2f}")
line("ratio ffclockd/chronyd", "ffclockd", "chronyd")
line("share of the echo ceiling, ffclockd", "ffclockd", "echo")
line("share of the echo ceiling, chronyd", "chronyd", "echo")
line("ratio echo/chronyd (the most any server could show here)", "echo", "chronyd")
PY

# The client side under load: the offset of each exchange with the upstream chronyd (the
# source's clock minus the published clock), sampled from the sources page once a second.
offsets() {
  for _ in $(seq 1 "$1"); do
    "$B/ffclock" sources --sources-page "$W/sources" --json 2>/dev/null |
      python3 -c 'import json,sys; s=json.load(sys.stdin)["sources"][0]; print(s.get("offset_ns") or "", s.get("last_rtt_ns") or "")'
    sleep 1
  done
}
summary() {
  python3 -c '
import sys, statistics
o, r = [], []
for l in open(sys.argv[2]):
    p = l.split()
    if len(p) == 2: o.append(abs(int(p[0])) / 1e3); r.append(int(p[1]) / 1e3)
if not o: print(f"{sys.argv[1]}: no samples"); sys.exit()
print(f"{sys.argv[1]}: |offset| median {statistics.median(o):.1f} us, max {max(o):.1f} us; RTT median {statistics.median(r):.1f} us, max {max(r):.1f} us ({len(o)} samples)")
' "$1" "$2"
}
n=$((secs * 4))
offsets "$n" > "$W/idle"
summary "client side, idle" "$W/idle"
"$B/ffclock-load" "127.0.0.1:$srv" --seconds "$n" --sockets "$socks" --outstanding "$outst" > /dev/null &
lp=$!
offsets "$n" > "$W/loaded"
wait "$lp" 2>/dev/null || true
summary "client side, serving flat out" "$W/loaded"
