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

// Focal loss (gamma 2: Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017) + Dice loss of pixel
// probabilities p against masks of 0/1 (same shape, float), both over the whole batch: images without a defect
// count (their pixels are all false positives) without a per-image 0/0. log_p and log_not_p are log p and
// log(1 - p), passed in so that a caller holding logits can compute them stably. What the attention supervision
// and the segmentation head learn their masks with.
at::Tensor FocalDiceLoss(const at::Tensor& p, const at::Tensor& log_p, const at::Tensor& log_not_p,
                         const at::Tensor& masks);

}  // namespace vad
