#!/usr/bin/env bash
# Cold-start benchmark: the release `bootstrap` vs the Python rotator it replaces under awslambdaric.
# Usage: bench/coldstart/run.sh [runs]   (default 20). Needs out/lambda/bootstrap from
# scripts/package-lambda.sh (or KEYROTATOR_BOOTSTRAP). Installs the pinned Python functions into
# bench/.venv on first use (bench/setup-venv.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/bench/.venv"
bash "$root/bench/setup-venv.sh"
bootstrap="${KEYROTATOR_BOOTSTRAP:-$root/out/lambda/bootstrap}"
[ -x "$bootstrap" ] || { echo "bench: no release bootstrap at $bootstrap: run scripts/package-lambda.sh" >&2; exit 1; }
exec "$venv/bin/python" "$here/coldstart.py" --bootstrap "$bootstrap" --python "$venv/bin/python" --runs "${1:-20}" \
  --json "$root/out/coldstart.json"
