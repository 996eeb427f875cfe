#!/usr/bin/env bash
# The demo on a fresh machine: installs the pinned emulator into .venv/, builds the demo and runs
# it: a rotation of a CloudFront origin secret under live traffic against the local AWS emulator.
# Arguments go to keyrotator-demo (try --help, --lag 10, --duration 30, --no-grace).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-tools.sh
swift build --product keyrotator-demo
exec "$(swift build --show-bin-path)/keyrotator-demo" --repository-root "$root" "$@"
