#!/usr/bin/env bash
# API-key benchmark: items read per sweep of a 100,000-item table with 1 % due (with the indexes,
# on a seed table, and APIGateway-API-Key-Auto-Rotation's one unpaginated Scan), and 500 rotations through a stand-in that
# throttles at API Gateway's rates (ours vs APIGateway-API-Key-Auto-Rotation's sequential loop), in one run.
# Usage: bench/apikeys/run.sh [--items N] [--rotations N] [--latency-ms N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
bash scripts/setup-tools.sh
# A debug build, shared with the test build: the figures are bound by API Gateway's rates and the
# emulator, not by our CPU time.
swift build --product APIKeyBench >&2
exec "$(swift build --show-bin-path)/APIKeyBench" "$@"
