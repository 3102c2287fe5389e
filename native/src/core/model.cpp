#include "core/model.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cstring>

#include "core/checkpoint.h"
#include "core/cpu_memory.h"
#include "core/device.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/losses.h"
#include "core/synthetic_defects.h"
#include "core/trainer.h"
#include "core/unet.h"

namespace vad {

struct Images::Impl {
  std::vector<int64_t> shape;
  torch::Tensor tensor;  // uint8 on the CPU
};

Images Images::Copy(const uint8_t* data, size_t length, const std::vector<int64_t>& shape) {
  if (shape.size() != 4) {
    throw TypeError("image shape must be [N, C, H, W] (4 numbers), got " + std::to_string(shape.size()) + " numbers");
  }
  size_t expected = 1;
  bool overflow = false;  // an absurd shape must not wrap around to the right length
  for (const auto size : shape) {
    if (size < 1) throw RangeError("image shape " + c10::str(c10::IntArrayRef(shape)) + " has a size below 1");
    overflow = __builtin_mul_overflow(expected, static_cast<size_t>(size), &expected) || overflow;
  }
  if (overflow || expected != length) {
    throw RangeError("image data holds " + std::to_string(length) + " bytes, but shape " +
                     c10::str(c10::IntArrayRef(shape)) + " needs " +
                     (overflow ? std::string("more than 2^64") : std::to_string(expected)));
  }
  auto impl = std::make_shared<Impl>();
  impl->shape = shape;
  impl->tensor = torch::empty(shape, torch::kUInt8);
  std::memcpy(impl->tensor.data_ptr<uint8_t>(), data, length);
  Images images;
  images.impl_ = std::move(impl);
  return images;
}

const std::vector<int64_t>& Images::shape() const { return impl_->shape; }

namespace {

void CheckImages(const Images& images, const ModelConfig& config) {
  const auto& shape = images.shape();
  if (shape[1] != config.channels) {
    throw RangeError("images have " + std::to_string(shape[1]) + " channels, the model takes " +
                     std::to_string(config.channels));
  }
  if (shape[2] != config.image_size || shape[3] != config.image_size) {
    throw RangeError("images are " + std::to_string(shape[2]) + "x" + std::to_string(shape[3]) +
                     " (HxW), the model was built for " + std::to_string(config.image_size) + "x" +
                     std::to_string(config.image_size) + " (imageSize)");
  }
}

}  // namespace

struct AnomalyModel::Impl {
  UNet model{nullptr};
  std::optional<TrainState> state;
};

AnomalyModel::AnomalyModel(const ModelConfig& config) : impl_(std::make_unique<Impl>()) { impl_->model = UNet(config); }

AnomalyModel::AnomalyModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AnomalyModel::AnomalyModel(AnomalyModel&&) noexcept = default;
AnomalyModel& AnomalyModel::operator=(AnomalyModel&&) noexcept = default;
AnomalyModel::~AnomalyModel() = default;

AnomalyModel AnomalyModel::Load(const std::string& path) {
  auto loaded = LoadCheckpoint(path);
  auto impl = std::make_unique<Impl>();
  impl->model = loaded.model;
  impl->state = std::move(loaded.state);
  return AnomalyModel(std::move(impl));
}

const ModelConfig& AnomalyModel::config() const { return impl_->model->config(); }

std::vector<std::string> AnomalyModel::layers() const { return impl_->model->layer_names(); }

int64_t AnomalyModel::parameter_count() const {
  int64_t count = 0;
  for (const auto& p : impl_->model->parameters()) count += p.numel();
  return count;
}

std::optional<TrainStateInfo> AnomalyModel::train_state() const {
  if (!impl_->state) return std::nullopt;
  return impl_->state->info;
}

void AnomalyModel::Save(const std::string& path) { SaveCheckpoint(path, impl_->model, impl_->state); }

TrainResult AnomalyModel::Train(const Images& images, const std::optional<Images>& validation,
                                const TrainOptions& options,
                                const std::function<void(const TrainProgress&)>& on_progress,
                                const std::atomic<bool>& cancel) {
  CheckImages(images, config());
  if (validation) CheckImages(*validation, config());
  return vad::Train(impl_->model, images.impl().tensor, validation ? validation->impl().tensor : torch::Tensor(),
                    options, impl_->state, on_progress, cancel);
}

ExplainOutput AnomalyModel::Explain(const Images& images, const ExplainOptions& options) {
  CheckImages(images, config());
  return vad::Explain(impl_->model, images.impl().tensor, options);
}

std::vector<double> MeanSsim(const Images& a, const Images& b) {
  if (a.shape() != b.shape()) {
    throw RangeError("SSIM needs images of the same shape, got " + c10::str(c10::IntArrayRef(a.shape())) + " and " +
                     c10::str(c10::IntArrayRef(b.shape())));
  }
  UseAllCpuCores();
  torch::NoGradGuard no_gradients;
  const auto ssim = PerImageSsim(a.impl().tensor.to(torch::kFloat) / 255.0, b.impl().tensor.to(torch::kFloat) / 255.0)
                        .to(torch::kDouble)
                        .contiguous();
  return std::vector<double>(ssim.data_ptr<double>(), ssim.data_ptr<double>() + ssim.numel());
}

SyntheticImages SynthesizeDefects(const Images& images, const SyntheticDefectOptions& options, uint64_t seed) {
  Validate(options);
  UseAllCpuCores();
  CpuMemoryCache memory_cache;    // the batches free and allocate the same buffers
  constexpr int64_t kBatch = 16;  // the training batch size's default
  const auto& all = images.impl().tensor;
  std::vector<torch::Tensor> planted, masks;
  for (int64_t start = 0; start < all.size(0); start += kBatch) {
    const auto x = all.slice(0, start, std::min(all.size(0), start + kBatch)).to(torch::kFloat).div(255.0);
    auto batch = PlantSyntheticDefects(x, options, seed * 1000003 + static_cast<uint64_t>(start / kBatch));
    planted.push_back(batch.images.mul(255.0).round_().to(torch::kUInt8));
    masks.push_back(batch.masks.to(torch::kUInt8));
  }
  const auto image_bytes = torch::cat(planted).contiguous();
  const auto mask_bytes = torch::cat(masks).contiguous();
  SyntheticImages out;
  out.images.assign(image_bytes.data_ptr<uint8_t>(), image_bytes.data_ptr<uint8_t>() + image_bytes.numel());
  out.masks.assign(mask_bytes.data_ptr<uint8_t>(), mask_bytes.data_ptr<uint8_t>() + mask_bytes.numel());
  return out;
}

std::string DescribeRuntime() {
  UseAllCpuCores();  // report the thread count the engine will run with
  std::string cuda = torch::cuda::is_available()
                         ? "CUDA available (" + std::to_string(torch::cuda::device_count()) + " device(s))"
                         : "no CUDA";
  return std::string("LibTorch ") + TORCH_VERSION + ", " + cuda + ", " + std::to_string(at::get_num_threads()) +
         " CPU threads";
}

}  // namespace vad
