#pragma once
// Per-image anomaly maps and scores: Grad-CAM and LayerCAM (core/grad_cam.h) of three targets at a chosen
// encoder layer, and three maps that need no gradient.
//   gradcam_loss / layercam_loss            of the image's reconstruction loss (the model's loss).
//   gradcam_latent / layercam_latent        of sum(bottleneck) (expVAE's attention). At the bottleneck layer
//                                           itself every gradient is 1: Grad-CAM is a plain channel sum there.
//   gradcam_residual / layercam_residual    x - x_hat is fed through the encoder and the map is taken of the
//                                           sum of that encoding's bottleneck: attention on what the model
//                                           failed to reconstruct. No mean training image is subtracted first
//                                           (models/EXPERIMENTS.md compares the targets).
//   residual   |x - x_hat|, mean over channels.
//   ssim       1 - local SSIM(x_hat, x), mean over channels.
//   msgms      1 - multi-scale gradient magnitude similarity of x_hat and x (core/msgms.h).
//   segmentation  sigmoid of the segmentation head's logits on (x, x_hat) (core/segmentation_head.h): a
//              reference map of a network trained on the synthetic masks; only for a model with the head.
// A Grad-CAM and a LayerCAM map of the same target share one backward pass.
#include <ATen/core/Tensor.h>

#include "core/config.h"
#include "core/unet.h"

namespace vad {

// images: (N, C, H, W) uint8, already checked against the model's config. No gradient is kept
// afterwards: the gradient maps use torch::autograd::grad, which leaves the parameters' .grad untouched.
ExplainOutput Explain(UNet& model, const at::Tensor& images, const ExplainOptions& options);

}  // namespace vad
