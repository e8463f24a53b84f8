#!/usr/bin/env bash
# End to end with the real binaries, as tools/up runs them: a demo PKI made with
# `regctl pki`, regulatord over mutual TLS on a free port and a fresh data directory,
# driven by regctl as different identities. Checks health and reflection, the demo
# load, jurisdiction, bad input, the audit trail (and that tampering with it is
# detected), a clean SIGTERM shutdown, data surviving a restart, the insecure
# loopback mode and its limits, a second server refused on a data directory in use, and
# the inspection side: a witness registered and its signed statement checked (a bare
# value, an early statement refused), a committed draw verified offline (and a tampered
# bundle and statement caught), a replacement round chained to it, an inspector's own
# assignments, a result approved into the disclosure log, and its body withdrawn from the
# log's public site.
set -euo pipefail

REGULATORD="$TEST_SRCDIR/regulation/services/server/regulatord"
REGCTL_BIN="$TEST_SRCDIR/regulation/tools/regctl/regctl"
TAMPER="$TEST_SRCDIR/regulation/tests/e2e/tamper_audit_record"
DEMO="$TEST_SRCDIR/regulation/tests/e2e/testdata/enterprises.jsonl"
DEMO_FILES="$TEST_SRCDIR/regulation/tools/demo"
DATA="$(mktemp -d "$TEST_TMPDIR/data.XXXXXX")"
PKI="$DATA/pki"
LOG="$TEST_TMPDIR/regulatord.log"
PID=""

fail() { echo "FAIL: $*" >&2; [ -f "$LOG" ] && sed 's/^/  log: /' "$LOG" >&2; exit 1; }
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; }
trap cleanup EXIT
source "$TEST_SRCDIR/regulation/tests/e2e/expect.sh"


wait_for_port() {
  PORT=""
  for _ in $(seq 1 100); do
    PORT="$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$LOG" | head -n1)"
    [ -n "$PORT" ] && return 0
    kill -0 "$PID" 2>/dev/null || fail "regulatord exited at start"
    sleep 0.1
  done
  fail "regulatord did not report its port"
}

# Entropy statements are taken 3 s after their round's commitment: a test setting (the
# default is 10 minutes). "Signed at once" below must fall inside the delay, so it stretches
# with the build's slowness (REGULATION_TEST_TIME_SCALE, set by the sanitizer configs in
# .bazelrc): under ASan+UBSan signing alone took longer than 3 s.
DELAY=$((3 * ${REGULATION_TEST_TIME_SCALE:-1}))
start_server() {
  : >"$LOG"
  "$REGULATORD" --listen=localhost:0 --data_dir="$DATA" --tls_dir="$PKI/server" \
    --revoked_file="$PKI/ca/revoked.txt" --min_entropy_delay="${DELAY}s" \
    --health_listen=localhost:0 >>"$LOG" 2>&1 &
  PID=$!
  wait_for_port
}

stop_server() {
  kill -TERM "$PID"
  local status=0
  wait "$PID" || status=$?
  PID=""
  [ "$status" -eq 0 ] || fail "regulatord exited with $status after SIGTERM"
  grep -q "database closed" "$LOG" || fail "no clean close in the log"
}

as() { local who="$1"; shift; "$REGCTL_BIN" --server="localhost:$PORT" --tls_dir="$PKI/$who" "$@"; }

# The demo PKI, as tools/up makes it.
"$REGCTL_BIN" pki init --ca_dir="$PKI/ca" >/dev/null
issue() { "$REGCTL_BIN" pki issue --ca_dir="$PKI/ca" "$@" >/dev/null; }
issue --out="$PKI/server" --server_cert --dns=localhost --ip=127.0.0.1
issue --out="$PKI/admin" --role=admin --name=e2e-admin
issue --out="$PKI/auditor" --role=auditor --name=e2e-auditor
issue --out="$PKI/agency-3301" --role=agency --name=hz --department=samr --region=3301
issue --out="$PKI/public" --role=public --name=e2e-public

