#pragma once
// The engine as its users see it (the Node binding and the engine check): a model with its training
// state, and images handed over once. No LibTorch types in this header, so the binding's translation
// units compile in seconds instead of the 30-50 s a torch/torch.h include costs.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"

namespace vad {

// (N, C, H, W) uint8 pixels, copied once into a tensor; training and explaining gather batches from it.
class Images {
 public:
  // Throws vad::TypeError for a shape that is not 4 numbers, vad::RangeError for sizes below 1 or a
  // length that does not match the shape.
  static Images Copy(const uint8_t* data, size_t length, const std::vector<int64_t>& shape);
  const std::vector<int64_t>& shape() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  Images() = default;
  std::shared_ptr<const Impl> impl_;
};

class AnomalyModel {
 public:
  explicit AnomalyModel(const ModelConfig& config);
  static AnomalyModel Load(const std::string& path);
  AnomalyModel(AnomalyModel&&) noexcept;
  AnomalyModel& operator=(AnomalyModel&&) noexcept;
  ~AnomalyModel();

  const ModelConfig& config() const;
  std::vector<std::string> layers() const;
  int64_t parameter_count() const;
  // Present after training or after loading a checkpoint written by training.
  std::optional<TrainStateInfo> train_state() const;

  void Save(const std::string& path);
  // validation: held-back normal images, scored after every epoch (optional).
  TrainResult Train(const Images& images, const std::optional<Images>& validation, const TrainOptions& options,
                    const std::function<void(const TrainProgress&)>& on_progress, const std::atomic<bool>& cancel);
  ExplainOutput Explain(const Images& images, const ExplainOptions& options);

 private:
  struct Impl;
  explicit AnomalyModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Mean SSIM of each image pair (same shapes), as the ssim loss computes it.
std::vector<double> MeanSsim(const Images& a, const Images& b);

// Images with synthetic defects as training plants them (core/synthetic_defects.h), and their masks.
struct SyntheticImages {
  std::vector<uint8_t> images;  // N * C * H * W pixels, rounded
  std::vector<uint8_t> masks;   // N * H * W, 1 where a defect was planted
};

// Plants defects in batches of 16 images, each batch seeded from (seed, batch index): the patch source takes
// other images of the same batch, as in training.
SyntheticImages SynthesizeDefects(const Images& images, const SyntheticDefectOptions& options, uint64_t seed);

// LibTorch version, CUDA availability and CPU threads, for logs.
std::string DescribeRuntime();

}  // namespace vad
