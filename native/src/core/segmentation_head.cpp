#include "core/segmentation_head.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/losses.h"

namespace vad {
namespace {

// The share of defect pixels the head starts out predicting everywhere.
constexpr double kPrior = 0.05;

// Bilinear resizing of (B, C, h, w) features to (height, width).
torch::Tensor Resize(const torch::Tensor& y, int64_t height, int64_t width) {
  namespace F = torch::nn::functional;
  return F::interpolate(y, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{height, width})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

torch::Tensor UpAndConcatenate(const torch::Tensor& y, const torch::Tensor& skip) {
  return torch::cat({Resize(y, skip.size(2), skip.size(3)), skip}, 1);
}

}  // namespace

SegmentationHeadImpl::SegmentationHeadImpl(int64_t channels, int64_t width, bool batch_norm) {
  namespace nn = torch::nn;
  // A bias before batch norm is cancelled by the normalisation, as in ConvBlock.
  stem_ = register_module("stem",
                          nn::Conv2d(nn::Conv2dOptions(2 * channels, width, 3).stride(2).padding(1).bias(!batch_norm)));
  if (batch_norm) stem_norm_ = register_module("stem_norm", nn::BatchNorm2d(width));
  enc1_ = register_module("enc1", ConvBlock(width, width, batch_norm));
  enc2_ = register_module("enc2", ConvBlock(width, 2 * width, batch_norm));
  bottom_ = register_module("bottom", ConvBlock(2 * width, 4 * width, batch_norm));
  dec2_ = register_module("dec2", ConvBlock(4 * width + 2 * width, 2 * width, batch_norm));
  dec1_ = register_module("dec1", ConvBlock(2 * width + width, width, batch_norm));
  out_ = register_module("out", nn::Conv2d(nn::Conv2dOptions(width, 1, 1)));
}

torch::Tensor SegmentationHeadImpl::forward(const torch::Tensor& image, const torch::Tensor& reconstruction) {
  // Under CUDA autocast the reconstruction may be bf16 while the image is float32.
  const auto pair = torch::cat({image, reconstruction.to(image.scalar_type())}, 1);
  auto stem = stem_(pair);
  if (stem_norm_) stem = stem_norm_(stem);
  const auto level1 = enc1_(torch::relu(stem));
  const auto level2 = enc2_(torch::max_pool2d(level1, 2));
  auto y = bottom_(torch::max_pool2d(level2, 2));
  y = dec2_(UpAndConcatenate(y, level2));
  y = dec1_(UpAndConcatenate(y, level1));
  return Resize(out_(y), image.size(2), image.size(3));
}

void SegmentationHeadImpl::InitializePrior() {
  torch::NoGradGuard no_gradients;
  out_->bias.fill_(-std::log((1 - kPrior) / kPrior));
}

int64_t SegmentationHeadWidth(const ModelConfig& config) { return std::max<int64_t>(4, config.base_channels / 2); }

torch::Tensor SegmentationLoss(const torch::Tensor& logits, const torch::Tensor& masks) {
  const auto z = logits.squeeze(1).to(torch::kFloat);
  // From the logits, so that a confidently wrong pixel keeps its gradient (a clamped probability would lose it).
  return FocalDiceLoss(torch::sigmoid(z), torch::log_sigmoid(z), torch::log_sigmoid(-z),
                       masks.squeeze(1).to(torch::kFloat));
}

torch::Tensor SegmentationMap(SegmentationHead& head, const torch::Tensor& image, const torch::Tensor& reconstruction) {
  torch::NoGradGuard no_gradients;
  return torch::sigmoid(head->forward(image, reconstruction.detach()).squeeze(1).to(torch::kFloat));
}

}  // namespace vad
