#pragma once
// Supervision of the attention map with the masks of synthetic defects (core/synthetic_defects.h), in the
// spirit of GAIN (Li et al., "Tell Me Where to Look: Guided Attention Inference Network", CVPR 2018), which
// supervises Grad-CAM with masks the same way. The map is the one explain computes at test time as
// 'layercam_loss': LayerCAM at a layer of the reconstruction loss of x_hat against the model's input (the
// corrupted image), upsampled to the image size; here it is kept differentiable (double backprop).
//
// Three choices keep the reconstruction healthy (README.md, "Supervising the attention map", has the
// measurements behind them):
// - The map is normalised by a level of its own, without detaching it, so the loss does not change when
//   the whole map is scaled: a detached normaliser (a max, or mean and deviation) let the model lower the
//   loss by inflating the map everywhere, that is by reconstructing worse everywhere.
// - The supervision's gradient loses its component against the reconstruction's gradient whenever the two
//   conflict (PCGrad: Yu et al., "Gradient Surgery for Multi-Task Learning", NeurIPS 2020): to first order a
//   step never trades reconstruction for attention.
// - Its weight is relative: the supervision's (projected) gradient is scaled to `weight` times the norm of
//   the reconstruction's. The focal + Dice loss is about 1 and its gradient large, while the reconstruction
//   loss is 1e-3 (mse) to 1e-1 (ssim); a plain factor would need tuning for every loss and still let the
//   supervision's gradient swamp the reconstruction's in Adam's running averages.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "core/config.h"

namespace vad {

// input: the model's input (B, C, H, W); reconstruction: its output; activation: the supervised layer's
// output in the same forward pass. Returns the map (B, H, W), differentiable w.r.t. the parameters.
at::Tensor SupervisedMap(const at::Tensor& input, const at::Tensor& reconstruction, const at::Tensor& activation,
                         const ModelConfig& config, CamSign sign);

// Focal (gamma 2) + Dice loss of the map against masks (B, 1, H, W) of 0/1. The map M becomes
// p = M / (M + T), T the mean of the top 5 % of the batch's map values: about the level of the defect pixels
// of a batch, so normal pixels can fall far below 0.5 (with T the plain mean, most pixels sit near it and
// Dice stays near 1: measured, the term did not learn). One T for the whole batch keeps the maps
// comparable across its images, as pooled pixel AUROC compares them at test time (a per-image
// normalisation would give every image's map its own scale). Dice over the whole batch, so images without
// a defect count (their pixels are all false positives) without a per-image 0/0.
at::Tensor SupervisionLoss(const at::Tensor& map, const at::Tensor& masks);

// The term's factor at a point of the run (`progress`, 0 to 1): 0 for the first `warmup` share (the model
// first learns to reconstruct: the map of an untrained model means nothing), then rising linearly to 1 over
// the next tenth, so the term never switches on at full weight.
double SupervisionRamp(double progress, double warmup);

// How far a run is at the end of a step: the larger of its share of the planned steps and its share of the
// time budget, since whichever is used up first ends the run (with a budget, the planned epochs are a cap
// the run rarely reaches, and a warm-up counted in them would never end).
double RunProgress(int64_t step, int64_t total_steps, double elapsed_seconds, std::optional<double> budget_seconds);

// Sets each parameter's gradient to g_r + weight * |g_r| * s / |s|, with g_r = d reconstruction and s =
// d supervision less its projection on g_r when their dot product is negative (PCGrad).
void BackwardWithSupervision(const std::vector<at::Tensor>& parameters, const at::Tensor& reconstruction,
                             const at::Tensor& supervision, double weight);

}  // namespace vad
