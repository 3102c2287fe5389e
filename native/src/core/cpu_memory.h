#pragma once
// Reuse of freed CPU tensor memory by train and explain calls.
//
// Why: a training step frees and allocates the same few dozen buffers every step, many of them
// megabytes large. glibc returns blocks above its mmap threshold to the kernel when they are freed,
// so each step touched fresh pages again: about 50,000 page faults per step at 128 px (batch 16),
// 10-25 % of a step's time on the 2-core development machine. While a scope is open, freed blocks are
// kept and handed out again for a request of the same size; they are released once no scope has been
// open for 30 s. Memory held meanwhile is what the calls had allocated at their peak.

namespace vad {

class CpuMemoryCache {
 public:
  // Installs the caching CPU allocator in LibTorch (once per process) and opens a scope.
  CpuMemoryCache();
  // Closes the scope; 30 s after the last one closes, the cached blocks go back to the system.
  ~CpuMemoryCache();
  CpuMemoryCache(const CpuMemoryCache&) = delete;
  CpuMemoryCache& operator=(const CpuMemoryCache&) = delete;
};

}  // namespace vad
