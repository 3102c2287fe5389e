#include "core/unet.h"

#include <torch/nn/functional/pooling.h>
#include <torch/torch.h>

#include <cmath>

#include "core/device.h"
#include "core/errors.h"

namespace vad {
namespace {

// up(y) for a 2x2, stride-2 transposed convolution, computed as a 1x1 convolution to four times the
// channels followed by pixel_shuffle(2). Each output pixel of such a transposed convolution sees
// exactly one input pixel, so the sums are the same. On the CPU, LibTorch 1.13 runs transposed
// convolutions through its own im2col path rather than oneDNN; this form cut the CPU time of a
// training step at 128 px by a quarter (README.md, "Benchmark").
torch::Tensor UpsampleAsConvolution(torch::nn::ConvTranspose2d& up, const torch::Tensor& y) {
  const auto& weight = up->weight;  // (in, out, 2, 2)
  const int64_t out = weight.size(1);
  // Row (c, a, b) of the 1x1 kernel = output channel c at offset (a, b): pixel_shuffle's channel order.
  const auto kernel = weight.permute({1, 2, 3, 0}).reshape({out * 4, weight.size(0), 1, 1});
  const auto bias = up->bias.repeat_interleave(4);
  return torch::pixel_shuffle(torch::conv2d(y, kernel, bias), 2);
}

}  // namespace

UNetImpl::UNetImpl(const ModelConfig& config) : config_(config) {
  Validate(config_);
  namespace nn = torch::nn;
  const int64_t depth = config_.depth;
  auto width = [&](int64_t level) { return config_.base_channels << (level - 1); };  // level 1..depth+1

  int64_t in = config_.channels;
  for (int64_t level = 1; level <= depth; ++level) {
    encoders_.push_back(
        register_module("enc" + std::to_string(level), ConvBlock(in, width(level), config_.batch_norm)));
    in = width(level);
  }
  bottleneck_ = register_module("bottleneck", ConvBlock(in, width(depth + 1), config_.batch_norm));

  upsamplers_.resize(depth, nullptr);
  decoders_.resize(depth, nullptr);
  for (int64_t level = 1; level <= depth; ++level) {
    const auto index = static_cast<size_t>(level - 1);
    upsamplers_[index] =
        register_module("up" + std::to_string(level),
                        nn::ConvTranspose2d(nn::ConvTranspose2dOptions(width(level + 1), width(level), 2).stride(2)));
    const int64_t decoder_in = HasSkip(config_, level) ? 2 * width(level) : width(level);
    decoders_[index] =
        register_module("dec" + std::to_string(level), ConvBlock(decoder_in, width(level), config_.batch_norm));
  }
  head_ = register_module("head", nn::Conv2d(nn::Conv2dOptions(width(1), config_.channels, 1)));
  if (config_.segmentation_head) {
    segmentation_ = register_module(
        "segmentation", SegmentationHead(config_.channels, SegmentationHeadWidth(config_), config_.batch_norm));
  }
  InitializeWeights();
}

void UNetImpl::InitializeWeights() {
  torch::NoGradGuard no_gradients;
  auto generator = SeededGenerator(torch::kCPU, static_cast<uint64_t>(config_.seed));
  for (const auto& module : modules(/*include_self=*/false)) {
    torch::Tensor weight, bias;
    if (auto* conv = module->as<torch::nn::Conv2d>()) {
      weight = conv->weight;
      bias = conv->bias;
    } else if (auto* transposed = module->as<torch::nn::ConvTranspose2d>()) {
      weight = transposed->weight;
      bias = transposed->bias;
    } else {
      continue;
    }
    // fan_in as PyTorch computes it: dimension 1 of the weight times the kernel area.
    const double bound = 1.0 / std::sqrt(static_cast<double>(weight.size(1) * weight.size(2) * weight.size(3)));
    weight.uniform_(-bound, bound, generator);
    if (bias.defined()) bias.uniform_(-bound, bound, generator);
  }
  if (segmentation_) segmentation_->InitializePrior();
}

Encoded UNetImpl::Encode(const torch::Tensor& x) {
  Encoded encoded;
  encoded.features.reserve(encoders_.size());
  auto y = x;
  for (auto& encoder : encoders_) {
    y = encoder(y);
    encoded.features.push_back(y);
    y = torch::max_pool2d(y, 2);
  }
  encoded.bottleneck = bottleneck_(y);
  return encoded;
}

torch::Tensor UNetImpl::Decode(const Encoded& encoded) {
  auto y = encoded.bottleneck;
  for (int64_t level = config_.depth; level >= 1; --level) {
    const auto index = static_cast<size_t>(level - 1);
    // On CUDA, cuDNN's transposed convolution is kept: the rewrite was measured on the CPU only.
    y = y.is_cpu() ? UpsampleAsConvolution(upsamplers_[index], y) : upsamplers_[index](y);
    if (HasSkip(config_, level)) {
      auto skip = encoded.features[index];
      // Noise on the skips keeps the decoder from copying fine detail (and defects) straight through.
      if (is_training() && config_.skip_noise_std > 0) {
        auto noise =
            noise_generator_ ? torch::randn(skip.sizes(), *noise_generator_, skip.options()) : torch::randn_like(skip);
        skip = skip + noise * config_.skip_noise_std;
      }
      y = torch::cat({y, skip}, 1);
    }
    y = decoders_[index](y);
  }
  return torch::sigmoid(head_(y));
}

std::vector<torch::Tensor> UNetImpl::reconstruction_parameters() const {
  std::vector<torch::Tensor> parameters;
  for (const auto& item : named_parameters()) {
    if (item.key().rfind("segmentation.", 0) != 0) parameters.push_back(item.value());
  }
  return parameters;
}

std::vector<std::string> UNetImpl::layer_names() const {
  std::vector<std::string> names;
  for (int64_t level = 1; level <= config_.depth; ++level) names.push_back("enc" + std::to_string(level));
  names.push_back("bottleneck");
  return names;
}

size_t UNetImpl::LayerIndex(const std::string& name) const {
  const auto names = layer_names();
  std::string known;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
    known += (i ? ", " : "") + names[i];
  }
  throw TypeError("unknown layer '" + name + "': this model's layers are " + known);
}

const torch::Tensor& UNetImpl::Activation(const Encoded& encoded, size_t index) {
  return index < encoded.features.size() ? encoded.features[index] : encoded.bottleneck;
}

}  // namespace vad
