#!/usr/bin/env bash
# The whole test suite from any state: set-up (skipped where done), static checks, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "==> Type checking"
npm run --silent typecheck
echo "==> Linting"
npm run --silent lint
echo "==> Tests"
exec node --import tsx scripts/test.ts "$@"
