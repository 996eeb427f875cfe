#!/usr/bin/env bash
# Fuzzes the parsers that read what the outside world sends, with libFuzzer (`swiftc -sanitize=fuzzer`):
#   xml              the XML reader/writer (AWSXML): refused with an error, or written back byte for byte
#   secret-document  the secret's JSON document (KeyMaterial): edits keep it JSON and keep other members
#   events           the Lambda event decoders (rotation event, API-key work item, authorizer event)
# Each target is one binary built from the checked sources and its check in Tests/FuzzReplayTests
# (FuzzChecks+<Target>.swift, the same check the suite replays on the kept corpus). Runs every target for SECONDS (default 60)
# and merges into fuzz/corpus/<target> only the inputs that reach new code: commit what it adds.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(xml secret-document events)
build="$root/.build-fuzz"
checks=Tests/FuzzReplayTests/FuzzChecks
mkdir -p "$build"

sources_for() {
  case "$1" in
    xml) find Sources/AWSXML -name '*.swift'; echo "$checks+XML.swift" ;;
    secret-document) echo Sources/KeyMaterial/JSONScanner.swift Sources/KeyMaterial/SecretDocument.swift "$checks+SecretDocument.swift" ;;
    events) echo Sources/KeyRotation/Rotation/RotationEvent.swift Sources/OriginVerifier/Authorizer/AuthorizerEvent.swift \
                 Sources/APIKeyRotation/Model/WorkItem.swift Sources/APIKeyRotation/Model/KeySnapshot.swift "$checks+Events.swift" ;;
    *) echo "unknown target $1 (xml, secret-document, events)" >&2; return 1 ;;
  esac
}

for target in "${targets[@]}"; do
  # shellcheck disable=SC2046
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -package-name KeyRotator -module-name Fuzz \
    $(sources_for "$target") "$checks.swift" "fuzz/targets/$target.swift" \
    -o "$build/fuzz-$target" 2> >(grep -v "Cannot export local symbol" >&2)
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus" "$build/new-$target"
  before=$(find "$corpus" -type f | wc -l)
  # New inputs go to a scratch folder first; -merge keeps only those that add coverage.
  "$build/fuzz-$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$build/crash-$target-" "$build/new-$target" "$corpus" 2>&1 | grep -E '^(#|Done|stat::number_of_executed_units|stat::peak_rss|==)' | tail -4
  "$build/fuzz-$target" -merge=1 "$corpus" "$build/new-$target" >/dev/null 2>&1
  rm -rf "$build/new-$target"
  after=$(find "$corpus" -type f | wc -l)
  echo "fuzz $target: ${seconds}s, corpus $before -> $after inputs"
done
