#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ffclockd with `[kernel] discipline = true` next to chronyd on the same simulated network,
# under clknetsim (https://github.com/mlichvar/clknetsim), which interposes the clock, timer
# and socket calls of unmodified daemons and keeps true time. Nothing touches this machine's
# clock.
#
# clknetsim is not part of ffclock and nothing here builds it: build it yourself and point
# CLKNETSIM_PATH at the directory holding `clknetsim`, `clknetsim.so` and `clknetsim.bash`.
#
# Each run simulates three nodes: node 1 is chronyd serving `local stratum 1` (true time),
# node 2 ffclockd (counter CLOCK_MONOTONIC_RAW, kernel discipline on, EVAL lines against
# /dev/ptp0, which clknetsim keeps at true time), node 3 chronyd as a client; both clients
# poll node 1 every 16 s (iburst), start 10 ms off and share the oscillator and network model
# of the scenario (independent draws). Figures after a 1 h warm-up:
#   REALTIME - true: clknetsim's own statistics for each client's CLOCK_REALTIME;
#   page - true:     ffclockd's EVAL lines (the clock page read through the public reader).
# The `chain` scenario (lan paths) checks ffclockd's NTP server instead: node 3's chronyd
# polls node 2, which is ffclockd serving (`io = "simple"`) in one run and a chronyd in
# another; the row gives node 2 and, after "->", node 3 (the downstream client) for each.
#
# Usage: CLKNETSIM_PATH=DIR scripts/clknetsim-compare.sh [-r ROUNDS] [-H HOURS] [SCENARIO...]
#   scenarios: lan lanjit wan thermal thermal-fast freq-step chain (the default set), and
#   thermal-5ppm thermal-day freq-step-10 freq-step-neg1 congested freq-step-congested
#   thermal-wan pareto pareto-thermal; ROUNDS 3, HOURS 24 by default.
#   FFCLOCKD=path overrides build/bin/ffclockd; KEEP=1 keeps the work directory.
set -euo pipefail

rounds=3
hours=24
while getopts "r:H:" o; do
  case $o in
    r) rounds=$OPTARG ;;
    H) hours=$OPTARG ;;
    *) echo "usage: CLKNETSIM_PATH=DIR $0 [-r ROUNDS] [-H HOURS] [SCENARIO ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(lan lanjit wan thermal thermal-fast freq-step chain)

root=$(cd "$(dirname "$0")/.." && pwd)
ffclockd=${FFCLOCKD:-$root/build/bin/ffclockd}
: "${CLKNETSIM_PATH:?set CLKNETSIM_PATH to a built clknetsim (clknetsim, clknetsim.so, clknetsim.bash)}"
for f in clknetsim clknetsim.so clknetsim.bash; do
  [ -e "$CLKNETSIM_PATH/$f" ] || { echo "no $f in CLKNETSIM_PATH=$CLKNETSIM_PATH" >&2; exit 2; }
