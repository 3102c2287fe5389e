#!/usr/bin/env bash
# Prints the folder holding TorchConfig.cmake (CMake's Torch_DIR) on stdout and the choice on stderr.
# Order: LIBTORCH / Torch_DIR, then a Python torch install (where CUDA LibTorch lives on GPU hosts),
# then Debian's libtorch-dev. Exits 3 when none is found, so callers can offer to install one.
set -euo pipefail

none_found() {
  echo "LibTorch not found. Set LIBTORCH to an unpacked libtorch folder, install Python torch (pip install torch), or install Debian's libtorch-dev (apt-get install libtorch-dev)." >&2
  exit 3
}

found() {
  echo "LibTorch: $1 ($2)" >&2
  echo "$2"
  exit 0
}

if [ -n "${LIBTORCH:-}" ]; then
  dir="$LIBTORCH/share/cmake/Torch"
  [ -f "$dir/TorchConfig.cmake" ] || { echo "LIBTORCH=$LIBTORCH has no share/cmake/Torch/TorchConfig.cmake" >&2; exit 2; }
  found "LIBTORCH" "$dir"
fi
if [ -n "${Torch_DIR:-}" ]; then
  [ -f "$Torch_DIR/TorchConfig.cmake" ] || { echo "Torch_DIR=$Torch_DIR has no TorchConfig.cmake" >&2; exit 2; }
  found "Torch_DIR" "$Torch_DIR"
fi
# VAD_TORCH_SEARCH=explicit stops here (tests use it to stand for a machine without LibTorch).
[ "${VAD_TORCH_SEARCH:-}" = explicit ] && none_found
for py in python3 /usr/bin/python3; do
  command -v "$py" >/dev/null 2>&1 || continue
  # torch.utils.cmake_prefix_path is <torch package>/share/cmake; finding the package avoids a slow import.
  package=$("$py" -c 'import importlib.util as u; s = u.find_spec("torch"); print(s.submodule_search_locations[0])' 2>/dev/null) || continue
  prefix="$package/share/cmake"
  if [ -f "$prefix/Torch/TorchConfig.cmake" ]; then
    found "Python torch via $py" "$prefix/Torch"
  fi
done
for dir in /usr/lib/x86_64-linux-gnu/cmake/Torch /usr/lib/aarch64-linux-gnu/cmake/Torch /usr/share/cmake/Torch; do
  [ -f "$dir/TorchConfig.cmake" ] && found "Debian libtorch-dev" "$dir"
done
none_found
