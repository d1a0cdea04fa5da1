# SPDX-License-Identifier: BSD-2-Clause
# Shared by the loopback integration tests (sourced, not run): a work directory that is
# removed with every process started into PIDS, a failure that shows the logs, free UDP
# ports, and Debian's chronyd as a server of this machine's clock (-x: it never sets it).

KERNEL_CLOCK_PY=$(dirname "${BASH_SOURCE[0]}")/kernel_clock.py

# loopback_setup NAME: W (the work directory), PIDS, the cleanup trap and fail().
loopback_setup() {
  W=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$W"
  python3 "$KERNEL_CLOCK_PY" mark "$W/kernel-clock.mark"
  PIDS=""
  trap loopback_cleanup EXIT
}

loopback_cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  rm -rf "$W"
}

# fail MESSAGE: the message, the logs, and whether something adjusted the kernel clock meanwhile
# (kernel_clock.py). The tests' chronyd serves that clock, so when another time daemon slewed
# or stepped it the failure says nothing of ffclockd: the test is then skipped (77), saying why.
fail() {
  echo "FAIL: $*"
  for f in "$W"/*.log; do [ -e "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  echo "--- the kernel clock since the test started"
  python3 "$KERNEL_CLOCK_PY" report "$W/kernel-clock.mark"
  if [ $? = 3 ]; then
    echo "SKIP: CLOCK_REALTIME, the reference this test checks ffclockd against, was adjusted by someone else meanwhile"
    exit 77
  fi
  exit 1
}

# free_port FIRST LAST [TAKEN...]: a free UDP port on 127.0.0.1 in [FIRST, LAST] (several test
# runs may share the machine, so each test has its own range and picks at random in it).
free_port() {
  python3 - "$@" <<'P'
import random, socket, sys
first, last = int(sys.argv[1]), int(sys.argv[2])
taken = set(int(a) for a in sys.argv[3:])
ports = [p for p in range(first, last + 1) if p not in taken]
random.shuffle(ports)
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()
P
}

# start_chronyd PORT: chronyd serving CLOCK_REALTIME (local stratum 1) on 127.0.0.1:PORT,
# logging to $W/chronyd-PORT.log.
start_chronyd() {
  local d=$W/chrony-$1
  mkdir -p "$d"
  chmod 755 "$d"
  printf 'local stratum 1\nallow 127.0.0.1\nport %s\ncmdport 0\npidfile %s/pid\n' "$1" "$d" > "$d/conf"
  "$CHRONYD" -x -d -f "$d/conf" > "$W/chronyd-$1.log" 2>&1 &
  PIDS="$PIDS $!"
}