done
[ -x "$ffclockd" ] || { echo "no ffclockd at $ffclockd (build first, or set FFCLOCKD)" >&2; exit 2; }
command -v chronyd >/dev/null || { echo "chronyd is not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/ffclock-clknetsim.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

# The definitions of the simulator's scenarios of the same names (sim/scenarios/): an
# oscillator at +100 ppm with 1 ppb/s random-walk wander; thermal adds a +-1 ppm cycle of
# 30 min, thermal-fast +-3 ppm over 2 h, thermal-5ppm +-5 ppm over 6 h, freq-step +5 ppm at
# 7 h, freq-step-10 +10 ppm at 7 h, freq-step-neg1 -1, -2 and +3 ppm at 7, 13 and 19 h (all
# on the lan path); thermal-day +-0.5 ppm over a day on the lanjit path; thermal-wan +-2 ppm
# over 4 h on the wan path. congested: 2 ms + Exp(0.2 ms) each way, a 5 % spike of Exp(30 ms),
# and while a congestion episode runs (the last 120 s of every 600 s) Exp(10 ms) more out and
# Exp(2 ms) more back; freq-step-congested adds -10 ppm at 7 h. pareto: 500 us + a Pareto
# queue (tail index 1.5, mean 100 us out, 50 us back) + a 1 % spike of Exp(5 ms) each way;
# pareto-thermal adds +-2 ppm over 1 h.
# clknetsim evaluates the frequency once a simulated second; `(sum 1)` counts the seconds.
# Delays are one way, in seconds, evaluated once a packet; there `time` is the simulated time
# (0 at the start), so `(% time 600)` is the phase of the congestion schedule.
# `(equal EPS C X)` is 1 when |X - C| <= EPS, else 0: `(equal 0.025 0.025 (uniform))` is a
# Bernoulli draw with p = 0.05, `(equal 60 540 (% time 600))` is 1 during [480, 600) of each
# 600 s, the simulator's windows exactly.
# The language has no exp, log, pow or division, so a Pareto queue cannot be drawn in it; a
# `@Q@` in a delay stands for `(file "F")`, F holding draws made here of the simulator's
# Pareto (sim/rng.cpp: a Lomax starting at 0, X = s (U^(-1/alpha) - 1), s = mean (alpha - 1),
# U uniform on (0, 1]) with the mean in qup (client to server) or qdown (back), one file per
# link and run (see pareto_samples) so that the links draw independently, as `(exponential)`
# does. The same distribution, only the random numbers come from awk instead of clknetsim.
# (Not a classic Pareto x_m U^(-1/alpha), x_m = mean (alpha - 1) / alpha, of the same mean:
# that never goes below x_m, which would add 33 us out and 17 us back to the minimum.)
scenario_model() {
  local walk="(sum (* 1e-9 (normal)))" lan="(+ 1e-4 (* 1e-5 (exponential)))"
  local wan_up="(+ 10.05e-3 (* 1e-3 (exponential)))" wan_down="(+ 9.95e-3 (* 0.5e-3 (exponential)))"
  local congested="(+ 2e-3 (* 0.2e-3 (exponential)) (* (equal 0.025 0.025 (uniform)) 30e-3 (exponential)))"
  local pareto="(+ 500e-6 @Q@ (* (equal 0.005 0.005 (uniform)) 5e-3 (exponential)))"
  local episode="(equal 60 540 (% time 600))"
  freq="(+ 1e-4 $walk)"
  up=$lan
  down=$lan
  qup=0
  qdown=0
  case $1 in
    lan | chain) ;;
    lanjit) up="(+ 1e-4 (* 1e-4 (exponential)))"; down="$up" ;;
    wan) up=$wan_up; down=$wan_down ;;
    thermal) freq="(+ 1e-4 $walk (* 1e-6 (sine 1800)))" ;;
    thermal-fast) freq="(+ 1e-4 $walk (* 3e-6 (sine 7200)))" ;;
    freq-step) freq="(+ 1e-4 $walk (* 5e-6 (min 1 (max 0 (+ (sum 1) -25200)))))" ;;
    freq-step-10) freq="(+ 1e-4 $walk (* 10e-6 (min 1 (max 0 (+ (sum 1) -25200)))))" ;;
    freq-step-neg1)
      freq="(+ 1e-4 $walk (* -1e-6 (min 1 (max 0 (+ (sum 1) -25200)))) (* -2e-6 (min 1 (max 0 (+ (sum 1) -46800)))) (* 3e-6 (min 1 (max 0 (+ (sum 1) -68400)))))"
      ;;
    thermal-5ppm) freq="(+ 1e-4 $walk (* 5e-6 (sine 21600)))" ;;
    thermal-day)
      freq="(+ 1e-4 $walk (* 0.5e-6 (sine 86400)))"
      up="(+ 1e-4 (* 1e-4 (exponential)))"
      down="$up"
      ;;
    thermal-wan)
      freq="(+ 1e-4 $walk (* 2e-6 (sine 14400)))"
      up=$wan_up
      down=$wan_down
      ;;
    congested | freq-step-congested)
      up="(+ $congested (* $episode 10e-3 (exponential)))"
      down="(+ $congested (* $episode 2e-3 (exponential)))"
      [ "$1" = congested ] || freq="(+ 1e-4 $walk (* -10e-6 (min 1 (max 0 (+ (sum 1) -25200)))))"
      ;;
    pareto | pareto-thermal)
      up=$pareto
      down=$pareto
      qup=100e-6
      qdown=50e-6
      [ "$1" = pareto ] || freq="(+ 1e-4 $walk (* 2e-6 (sine 3600)))"
      ;;
    *)
      echo "unknown scenario $1 (lan, lanjit, wan, thermal, thermal-fast, thermal-5ppm, thermal-day, freq-step," \
        "freq-step-10, freq-step-neg1, congested, freq-step-congested, thermal-wan, pareto, pareto-thermal," \
        "chain)" >&2
      exit 2
      ;;
  esac
}

