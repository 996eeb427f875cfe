#!/usr/bin/env bash
# Authorizer benchmark: Secrets Manager calls and time for N authorizations (default 10,000) by the
# warm release `bootstrap` (origin-authorizer) and by amazon-api-gateway-secure-authorizer 0.1.0,
# in the same run against the local emulator. Usage: bench/authorizer/run.sh [count]
# Needs out/lambda/bootstrap (scripts/package-lambda.sh, or KEYROTATOR_BOOTSTRAP).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bash "$root/scripts/setup-tools.sh"
bash "$root/bench/setup-venv.sh"
bootstrap="${KEYROTATOR_BOOTSTRAP:-$root/out/lambda/bootstrap}"
[ -x "$bootstrap" ] || { echo "bench: no release bootstrap at $bootstrap: run scripts/package-lambda.sh" >&2; exit 1; }
exec "$root/bench/.venv/bin/python" "$here/authorizer_bench.py" --bootstrap "$bootstrap" --python "$root/bench/.venv/bin/python" \
  --moto-python "$root/.venv/bin/python" --root "$root" --count "${1:-10000}" --json "$root/out/authorizer-bench.json"
