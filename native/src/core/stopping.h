#pragma once
// When training stops before its last epoch: on a plateau of the loss on held-back normal images
// (validation), or when the call's time budget is spent. Both are checked at the end of an epoch.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <limits>
#include <optional>

#include "core/config.h"
#include "core/unet.h"

namespace vad {

// A validation loss counts as better when it is below the best so far by this share of it.
constexpr double kMinRelativeImprovement = 1e-3;

// Mean reconstruction loss (the model's loss) of images (N, C, H, W) uint8 on the model's device, in
// eval mode without gradients, in batches of batch_size. Leaves the model in eval mode.
double ValidationLoss(UNet& model, const at::Tensor& images, int64_t batch_size, bool mixed_precision);

// The plateau rule's memory, kept in checkpoints so a resumed run stops where the uninterrupted one would.
struct PlateauState {
  double best = std::numeric_limits<double>::infinity();
  int64_t epochs_since_best = 0;
  int64_t best_epoch = 0;  // 1-based; 0 before the first validation
};

// Records the validation loss of `epoch` (1-based): a new best, or one more epoch since the best. Returns
// whether it is a new best.
bool RecordValidationLoss(PlateauState& state, int64_t epoch, double validation_loss);

// Seconds left in the run after `steps_done` steps in `elapsed` seconds: the steps left, or, with a
// budget, the steps up to the end of the epoch in which the budget runs out, whichever comes first.
double EtaSeconds(double elapsed, int64_t steps_done, int64_t steps_left, int64_t steps_left_in_epoch,
                  int64_t steps_per_epoch, std::optional<double> max_seconds);

}  // namespace vad
