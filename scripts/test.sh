#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the pinned test tools into .venv/,
# builds the package and its tests (debug), then runs every test. Tests start the AWS
# emulator (moto) themselves, on loopback, and stop it when they end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-tools.sh
swift build --build-tests
swift test --skip-build "$@"
