#pragma once
// The convolution block both networks are built of: the U-Net's levels (core/unet.h) and the segmentation
// head's (core/segmentation_head.h).
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace vad {

// conv3x3 -> [batch norm] -> ReLU, twice.
class ConvBlockImpl : public torch::nn::Module {
 public:
  ConvBlockImpl(int64_t in_channels, int64_t out_channels, bool batch_norm);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::BatchNorm2d norm1_{nullptr}, norm2_{nullptr};
};
TORCH_MODULE(ConvBlock);

}  // namespace vad