start_server

[ "$(as admin health)" = "SERVING" ] || fail "health is not SERVING"
# The probes' listener (docs/deploy.md): plaintext, health only, SERVING once the server is.
HEALTH_PORT="$(sed -n 's/.*grpc.health.v1 only) on port \([0-9]*\).*/\1/p' "$LOG" | head -n1)"
[ -n "$HEALTH_PORT" ] || fail "no health listener in the log"
[ "$("$REGCTL_BIN" --server="localhost:$HEALTH_PORT" --insecure_loopback health \
  regulation.v1.InspectionService)" = "SERVING" ] || fail "health listener is not SERVING"
out="$(expect_exit 1 "$REGCTL_BIN" --server="localhost:$HEALTH_PORT" --insecure_loopback \
  enterprise list)"
grep -q "UNIMPLEMENTED" <<<"$out" || fail "the health listener answered a regulation RPC: $out"
[ "$(as public health regulation.v1.DisclosureService)" = "SERVING" ] || fail "service health"
services="$(as admin services)"
for s in PortraitService ScoringService InspectionService DisclosureService AuditService; do
  grep -qx "regulation.v1.$s" <<<"$services" || fail "reflection does not list $s: $services"
done

as admin enterprise put --file="$DEMO" | grep -q "40 enterprises saved" || fail "demo load"
count="$(as admin --output=json enterprise list --all | grep -c '"creditCode"')"
[ "$count" -eq 40 ] || fail "listed $count enterprises, expected 40"

