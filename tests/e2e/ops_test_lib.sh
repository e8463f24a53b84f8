# Shared by the operations end-to-end tests (prometheus_e2e_test, backup_restore_e2e_test):
# the binaries, a demo PKI, starting regulatord on free ports, and a committed demo plan.
# Source it after setting WORK (a fresh directory); it sets LOG, PKI and an EXIT trap.

REGULATORD="$TEST_SRCDIR/regulation/services/server/regulatord"
REGCTL_BIN="$TEST_SRCDIR/regulation/tools/regctl/regctl"
DEMO_FILES="$TEST_SRCDIR/regulation/tools/demo"
PKI="$WORK/pki"
LOG="$WORK/regulatord.log"
# Another log to show on failure (Prometheus's), if any.
EXTRA_LOG=""
PID=""
# Processes to kill at exit, besides regulatord.
CHILD_PIDS=()

fail() {
  echo "FAIL: $*" >&2
  [ -f "$LOG" ] && tail -n 30 "$LOG" | sed 's/^/  regulatord: /' >&2
  [ -n "$EXTRA_LOG" ] && [ -f "$EXTRA_LOG" ] && tail -n 15 "$EXTRA_LOG" | sed 's/^/  other: /' >&2
  exit 1
}
cleanup() {
  local pid
  for pid in "${CHILD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
}
trap cleanup EXIT
source "$TEST_SRCDIR/regulation/tests/e2e/expect.sh"


# A CA, the server's certificate and the demo's identities, as tools/up makes them.
issue() { "$REGCTL_BIN" pki issue --ca_dir="$PKI/ca" "$@" >/dev/null; }
make_pki() {
  "$REGCTL_BIN" pki init --ca_dir="$PKI/ca" >/dev/null
  issue --out="$PKI/server" --server_cert --dns=localhost --ip=127.0.0.1
  issue --out="$PKI/admin" --role=admin --name=ops-admin
  issue --out="$PKI/auditor" --role=auditor --name=ops-auditor
  issue --out="$PKI/agency-3301" --role=agency --name=hz --department=samr --region=3301
  issue --out="$PKI/public" --role=public --name=ops-public
}

# start_regulatord DATA_DIR [flags...]: gRPC and metrics on free ports, gauges refreshed
# every second. Sets PID, PORT, METRICS_PORT and METRICS (the endpoint's URL).
start_regulatord() {
  local data="$1"; shift
  : >"$LOG"
  "$REGULATORD" --listen=localhost:0 --data_dir="$data" --tls_dir="$PKI/server" \
    --revoked_file="$PKI/ca/revoked.txt" --metrics_listen=127.0.0.1:0 \
    --metrics_refresh_seconds=1 --min_entropy_delay=1s "$@" >>"$LOG" 2>&1 &
  PID=$!
  PORT=""
  METRICS_PORT=""
  for _ in $(seq 1 300); do
    PORT="$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$LOG" | head -n1)"
    METRICS_PORT="$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$LOG" | head -n1)"
    [ -n "$PORT" ] && [ -n "$METRICS_PORT" ] && break
    kill -0 "$PID" 2>/dev/null || fail "regulatord exited at start"
    sleep 0.1
  done
  [ -n "$PORT" ] && [ -n "$METRICS_PORT" ] || fail "regulatord did not report its ports"
  METRICS="http://127.0.0.1:$METRICS_PORT/metrics"
}
stop_regulatord() {
  kill -TERM "$PID"
  wait "$PID" || fail "regulatord did not stop cleanly"
  PID=""
}

as() { local who="$1"; shift; "$REGCTL_BIN" --server="localhost:$PORT" --tls_dir="$PKI/$who" "$@"; }

# The demo roster and items (tools/demo), once per server.
load_roster() {
  as admin inspector put --file="$DEMO_FILES/inspectors.jsonl" >/dev/null
  as agency-3301 item put --file="$DEMO_FILES/items.jsonl" >/dev/null
  register_witness
}

# The draws' entropy witness: a key made once, registered (again: the same source is
# answered as stored) as ops-notary.
register_witness() {
  if [ ! -f "$WORK/witness/witness.key" ]; then
    "$REGCTL_BIN" witness keygen --algorithm=ed25519 --out="$WORK/witness" >/dev/null ||
      fail "witness keygen"
  fi
  cat >"$WORK/witness.json" <<JSON
{"sourceId": "ops-notary", "kind": "ENTROPY_SOURCE_KIND_WITNESS", "displayName": "公证处（测试）",
 "department": "notary-hz", "algorithm": "ed25519",
 "publicKeyHex": "$(cut -d' ' -f2 "$WORK/witness/witness.pub")"}
JSON
  as admin entropy register --file="$WORK/witness.json" >/dev/null || fail "entropy register"
}

# Draws committed plan $1 with the witness's statement, signed after the (1 s) delay.
draw_plan() {
  local digest
  digest="$(as agency-3301 plan get "$1" | sed -n 's/^commitment digest  *//p')"
  [ -n "$digest" ] || fail "no commitment digest for $1"
  sleep 2
  "$REGCTL_BIN" witness sign --key="$WORK/witness/witness.key" --source_id=ops-notary \
    --plan="$1" --round=0 --commitment="$digest" --out="$WORK/statement-$1.json" >/dev/null ||
    fail "witness sign"
  as agency-3301 plan draw "$1" --statement="$WORK/statement-$1.json" >/dev/null ||
    fail "plan draw"
}

# Creates and commits the demo plan (its commitment goes to the log); prints its id.
commit_plan() {
  local due plan
  due="$(date -d '+90 days' +%Y-%m-%d)"
  sed "s/__YEAR__/$((10#${due:0:4}))/; s/__MONTH__/$((10#${due:5:2}))/; s/__DAY__/$((10#${due:8:2}))/" \
    "$DEMO_FILES/plan.json.in" >"$WORK/plan.json"
  plan="$(as agency-3301 --output=json plan create --file="$WORK/plan.json" |
    sed -n 's/.*"planId": "\([^"]*\)".*/\1/p')"
  [ -n "$plan" ] || fail "plan create"
  as agency-3301 plan commit "$plan" --source=ops-notary >/dev/null || fail "plan commit $1"

  echo "$plan"
}
