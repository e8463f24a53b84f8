#!/usr/bin/env bash
# Backups that restore, with the real binaries. A server takes a draw (two records in
# the disclosure log, published to a site), then `regctl admin backup` runs while
# `regctl import events` is streaming events in; after it, the server logs one more
# record and the site publishes it. Then:
#   - a restore refuses to start without a published checkpoint (or the explicit flag),
#     and without the log's signing key;
#   - R1, restored with the checkpoint published before the backup: every event the
#     import had acknowledged before the backup began is there (re-importing them finds
#     only duplicates), portraits verify, the audit chain verifies and still holds the
#     head saved before the backup, and the log signs again: the copy of the site made
#     at that checkpoint accepts the new records (a consistency proof) and verifies;
#   - R2, restored with the site's later checkpoint: the log is older than what was
#     published, so it refuses to sign (records stay queued, regulation_log_fenced 1),
#     and still refuses after a restart without the flag; --accept_log_fork_risk lets
#     it sign, with an audit record, and the site then refuses the forked log.
set -euo pipefail

WORK="$(mktemp -d "$TEST_TMPDIR/backup.XXXXXX")"
source "$TEST_SRCDIR/regulation/tests/e2e/ops_test_lib.sh"
IMPORT_PID=""
start() { start_regulatord "$@"; }
stop() { stop_regulatord; }

# Waits until the server's metrics endpoint shows NAME with VALUE (the sampler
# refreshes every second).
metric() {
  local name="$1" want="$2" got=""
  for _ in $(seq 1 60); do
    got="$(scrape | sed -n "s/^$name \([^ ]*\).*/\1/p" | head -n1)"
    [ "$got" = "$want" ] && return 0
    sleep 0.25
  done
  fail "$name is \"$got\", expected \"$want\""
}
# The metrics page, by a plain HTTP/1.0 GET through bash's /dev/tcp.
scrape() {
  local host_port="${METRICS#http://}"
  host_port="${host_port%%/*}"
  exec 3<>"/dev/tcp/${host_port%:*}/${host_port#*:}"
  printf 'GET /metrics HTTP/1.0\r\nHost: %s\r\n\r\n' "$host_port" >&3
  cat <&3
  exec 3<&-
}
make_pki

# --- The original server: a population, a draw, a published site ---------------------
A="$WORK/a"
start "$A"
"$REGCTL_BIN" synth --enterprises=4000 --years=3 --seed=11 --end_date="$(date -d yesterday +%F)" \
  --out="$WORK/synth" >/dev/null
as admin import enterprises "$WORK/synth/enterprises.csv" >/dev/null
load_roster
plan1="$(commit_plan one)"
draw_plan "$plan1"
as public publish --out="$WORK/site" | grep -q ": 3 new records" || fail "first publish"
cp -r "$WORK/site" "$WORK/site-before-backup"

# --- The backup, while events stream in -----------------------------------------------
EVENTS="$WORK/synth/events.jsonl"
as admin import events "$EVENTS" --batch_size=20 --window=1 >"$WORK/import.out" 2>&1 &
IMPORT_PID=$!
CHILD_PIDS+=("$IMPORT_PID")
acked=0
for _ in $(seq 1 300); do
  acked="$(sed -n 's/^line=//p' "$EVENTS.import-state" 2>/dev/null || true)"
  [ -n "$acked" ] && [ "$acked" -ge 1000 ] && break
  kill -0 "$IMPORT_PID" 2>/dev/null || fail "the import ended before the backup: $(cat "$WORK/import.out")"
  sleep 0.1
done
[ -n "$acked" ] && [ "$acked" -ge 1000 ] || fail "the import did not get going"
kill -0 "$IMPORT_PID" 2>/dev/null || fail "the import ended before the backup began"
head -n "$acked" "$EVENTS" >"$WORK/acknowledged.jsonl"
head_before="$(as auditor audit verify | sed -n 's/^VALID: .* head \([0-9]*:[0-9a-f]*\)$/\1/p')"
[ -n "$head_before" ] || fail "audit head before the backup"
out="$(as admin admin backup --out="$WORK/backup")"
grep -q "^backup written to $WORK/backup: .* disclosure log at least 3 entries" <<<"$out" ||
  fail "backup: $out"
overlapped=no
kill -0 "$IMPORT_PID" 2>/dev/null && overlapped=yes
wait "$IMPORT_PID" || fail "import: $(cat "$WORK/import.out")"
IMPORT_PID=""
echo "backup began with $acked of $(wc -l <"$EVENTS") events acknowledged; import still running at its end: $overlapped"
[ -f "$WORK/backup/MANIFEST.json" ] && [ ! -e "$WORK/backup.partial" ] || fail "backup layout"
if grep -rq "PRIVATE KEY" "$WORK/backup"; then fail "a backup holds a private key"; fi
expect_exit 2 as admin admin backup --out="$WORK/backup" | grep -q "exists" || fail "backup over a backup"