# Jurisdiction: Hangzhou's agency sees Hangzhou only, and cannot read Beijing.
hz="$(as agency-3301 --output=json enterprise list --all --region_prefix=33)"
[ "$(grep -c '"creditCode"' <<<"$hz")" -eq "$(grep -c '"regionCode": "3301' "$DEMO")" ] ||
  fail "agency-3301 listed: $hz"
beijing="$(grep '"regionCode": "110105"' "$DEMO" | head -n1 | sed 's/.*"creditCode": "\([0-9A-Z]*\)".*/\1/')"
out="$(expect_exit 1 as agency-3301 enterprise get "$beijing")"
grep -q "PERMISSION_DENIED: credit_code: outside your jurisdiction" <<<"$out" || fail "$out"
out="$(expect_exit 1 as public enterprise list)"
grep -q "PERMISSION_DENIED" <<<"$out" || fail "public listed the directory: $out"

out="$(expect_exit 1 as admin enterprise put --credit_code=91350100M000100Y44 --name=x \
  --region=350100 --industry=F51 --established=2010-01-01)"
grep -q "INVALID_ARGUMENT: enterprise.credit_code" <<<"$out" || fail "message: $out"

# The audit trail: the demo load, the bad put, a refused put outside the jurisdiction;
# the refused get above is a read, and reads are not audited.
out="$(expect_exit 1 as agency-3301 enterprise put --credit_code=91350100M000100Y43 --name=x \
  --region=350100 --industry=F51 --established=2010-01-01)"
grep -q "PERMISSION_DENIED: enterprise.region_code: outside your jurisdiction" <<<"$out" || fail "$out"
verdict="$(as auditor audit verify)"
grep -q "^VALID: 3 records" <<<"$verdict" || fail "audit verify: $verdict"
as auditor audit list --rpc=UpsertEnterprise | grep -q "INVALID_ARGUMENT" || fail "audit list"
expect_exit 1 as agency-3301 audit list >/dev/null

# An operator rewrites record 2 (the failed put) to look like a success.
before="$(as admin --output=json enterprise list --all --region_prefix=33 | grep -c '"creditCode"')"
stop_server
"$TAMPER" "$DATA/rocksdb" 2 >/dev/null
start_server
out="$(expect_exit 1 as auditor audit verify)"
grep -q "BROKEN: record 2" <<<"$out" || fail "tampering not detected: $out"

# Data survives the restart.
after="$(as admin --output=json enterprise list --all --region_prefix=33 | grep -c '"creditCode"')"
[ "$after" -eq "$before" ] && [ "$after" -eq "$(grep -c '"regionCode": "33' "$DEMO")" ] ||
  fail "after restart: $after in 33, expected $before"

# A generated population through the bulk importers: a bad row is reported by its line
# number and the rest imports; kept portraits equal their recomputation from history.
"$REGCTL_BIN" synth --enterprises=5000 --years=5 --seed=5 --end_date="$(date -d yesterday +%F)" \
  --out="$DATA/synth" >/dev/null
as admin import enterprises "$DATA/synth/enterprises.csv" >/dev/null
cp "$DATA/synth/events.jsonl" "$DATA/events.jsonl"
bad_line=$(( $(wc -l <"$DATA/events.jsonl") + 1 ))
sed -n '1p' "$DATA/synth/events.jsonl" |
  sed 's/"eventId": *"[^"]*"/"eventId":"bad-1"/; s/"occurTime": *"[^"]*"/"occurTime":"2099-01-01T00:00:00Z"/' \
  >>"$DATA/events.jsonl"
out="$(expect_exit 4 as admin import events "$DATA/events.jsonl")"
grep -q "events.jsonl:$bad_line: .*occur_time: is in the future" <<<"$out" || fail "bad row: $out"
verdict="$(as auditor portrait verify)"
grep -q "^CONSISTENT: 5040 portraits checked, 0 differ" <<<"$verdict" || fail "portraits: $verdict"
code="$(sed -n '2s/,.*//p' "$DATA/synth/enterprises.csv")"
as auditor portrait get "$code" | grep -q "penalties_3y" || fail "portrait get"

# Risk scoring: train (admin), activate, score one with reasons, score everyone.
out="$(expect_exit 1 as admin score get "$code")"
grep -q "FAILED_PRECONDITION: no model is active" <<<"$out" || fail "score before a model: $out"
trained="$(as admin train --oracle="$DATA/synth/inspections_truth.csv" --report_dir="$DATA/report")"
version="$(sed -n 's/^activate it: regctl model activate //p' <<<"$trained")"
[ -n "$version" ] || fail "train: $trained"
grep -q "<svg" "$DATA/report/report.html" || fail "report has no charts"
expect_exit 1 as agency-3301 train >/dev/null  # admin only
as admin model activate "$version" | grep -q "MODEL_STATE_ACTIVE" || fail "activate"
as auditor score get "$code" | grep -q "model $version" || fail "score get"
as admin score all | grep -q "5040 enterprises scored with model $version" || fail "score all"
as auditor score get "$code" --stored | grep -q "class" || fail "stored score"
as auditor score distribution | grep -q "^total" || fail "distribution"


# A witness of its own department, on its own machine: a key; the admin registers it.
"$REGCTL_BIN" witness keygen --algorithm=ed25519 --out="$DATA/witness" >/dev/null ||
  fail "witness keygen"
witness_key="$(cut -d' ' -f2 "$DATA/witness/witness.pub")"
cat >"$DATA/witness.json" <<JSON
{"sourceId": "e2e-notary", "kind": "ENTROPY_SOURCE_KIND_WITNESS", "displayName": "杭州市公证处（测试）",
 "department": "notary-hz", "algorithm": "ed25519", "publicKeyHex": "$witness_key"}
JSON
expect_exit 1 as agency-3301 entropy register --file="$DATA/witness.json" >/dev/null  # admin only
as admin entropy register --file="$DATA/witness.json" | grep -q "e2e-notary  WITNESS" ||
  fail "entropy register"
as public entropy list | grep -q "e2e-notary" || fail "the registry is public"
as public --output=json entropy list >"$DATA/sources.json"
sign() {  # plan round commitment out
  "$REGCTL_BIN" witness sign --key="$DATA/witness/witness.key" --source_id=e2e-notary \
    --plan="$1" --round="$2" --commitment="$3" --out="$4" >/dev/null || fail "witness sign"
}

# A double-random draw (tools/demo's roster, items and plan): the roster by an admin,
# the items and the plan by Hangzhou's agency; commit naming the witness before any
# randomness, then draw with the witness's statement.
as admin inspector put --file="$DEMO_FILES/inspectors.jsonl" | grep -q "14 inspectors" ||
  fail "inspector put"
as agency-3301 item put --file="$DEMO_FILES/items.jsonl" | grep -q "2 items" || fail "item put"
due="$(date -d '+90 days' +%Y-%m-%d)"
sed "s/__YEAR__/$((10#${due:0:4}))/; s/__MONTH__/$((10#${due:5:2}))/; s/__DAY__/$((10#${due:8:2}))/" \
  "$DEMO_FILES/plan.json.in" >"$DATA/plan.json"
plan="$(as agency-3301 --output=json plan create --file="$DATA/plan.json" |
  sed -n 's/.*"planId": "\([^"]*\)".*/\1/p')"
[ -n "$plan" ] || fail "plan create"
# The draft edited as a regulator does: read it, change it, send it back at the version
# read; a second edit from the same (now stale) read is refused.
as agency-3301 --output=json plan get "$plan" >"$DATA/draft.json" || fail "plan get (json)"
sed 's/"title": "\([^"]*\)"/"title": "\1（修订）"/' "$DATA/draft.json" >"$DATA/edited.json"
out="$(as agency-3301 plan update "$plan" --file="$DATA/edited.json")" || fail "plan update: $out"
grep -q "$plan" <<<"$out" || fail "plan update: $out"
out="$(expect_exit 1 as agency-3301 plan update "$plan" --file="$DATA/edited.json")"
grep -q "FAILED_PRECONDITION: plan.version: plan $plan is at version 2, not 1" <<<"$out" ||
  fail "a stale edit: $out"
out="$(as agency-3301 plan get "$plan")"
grep -q "（修订）" <<<"$out" || fail "the edit is not in the plan: $out"
out="$(expect_exit 2 as agency-3301 plan draw "$plan" --entropy=early)"
grep -q "entropy is no longer accepted" <<<"$out" || fail "a bare value: $out"
out="$(expect_exit 1 as agency-3301 plan commit "$plan" --source=unknown-notary)"
grep -q "FAILED_PRECONDITION: entropy_sources\[0\]: source unknown-notary is not registered" <<<"$out" ||
  fail "an unregistered source: $out"
committed="$(as agency-3301 --output=json plan commit "$plan" --source=e2e-notary)"
digest="$(sed -n 's/.*"commitmentDigest": "\([0-9a-f]*\)".*/\1/p' <<<"$committed")"
[ -n "$digest" ] || fail "commit: $committed"
as agency-3301 plan get "$plan" | grep -q "commitment digest  $digest" || fail "plan get"
# Signed at once: before the minimum delay, refused.
sign "$plan" 0 "$digest" "$DATA/early.json"
out="$(expect_exit 1 as agency-3301 plan draw "$plan" --statement="$DATA/early.json")"
grep -q "FAILED_PRECONDITION: statement of source e2e-notary: statement.signed_at" <<<"$out" ||
  fail "an early statement: $out"
sleep "$((DELAY + 1))"
# The witness's ledger refuses a second value for round 0; the witness re-signs knowingly,
# with the reason recorded.
out="$(expect_exit 1 "$REGCTL_BIN" witness sign --key="$DATA/witness/witness.key" --source_id=e2e-notary \
  --plan="$plan" --round=0 --commitment="$digest" --out="$DATA/statement-0.json")"
grep -q "this witness already signed plan \"$plan\" round 0" <<<"$out" || fail "ledger: $out"
[ ! -e "$DATA/statement-0.json" ] || fail "a refused statement was written"
"$REGCTL_BIN" witness sign --key="$DATA/witness/witness.key" --source_id=e2e-notary --plan="$plan" \
  --round=0 --commitment="$digest" --out="$DATA/statement-0.json" --force \
  --reason="the first statement was signed before the minimum delay and refused" >/dev/null ||
  fail "witness sign --force"
grep -q "refused$" "$DATA/witness/witness.ledger" || fail "the reason is not in the ledger"
as agency-3301 plan draw "$plan" --statement="$DATA/statement-0.json" \
  --bundle_out="$DATA/bundle.json" >/dev/null || fail "draw"
verdict="$("$REGCTL_BIN" verify-draw "$DATA/bundle.json" --sources="$DATA/sources.json")"
grep -q "^VALID" <<<"$verdict" || fail "verify-draw: $verdict"
grep -q "statements: 1 witness signature" <<<"$verdict" || fail "statement not checked: $verdict"
grep -q "checked with the registry" <<<"$verdict" || fail "registry not checked: $verdict"
# The witness's value edited in the bundle: the verifier names the statement.
sed -e 's/value=64:0/value=64:1/;t' -e 's/value=64:[1-9a-f]/value=64:0/' \
  "$DATA/bundle.json" >"$DATA/edited-statement.json"
cmp -s "$DATA/bundle.json" "$DATA/edited-statement.json" && fail "statement not edited"
out="$(expect_exit 1 "$REGCTL_BIN" verify-draw "$DATA/edited-statement.json")"
grep -q "^INVALID: statements: statement of source e2e-notary" <<<"$out" || fail "edited statement: $out"
as auditor draw export "$plan" --out="$DATA/audit" >/dev/null || fail "draw export"
verdict="$("$REGCTL_BIN" verify-draw "$DATA/audit/bundle-0.json" \
  --population="$DATA/audit/population.csv" --roster="$DATA/audit/roster.json")"
grep -q "^VALID" <<<"$verdict" || fail "verify-draw with the frozen inputs: $verdict"
# One target swapped for an enterprise that was not drawn: the verifier names it.
first="$(sed -n 's/.*"targets":\[{"credit_code":"\([0-9A-Z]*\)".*/\1/p' "$DATA/bundle.json")"
other="$(cut -d, -f1 "$DATA/audit/population.csv" | grep -v -e credit_code -e "$first" |
  grep -v -F -f <(grep -o '"credit_code":"[0-9A-Z]*"' "$DATA/bundle.json" | cut -d'"' -f4) |
  head -n1)"
