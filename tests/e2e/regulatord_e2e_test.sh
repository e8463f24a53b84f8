#!/usr/bin/env bash
# End to end with the real binaries: regulatord on a free port over a fresh data
# directory, driven by regctl. Checks health and reflection, the demo load, bad input,
# a clean SIGTERM shutdown, data surviving a restart, and a second server refused on
# a data directory in use.
set -euo pipefail

REGULATORD="$TEST_SRCDIR/regulation/services/server/regulatord"
REGCTL_BIN="$TEST_SRCDIR/regulation/tools/regctl/regctl"
DEMO="$TEST_SRCDIR/regulation/tools/demo/enterprises.jsonl"
DATA="$(mktemp -d "$TEST_TMPDIR/data.XXXXXX")"
LOG="$TEST_TMPDIR/regulatord.log"
PID=""

fail() { echo "FAIL: $*" >&2; [ -f "$LOG" ] && sed 's/^/  log: /' "$LOG" >&2; exit 1; }
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; }
trap cleanup EXIT

start_server() {
  : >"$LOG"
  "$REGULATORD" --listen=localhost:0 --data_dir="$DATA" >>"$LOG" 2>&1 &
  PID=$!
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$LOG" | head -n1)"
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || fail "regulatord exited at start"
    sleep 0.1
  done
  [ -n "$PORT" ] || fail "regulatord did not report its port"
}

stop_server() {
  kill -TERM "$PID"
  local status=0
  wait "$PID" || status=$?
  PID=""
  [ "$status" -eq 0 ] || fail "regulatord exited with $status after SIGTERM"
  grep -q "database closed" "$LOG" || fail "no clean close in the log"
}

regctl() { "$REGCTL_BIN" --server="localhost:$PORT" "$@"; }

start_server

[ "$(regctl health)" = "SERVING" ] || fail "health is not SERVING"
[ "$(regctl health regulation.v1.DisclosureService)" = "SERVING" ] || fail "service health"
services="$(regctl services)"
for s in PortraitService ScoringService InspectionService DisclosureService; do
  grep -qx "regulation.v1.$s" <<<"$services" || fail "reflection does not list $s: $services"
done

regctl enterprise put --file="$DEMO" | grep -q "40 enterprises saved" || fail "demo load"
count="$(regctl --output=json enterprise list --all | grep -c '"creditCode"')"
[ "$count" -eq 40 ] || fail "listed $count enterprises, expected 40"

set +e
out="$(regctl enterprise put --credit_code=91350100M000100Y44 --name=x --region=350100 \
  --industry=F51 --established=2010-01-01 2>&1)"
code=$?
set -e
[ "$code" -eq 1 ] || fail "bad credit code exited $code"
grep -q "INVALID_ARGUMENT: enterprise.credit_code" <<<"$out" || fail "message: $out"

stop_server
start_server
count="$(regctl --output=json enterprise list --all --region_prefix=33 | grep -c '"creditCode"')"
[ "$count" -eq "$(grep -c '"regionCode": "33' "$DEMO")" ] || fail "after restart: $count in 33"

# A second server on the same data directory is refused with a clear message.
set +e
second="$("$REGULATORD" --listen=localhost:0 --data_dir="$DATA" 2>&1)"
code=$?
set -e
[ "$code" -ne 0 ] || fail "a second server opened a data directory in use"
grep -qi "in use" <<<"$second" || fail "second server message: $second"

stop_server
echo "PASS"
