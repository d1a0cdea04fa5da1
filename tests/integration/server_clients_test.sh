#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Integration test: Debian's NTP clients against ffclockd's NTP server on loopback (issue 12,
# "Real clients"). ffclockd is synchronized to a loopback chronyd (local stratum 1, -x: it
# never touches the clock) and serves on 127.0.0.1 at an unprivileged port; then one case:
#   chronyd    `chronyd -Q` (prints the offset, sets nothing) reports an offset from ffclockd
#              consistent with ffclockd's published maxerror;
#   ntpdig     `ntpdig` (ntpsec-ntpdate) or `sntp` likewise (4 samples: it reports the one with
#              the smallest synchronization distance);
#   ratelimit  a client sending a burst of requests from one socket gets KoD RATE replies
#              and `ffclock serverstats` counts them;
#   threads    ffclockd with `threads = 4` (four SO_REUSEPORT sockets, three serving threads):
#              the chronyd case, then 32 client sockets each get a synchronized reply
#              (all 32 on the daemon thread's socket would be a 4^-32 chance) and
#              serverstats counts every request.
# Consistency: ffclockd's clock is within maxerror of the reference, chronyd serving this
# machine's CLOCK_REALTIME, and a client's offset measurement is within its own measurement
# error of the true offset between its clock (the same CLOCK_REALTIME) and the server's:
# half the round-trip delay plus the timestamp imprecision (RFC 5905 §8's "synchronization
# distance" of a sample). So |offset| <= maxerror + client error, where the client error is
# taken from the client's own report (ntpdig's "+/-", chronyd's measurement log), never a
# guessed constant; 2 us more cover the clients' printed rounding (6 decimals for ntpdig).
# Usage: server_clients_test.sh CASE FFCLOCKD FFCLOCK KOD_CLIENT_PY. Exit 77 (skipped) when
# the client program, chronyd or python3 is missing.
set -u
CASE=$1 FFCLOCKD=$2 FFCLOCK=$3 KOD_CLIENT=$4
CHRONYD=/usr/sbin/chronyd
[ -x "$CHRONYD" ] || { echo "SKIP: $CHRONYD is not installed (apt-get install chrony; scripts/install-deps.sh does)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
case "$CASE" in
  chronyd | ratelimit | threads) ;;
  ntpdig)
    NTPDIG=$(command -v ntpdig || command -v sntp) ||
      { echo "SKIP: neither ntpdig nor sntp is installed (apt-get install ntpsec-ntpdate; scripts/install-deps.sh does)"; exit 77; }
    # ntpdig (1.2.2) has no port option: it is a Python program, run here with getaddrinfo's
    # port 123 mapped to the test port, its own code otherwise untouched.
    NTPDIG=$(readlink -f "$NTPDIG")
    NTPDIG_PY=$(head -1 "$NTPDIG" | sed -n 's/^#! *\([^ ]*python[0-9.]*\).*/\1/p')  # its own interpreter
    [ -n "$NTPDIG_PY" ] && [ -x "$NTPDIG_PY" ] ||
      { echo "SKIP: $NTPDIG is not ntpsec's Python ntpdig (no way to give it a port)"; exit 77; } ;;
  *) echo "usage: $0 chronyd|ntpdig|ratelimit|threads FFCLOCKD FFCLOCK KOD_CLIENT_PY"; exit 2 ;;
esac

. "$(dirname "$0")/loopback.sh"
loopback_setup ffclockd-srv-it

# maxerror_ns PAGE: ffclockd's published maxerror now (empty unless synchronized).
maxerror_ns() {
  "$FFCLOCK" now --page "$1" --json 2>/dev/null |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["maxerror_ns"] if d.get("status")=="synchronized" else "")' 2>/dev/null
}

# --- ffclockd synchronized to a loopback chronyd, serving on SRV ------------------------
UP=$(free_port 11300 11399)
SRV=$(free_port 11300 11399 "$UP")
start_chronyd "$UP"
sleep 1
mkdir -p "$W/ffclockd"
THREADS=1
[ "$CASE" = threads ] && THREADS=4
printf '[clock]\npage = "%s/ffclockd/page"\nsources-page = "%s/ffclockd/sources"\nstate-file = "%s/ffclockd/state"\n\n[[source]]\nmode = "server"\naddress = "127.0.0.1:%s"\nminpoll = 0\nmaxpoll = 2\n\n[[server]]\nlisten = "127.0.0.1:%s"\nthreads = %s\n' \
  "$W" "$W" "$W" "$UP" "$SRV" "$THREADS" > "$W/ffclockd.toml"