sed "s/$first/$other/g" "$DATA/bundle.json" >"$DATA/tampered-bundle.json"
out="$(expect_exit 1 "$REGCTL_BIN" verify-draw "$DATA/tampered-bundle.json")"
grep -q "$other" <<<"$out" || fail "tampered bundle: $out"

# Assignments: an inspector of the first team sees its own, with certificate identity.
assigned="$(as agency-3301 --output=json assignments list --plan="$plan")"
inspector="$(sed -n 's/.*"inspectorId": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
target="$(sed -n 's/.*"creditCode": "\([^"]*\)".*/\1/p' <<<"$assigned" | head -n1)"
[ -n "$inspector" ] && [ -n "$target" ] || fail "plan assignments: $assigned"
issue --out="$PKI/inspector" --role=inspector --name=e2e-inspector --department=samr \
  --inspector_id="$inspector"
mine="$(as inspector --output=json assignments list)"
grep -q "\"creditCode\": \"$target\"" <<<"$mine" || fail "inspector's assignments: $mine"
# (Each assignment's id ends in its inspector's; team-mates are listed inside it too.)
[ "$(grep -c '"assignmentId"' <<<"$mine")" -eq "$(grep -c "\"assignmentId\": \"[^\"]*/$inspector\"" <<<"$mine")" ] ||
  fail "an inspector sees another's assignments: $mine"
as inspector assignments export --format=html --out="$DATA/sheet.html"
grep -q "《中华人民共和国食品安全法》第一百一十条" "$DATA/sheet.html" || fail "assignment sheet"

# A result: submitted by the assigned inspector, approved by the agency, published in
# the log, with the personal data in its findings redacted.
result="$plan.$target"
as inspector results submit --plan="$plan" --credit_code="$target" \
  --category=PROBLEM_FOUND_FOLLOW_UP_PENDING --inspection_end="$(date -d yesterday +%F)" \
  --findings="负责人张三（手机13812345678）未公示年度报告。" --follow_up="责令限期改正" |
  grep -q SUBMITTED || fail "submit"
# The approver previews what will be published (each removal with its original) and
# approves with that preview's digest; no digest, or a stale one, is refused.
preview="$(as agency-3301 results preview "$result")"
grep -q "person_name  *张三" <<<"$preview" || fail "preview removals: $preview"
grep -q "［手机号已隐去］" <<<"$preview" || fail "preview body: $preview"
digest="$(sed -n 's/^preview_digest: \([0-9a-f]*\)$/\1/p' <<<"$preview")"
[ "${#digest}" -eq 64 ] || fail "preview digest: $preview"
out="$(expect_exit 2 as agency-3301 results approve "$result")"
grep -q "needs --preview_digest" <<<"$out" || fail "approve without a digest: $out"
out="$(expect_exit 1 as agency-3301 results approve "$result" --preview_digest="$(printf '%064d' 0)")"
grep -q "FAILED_PRECONDITION: preview_digest" <<<"$out" || fail "approve with a stale digest: $out"
out="$(expect_exit 1 as agency-3301 results approve "$result.x" --preview_digest="$digest")"
grep -q "NOT_FOUND" <<<"$out" || fail "approve unknown: $out"
inspections() { as auditor portrait get "$target" | awk '$1 == "inspections_total" { print $2 }'; }
before="$(inspections)"
as agency-3301 results approve "$result" --preview_digest="$digest" | grep -q PUBLISHED ||
  fail "approve"
# The approved result is now history: one more inspection in the target's portrait, and
# the kept portraits still equal their recomputation.
[ "$(inspections)" = "$((before + 1))" ] || fail "the result is not in the portrait: $before -> $(inspections)"
verdict="$(as auditor portrait verify)"
grep -q "^CONSISTENT: 5040 portraits checked, 0 differ" <<<"$verdict" || fail "portraits after a result: $verdict"
result_index="$(as agency-3301 --output=json results get "$result" |
  sed -n 's/.*"logIndex": "\{0,1\}\([0-9]*\)"\{0,1\}.*/\1/p')"
[ -n "$result_index" ] || fail "the published result has no log index"
as auditor results overdue --within=30 | grep -q "0 result(s)" || fail "overdue"

# A replacement round: announced (targets, a fresh source, a new nonce commitment) before
# its entropy exists, then drawn; both rounds verify against the frozen inputs.
gone="$(grep -o '"credit_code":"[0-9A-Z]*"' "$DATA/bundle.json" | cut -d'"' -f4 | grep -v "$target" |
  head -n1)"
