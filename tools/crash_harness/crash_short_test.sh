#!/usr/bin/env bash
# The crash harness's short mode: 6 SIGKILLs of the real regulatord under a workload
# (ingestion, plans, draws, results, publication), every check after every restart.
# tools/crash --kills=100 is the long mode.
set -euo pipefail
R="$TEST_SRCDIR/regulation"
out="$TEST_TMPDIR/crash.out"
status=0
"$R/tools/crash_harness/crash" --kills=6 --seed=20261128 --work_dir="$(mktemp -d "$TEST_TMPDIR/w.XXXXXX")" \
  --regulatord="$R/services/server/regulatord" --regctl="$R/tools/regctl/regctl" \
  --demo_dir="$R/tools/demo" --enterprises=200 --min_delay_ms=300 --max_delay_ms=1500 \
  >"$out" 2>&1 || status=$?
cat "$out"
[ "$status" -eq 0 ] || { echo "FAIL: the crash harness exited $status"; exit 1; }
grep -q "^SUMMARY crash: seed 20261128, 6 kills, 6 restarts, [0-9]* checks, 0 failed" "$out" ||
  { echo "FAIL: no passing summary"; exit 1; }
[ "$(grep -c '^kill [0-9]/6 ' "$out")" -eq 6 ] || { echo "FAIL: not every kill reported"; exit 1; }
grep -q "^  feature rows ok  *[1-9][0-9]* rows equal their derivation" "$out" ||
  { echo "FAIL: the feature rows were not checked after the run"; exit 1; }
echo PASS
