#!/usr/bin/env bash
# Cold-start benchmark: the release `bootstrap` vs the Python rotator it replaces under awslambdaric.
# Usage: bench/coldstart/run.sh [runs]   (default 20). Needs out/lambda/bootstrap from
# scripts/package-lambda.sh (or KEYROTATOR_BOOTSTRAP). Installs the pinned Python function into
# bench/.venv on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/bench/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if ! { [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }; then
  echo "bench: installing the pinned Python function into $venv" >&2
  rm -rf "$venv"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi
bootstrap="${KEYROTATOR_BOOTSTRAP:-$root/out/lambda/bootstrap}"
[ -x "$bootstrap" ] || { echo "bench: no release bootstrap at $bootstrap: run scripts/package-lambda.sh" >&2; exit 1; }
exec "$venv/bin/python" "$here/coldstart.py" --bootstrap "$bootstrap" --python "$venv/bin/python" --runs "${1:-20}" \
  --json "$root/out/coldstart.json"
