#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs (pinned Python test tools
# into .venv/, a few Debian packages), builds the package and its tests (debug) and runs every
# test, then builds the release Lambda artifact and checks that it runs on provided.al2023.
# Tests start the AWS emulators (moto; LocalStack for the API-key lifecycle) themselves, on loopback,
# and stop them when they end.
# After the suite: the release artifact, the soaks (faults and load, with figures), and the leak scan
# over everything printed. KEYROTATOR_SKIP_ARTIFACT=1 skips the release build (about 5 minutes the
# first time); KEYROTATOR_SKIP_SOAK=1 skips the soaks while you iterate.
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
count() { sed -n 's/.*Test run with \([0-9][0-9]*\) tests\{0,1\} in .* passed after.*/\1/p' "$1" | tail -1; }
swift test --skip-build --skip NoLeakTests "$@" 2>&1 | tee "$log"
passed="$(count "$log")"
if [ "${KEYROTATOR_SKIP_ARTIFACT:-0}" != "1" ]; then
  bash scripts/package-lambda.sh
  # The soaks run the shipped artifact's code; on it, the authorizer soak runs its full million
  # authorizations (about 19 minutes on 2 cores; 200,000 on a debug build, which is slower).
  export KEYROTATOR_BOOTSTRAP="$root/out/lambda/bootstrap"
  export KEYROTATOR_SOAK_VERIFICATIONS="${KEYROTATOR_SOAK_VERIFICATIONS:-1000000}"
fi
if [ $# -eq 0 ]; then
  # Soaks (faults, load; figures on their `soak ...` lines), one at a time after the suite, then the
  # leak scan over everything the suite and the soaks printed. KEYROTATOR_SKIP_SOAK=1 skips the soaks.
  if [ "${KEYROTATOR_SKIP_SOAK:-0}" != "1" ]; then
    for suite in RotationSoakTests APIKeySoakTests ZeroDowntimeSoakTests AuthorizerSoakTests; do
      KEYROTATOR_SOAK=1 swift test --skip-build --filter "$suite" 2>&1 | tee "$KEYROTATOR_OUTPUT_DIR/soak-$suite.log"
      passed=$(( ${passed:-0} + $(count "$KEYROTATOR_OUTPUT_DIR/soak-$suite.log") ))
      grep -h '^soak ' "$KEYROTATOR_OUTPUT_DIR/soak-$suite.log" >> "$KEYROTATOR_OUTPUT_DIR/soak-figures.txt" || true
    done
  fi
  KEYROTATOR_LEAK_SCAN=1 swift test --skip-build --filter NoLeakTests 2>&1 | tee "$KEYROTATOR_OUTPUT_DIR/leak-scan.log"
  passed=$(( ${passed:-0} + $(count "$KEYROTATOR_OUTPUT_DIR/leak-scan.log") ))
  cat "$KEYROTATOR_OUTPUT_DIR/soak-figures.txt" 2>/dev/null || true
  grep -h '^leak scan' "$KEYROTATOR_OUTPUT_DIR/leak-scan.log" || true
fi
# The suite's closing line, last, so that it is what a reader of the log sees first.
echo "tests: ${passed:-0} passed, 0 failed"