out="$(expect_exit 1 as agency-3301 plan replace "$plan" --statement="$DATA/statement-0.json")"
grep -q "FAILED_PRECONDITION: plan_id: announce the round first" <<<"$out" ||
  fail "replace before announcing: $out"
announced="$(as agency-3301 --output=json plan announce "$plan" --codes="$gone" \
  --reason="已注销" --source=e2e-notary)"
digest1="$(sed -n 's/.*"commitmentDigest": "\([0-9a-f]*\)".*/\1/p' <<<"$announced")"
[ -n "$digest1" ] && [ "$digest1" != "$digest" ] || fail "announce: $announced"
sleep "$((DELAY + 1))"
# Round 0's statement does not fit round 1.
out="$(expect_exit 1 as agency-3301 plan replace "$plan" --statement="$DATA/statement-0.json")"
grep -q "statement.round: signed for round 0, not 1" <<<"$out" || fail "replayed statement: $out"
sign "$plan" 1 "$digest1" "$DATA/statement-1.json"
as agency-3301 plan replace "$plan" --statement="$DATA/statement-1.json" >/dev/null || fail "replace"
as auditor draw export "$plan" --out="$DATA/audit2" >/dev/null || fail "draw export after replace"
for round in 0 1; do
  verdict="$("$REGCTL_BIN" verify-draw "$DATA/audit2/bundle-$round.json" \
    --population="$DATA/audit2/population.csv" --roster="$DATA/audit2/roster.json" \
    --sources="$DATA/sources.json")"
  grep -q "^VALID" <<<"$verdict" || fail "verify-draw round $round: $verdict"
