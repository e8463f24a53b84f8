#!/usr/bin/env bash
# A real Prometheus (Debian's `prometheus`) scraping a real regulatord, with the rules of
# deploy/prometheus: regulatord runs over mutual TLS on a free port with its metrics on
# another free port; Prometheus runs on loopback with a temporary data directory and a
# generated configuration (1 s scrape and evaluation). The test drives calls with
# regctl, then asks Prometheus's HTTP query API (through promtool) that the series
# exist with the values the calls imply, and that an alert fires when its condition
# holds: a result submitted for an inspection that ended 60 days ago is past its
# publication deadline at once, so RegulationResultsPastDeadline fires; approving it
# publishes it, and the alert resolves. Along the way: the JSON call log carries the
# request id of each audited call, the same id is in its audit record, and the
# findings' text never reaches the log; `regctl status` reads the same endpoint.
set -euo pipefail

WORK="$(mktemp -d "$TEST_TMPDIR/prom.XXXXXX")"
source "$TEST_SRCDIR/regulation/tests/e2e/ops_test_lib.sh"
RULES="$TEST_SRCDIR/regulation/deploy/prometheus"
DATA="$WORK/data"
EXTRA_LOG="$WORK/prometheus.log"

command -v prometheus >/dev/null || fail "prometheus not installed (tools/packages.txt)"
command -v promtool >/dev/null || fail "promtool not installed (tools/packages.txt)"

make_pki
start_regulatord "$DATA" --log_format=json

# Prometheus on a free loopback port (picked at random; retried if taken).
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES/regulation-rules.yml
  - $RULES/regulation-alerts.yml
scrape_configs:
  - job_name: regulatord
    static_configs:
      - targets: ["127.0.0.1:$METRICS_PORT"]
EOF
promtool check config "$WORK/prometheus.yml" >/dev/null || fail "generated configuration"
PROM=""
for attempt in 1 2 3 4 5; do
  prom_port=$((20000 + RANDOM % 40000))
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb-$attempt" \
    --web.listen-address="127.0.0.1:$prom_port" >"$EXTRA_LOG" 2>&1 &
  PROM_PID=$!
  for _ in $(seq 1 100); do
    if promtool query instant "http://127.0.0.1:$prom_port" 'vector(1)' >/dev/null 2>&1; then
      PROM="http://127.0.0.1:$prom_port"
      CHILD_PIDS+=("$PROM_PID")
      break 2
    fi
    kill -0 "$PROM_PID" 2>/dev/null || break
    sleep 0.2
  done
  kill "$PROM_PID" 2>/dev/null || true
  wait "$PROM_PID" 2>/dev/null || true
  PROM_PID=""
done
[ -n "$PROM" ] || fail "prometheus did not start"

# The value of a query that returns one series ("" when it returns none).
query() {
  promtool query instant "$PROM" "$1" | sed -n 's/.* => \([^ ]*\) @.*/\1/p' | head -n1
}
# Waits until `query EXPR` prints VALUE (Prometheus scrapes and evaluates every second).
await() {
  local expr="$1" want="$2" got=""
  for _ in $(seq 1 60); do
    got="$(query "$expr")"
    [ "$got" = "$want" ] && return 0
    sleep 0.5
  done
  fail "$expr is \"$got\", expected \"$want\""
}

await 'up{job="regulatord"}' 1

# Calls: a generated population through the importers (events ingested by stream), and
# one refused write.
"$REGCTL_BIN" synth --enterprises=3000 --years=1 --seed=7 --end_date="$(date -d yesterday +%F)" \
  --out="$WORK/synth" >/dev/null
as admin import enterprises "$WORK/synth/enterprises.csv" >/dev/null
as admin import events "$WORK/synth/events.jsonl" >/dev/null
enterprises=$(($(wc -l <"$WORK/synth/enterprises.csv") - 1))
events=$(wc -l <"$WORK/synth/events.jsonl")
out="$(as admin enterprise put --credit_code=91350100M000100Y44 --name=x --region=350100 \
  --industry=F51 --established=2010-01-01 2>&1)" && fail "a bad put succeeded: $out"

