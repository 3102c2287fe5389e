#pragma once
// Picks the compute device and the CPU thread count for the engine.
#include <torch/types.h>

#include <string>

namespace vad {

// "auto" takes CUDA when present, else the CPU; "cuda" without a GPU is a RangeError.
torch::Device ResolveDevice(const std::string& requested);

// LibTorch starts with one intra-op thread on small machines: use every core we are allowed.
void UseAllCpuCores();

}  // namespace vad
