#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs (pinned Python test tools
# into .venv/, a few Debian packages), builds the package and its tests (debug) and runs every
# test, then builds the release Lambda artifact and checks that it runs on provided.al2023.
# Tests start the AWS emulators (moto; LocalStack for the API-key lifecycle) themselves, on loopback,
# and stop them when they end.
# KEYROTATOR_SKIP_ARTIFACT=1 skips the release build (about 5 minutes the first time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-system.sh
bash scripts/setup-tools.sh
bash scripts/setup-localstack.sh
swift build --build-tests
# Everything the suite prints is kept here for the leak scan, with the values the emulator and the
# test doubles recorded (raw: the folder is deleted when the script ends, and nothing prints them).
export KEYROTATOR_OUTPUT_DIR="$(mktemp -d)"
trap 'rm -rf "$KEYROTATOR_OUTPUT_DIR"' EXIT
log="$KEYROTATOR_OUTPUT_DIR/swift-test.log"
swift test --skip-build --skip NoLeakTests "$@" 2>&1 | tee "$log"
passed="$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} in .* passed after.*/\1/p' "$log" | tail -1)"
if [ $# -eq 0 ]; then
  # No secret or key value in any line the whole suite's flows printed.
  KEYROTATOR_LEAK_SCAN=1 swift test --skip-build --filter NoLeakTests 2>&1 | tee "$log.scan"
  scanned="$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} in .* passed after.*/\1/p' "$log.scan" | tail -1)"
  passed=$(( ${passed:-0} + ${scanned:-0} ))
fi
if [ "${KEYROTATOR_SKIP_ARTIFACT:-0}" != "1" ]; then
  bash scripts/package-lambda.sh
fi
# The suite's closing line, last, so that it is what a reader of the log sees first.
echo "tests: ${passed:-0} passed, 0 failed"