"$FFCLOCKD" --config "$W/ffclockd.toml" > "$W/ffclockd.log" 2>&1 &
FFCLOCKD_PID=$!
PIDS="$PIDS $!"
PAGE=$W/ffclockd/page SOURCES=$W/ffclockd/sources
synced=""
for _ in $(seq 1 180); do
  m=$(maxerror_ns "$PAGE")
  if [ -n "$m" ] && [ "$m" -lt 1000000 ]; then synced=1; break; fi
  sleep 0.5
done
[ -n "$synced" ] || fail "ffclockd did not publish SYNCHRONIZED with maxerror < 1 ms within 90 s"
echo "ffclockd synchronized to chronyd on port $UP (maxerror $m ns), serving on port $SRV"

# check_offset CLIENT OFFSET_S CLIENT_ERROR_S MAXERROR_NS: the consistency rule above.
check_offset() {
  python3 - "$@" <<'P' || fail "$1: offset from ffclockd inconsistent with its maxerror"
import sys
client, off, err, m = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]) * 1e-9
limit = m + err + 2e-6
print(f"{client}: offset {off*1e6:+.1f} us; maxerror {m*1e6:.1f} us + client error {err*1e6:.1f} us + 2 us = {limit*1e6:.1f} us")
sys.exit(0 if abs(off) <= limit else 1)
P
}

case "$CASE" in
chronyd | threads)
  # The measurement log gives each sample's delay and dispersion: the client's error bound.
  mkdir -p "$W/q"; chmod 777 "$W/q"
  printf 'server 127.0.0.1 port %s iburst minpoll 0\ncmdport 0\npidfile %s/q/pid\nlogdir %s/q\nlog measurements\n' \
    "$SRV" "$W" "$W" > "$W/q.conf"
  m0=$(maxerror_ns "$PAGE")
  timeout 60 "$CHRONYD" -Q -t 20 -f "$W/q.conf" > "$W/chronyd-q.log" 2>&1
  m1=$(maxerror_ns "$PAGE")
  [ -n "$m0" ] && [ -n "$m1" ] || fail "ffclockd lost synchronization while serving"
  q=$(grep -o 'wrong by [-+0-9.e]* seconds' "$W/chronyd-q.log" | tail -1 | awk '{print $3}')
  [ -n "$q" ] || fail "chronyd -Q got no time from ffclockd"
  [ -s "$W/q/measurements.log" ] || fail "chronyd -Q wrote no measurement log"
  # Columns: date time ip L st 123 567 ABCD LP RP score offset delay dispersion ...
  err=$(awk '$3 == "127.0.0.1" && NF >= 14 { e = $13 / 2 + $14; if (e > m) m = e } END { if (m > 0) print m }' "$W/q/measurements.log")
  [ -n "$err" ] || fail "no measurement of 127.0.0.1 in chronyd's log"
  echo "chronyd -Q: $(grep -c '127.0.0.1' "$W/q/measurements.log") samples, largest delay/2 + dispersion $err s"
  check_offset "chronyd -Q" "$q" "$err" "$(( m0 > m1 ? m0 : m1 ))"
  [ "$CASE" = threads ] || { echo PASS; exit 0; }
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$FFCLOCKD_PID/status")
  [ "$threads" = 4 ] || fail "ffclockd runs $threads threads, not 4"
  before=$("$FFCLOCK" serverstats --sources-page "$SOURCES" --page "$PAGE" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
  python3 - "$SRV" <<'P' || fail "a client socket got no synchronized reply"
import os, socket, sys
port = int(sys.argv[1])
for i in range(32):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(10)
    ts = os.urandom(8)
    s.sendto(bytes([(0 << 6) | (4 << 3) | 3]) + bytes(39) + ts, ("127.0.0.1", port))
    d = s.recv(1024)
    assert len(d) == 48 and d[24:32] == ts, f"socket {i}: not our reply"
    assert d[0] >> 6 == 0 and d[0] & 7 == 4 and d[1] == 2, f"socket {i}: LI {d[0] >> 6} mode {d[0] & 7} stratum {d[1]}"
    s.close()
P
  echo "32 client sockets: 32 synchronized stratum-2 replies"
  ok=""
  for _ in $(seq 1 60); do
    n=$("$FFCLOCK" serverstats --sources-page "$SOURCES" --page "$PAGE" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
    [ "$n" -ge $((before + 32)) ] && { ok=1; break; }
    sleep 0.5
  done
  [ -n "$ok" ] || fail "serverstats counts $n requests, expected at least $((before + 32))"
  echo "serverstats: $n requests (all threads)"
  ;;
ntpdig)
  m0=$(maxerror_ns "$PAGE")
  cat > "$W/port_shim.py" <<'P'
import runpy, socket, sys
port, real = int(sys.argv[1]), socket.getaddrinfo
def getaddrinfo(host, p, *args, **kw):
    return real(host, port if p in (123, "123", "ntp") else p, *args, **kw)
socket.getaddrinfo = getaddrinfo
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
P
  out=$(timeout 60 "$NTPDIG_PY" "$W/port_shim.py" "$SRV" "$NTPDIG" -p 4 -t 10 127.0.0.1 2>"$W/ntpdig.log")
  m1=$(maxerror_ns "$PAGE")
  [ -n "$m0" ] && [ -n "$m1" ] || fail "ffclockd lost synchronization while serving"
  echo "$(basename "$NTPDIG"): $out"
  # "2026-11-30 03:10:00.123456 (+0000) +0.000012 +/- 0.000150 127.0.0.1 s2 no-leap"
  read -r off err < <(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "+/-") print $(i-1), $(i+1)}')
  [ -n "${off:-}" ] && [ -n "${err:-}" ] || fail "$(basename "$NTPDIG") reported no offset from ffclockd: $out"
  check_offset "$(basename "$NTPDIG")" "$off" "$err" "$(( m0 > m1 ? m0 : m1 ))"
  ;;