done
verdict="$("$REGCTL_BIN" verify-draw "$DATA/audit2/bundle-1.json" \
  --previous="$DATA/audit2/bundle-0.json")"
grep -q "checked with the previous round" <<<"$verdict" || fail "the chain: $verdict"

# Publication: anyone (the public identity) mirrors the log into a static site, which
# verifies offline; nothing personal reaches it; a second run has nothing to do; an
# edited copy is caught.
# A log witness (its own key) cosigns what was published; readers require its cosignature.
"$REGCTL_BIN" witness keygen --algorithm=ed25519 --out="$DATA/log-witness" >/dev/null || fail "log witness keygen"
cosigner="$("$REGCTL_BIN" witness cosign --key="$DATA/log-witness/witness.key" --cosigner_name=witness.e2e/w1)"
out="$(as public publish --out="$DATA/site" --witness_key="$cosigner")"
grep -q "^published .*: 6 new records" <<<"$out" || fail "publish: $out"
grep -qxF "$cosigner" "$DATA/site/witnesses" || fail "the site does not name its witness"
# Without a pinned key, verify-log refuses; the key is taken once, then pinned.
out="$(expect_exit 2 "$REGCTL_BIN" verify-log "$DATA/site" --state_file="$DATA/log-state")"
grep -q "no pinned key" <<<"$out" || fail "verify-log without a pinned key: $out"
log_key="$(cat "$DATA/site/verifier.key")"
out="$(expect_exit 1 "$REGCTL_BIN" verify-log "$DATA/site" --verifier_key="$log_key" \
  --witness_key="$cosigner" --state_file="$DATA/log-state")"
