#include "core/device.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <sched.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/errors.h"

namespace vad {

torch::Device ResolveDevice(const std::string& requested) {
  if (requested == "cpu") return torch::kCPU;
  if (requested == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  if (requested == "cuda") {
    if (!torch::cuda::is_available()) {
      throw RangeError("device 'cuda' was asked for, but no CUDA GPU is available to LibTorch");
    }
    return torch::kCUDA;
  }
  throw TypeError("unknown device '" + requested + "': expected 'auto', 'cpu' or 'cuda'");
}

void UseAllCpuCores() {
  // The affinity mask, not hardware_concurrency, is what a container or taskset actually grants.
  cpu_set_t set;
  int cores = 0;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cores = CPU_COUNT(&set);
  if (cores <= 0) cores = static_cast<int>(std::thread::hardware_concurrency());
  // VAD_TRAIN_THREADS caps them: a worker beside an API on the same machine leaves it a core (the worker checks
  // the value, api/src/jobs/cpu-share.ts); read at every call, so a process can change it between calls.
  if (const char* cap = std::getenv("VAD_TRAIN_THREADS")) {
    char* end = nullptr;
    const long wanted = std::strtol(cap, &end, 10);
    if (end != cap && *end == '\0' && wanted > 0 && wanted < cores) cores = static_cast<int>(wanted);
  }
  if (cores > 0 && at::get_num_threads() != cores) at::set_num_threads(cores);
}

at::Generator SeededGenerator(torch::Device device, uint64_t seed) {
  at::Generator generator;
  {
    // Cloning the device's default generator is the one way to make a CUDA generator that compiles
    // against CPU-only LibTorch too; hold its lock so the clone never sees a half-updated state.
    auto global = at::globalContext().defaultGenerator(device);
    std::lock_guard<std::mutex> lock(global.mutex());
    generator = global.clone();
  }
  generator.set_current_seed(seed);
  return generator;
}

}  // namespace vad
