# Shared by scripts/demo and scripts/test: make the virtual environment and the front end,
# doing only what changed since last time. Needs python3 (3.11) and Node 20 + npm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "Safehub needs $1: $2" >&2; exit 1; }; }
need python3 "install Python 3.11 (Debian: apt-get install python3 python3-venv)"
need npm "install Node.js 20 and npm (Debian: apt-get install nodejs npm)"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Creating the virtual environment in .venv"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi

stamp="$VENV/.safehub-installed${EXTRAS:+-$EXTRAS}"
want="$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> Installing Python packages${EXTRAS:+ (with $EXTRAS extras)}"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$want" > "$stamp"
fi

lock="$(sha256sum frontend/package-lock.json frontend/build.mjs frontend/scss/*.scss | sha256sum | cut -c1-16)"
built="frontend/build/.safehub-built"
if [ ! -f "$built" ] || [ "$(cat "$built")" != "$lock" ] || [ ! -f safehub/static/dist/application.css ]; then
  echo "==> Building the front end (GOV.UK Frontend with Arial)"
  npm --prefix frontend ci --no-audit --no-fund --loglevel=error
  npm --prefix frontend run --silent build
  mkdir -p frontend/build && echo "$lock" > "$built"
fi
