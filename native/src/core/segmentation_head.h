#pragma once
// A reference for the attention map: a small discriminative segmentation network trained on the synthetic
// defects' masks, as DRAEM's second network (Zavrtanik, Kristan and Skocaj, ICCV 2021) is. It reads the image
// and the U-Net's reconstruction side by side and says, per pixel, whether a defect is there. It explains
// nothing about the reconstruction model: it is there so that a report can show whether the attention map
// does better, or worse, than a network trained for the task with the same masks.
//
// A small U-Net at half the image's resolution: a `stem`, a 3x3 convolution of stride 2 (2C -> w, batch norm
// `stem_norm`, ReLU), then levels enc1 (w, at H/2) and enc2 (2w, at H/4), each a ConvBlock followed by 2x2 max
// pooling, a `bottom` block (4w, at H/8), decoder levels dec2 and dec1, each a bilinear 2x upsampling
// concatenated with the encoder's features at that level and a ConvBlock (2w, w), and a 1x1 convolution `out` to
// one logit per pixel at H/2, upsampled bilinearly to H x W. Its receptive field is about 90 px: it sees a
// defect against its surroundings at 128 px. w is half the U-Net's base width.
// - Half the resolution, because the cost is not the arithmetic: thin convolutions at full resolution run far
//   below the CPU's peak. The same net at full resolution (three poolings) cost 0.53 CPU s per training step of
//   16 images at 128 px in PyTorch, this one 0.19, about a sixth of the U-Net's step (README.md, "The
//   segmentation head"). The strided stem, not a 2x2 average, keeps what a 1 px detail tells the net: on the
//   test fixture it localized better (0.91-0.95 against 0.81-0.86 pixel AUROC, three seeds).
// - `out`'s bias starts at the logit of a 5 % prior, as RetinaNet's does for the focal loss (Lin et al., ICCV
//   2017): about the share of defect pixels in a training batch. From PyTorch's uniform draw instead, a head
//   could start near p = 0.6 everywhere and spend its first hundreds of steps unlearning it (one seed in three
//   on the fixture ended at chance).
#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "core/config.h"
#include "core/conv_block.h"

namespace vad {

class SegmentationHeadImpl : public torch::nn::Module {
 public:
  // channels: the images' (the head reads 2 * channels); width: of enc1, doubled per level.
  SegmentationHeadImpl(int64_t channels, int64_t width, bool batch_norm);

  // image, reconstruction: (B, C, H, W), H and W multiples of 8. Returns the logits (B, 1, H, W).
  torch::Tensor forward(const torch::Tensor& image, const torch::Tensor& reconstruction);

  // Sets out's bias to the prior's logit; the owner calls it after drawing the weights.
  void InitializePrior();

 private:
  torch::nn::Conv2d stem_{nullptr};
  torch::nn::BatchNorm2d stem_norm_{nullptr};
  ConvBlock enc1_{nullptr}, enc2_{nullptr}, bottom_{nullptr}, dec2_{nullptr}, dec1_{nullptr};
  torch::nn::Conv2d out_{nullptr};  // "out": 1x1 to one logit
};
TORCH_MODULE(SegmentationHead);

// The head's width for a model: half the U-Net's base width, at least 4.
int64_t SegmentationHeadWidth(const ModelConfig& config);

// Focal + Dice (losses.h) of the logits (B, 1, H, W) against the masks (B, 1, H, W) of 0/1.
at::Tensor SegmentationLoss(const at::Tensor& logits, const at::Tensor& masks);

// The map explain draws: sigmoid of the logits, (B, H, W), a probability per pixel.
at::Tensor SegmentationMap(SegmentationHead& head, const at::Tensor& image, const at::Tensor& reconstruction);

}  // namespace vad
