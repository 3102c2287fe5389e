#pragma once
// The reconstruction model: a U-Net whose skips can be switched off (plain autoencoder), dropped at the
// top levels or noised while training. The encoder is exposed step by step because Grad-CAM needs the
// activations of a named encoder layer, and the explain path feeds the residual through the encoder alone.
// With config.segmentation_head it also owns the segmentation head, so that one checkpoint holds both.
#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/conv_block.h"
#include "core/segmentation_head.h"

namespace vad {

// The encoder's activations: features[i] is the output of enc<i+1> (before pooling).
struct Encoded {
  std::vector<torch::Tensor> features;
  torch::Tensor bottleneck;
};

class UNetImpl : public torch::nn::Module {
 public:
  explicit UNetImpl(const ModelConfig& config);

  Encoded Encode(const torch::Tensor& x);
  torch::Tensor Decode(const Encoded& encoded);
  // Lower case as LibTorch requires: TORCH_MODULE's holder calls forward().
  torch::Tensor forward(const torch::Tensor& x) { return Decode(Encode(x)); }

  const ModelConfig& config() const { return config_; }
  // enc1 .. enc<depth>, bottleneck: the layers an attention map can be taken from.
  std::vector<std::string> layer_names() const;
  // Index into layer_names(); throws vad::TypeError naming the known layers.
  size_t LayerIndex(const std::string& name) const;
  // The activation of layer_names()[index] in an encoding.
  static const torch::Tensor& Activation(const Encoded& encoded, size_t index);

  // The segmentation head ("segmentation"), present when config.segmentation_head; empty (false) otherwise.
  SegmentationHead& segmentation() { return segmentation_; }
  // Every parameter but the segmentation head's: what the reconstruction's gradient and its norm are taken over.
  std::vector<torch::Tensor> reconstruction_parameters() const;

  // Skip noise draws from this generator (the trainer sets one per step, derived from its seed).
  void set_noise_generator(std::optional<at::Generator> generator) { noise_generator_ = std::move(generator); }

 private:
  ModelConfig config_;
  std::vector<ConvBlock> encoders_;                     // registered as enc1..encN
  ConvBlock bottleneck_{nullptr};                       // "bottleneck"
  std::vector<torch::nn::ConvTranspose2d> upsamplers_;  // up1..upN: up<i> brings level i+1 to level i
  std::vector<ConvBlock> decoders_;                     // dec1..decN
  torch::nn::Conv2d head_{nullptr};                     // "head": 1x1 conv to the image channels
  SegmentationHead segmentation_{nullptr};              // "segmentation", registered last
  std::optional<at::Generator> noise_generator_;

  // PyTorch's default initialisation, uniform(+-1/sqrt(fan_in)), drawn from a generator seeded with
  // config.seed instead of the global one. The segmentation head's weights are drawn after the U-Net's, so a
  // model with a head starts from the same U-Net as one without.
  void InitializeWeights();
};
TORCH_MODULE(UNet);

}  // namespace vad
