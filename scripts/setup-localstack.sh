#!/usr/bin/env bash
# Installs LocalStack (localstack-core with its [runtime] extra, host mode, no Docker) into the
# project-local .venv-localstack/, from the pinned lock file: later cbor2 and pyopenssl releases
# break this LocalStack version, so every dependency is pinned to the resolved set. Needs Python
# 3.13 (pyenv has it here): this release imports `warnings.deprecated`, which 3.12 lacks.
# Idempotent: a venv whose stamp matches the lock file is left alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-localstack"
lock="$root/scripts/requirements-localstack.lock"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
python="${PYTHON_LOCALSTACK:-}"
if [ -z "$python" ]; then
  for candidate in python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13; do
    if "$candidate" -c "import sys; sys.exit(sys.version_info < (3, 13))" >/dev/null 2>&1; then python="$(command -v "$candidate")"; break; fi
  done
fi
if [ -z "$python" ]; then
  echo "setup-localstack: no Python 3.13 found; install one (pyenv install 3.13) or set PYTHON_LOCALSTACK" >&2
  exit 1
fi
echo "setup-localstack: creating $venv with $("$python" --version 2>&1)" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$lock"
"$venv/bin/python" -c "import localstack.runtime.main" >/dev/null
echo "$want" > "$stamp"
