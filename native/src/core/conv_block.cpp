#include "core/conv_block.h"

#include <torch/torch.h>

namespace vad {

ConvBlockImpl::ConvBlockImpl(int64_t in_channels, int64_t out_channels, bool batch_norm) {
  namespace nn = torch::nn;
  // A bias before batch norm is cancelled by the normalisation: leave it out then.
  conv1_ = register_module("conv1",
                           nn::Conv2d(nn::Conv2dOptions(in_channels, out_channels, 3).padding(1).bias(!batch_norm)));
  conv2_ = register_module("conv2",
                           nn::Conv2d(nn::Conv2dOptions(out_channels, out_channels, 3).padding(1).bias(!batch_norm)));
  if (batch_norm) {
    norm1_ = register_module("norm1", nn::BatchNorm2d(out_channels));
    norm2_ = register_module("norm2", nn::BatchNorm2d(out_channels));
  }
}

torch::Tensor ConvBlockImpl::forward(const torch::Tensor& x) {
  auto y = conv1_(x);
  if (norm1_) y = norm1_(y);
  y = torch::relu(y);
  y = conv2_(y);
  if (norm2_) y = norm2_(y);
  return torch::relu(y);
}

}  // namespace vad
