#!/usr/bin/env bash
# Builds the addon and the standalone engine check against the LibTorch that find-libtorch.sh picks.
set -euo pipefail
cd "$(dirname "$0")/.."
# Two builds at once would corrupt the shared build folder: take turns.
mkdir -p build
exec 9>build/.lock
flock 9
torch_dir=$(bash scripts/find-libtorch.sh)
build_type=${VAD_BUILD_TYPE:-Release}
npx --no-install cmake-js build --out build \
  --CDTorch_DIR="$torch_dir" --CDCMAKE_BUILD_TYPE="$build_type" "$@"
