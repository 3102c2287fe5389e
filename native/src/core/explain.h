#pragma once
// Per-image anomaly maps and scores: Grad-CAM of three targets at a chosen encoder layer, and the two
// model-free-of-gradients baselines (the residual and the SSIM map).
//   gradcam_loss      Grad-CAM of the image's reconstruction loss (the model's loss).
//   gradcam_latent    Grad-CAM of sum(bottleneck) (expVAE's attention). At the bottleneck layer itself
//                     every channel weight is 1/(h*w): the map is a plain channel sum there.
//   gradcam_residual  x - x_hat is fed through the encoder and Grad-CAM is taken of the sum of that
//                     encoding's bottleneck: attention on what the model failed to reconstruct. No mean
//                     training image is subtracted first (models/EXPERIMENTS.md compares the targets).
//   residual          |x - x_hat|, mean over channels.
//   ssim              1 - local SSIM(x_hat, x), mean over channels.
#include <ATen/core/Tensor.h>

#include "core/config.h"
#include "core/unet.h"

namespace vad {

// images: (N, C, H, W) uint8, already checked against the model's config. No gradient is kept
// afterwards: Grad-CAM uses torch::autograd::grad, which leaves the parameters' .grad untouched.
ExplainOutput Explain(UNet& model, const at::Tensor& images, const ExplainOptions& options);

}  // namespace vad
