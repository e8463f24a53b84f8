# Sourced by tools/test: installs the npm packages the tests use, exactly as their
# package-lock.json pins them, into node_modules next to it (not in git). Today that is
# deploy/k8s/validate (kubernetes-models, for the manifest checks). Re-installs only when
# the lock file changed since the last install.

ensure_npm_packages() {
  local root dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  for dir in "$root/deploy/k8s/validate"; do
    if cmp -s "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.installed" 2>/dev/null; then
      continue
    fi
    if ! command -v npm >/dev/null; then
      echo "npm is missing: install Node.js's npm to run the manifest checks" >&2
      return 1
    fi
    echo "Installing npm packages for ${dir#"$root"/} (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    cp "$dir/package-lock.json" "$dir/node_modules/.package-lock.json.installed"
  done
}
