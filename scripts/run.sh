#!/usr/bin/env bash
# Sets up a fresh Debian machine and opens the till in demo mode. Extra arguments go to till,
# e.g. scripts/run.sh -db /tmp/shop.db
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
export PATH="/usr/local/go/bin:$PATH"
exec go run ./cmd/till "$@"
