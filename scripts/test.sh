#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs (pinned Python test tools
# into .venv/, a few Debian packages), builds the package and its tests (debug) and runs every
# test, then builds the release Lambda artifact and checks that it runs on provided.al2023.
# Tests start the AWS emulator (moto) themselves, on loopback, and stop it when they end.
# KEYROTATOR_SKIP_ARTIFACT=1 skips the release build (about 5 minutes the first time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-system.sh
bash scripts/setup-tools.sh
swift build --build-tests
swift test --skip-build "$@"
if [ "${KEYROTATOR_SKIP_ARTIFACT:-0}" != "1" ]; then
  bash scripts/package-lambda.sh
fi
