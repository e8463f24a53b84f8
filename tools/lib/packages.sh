# Sourced by tools/up and tools/test: makes sure every package in tools/packages.txt is
# installed. As root it installs what is missing; otherwise it prints the one
# apt-get line to run and fails.

ensure_packages() {
  local root list missing=()
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  list="$(grep -v '^#' "$root/tools/packages.txt" | grep -v '^$')"
  for pkg in $list; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages. Run this once, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