await 'regulation_directory_enterprises' "$enterprises"
await 'regulation_ingest_events_total{outcome="applied"}' "$events"
await 'sum(grpc_server_handled_total{grpc_method="UpsertEnterprise",grpc_code="INVALID_ARGUMENT"})' 1
await 'sum(grpc_server_handled_total{grpc_method="IngestEvents",grpc_code="OK"}) > bool 0' 1
await 'regulation_ingest_commit_queue_batches' 0
await 'regulation_ingest_batch_duration_seconds_count > bool 0' 1
await 'regulation_portrait_write_duration_seconds_count > bool 0' 1
await 'regulation_rocksdb_memtable_bytes > bool 0' 1
# Nothing is flushed to table files yet, so the cache has not been used: the series exist.
await 'count(regulation_rocksdb_block_cache_hits_total) + count(regulation_rocksdb_write_stall_seconds_total)' 2
await 'regulation_data_dir_free_bytes > bool 0' 1
# Compactions by family: a series for each family from the start.
await 'count(regulation_rocksdb_compaction_cpu_seconds_total{family=~"events|event_ids|alerts"})' 3
await 'regulation:data_dir_free_ratio > bool 0' 1
# The server certificate was issued for 825 days.
await 'regulation:certificate_expiry_seconds{certificate="server"} > bool 86400 * 800' 1
await 'regulation_log_fenced' 0

# A draw (tools/demo): its COMMITMENT and DRAW records go through the queue to the log.
load_roster
plan="$(commit_plan one)"
draw_plan "$plan"
await 'regulation_plans{state="drawn"}' 1
await 'regulation_log_tree_size' 3
await 'regulation_publication_queue_records' 0

# An inspector of the draw submits a result for an inspection that ended 60 days ago:
# 20 working days have long passed, so it is late as soon as it is submitted.
assigned="$(as agency-3301 --output=json assignments list --plan="$plan")"
inspector="$(sed -n 's/.*"inspectorId": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
target="$(sed -n 's/.*"creditCode": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
[ -n "$inspector" ] && [ -n "$target" ] || fail "no assignment: $assigned"
issue --out="$PKI/inspector" --role=inspector --name=prom-inspector --department=samr \
  --inspector_id="$inspector"
as inspector results submit --plan="$plan" --credit_code="$target" \
  --category=PROBLEM_FOUND_FOLLOW_UP_PENDING --inspection_end="$(date -d '60 days ago' +%F)" \
  --findings="负责人手机13812345678，现场发现过期食品。" --follow_up="责令限期改正" >/dev/null

await 'regulation_results_unpublished{state="submitted"}' 1
await 'regulation_results_past_deadline' 1
await 'ALERTS{alertname="RegulationResultsPastDeadline",alertstate="firing"}' 1
echo "fired:"
promtool query instant "$PROM" 'ALERTS{alertname="RegulationResultsPastDeadline"}'

# regctl status reads the same endpoint and reports the late result as a problem.
code=0
status_out="$("$REGCTL_BIN" status --metrics="http://127.0.0.1:$METRICS_PORT/metrics")" || code=$?
[ "$code" -eq 1 ] || fail "regctl status exited $code: $status_out"
grep -q "1 results are past their publication deadline" <<<"$status_out" || fail "$status_out"

# Approval publishes it: the gauge returns to 0 and the alert resolves.
preview_digest="$(as agency-3301 results preview "$plan.$target" |
  sed -n 's/^preview_digest: \([0-9a-f]*\)$/\1/p')"
as agency-3301 results approve "$plan.$target" --preview_digest="$preview_digest" |
  grep -q PUBLISHED || fail "approve"
await 'regulation_results_past_deadline' 0
await 'count(ALERTS{alertname="RegulationResultsPastDeadline",alertstate="firing"}) or vector(0)' 0
await 'regulation_log_tree_size' 4
await 'regulation_log_appends_total{outcome="ok"} >= bool 2' 1
await 'regulation:log_checkpoint_age_seconds < bool 60' 1

# Structured logs: one JSON object per line; the approval's line carries the request id
# that its audit record carries; the findings' words never reach the log.
approval_id="$(as admin --output=json audit list --rpc=ApproveResult |
  sed -n 's/.*"requestId": "\([^"]*\)".*/\1/p' | tail -n1)"
[ -n "$approval_id" ] || fail "the approval's audit record has no request id"
grep -F "\"request_id\":\"$approval_id\"" "$LOG" | grep -q '"method":"/regulation.v1.DisclosureService/ApproveResult"' ||
  fail "no log line with the approval's request id $approval_id"
grep -F "\"request_id\":\"$approval_id\"" "$LOG" | grep -q '"caller_role":"agency","caller_department":"samr"' ||
  fail "the approval's log line lacks the caller's role and department"
if grep -q "13812345678\|过期食品" "$LOG"; then fail "findings text reached the log"; fi
while IFS= read -r line; do
  [[ "$line" == \{*\} ]] || fail "not a JSON object: $line"
done <"$LOG"

kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true
stop_regulatord
echo "PASS"
