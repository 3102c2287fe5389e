#pragma once
// Reconstruction losses, per image, so that Grad-CAM and image scores can use each image's own loss.
#include <ATen/core/Tensor.h>

#include "core/config.h"

namespace vad {

// Local SSIM of a and b (B, C, H, W, values in [0, 1]) with an 11x11 Gaussian window, sigma 1.5,
// C1 = 0.01^2, C2 = 0.03^2. Borders are reflect-padded so the map has the input's size without a
// zero-padding bias at the edges. Returns (B, C, H, W).
at::Tensor SsimMap(const at::Tensor& a, const at::Tensor& b);

// Mean SSIM per image: (B,).
at::Tensor PerImageSsim(const at::Tensor& a, const at::Tensor& b);

// The loss of each image: mse / l1 (mean over C, H, W), ssim (1 - mean SSIM),
// ssim_mse (w * (1 - mean SSIM) + (1 - w) * mse). Returns (B,), computed in float32.
at::Tensor PerImageLoss(const at::Tensor& reconstruction, const at::Tensor& target, LossKind kind, double ssim_weight);

}  // namespace vad
