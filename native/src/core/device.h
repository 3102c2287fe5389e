#pragma once
// Picks the compute device and the CPU thread count for the engine.
#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>
#include <string>

namespace vad {

// "auto" takes CUDA when present, else the CPU; "cuda" without a GPU is a RangeError.
torch::Device ResolveDevice(const std::string& requested);

// LibTorch starts with one intra-op thread on small machines: use every core we are allowed, or VAD_TRAIN_THREADS
// when it is set to fewer.
void UseAllCpuCores();

// A private random generator for `device`, seeded: draws from it depend on the seed alone, whatever
// other threads (another training, a model being built) draw from the global generators meanwhile.
at::Generator SeededGenerator(torch::Device device, uint64_t seed);

}  // namespace vad
