#pragma once
// Mixed precision on CUDA: bf16 autocast, which needs no gradient scaler (unlike fp16).
// The autocast API changed in LibTorch 2.4; this hides the difference so 1.13 and 2.x both build.

namespace vad {

class CudaAutocast {
 public:
  // enabled = false leaves autocast as it is, so callers can write CudaAutocast scope(use_amp).
  explicit CudaAutocast(bool enabled);
  ~CudaAutocast();
  CudaAutocast(const CudaAutocast&) = delete;
  CudaAutocast& operator=(const CudaAutocast&) = delete;

 private:
  bool active_;
  bool previous_ = false;
};

}  // namespace vad