# After the backup: one more record, published.
commit_plan two >/dev/null
as public publish --out="$WORK/site" | grep -q ": 1 new records" || fail "second publish"
stop

# --- Restores that must not start -----------------------------------------------------
out="$(expect_exit 2 "$REGULATORD" --data_dir="$WORK/r0" --insecure_loopback --listen=localhost:0 \
  --metrics_listen= --restore_from="$WORK/backup")"
grep -q "published_checkpoint" <<<"$out" || fail "restore without a checkpoint: $out"
out="$(expect_exit 1 "$REGULATORD" --data_dir="$WORK/r0" --insecure_loopback --listen=localhost:0 \
  --metrics_listen= --restore_from="$WORK/backup" \
  --published_checkpoint="$WORK/site-before-backup/checkpoint")"
grep -q "signing key" <<<"$out" || fail "restore without the key: $out"
[ ! -e "$WORK/r0/rocksdb" ] || fail "a refused restore wrote a database"

# --- R1: restored with the checkpoint published before the backup ---------------------
R1="$WORK/r1"
mkdir -m 700 "$R1"
cp "$A/log-signing-key.pem" "$R1/"   # the key, backed up separately
start "$R1" --restore_from="$WORK/backup" --published_checkpoint="$WORK/site-before-backup/checkpoint"
grep -q "restored .* files of the backup" "$LOG" || fail "no restore message"
out="$(as admin import events "$WORK/acknowledged.jsonl" --restart)"
grep -q ": $acked rows: $acked accepted ($acked duplicates), 0 rejected" <<<"$out" ||
  fail "acknowledged events missing after the restore: $out"
as auditor portrait verify | grep -q "^CONSISTENT: .* 0 differ" || fail "portraits after restore"
as auditor audit verify --expect_head="$head_before" | grep -q "^VALID" || fail "audit chain after restore"
metric regulation_log_fenced 0
commit_plan three >/dev/null
metric regulation_publication_queue_records 0
metric regulation_log_tree_size 4
# The site as published before the backup takes the restored log's new record: the new
# checkpoint is consistent with the published one.
cp -r "$WORK/site-before-backup" "$WORK/site-r1"
as public publish --out="$WORK/site-r1" | grep -q ": 1 new records" || fail "publish after restore"
# Pinned to the key the site had before the backup: the restored log signs with it.
"$REGCTL_BIN" verify-log "$WORK/site-r1" --state_file="$WORK/state-r1" \
  --verifier_key="$(cat "$WORK/site-before-backup/verifier.key")" | grep -q "^VALID: 4 entries" ||
  fail "verify-log after restore"
stop
[ ! -e "$R1/log-fence.checkpoint" ] || fail "R1 was fenced"

# --- R2: restored with the later published checkpoint ---------------------------------
R2="$WORK/r2"
mkdir -m 700 "$R2"
cp "$A/log-signing-key.pem" "$R2/"
start "$R2" --restore_from="$WORK/backup" --published_checkpoint="$WORK/site/checkpoint"
grep -q "will not sign" "$LOG" || fail "R2 did not say its log will not sign"
[ -f "$R2/log-fence.checkpoint" ] || fail "no fence file"
metric regulation_log_fenced 1
commit_plan four >/dev/null
metric regulation_publication_queue_records 1
metric regulation_log_tree_size 3
code=0
status_out="$("$REGCTL_BIN" status --metrics="$METRICS")" || code=$?
[ "$code" -eq 1 ] && grep -q "refuses to sign" <<<"$status_out" || fail "status: $status_out"
stop
# A restart without the flag is still fenced.
start "$R2"
grep -q "will not sign" "$LOG" || fail "the fence did not survive a restart"
metric regulation_log_fenced 1
stop
# The operator accepts the fork risk: recorded, then the log signs.
start "$R2" --accept_log_fork_risk
grep -q "accept_log_fork_risk: the disclosure log signs again" "$LOG" || fail "no warning"
[ ! -e "$R2/log-fence.checkpoint" ] || fail "the fence file outlived the acceptance"
metric regulation_log_fenced 0
metric regulation_publication_queue_records 0
metric regulation_log_tree_size 4
as auditor audit list --rpc=AcceptLogForkRisk | grep -q "AcceptLogForkRisk" ||
  fail "no audit record of the acceptance"
as auditor audit verify | grep -q "^VALID" || fail "audit chain after the acceptance"
# The public site saw a different third record: it refuses the forked log.
out="$(expect_exit 1 as public publish --out="$WORK/site")"
grep -qi "consisten\|fork" <<<"$out" || fail "the site took a forked log: $out"
stop
echo "PASS"
