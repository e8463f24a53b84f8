#!/bin/bash
# The Python client example against a running regulatord: stubs generated from the
# .proto files now, a server on a free port with a fresh data directory and demo PKI,
# three enterprises loaded with regctl; then the example lists them and fetches a portrait
# over mutual TLS as the admin, sees only its jurisdiction as Hangzhou's agency, and is
# refused as a public identity and for an unknown enterprise.
set -euo pipefail

RUNFILES="$TEST_SRCDIR/regulation"
REGULATORD="$RUNFILES/services/server/regulatord"
REGCTL="$RUNFILES/tools/regctl/regctl"
EXAMPLE="$RUNFILES/examples/python"
WORK="$TEST_TMPDIR/python-client"
rm -rf "$WORK" && mkdir -p "$WORK"
LOG="$WORK/regulatord.log"
PID=""
PYTHON=/usr/bin/python3  # Debian's, which python3-grpcio and python3-protobuf install into

fail() {
  echo "FAIL: $*" >&2
  [ -f "$LOG" ] && tail -n 20 "$LOG" | sed 's/^/  regulatord: /' >&2
  exit 1
}
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true; }
trap cleanup EXIT

"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "python3-grpcio and python3-protobuf are needed (tools/packages.txt)"

# 1. Stubs from the protos, as the README says.
"$EXAMPLE/generate_stubs.sh" "$WORK/stubs" "$RUNFILES/proto" || fail "generate_stubs.sh"
[ -f "$WORK/stubs/regulation/v1/portrait_service_pb2_grpc.py" ] || fail "no portrait_service_pb2_grpc.py"

# 2. A CA and identities, as tools/up makes them; a server on a free port.
PKI="$WORK/pki"
issue() { "$REGCTL" pki issue --ca_dir="$PKI/ca" "$@" >/dev/null || fail "pki issue $*"; }
"$REGCTL" pki init --ca_dir="$PKI/ca" >/dev/null || fail "pki init"
issue --out="$PKI/server" --server_cert --dns=localhost --ip=127.0.0.1
issue --out="$PKI/admin" --role=admin --name=py-admin
issue --out="$PKI/agency-3301" --role=agency --name=hz --department=samr --region=3301
issue --out="$PKI/public" --role=public --name=py-public
"$REGULATORD" --listen=localhost:0 --data_dir="$WORK/data" --tls_dir="$PKI/server" \
  --revoked_file="$PKI/ca/revoked.txt" --metrics_listen= >"$LOG" 2>&1 &
PID=$!
PORT=""
for _ in $(seq 1 300); do
  PORT="$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$LOG" | head -n1)"
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || fail "regulatord exited at start"
  sleep 0.1
done
[ -n "$PORT" ] || fail "regulatord did not report its port"
"$REGCTL" --server="localhost:$PORT" --tls_dir="$PKI/admin" enterprise put \
  --file="$EXAMPLE/testdata/enterprises.jsonl" >/dev/null || fail "loading enterprises"

client() {
  local who="$1"; shift
  PYTHONPATH="$WORK/stubs" "$PYTHON" "$EXAMPLE/regulation_client.py" \
    --server="localhost:$PORT" --tls_dir="$PKI/$who" "$@"
}

# 3. The admin sees all three, and the first one's portrait.
out="$(client admin)" || fail "client as admin: $out"
echo "$out"
for code in 91330106000100001M 91330102000100378R 91330206000100749F; do
  grep -q "^$code " <<<"$out" || fail "admin's list lacks $code"
done
grep -q "^portrait of 9133" <<<"$out" || fail "no portrait"
grep -q "features, schema " <<<"$out" || fail "no features"

# 4. Hangzhou's agency: its certificate's region (3301) narrows the list.
out="$(client agency-3301)" || fail "client as agency-3301: $out"
grep -q "^91330106000100001M " <<<"$out" || fail "agency lacks a Hangzhou enterprise"
! grep -q "^91330206000100749F " <<<"$out" || fail "agency sees Ningbo's enterprise"

# 5. Refusals come back as gRPC statuses, with exit code 1.
code=0; out="$(client public 2>&1)" || code=$?
[ "$code" -eq 1 ] || fail "public: exit $code, want 1: $out"
grep -q "^error: PERMISSION_DENIED: " <<<"$out" || fail "public: $out"
echo "$out"
code=0; out="$(client admin --portrait=91350100M000100Y43 2>&1)" || code=$?
[ "$code" -eq 1 ] || fail "unknown enterprise: exit $code, want 1: $out"
grep -q "^error: NOT_FOUND: " <<<"$out" || fail "unknown enterprise: $out"
echo "$out"
echo PASS
