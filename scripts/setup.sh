#!/usr/bin/env bash
# All set-up, idempotent: checks Node, installs npm packages and system packages, finds or installs LibTorch,
# builds the native addon and generates the Prisma client. Each step is skipped when its inputs are unchanged.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
stamps=.data/stamps
mkdir -p "$stamps"

fail() { echo "setup: $*" >&2; exit 1; }
step() { echo "==> $*"; }

# --- Node ------------------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "Node.js 20 or newer is required, and none is on PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is required, found $(node --version)"

# Runs a step only when the hash of its inputs changed since it last succeeded.
changed() { # name, hash
  [ "$(cat "$stamps/$1" 2>/dev/null)" != "$2" ]
}
mark() { echo "$2" > "$stamps/$1"; }
# Runs a command silently, showing its output only when it fails.
quiet() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "failed: $*"
  fi
  rm -f "$log"
}
# Hashes the source files under the given paths: tracked or new, never what .gitignore names (builds, caches).
hash_tree() {
  git ls-files -z --cached --others --exclude-standard -- "$@" | sort -z | xargs -0 cat 2>/dev/null | sha256sum | cut -c1-16
}
hash_files() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# --- System packages -------------------------------------------------------------------------------
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
apt_install() {
  step "Installing system packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
has_apt() { command -v apt-get >/dev/null 2>&1; }

if ! torch_dir=$(bash native/scripts/find-libtorch.sh 2>/dev/null); then
  # The last line of find-libtorch's message names the three ways to provide LibTorch.
  has_apt || fail "$(bash native/scripts/find-libtorch.sh 2>&1 >/dev/null | tail -n 1)"
  apt_install libtorch-dev
  torch_dir=$(bash native/scripts/find-libtorch.sh 2>/dev/null) || fail "libtorch-dev was installed but LibTorch is still not found"
fi

# OpenBLAS: Debian's default reference BLAS is about 20x slower for matrix products.
# Fashion-MNIST: the demo dataset.
# cmake, g++, make: the native addon's build (cmake-js runs CMake; nothing above brings a compiler, and a bare
# Debian or a node image without build tools has neither).
apt_packages=(libopenblas0-pthread dataset-fashion-mnist cmake g++ make)
# scikit-learn: the reference the metric tests compare against; python3-torch: the PyTorch the engine's U-Net
# is checked against (native/test/model-pytorch.test.ts); docker-compose: parses docker/compose.yml; clang-format:
# the C++ style check of npm run lint.
[ "${1:-}" = "--test" ] && apt_packages+=(python3-sklearn python3-torch docker-compose chromium clang-format)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if has_apt; then
    apt_install "${missing[@]}"
  else
    echo "setup: warning: apt-get is not available to install ${missing[*]}" >&2
  fi
fi

# --- npm packages ----------------------------------------------------------------------------------
npm_hash=$(hash_files package-lock.json package.json */package.json)
npm_installed=0
if [ ! -d node_modules ] || changed npm "$npm_hash"; then
  step "Installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  mark npm "$npm_hash"
  npm_installed=1
fi

# --- Prisma client ---------------------------------------------------------------------------------
prisma_hash=$(hash_files prisma/schema.prisma package-lock.json)
# npm ci leaves only a placeholder client behind, whatever was generated before: generate again after it.
if changed prisma "$prisma_hash" || [ "$npm_installed" = 1 ] || [ ! -f node_modules/.prisma/client/index.js ]; then
  step "Generating the Prisma client"
  # The generator reads no data; the URL only satisfies the schema's env() reference.
  quiet env DATABASE_URL="${DATABASE_URL:-postgresql://localhost/unused}" CHECKPOINT_DISABLE=1 \
    npx --no-install prisma generate
  mark prisma "$prisma_hash"
fi

# --- Native addon ----------------------------------------------------------------------------------
native_hash=$( (echo "$torch_dir"; hash_tree native/src native/CMakeLists.txt native/scripts) | sha256sum | cut -c1-16)
if changed native "$native_hash" || [ ! -f native/build/Release/vad_native.node ]; then
  step "Building the native addon (LibTorch: $torch_dir)"
  quiet npm run --silent build -w native
  mark native "$native_hash"
fi
# --- Web app (npm start serves the production build; the web tests build their own) --------------------
if [ -f web/package.json ] && [ "${1:-}" != "--test" ]; then
  web_hash=$(hash_tree web)
  if changed web "$web_hash" || [ ! -f web/.next/BUILD_ID ]; then
    step "Building the web app"
    quiet env NEXT_TELEMETRY_DISABLED=1 npm run --silent build -w web
    mark web "$web_hash"
  fi
fi

echo "==> Set-up done in $root"
