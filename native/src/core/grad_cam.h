#pragma once
// Gradient maps of a target at an encoder layer, two ways of weighting the activation A (B, C, h, w) by
// the gradient G = d target / dA:
//   Grad-CAM   s( sum_c mean_{u,v}(G_c) A_c(u,v) ): one weight per channel, the spatial mean of its gradient.
//   LayerCAM   sum_c s(G_c(u,v)) A_c(u,v): each position keeps its own gradient, so a small defect's gradient
//              is not averaged away with the rest of the image's (Jiang et al., "LayerCAM: Exploring
//              Hierarchical Class Activation Maps for Localization", IEEE TIP 2021).
// s is the sign convention: max(., 0) ('relu'), max(-., 0) ('neg_relu') or |.| ('abs'). LayerCAM applies it
// where the paper applies its ReLU, to the gradient: 'relu' is the paper's map. The paper's second ReLU,
// on the channel sum, is left out: every encoder layer ends in a ReLU, so A >= 0 and the sum is already >= 0
// (and relu + neg_relu = abs, as for Grad-CAM).
// Raw values, never normalised per image: per-image normalisation would destroy cross-image
// comparability (pixel AUROC pools pixels of all images).
#include <ATen/core/Tensor.h>

#include "core/config.h"

namespace vad {

// target: a scalar that depends on activation (B, C, h, w); for a batch, pass the sum of per-image
// targets (each image's gradient is then the gradient of its own target when images do not interact,
// e.g. in eval mode). Returns d target / d activation, (B, C, h, w).
// create_graph keeps the gradient differentiable w.r.t. the parameters (the training-time attention term);
// the graph of target is always retained so that several maps can be taken from one forward pass.
at::Tensor TargetGradient(const at::Tensor& target, const at::Tensor& activation, bool create_graph);

// Grad-CAM of an activation and its gradient (both (B, C, h, w)); returns (B, h, w) in float32.
at::Tensor ChannelWeightedMap(const at::Tensor& activation, const at::Tensor& gradient, CamSign sign);

// LayerCAM of an activation and its gradient (both (B, C, h, w)); returns (B, h, w) in float32.
// Differentiable when the gradient was taken with create_graph (for supervising the map while training).
at::Tensor ElementWiseMap(const at::Tensor& activation, const at::Tensor& gradient, CamSign sign);

// ChannelWeightedMap(activation, TargetGradient(target, activation, create_graph), sign).
at::Tensor GradCam(const at::Tensor& target, const at::Tensor& activation, CamSign sign, bool create_graph);

// Bilinear upsampling of (B, h, w) maps to (B, height, width).
at::Tensor UpsampleMaps(const at::Tensor& maps, int64_t height, int64_t width);

}  // namespace vad
