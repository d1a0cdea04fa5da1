#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# ffclock-sim run --trace: one CSV line per measured second of the first seed (lan: 1 h warm-up,
# 24 h measured), whose errors agree with the JSON's RMS; and two outputs on standard output
# are refused before anything runs.
sim=$1
scenario=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
"$sim" run "$scenario" --seed 1 --json "$dir/r.json" --trace "$dir/t.csv" >/dev/null || { echo "run failed"; exit 1; }
[ "$(head -n 1 "$dir/t.csv")" = "t_s,error_us,maxerror_us,esterror_us" ] || { echo "bad header"; exit 1; }
lines=$(wc -l <"$dir/t.csv")
[ "$lines" -eq 86401 ] || { echo "$lines lines, expected 86401"; exit 1; }
python3 - "$dir/t.csv" "$dir/r.json" <<'PY' || exit 1
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rms = math.sqrt(sum(float(r["error_us"]) ** 2 for r in rows) / len(rows))
want = json.load(open(sys.argv[2]))["abs_error_us"]["rms"]
assert int(rows[0]["t_s"]) == 3600, rows[0]
assert abs(rms - want) <= 1e-3 * want, (rms, want)
assert all(abs(float(r["error_us"])) <= float(r["maxerror_us"]) for r in rows)
print(f"trace RMS {rms:.3f} us = JSON {want:.3f} us")
PY
if "$sim" run "$scenario" --json - --trace - >"$dir/out" 2>"$dir/err"; then
  echo "two outputs on standard output were accepted"; exit 1
fi
grep -q "standard output" "$dir/err" || { echo "no message"; cat "$dir/err"; exit 1; }
echo OK