# N draws of the simulator's Pareto queue of mean MEAN and tail index 1.5 (see above), one a
# line, for a `(file ...)` generator; seeded from bash's SRANDOM so that every link and run
# gets its own draws (awk alone would repeat them: gawk's default seed is fixed).
pareto_samples() {
  awk -v m="$1" -v n="$2" -v seed=$((SRANDOM % 2147483647)) 'BEGIN{srand(seed); a = 1.5; s = m * (a - 1);
    for (i = 0; i < n; i++) printf "%.9e\n", s * ((1 - rand()) ^ (-1 / a) - 1)}'
}

# The conf line for the delay from node FROM to node TO, with a `@Q@` replaced by a file of
# its own holding a Pareto queue of mean MEAN; one draw a second of the run is more than the
# packets of one link (one every 16 s), so the file, which clknetsim rereads from the start
# when it runs out, is never reread.
link_delay() {
  local dir=$1 from=$2 to=$3 expr=$4 mean=$5
  if [[ $expr == *@Q@* ]]; then
    pareto_samples "$mean" $(((hours + 1) * 3600)) >"$dir/queue$from-$to"
    expr=${expr//@Q@/(file \"$dir/queue$from-$to\")}
  fi
  echo "node${from}_delay$to = $expr"
}

# One simulation. MIDDLE is what runs on node 2: ffclockd, or chronyd (chain only). UPSTREAM
# is node 3's server: 1 (side by side) or 2 (chain). Prints "node2_rms node2_max node3_rms
# node3_max page_rms page_max coverage" (us; the page fields are 0 without ffclockd).
run_once() {
  local dir=$1 middle=$2 upstream=$3
  mkdir -p "$dir"
  {
    for n in 2 3; do
      echo "node${n}_offset = 0.01"
      echo "node${n}_freq = $freq"
    done
    link_delay "$dir" 2 1 "$up" "$qup"
    link_delay "$dir" 1 2 "$down" "$qdown"
    link_delay "$dir" 3 "$upstream" "$up" "$qup"
    link_delay "$dir" "$upstream" 3 "$down" "$qdown"
    echo "node2_refclock = (* 0 (normal))"  # /dev/ptp0 on node 2: true time
  } >"$dir/conf"
  printf 'pidfile %s/chronyd1.pid\nallow\nlocal stratum 1\n' "$dir" >"$dir/chrony1.conf"
  printf 'pidfile %s/chronyd2.pid\nallow\nserver 192.168.123.1 minpoll 4 maxpoll 4 iburst\n' "$dir" >"$dir/chrony2.conf"
  printf 'pidfile %s/chronyd3.pid\nserver 192.168.123.%s minpoll 4 maxpoll 4 iburst\n' "$dir" "$upstream" \
    >"$dir/chrony3.conf"
  local serve=""
  [ "$upstream" = 2 ] && serve=$'\n[[server]]\nlisten = "0.0.0.0:123"\nio = "simple"\nratelimit = false\n'
  cat >"$dir/ffclockd.toml" <<EOF
[clock]
counter = "monotonic_raw"
page = "$dir/page"
sources-page = "$dir/sources"
leap-file = ""
state-file = ""

[kernel]
discipline = true
$serve
[[source]]
mode = "server"
address = "192.168.123.1"
minpoll = 4
maxpoll = 4
EOF
  local pids=()
  export CLKNETSIM_SOCKET=$dir/sock
  LD_PRELOAD=$CLKNETSIM_PATH/clknetsim.so CLKNETSIM_NODE=1 chronyd -d -f "$dir/chrony1.conf" >"$dir/log.1" 2>&1 &
  pids+=($!)
  if [ "$middle" = ffclockd ]; then
    LD_PRELOAD=$CLKNETSIM_PATH/clknetsim.so CLKNETSIM_NODE=2 "$ffclockd" --config "$dir/ffclockd.toml" \
      --eval-reference /dev/ptp0 >"$dir/log.2" 2>&1 &
  else
    LD_PRELOAD=$CLKNETSIM_PATH/clknetsim.so CLKNETSIM_NODE=2 chronyd -d -f "$dir/chrony2.conf" >"$dir/log.2" 2>&1 &
  fi
  pids+=($!)
  LD_PRELOAD=$CLKNETSIM_PATH/clknetsim.so CLKNETSIM_NODE=3 chronyd -d -f "$dir/chrony3.conf" >"$dir/log.3" 2>&1 &
  pids+=($!)
  if ! "$CLKNETSIM_PATH/clknetsim" -s "$dir/sock" -r 3600 -l $(((hours + 1) * 3600)) "$dir/conf" 3 \
    >"$dir/stats" 2>"$dir/log"; then
    echo "clknetsim failed, see $dir/log (KEEP=1 keeps it)" >&2
    kill "${pids[@]}" 2>/dev/null || true
    return 1
  fi
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  # clknetsim's statistics since the reset at 1 h, per node.
  local stats
  stats=$(awk '/^-+ Node/{n=$3} /^RMS offset:/{r[n]=$3} /^Maximum absolute offset:/{m[n]=$4}
               END{printf "%.2f %.2f %.2f %.2f", r[2]*1e6, m[2]*1e6, r[3]*1e6, m[3]*1e6}' "$dir/stats")
  if [ "$middle" != ffclockd ]; then
    echo "$stats 0 0 0"
    return 0
  fi
  local start
  start=$(awk '/^EVAL/{print int($2 / 1e9); exit}' "$dir/log.2")
  [ -n "$start" ] || { echo "ffclockd published nothing, see $dir/log.2 (KEEP=1 keeps it)" >&2; return 1; }
  # EVAL: reference_ns counter (page - reference) maxerror; the simulation starts at 2010-01-01.
  local page
  page=$(awk '/^EVAL/{if ($2 / 1e9 - 1262304000 < 3600) next; n++; e = $4; s += e * e; a = e < 0 ? -e : e;
                if (a > m) m = a; if (a <= $5) c++}
              END{printf "%.2f %.2f %.4f", sqrt(s / n) * 1e6, m * 1e6, c / n}' "$dir/log.2")
  echo "$stats $page"
}

median() { sort -g | awk '{v[NR] = $1} END{print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "clknetsim, ${hours} h after a 1 h warm-up, median of ${rounds} rounds (us; REALTIME from clknetsim's statistics;"
echo "in bound: the fraction of EVAL seconds whose error was within the published maxerror, worst round)"
printf '%-19s %24s %24s %34s\n' scenario "ffclockd REALTIME RMS/max" "chronyd REALTIME RMS/max" "ffclockd page RMS/max, in bound"
col() { awk -v c="$2" '{print $c}' "$1" | median; }
worst() { awk -v c="$2" '{print $c}' "$1" | sort -g | head -1; }
for s in "${scenarios[@]}"; do
  scenario_model "$s"
  if [ "$s" = chain ]; then
    : >"$work/chain-f.rounds"
    : >"$work/chain-c.rounds"
    for r in $(seq 1 "$rounds"); do
      run_once "$work/chain-f-$r" ffclockd 2 >>"$work/chain-f.rounds"
      run_once "$work/chain-c-$r" chronyd 2 >>"$work/chain-c.rounds"
    done
    f=$work/chain-f.rounds c=$work/chain-c.rounds
    printf '%-19s %24s %24s %34s\n' "$s" "$(col "$f" 1) -> $(col "$f" 3)" "$(col "$c" 1) -> $(col "$c" 3)" \
      "$(col "$f" 5) / $(col "$f" 6), $(worst "$f" 7)"
    continue
  fi
  : >"$work/$s.rounds"
  for r in $(seq 1 "$rounds"); do
    run_once "$work/$s-$r" ffclockd 1 >>"$work/$s.rounds"
  done
  f=$work/$s.rounds
  printf '%-19s %24s %24s %34s\n' "$s" "$(col "$f" 1) / $(col "$f" 2)" "$(col "$f" 3) / $(col "$f" 4)" \
    "$(col "$f" 5) / $(col "$f" 6), $(worst "$f" 7)"
done