ratelimit)
  # The default limit: 16 back to back, then 1/s; one in 4 over the limit gets a kiss.
  N=300
  res=$(python3 "$KOD_CLIENT" 127.0.0.1 "$SRV" "$N" 3) || fail "the KoD client failed"
  echo "client: $res"
  python3 - "$res" <<'P' || fail "rate limiting as seen by the client"
import json, sys
r = json.loads(sys.argv[1])
assert r["kod"] >= 1, "no KoD RATE reply"
assert r["other"] == 0, "unexpected replies"
# At most the burst plus 1/s over the time it took, plus one for rounding.
assert r["replies"] <= 16 + r["elapsed_s"] + 1, "more normal replies than the limit allows"
assert r["replies"] >= 1, "not even the burst was answered"
P
  # The server's own count, on the sources page (rewritten within a few seconds). A burst
  # can overflow the server socket's receive buffer on a loaded machine: the kernel drops
  # those before ffclockd sees them, so it counts at most what was sent, and at least what
  # the client got back.
  ok=""
  for _ in $(seq 1 60); do
    st=$("$FFCLOCK" serverstats --sources-page "$SOURCES" --page "$PAGE" --json 2>/dev/null) &&
      python3 - "$st" "$res" <<'P' && { ok=1; break; }
import json, sys
s, r = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.exit(0 if s["replies"] >= r["replies"] and s["kod_sent"] >= r["kod"] else 1)
P
    sleep 0.5
  done
  [ -n "$ok" ] || fail "serverstats does not show the burst: ${st:-none}"
  python3 - "$st" "$res" <<'P' || fail "serverstats inconsistent with what the client saw: $st"
import json, sys
s, r = json.loads(sys.argv[1]), json.loads(sys.argv[2])
d = s["dropped"]
# Every request ends as a reply or in one drop reason; KoD replies count as rate-limited.
assert s["requests"] <= r["sent"], (s, r)
assert s["requests"] == s["replies"] + s["dropped_total"], s
assert d["rate_limited"] >= s["kod_sent"] >= r["kod"], (s, r)
assert s["replies"] >= r["replies"], (s, r)  # what the client got, the server sent
assert s["replies"] + d["rate_limited"] == s["requests"], s  # nothing else reached this port
assert d["malformed"] == 0 and d["denied"] == 0, s
P
  echo "serverstats: $(echo "$st" | python3 -c 'import json,sys; d=json.load(sys.stdin); print({k: d[k] for k in ("requests", "replies", "kod_sent", "dropped")})')"
  "$FFCLOCK" serverstats --sources-page "$SOURCES" --page "$PAGE" || fail "serverstats (text) failed"
  ;;
esac
echo PASS
