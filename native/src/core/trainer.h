#pragma once
// The training loop: Adam on the per-image reconstruction loss of whole images or of random patches of them,
// with optional synthetic defects (the model then reconstructs the clean image from the corrupted one), the
// optional attention term lambda * mean(Grad-CAM map) differentiated through the Grad-CAM weights, and the
// optional supervision of the LayerCAM map with the synthetic masks; a model with a segmentation head trains it
// on the same masks, from the detached reconstruction. After each epoch, the loss on validation images (whole,
// also when training on patches) decides a plateau stop, and the run hands back the weights of the epoch where it
// was lowest; a time budget can stop it too. All randomness is derived from (seed, epoch, step), so a run resumed
// from a checkpoint continues exactly as the uninterrupted run would have.
#include <ATen/core/Tensor.h>

#include <atomic>
#include <functional>
#include <optional>

#include "core/checkpoint.h"
#include "core/config.h"
#include "core/unet.h"

namespace vad {

using ProgressFn = std::function<void(const TrainProgress&)>;

// images, validation: (N, C, H, W) uint8, already checked against the model's config; validation may be
// undefined (no validation images).
// state: the model's training state; read when options.resume, replaced on return.
// cancel is polled before every step; a cancelled run still writes its checkpoint.
TrainResult Train(UNet& model, const at::Tensor& images, const at::Tensor& validation, const TrainOptions& options,
                  std::optional<TrainState>& state, const ProgressFn& on_progress, const std::atomic<bool>& cancel);

}  // namespace vad
