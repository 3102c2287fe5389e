#include "core/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace vad {
namespace {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool IsEnabled() { return at::autocast::is_autocast_enabled(at::kCUDA); }
void SetEnabled(bool enabled) { at::autocast::set_autocast_enabled(at::kCUDA, enabled); }
void UseBFloat16() { at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16); }
#else
bool IsEnabled() { return at::autocast::is_enabled(); }
void SetEnabled(bool enabled) { at::autocast::set_enabled(enabled); }
void UseBFloat16() { at::autocast::set_autocast_gpu_dtype(at::kBFloat16); }
#endif

}  // namespace

CudaAutocast::CudaAutocast(bool enabled) : active_(enabled) {
  if (!active_) return;
  previous_ = IsEnabled();
  UseBFloat16();
  SetEnabled(true);
  at::autocast::increment_nesting();
}

CudaAutocast::~CudaAutocast() {
  if (!active_) return;
  // The cast cache holds bf16 copies of the weights; it must not outlive the outermost scope.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  SetEnabled(previous_);
}

}  // namespace vad
