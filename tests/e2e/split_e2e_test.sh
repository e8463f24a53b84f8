#!/usr/bin/env bash
# The four services apart, end to end (issue 13): portraitd, scoringd, inspectiond and
# disclosured as separate processes on loopback, each with its own data directory,
# calling each other over mutual TLS with service identities (tools/lib/split.sh, what
# `tools/up --split` runs). regctl sends each command to the service it calls
# (--services). The whole flow: import, train (rows built by portraitd), score, roster,
# commit, draw, export and verify-draw, assignments, submit, preview, approve (the result
# recorded as history in portraitd), publish and verify-log; then a peer stopped fails
# only the calls that need it, naming it.
set -euo pipefail

RUNFILES="$TEST_SRCDIR/regulation"
export SPLIT_BIN="$RUNFILES/services/server"
export SPLIT_REGCTL="$RUNFILES/tools/regctl/regctl"
REGCTL_BIN="$SPLIT_REGCTL"
DEMO_FILES="$RUNFILES/tools/demo"
DATA="$(mktemp -d "$TEST_TMPDIR/split.XXXXXX")"
PKI="$DATA/pki"
# Four consecutive free ports (the services name each other by fixed addresses).
for _ in $(seq 1 50); do
  base=$((20000 + RANDOM % 30000))
  busy=false
  for k in 0 1 2 3; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$((base + k))") 2>/dev/null; then busy=true; fi
  done
  $busy || break
done
export REGULATION_SPLIT_PORT="$base"
source "$RUNFILES/tools/lib/split.sh"

fail() {
  echo "FAIL: $*" >&2
  for service in "${SPLIT_SERVICES[@]}"; do
    [ -f "$DATA/$service.log" ] && tail -n 15 "$DATA/$service.log" | sed "s/^/  $service: /" >&2
  done
  exit 1
}
cleanup() {
  for service in "${SPLIT_SERVICES[@]}"; do
    [ -f "$DATA/$service.pid" ] && kill -9 "$(cat "$DATA/$service.pid")" 2>/dev/null || true
  done
}
trap cleanup EXIT


source "$RUNFILES/tests/e2e/expect.sh"

as() { local who="$1"; shift; "$REGCTL_BIN" --services="$DATA/services.txt" --tls_dir="$PKI/$who" "$@"; }
at() { local i="$1" who="$2"; shift 2; "$REGCTL_BIN" --server="$(split_address "$i")" --tls_dir="$PKI/$who" "$@"; }

"$REGCTL_BIN" pki init --ca_dir="$PKI/ca" >/dev/null
issue() { "$REGCTL_BIN" pki issue --ca_dir="$PKI/ca" "$@" >/dev/null; }
issue --out="$PKI/server" --server_cert --dns=localhost --ip=127.0.0.1
issue --out="$PKI/admin" --role=admin --name=e2e-admin
issue --out="$PKI/auditor" --role=auditor --name=e2e-auditor
issue --out="$PKI/agency-3301" --role=agency --name=hz --department=samr --region=3301
issue --out="$PKI/public" --role=public --name=e2e-public

DELAY=$((3 * ${REGULATION_TEST_TIME_SCALE:-1}))
split_start "$DATA" "$PKI" "${DELAY}s" >/dev/null || fail "the four services did not start"

# Each process serves its own service (and the common ones), not the others'.
services="$(at 0 admin services)"
grep -qx "regulation.v1.PortraitService" <<<"$services" || fail "portraitd: $services"
grep -qx "regulation.v1.ScoringService" <<<"$services" && fail "portraitd serves scoring"
grep -qx "regulation.v1.InspectionService" <<<"$(at 2 admin services)" || fail "inspectiond"
grep -qx "regulation.v1.DisclosureService" <<<"$(at 3 admin services)" || fail "disclosured"

# Import into portraitd; train in scoringd from portraitd's events; score everyone.
"$REGCTL_BIN" synth --enterprises=3000 --years=4 --seed=13 --end_date="$(date -d yesterday +%F)" \
  --out="$DATA/synth" >/dev/null
as admin import enterprises "$DATA/synth/enterprises.csv" >/dev/null || fail "import enterprises"
as admin import events "$DATA/synth/events.jsonl" >/dev/null || fail "import events"
trained="$(as admin train)" || fail "train in scoringd: $trained"
version="$(sed -n 's/^activate it: regctl model activate //p' <<<"$trained")"
[ -n "$version" ] || fail "train: $trained"
expect_output "MODEL_STATE_ACTIVE" "activate" as admin model activate "$version"
expect_output "3000 enterprises scored with model $version" "score all" as admin score all
code="$(sed -n '2s/,.*//p' "$DATA/synth/enterprises.csv")"
expect_output "model $version" "score get" as auditor score get "$code"

# Inspection: roster, plan, commit with a witness, draw; the frozen classes came from scoringd.
"$REGCTL_BIN" witness keygen --algorithm=ed25519 --out="$DATA/witness" >/dev/null
cat >"$DATA/witness.json" <<JSON
{"sourceId": "e2e-notary", "kind": "ENTROPY_SOURCE_KIND_WITNESS", "displayName": "杭州市公证处（测试）",
 "department": "notary-hz", "algorithm": "ed25519", "publicKeyHex": "$(cut -d' ' -f2 "$DATA/witness/witness.pub")"}
JSON
as admin entropy register --file="$DATA/witness.json" >/dev/null || fail "entropy register"
as admin inspector put --file="$DEMO_FILES/inspectors.jsonl" >/dev/null || fail "inspector put"
as agency-3301 item put --file="$DEMO_FILES/items.jsonl" >/dev/null || fail "item put"
due="$(date -d '+90 days' +%Y-%m-%d)"
sed "s/__YEAR__/$((10#${due:0:4}))/; s/__MONTH__/$((10#${due:5:2}))/; s/__DAY__/$((10#${due:8:2}))/" \
  "$DEMO_FILES/plan.json.in" >"$DATA/plan.json"
