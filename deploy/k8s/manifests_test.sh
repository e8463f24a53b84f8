#!/usr/bin/env bash
# The Kubernetes manifests, all in one (deploy/k8s/*.yaml) and split (split/*.yaml with
# the shared namespace, revocations and public site), are valid objects that refer to
# each other correctly, with the Secrets make-secrets writes (made here with regctl's own
# CA), and the checks catch each kind of mistake (deploy/k8s/validate/checks_test.mjs).
set -euo pipefail

runfiles="${TEST_SRCDIR}/${TEST_WORKSPACE}"
here="$runfiles/deploy/k8s"
# node resolves packages from the scripts' real directory, where tools/test installed
# node_modules (tools/lib/npm.sh).
validate_dir="$(dirname "$(readlink -f "$here/validate/checks.mjs")")"
if [ ! -d "$validate_dir/node_modules/kubernetes-models" ]; then
  echo "FAIL: $validate_dir/node_modules is missing: run tools/test (or npm ci in that directory)" >&2
  exit 1
fi

secrets="$TEST_TMPDIR/secrets"
"$here/make-secrets" --ca_dir="$TEST_TMPDIR/ca" --out="$secrets" \
  --regctl="$runfiles/tools/regctl/regctl" 2>"$TEST_TMPDIR/make-secrets.log" || {
  cat "$TEST_TMPDIR/make-secrets.log" >&2
  exit 1
}
for name in regulatord-tls regulation-log-key regulation-backup-client regulation-publisher-client \
  portraitd-tls scoringd-tls inspectiond-tls disclosured-tls \
  scoringd-service inspectiond-service disclosured-service; do
  [ -f "$secrets/$name.yaml" ] || { echo "FAIL: make-secrets wrote no $name" >&2; exit 1; }
done
[ "$(stat -c %a "$secrets")" = 700 ] || { echo "FAIL: the secrets directory is open to others" >&2; exit 1; }

# Two alternative sets for one namespace: all in one, and the services apart.
shared=("$here/namespace.yaml" "$here/revocations.yaml" "$here/public-site.yaml")
node "$validate_dir/validate.mjs" "${shared[@]}" "$here/regulatord.yaml" "$here/backup.yaml" "$secrets"/*.yaml
node "$validate_dir/validate.mjs" "${shared[@]}" "$here"/split/*.yaml "$secrets"/*.yaml
MANIFEST_DIR="$here" SECRETS_DIR="$secrets" node "$validate_dir/checks_test.mjs"