grep -q "no cosignature by witness witness.e2e/w1" <<<"$out" || fail "uncosigned checkpoint: $out"
out="$("$REGCTL_BIN" witness cosign "$DATA/site" --key="$DATA/log-witness/witness.key" \
  --cosigner_name=witness.e2e/w1 --verifier_key="$log_key")"
grep -q "^COSIGNED: .*tree size 6" <<<"$out" || fail "cosign: $out"
verdict="$("$REGCTL_BIN" verify-log "$DATA/site" --verifier_key="$log_key" --witness_key="$cosigner" \
  --state_file="$DATA/log-state")"
grep -q "^VALID: 6 entries" <<<"$verdict" || fail "verify-log: $verdict"
grep -q "^cosigned by witness.e2e/w1 at " <<<"$verdict" || fail "verify-log cosignature: $verdict"
grep -rqF "$target" "$DATA/site" || fail "the published result is not on the site"
if grep -rqF "13812345678" "$DATA/site"; then fail "a phone number reached the public site"; fi
if grep -rqF "张三" "$DATA/site"; then fail "a name reached the public site"; fi
out="$(as public publish --out="$DATA/site")"
grep -q ": 0 new records" <<<"$out" || fail "idle publish: $out"
"$REGCTL_BIN" verify-log "$DATA/site" --witness_key="$cosigner" --state_file="$DATA/log-state" \
  >/dev/null || fail "an idle publish dropped the cosignature"
cp -r "$DATA/site" "$DATA/site-edited"
bundle="$(find "$DATA/site-edited/tile/entries" -type f | head -n1)"
grep -q "kind RESULT" "$bundle" || fail "no result in $bundle"
sed -i 's/kind RESULT/kind RESULX/' "$bundle"
out="$(expect_exit 1 "$REGCTL_BIN" verify-log "$DATA/site-edited" --verifier_key="$log_key" \
  --state_file="$DATA/log-state2")"
grep -q "^INVALID" <<<"$out" || fail "an edited site verified: $out"

