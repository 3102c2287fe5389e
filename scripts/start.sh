#!/usr/bin/env bash
# Everything from any state: set-up (skipped where done), then the platform on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node --import tsx scripts/start.ts "$@"
