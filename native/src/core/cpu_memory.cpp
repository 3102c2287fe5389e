#include "core/cpu_memory.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/util/Exception.h>
#include <sys/mman.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace vad {
namespace {

constexpr size_t kAlignment = 64;  // LibTorch's own CPU alignment (c10::gAlignment)
constexpr size_t kHugePage = size_t{2} << 20;

// Fresh memory costs a page fault per 4 KiB page on first touch: measured here about 15 ms to allocate
// and fill 16 MiB, against 1.3 ms to fill it again. Large blocks are aligned to 2 MiB and offered to
// the kernel for transparent huge pages (one fault per 2 MiB: 1.3-3 ms for the same 16 MiB).
void* AllocateBlock(size_t bytes) {
  const bool large = bytes >= kHugePage;
  void* block = nullptr;
  TORCH_CHECK(posix_memalign(&block, large ? kHugePage : kAlignment, bytes) == 0,
              "not enough memory: tried to allocate ", bytes, " bytes on the CPU");
#ifdef MADV_HUGEPAGE
  if (large) madvise(block, bytes, MADV_HUGEPAGE);  // advice only: without huge pages it still works
#endif
  return block;
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t bytes) const override {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (bytes == 0) return {nullptr, nullptr, &Release, cpu};
    void* block = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto cached = free_.find(bytes);
      if (cached != free_.end() && !cached->second.empty()) {
        block = cached->second.back();
        cached->second.pop_back();
      }
    }
    if (!block) block = AllocateBlock(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    sizes_[block] = bytes;
    return {block, block, &Release, cpu};
  }

  // The context is the data pointer itself, so LibTorch's raw allocate/deallocate work too.
  c10::DeleterFnPtr raw_deleter() const override { return &Release; }

  void OpenScope() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++scopes_;
  }

  void CloseScope() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--scopes_ > 0) return;
    last_close_ = std::chrono::steady_clock::now();
    if (!releaser_started_) {
      releaser_started_ = true;
      std::thread([this] { ReleaseWhenIdle(); }).detach();
    }
    idle_.notify_one();
  }

  static CachingCpuAllocator& Instance() {
    // Never destroyed: LibTorch frees its own static tensors after ours would be gone, and the
    // releasing thread may still be waiting at exit.
    static auto* instance = new CachingCpuAllocator();
    return *instance;
  }

 private:
  static void Release(void* block) {
    if (!block) return;
    auto& self = Instance();
    {
      std::lock_guard<std::mutex> lock(self.mutex_);
      const auto live = self.sizes_.find(block);
      if (live != self.sizes_.end()) {
        const size_t bytes = live->second;
        self.sizes_.erase(live);
        if (self.scopes_ > 0) {
          self.free_[bytes].push_back(block);
          return;
        }
      }
    }
    std::free(block);
  }

  // Cached blocks outlive the call that freed them by kIdleRelease: calls in quick succession (an API
  // explaining one request after another, a benchmark) reuse them; an idle process gives them back.
  void ReleaseWhenIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (scopes_ > 0 || free_.empty()) {
        idle_.wait(lock);
        continue;
      }
      const auto deadline = last_close_ + kIdleRelease;
      if (std::chrono::steady_clock::now() < deadline) {
        idle_.wait_until(lock, deadline);
        continue;
      }
      std::vector<void*> released;
      for (auto& entry : free_) released.insert(released.end(), entry.second.begin(), entry.second.end());
      free_.clear();
      lock.unlock();
      for (void* block : released) std::free(block);
      lock.lock();
    }
  }

  static constexpr std::chrono::seconds kIdleRelease{30};

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  mutable std::unordered_map<void*, size_t> sizes_;              // live blocks and their sizes
  mutable std::unordered_map<size_t, std::vector<void*>> free_;  // cached blocks by size
  int scopes_ = 0;
  std::chrono::steady_clock::time_point last_close_;
  bool releaser_started_ = false;
};

}  // namespace

CpuMemoryCache::CpuMemoryCache() {
  static std::once_flag installed;
  // Priority above the default allocator's, so LibTorch keeps it; tensors allocated before keep
  // their own deleter.
  std::call_once(installed, [] { c10::SetCPUAllocator(&CachingCpuAllocator::Instance(), /*priority=*/1); });
  CachingCpuAllocator::Instance().OpenScope();
}

CpuMemoryCache::~CpuMemoryCache() { CachingCpuAllocator::Instance().CloseScope(); }

}  // namespace vad