# Withdrawal of the result's body (record $result_index): its agency asks, an admin approves; the next
# publication removes it from every file of the site, and the log still verifies.
grep -rqF "未公示年度报告" "$DATA/site" || fail "the result's findings are not on the site"
as agency-3301 withdrawal request "$result_index" --reason="当事人要求删除" \
  --legal_basis="《中华人民共和国个人信息保护法》第四十七条" | grep -q REQUESTED || fail "withdrawal request"
out="$(expect_exit 1 as agency-3301 withdrawal approve "$result_index")"
grep -q "PERMISSION_DENIED" <<<"$out" || fail "an agency approved a withdrawal: $out"
as admin withdrawal approve "$result_index" | grep -q WITHDRAWN || fail "withdrawal approve"
out="$(as public publish --out="$DATA/site")"
grep -q ": 1 new records" <<<"$out" || fail "publish after the withdrawal: $out"
if grep -rqF "未公示年度报告" "$DATA/site"; then fail "a withdrawn body is still published"; fi
grep -qF "已撤回" "$DATA/site/record/0/$result_index.html" || fail "the record page does not say withdrawn"
"$REGCTL_BIN" witness cosign "$DATA/site" --key="$DATA/log-witness/witness.key" \
  --cosigner_name=witness.e2e/w1 --verifier_key="$log_key" | grep -q "consistent with the checkpoint cosigned before (tree size 6)" \
  || fail "second cosignature"
verdict="$("$REGCTL_BIN" verify-log "$DATA/site" --witness_key="$cosigner" --state_file="$DATA/log-state")"
grep -q "^VALID: 7 entries" <<<"$verdict" || fail "verify-log after the withdrawal: $verdict"
grep -q "1 withdrawn" <<<"$verdict" || fail "verify-log after the withdrawal: $verdict"

# A second server on the same data directory is refused with a clear message.
second="$(expect_exit 1 "$REGULATORD" --listen=localhost:0 --data_dir="$DATA" \
  --tls_dir="$PKI/server")"
grep -qi "in use" <<<"$second" || fail "second server message: $second"
stop_server

# Plaintext only on loopback, only when asked for.
out="$(expect_exit 2 "$REGULATORD" --listen=0.0.0.0:0 --data_dir="$DATA" --insecure_loopback)"
grep -q "loopback" <<<"$out" || fail "insecure non-loopback: $out"
out="$(expect_exit 2 "$REGULATORD" --listen=localhost:0 --data_dir="$DATA")"
grep -q "tls_dir is required" <<<"$out" || fail "no TLS: $out"
# A checkpoint interval out of range is refused, naming the flag and its range.
for interval in 50ms 2h; do
  out="$(expect_exit 2 "$REGULATORD" --listen=localhost:0 --data_dir="$DATA" --insecure_loopback \
    --portrait_checkpoint_interval="$interval" --metrics_listen=)"
  grep -q "portrait_checkpoint_interval must be from 100ms to 1h" <<<"$out" ||
    fail "--portrait_checkpoint_interval=$interval: $out"
done
# A signing key the operator names is never made up: a new key would be another log.
out="$(expect_exit 1 "$REGULATORD" --listen=localhost:0 --data_dir="$DATA" --insecure_loopback \
  --log_key="$DATA/no-such-key.pem" --metrics_listen=)"
grep -q "no such key file" <<<"$out" || fail "a missing --log_key: $out"
[ ! -e "$DATA/no-such-key.pem" ] || fail "a missing --log_key was generated"
: >"$LOG"
"$REGULATORD" --listen=localhost:0 --data_dir="$DATA" --insecure_loopback >>"$LOG" 2>&1 &
PID=$!
wait_for_port
grep -q "INSECURE" "$LOG" || fail "no warning for plaintext"
[ "$("$REGCTL_BIN" --server="localhost:$PORT" --insecure_loopback health)" = "SERVING" ] ||
  fail "plaintext health"
stop_server
echo "PASS"
