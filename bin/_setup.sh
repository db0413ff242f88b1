# Shared by bin/demo and bin/test: a virtualenv with the locked packages, nothing global.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV_VERSION="0.9.30"
export UV_PYTHON_DOWNLOADS=never  # use the machine's Python 3.11, never download one
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Python 3.11 is required (python3.11 not found)." >&2
  return 1
}

missing_debian_packages() {
  local list
  for list in "$@"; do
    grep -v '^\s*#' "$list" | grep -v '^\s*$'
  done | while read -r package; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
  done
}

install_debian_packages() {
  command -v dpkg-query >/dev/null || { say "Not a Debian system: install the packages in $* yourself."; return 0; }
  local missing
  missing="$(missing_debian_packages "$@" | tr '\n' ' ')"
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" = "0" ]; then
    say "Installing Debian packages: $missing"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  else
    echo "Missing Debian packages. Run: sudo apt-get install -y $missing" >&2
    return 1
  fi
}

sync_virtualenv() {
  local python
  python="$(find_python)"
  if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    say "Installing uv $UV_VERSION into .tools/"
    "$python" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  say "Syncing .venv with uv.lock"
  .tools/bin/uv sync --frozen --quiet --python "$python"
}
