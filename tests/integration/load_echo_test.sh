#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ffclock-load against its own echo server on loopback: every request is answered (origin
# matched), none as a kiss-o'-death, none stray; and a mode-1 (symmetric active) packet gets
# no echo. Usage: load_echo_test.sh FFCLOCK_LOAD
set -euo pipefail
load=$1
port=$((20000 + RANDOM % 20000))
"$load" --echo "127.0.0.1:$port" --seconds 8 > /dev/null &
echo_pid=$!
trap 'kill $echo_pid 2>/dev/null || true' EXIT
sleep 0.3
j=$("$load" "127.0.0.1:$port" --seconds 0.5 --sockets 4 --outstanding 2 --json)
python3 - "$j" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
problems = []
if d["answered"] < 100: problems.append(f"only {d['answered']} answered")
if d["kod"] != 0: problems.append(f"{d['kod']} KoD")
if d["stray"] != 0: problems.append(f"{d['stray']} stray")
if problems: print("echo server:", ", ".join(problems), d); sys.exit(1)
print(f"echo server answered {d['answered']} of {d['sent']} requests")
PY
python3 - "$port" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
s.sendto(bytes([0x21]) + bytes(47), ("127.0.0.1", int(sys.argv[1])))  # mode 1
try:
    s.recv(512); print("a mode-1 packet was echoed"); sys.exit(1)
except socket.timeout:
    print("mode-1 packet dropped")
PY