plan="$(as agency-3301 --output=json plan create --file="$DATA/plan.json" |
  sed -n 's/.*"planId": "\([^"]*\)".*/\1/p')"
[ -n "$plan" ] || fail "plan create"
committed="$(as agency-3301 --output=json plan commit "$plan" --source=e2e-notary)" || fail "commit: $committed"
digest="$(sed -n 's/.*"commitmentDigest": "\([0-9a-f]*\)".*/\1/p' <<<"$committed")"
[ -n "$digest" ] || fail "commit: $committed"
sleep "$((DELAY + 1))"
"$REGCTL_BIN" witness sign --key="$DATA/witness/witness.key" --source_id=e2e-notary --plan="$plan" \
  --round=0 --commitment="$digest" --out="$DATA/statement-0.json" >/dev/null
as agency-3301 plan draw "$plan" --statement="$DATA/statement-0.json" >/dev/null || fail "draw"
as auditor draw export "$plan" --out="$DATA/audit" >/dev/null || fail "draw export"
as public --output=json entropy list >"$DATA/sources.json"
verdict="$("$REGCTL_BIN" verify-draw "$DATA/audit/bundle-0.json" --population="$DATA/audit/population.csv" \
  --roster="$DATA/audit/roster.json" --sources="$DATA/sources.json")"
grep -q "^VALID" <<<"$verdict" || fail "verify-draw: $verdict"
# The frozen population holds the classes scoringd stored (not all class B, the class of
# an enterprise never scored).
classes="$(cut -d, -f2 "$DATA/audit/population.csv" | sort -u | tr -d '\n')"
[ "${#classes}" -gt 1 ] || fail "the frozen population has one class only: $classes"

# Assignments, a result submitted, previewed and approved in disclosured.
assigned="$(as agency-3301 --output=json assignments list --plan="$plan")"
inspector="$(sed -n 's/.*"inspectorId": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
target="$(sed -n 's/.*"creditCode": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
[ -n "$inspector" ] && [ -n "$target" ] || fail "plan assignments: $assigned"
issue --out="$PKI/inspector" --role=inspector --name=e2e-inspector --department=samr \
  --inspector_id="$inspector"
mine="$(as inspector --output=json assignments list 2>&1)" || fail "assignments list: $mine"
grep -q "\"creditCode\": \"$target\"" <<<"$mine" || fail "the inspector's assignments: $mine"
inspections() { as auditor portrait get "$target" | awk '$1 == "inspections_total" { print $2 }'; }
before="$(inspections)"
expect_output SUBMITTED "submit" as inspector results submit --plan="$plan" --credit_code="$target" \
  --category=PROBLEM_FOUND_FOLLOW_UP_PENDING --inspection_end="$(date -d yesterday +%F)" \
  --findings="未按规定公示年度报告。"
preview="$(as agency-3301 results preview "$plan.$target")" || fail "preview: $preview"
pdigest="$(sed -n 's/^preview_digest: \([0-9a-f]*\)$/\1/p' <<<"$preview")"
expect_output PUBLISHED "approve" as agency-3301 results approve "$plan.$target" --preview_digest="$pdigest"
# The approved result is the enterprise's history in portraitd (at once or after a retry).
for _ in $(seq 1 20); do [ "$(inspections)" = "$((before + 1))" ] && break; sleep 0.5; done
[ "$(inspections)" = "$((before + 1))" ] || fail "the result is not in portraitd: $before -> $(inspections)"

# The public record: published from disclosured's log, verified offline.
as public publish --out="$DATA/site" >/dev/null || fail "publish"
verdict="$("$REGCTL_BIN" verify-log "$DATA/site" --trust_on_first_use --state_file="$DATA/log-state")"
grep -q "^VALID" <<<"$verdict" || fail "verify-log: $verdict"
grep -q "^draw bundles: [1-9][0-9]* match their DRAW records" <<<"$verdict" \
  || fail "verify-log checked no draw bundle: $verdict"
grep -rq "$plan" "$DATA/site" || fail "the site does not mention the plan"

# Each process keeps the trail of the calls it serves: `audit` asks every one in turn.
trails="$(as auditor audit verify)" || fail "audit verify over --services: $trails"
[ "$(grep -c '^VALID: ' <<<"$trails")" = 4 ] || fail "audit verify: not four valid trails: $trails"
for service in portrait scoring inspection disclosure; do
  grep -q "^== $service (" <<<"$trails" || fail "audit verify: no $service trail: $trails"
done
calls="$(as auditor audit list --rpc=DrawPlan)" || fail "audit list over --services: $calls"
grep -q "DrawPlan" <<<"$calls" || fail "the draw is in no process's trail: $calls"

# scoringd stopped: scoring calls fail naming it; portrait and disclosure keep working.
kill -TERM "$(cat "$DATA/scoringd.pid")"
for _ in $(seq 1 60); do split_running "$DATA/scoringd.pid" || break; sleep 0.5; done
out="$(expect_exit 3 as auditor score get "$code")"
grep -q "UNAVAILABLE" <<<"$out" || fail "score get with scoringd down: $out"
expect_output "penalties_3y" "portrait with scoringd down" as auditor portrait get "$code"
expect_output PUBLISHED "results with scoringd down" as agency-3301 results get "$plan.$target"

split_stop "$DATA" >/dev/null
echo "PASS"
