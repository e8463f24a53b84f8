# The services apart on one machine (docs/deploy.md §4): portraitd, scoringd, inspectiond
# and disclosured, each its own process, data directory and loopback port, calling each
# other over mutual TLS with service identities. Sourced by tools/up --split and the
# four-process end-to-end test (tests/e2e/split_e2e_test.sh).
#
#   split_start DATA PKI ENTROPY_DELAY   start the four (restart them if running)
#   split_stop DATA                      stop them (each drains its calls)
#
# Ports: $REGULATION_SPLIT_PORT (default 50061) and the three after it, in the order of
# SPLIT_SERVICES. Binaries: $SPLIT_BIN/<service> (default bin/) and $SPLIT_REGCTL
# (default $SPLIT_BIN/regctl). PKI must hold ca/ (a CA), server/ (a certificate for
# localhost) and admin/; the service identities are issued here.

SPLIT_SERVICES=(portraitd scoringd inspectiond disclosured)

# host:port of service number $1 (0-3) of SPLIT_SERVICES.
split_address() {
  echo "localhost:$((${REGULATION_SPLIT_PORT:-50061} + $1))"
}

split_running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

split_stop() {
  local data="$1" service pidfile
  for service in "${SPLIT_SERVICES[@]}"; do
    pidfile="$data/$service.pid"
    if split_running "$pidfile"; then
      kill -TERM "$(cat "$pidfile")"
      for _ in $(seq 1 60); do split_running "$pidfile" || break; sleep 0.5; done
      echo "$service stopped."
    fi
    rm -f "$pidfile"
  done
}

# The topology file: every service's address, and (for a service's --peers) its own
# client identity.
split_topology() {
  local tls_dir="$1"
  cat <<TXT
portrait_address: "$(split_address 0)"
scoring_address: "$(split_address 1)"
inspection_address: "$(split_address 2)"
disclosure_address: "$(split_address 3)"
TXT
  [ -z "$tls_dir" ] || echo "service_tls_dir: \"$tls_dir\""
}

split_start() {
  local data="$1" pki="$2" delay="$3" bin="${SPLIT_BIN:-bin}" i service
  local regctl="${SPLIT_REGCTL:-${SPLIT_BIN:-bin}/regctl}"
  mkdir -p "$data"
  split_stop "$data" >/dev/null
  # regctl's --services file: where each command goes.
  split_topology "" >"$data/services.txt"
  for i in "${!SPLIT_SERVICES[@]}"; do
    service="${SPLIT_SERVICES[$i]}"
    [ -f "$pki/service-$service/tls.crt" ] ||
      "$regctl" pki issue --ca_dir="$pki/ca" --out="$pki/service-$service" --role=service \
        --service="$service" --name="$service" >/dev/null
    split_topology "$pki/service-$service" >"$data/$service.peers"
    mkdir -p "$data/$service"
    echo "Starting $service on $(split_address "$i") (data $data/$service)..."
    nohup "$bin/$service" --listen="$(split_address "$i")" --data_dir="$data/$service" \
      --tls_dir="$pki/server" --revoked_file="$pki/ca/revoked.txt" \
      --peers="$data/$service.peers" --min_entropy_delay="$delay" --metrics_listen= \
      >>"$data/$service.log" 2>&1 &
    echo $! >"$data/$service.pid"
  done
  for i in "${!SPLIT_SERVICES[@]}"; do
    service="${SPLIT_SERVICES[$i]}"
    for _ in $(seq 1 120); do
      if "$regctl" --server="$(split_address "$i")" --tls_dir="$pki/admin" health \
          >/dev/null 2>&1; then
        break
      fi
      if ! split_running "$data/$service.pid"; then
        echo "$service exited; see $data/$service.log:" >&2
        tail -n 20 "$data/$service.log" >&2
        return 1
      fi
      sleep 0.5
    done
    "$regctl" --server="$(split_address "$i")" --tls_dir="$pki/admin" health >/dev/null
  done
}
