#pragma once
// Grad-CAM: channel weights are the spatial mean of d target / d activation, the map is the weighted
// channel sum of the activation, then one of three sign conventions. Raw values, never normalised
// per image: per-image normalisation would destroy cross-image comparability (pixel AUROC pools pixels
// of all images).
#include <ATen/core/Tensor.h>

#include "core/config.h"

namespace vad {

// target: a scalar that depends on activation (B, C, h, w); for a batch, pass the sum of per-image
// targets (each image's map then holds the gradient of its own target when images do not interact,
// e.g. in eval mode). Returns (B, h, w) in float32.
// create_graph keeps the map differentiable w.r.t. the parameters (the training-time attention term);
// the graph of target is always retained so that several maps can be taken from one forward pass.
at::Tensor GradCam(const at::Tensor& target, const at::Tensor& activation, CamSign sign, bool create_graph);

// Bilinear upsampling of (B, h, w) maps to (B, height, width).
at::Tensor UpsampleMaps(const at::Tensor& maps, int64_t height, int64_t width);

}  // namespace vad
