#include "core/stopping.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/autocast.h"
#include "core/losses.h"

namespace vad {

double ValidationLoss(UNet& model, const torch::Tensor& images, int64_t batch_size, bool mixed_precision) {
  torch::NoGradGuard no_gradients;
  model->eval();
  const auto& config = model->config();
  const int64_t count = images.size(0);
  double sum = 0;
  for (int64_t start = 0; start < count; start += batch_size) {
    const auto x = images.slice(0, start, std::min(count, start + batch_size)).to(torch::kFloat).div_(255.0);
    torch::Tensor reconstruction;
    {
      CudaAutocast autocast(mixed_precision);
      reconstruction = model->forward(x);
    }
    sum += PerImageLoss(reconstruction, x, config.loss, config.ssim_weight).sum().item<double>();
  }
  return sum / static_cast<double>(count);
}

bool RecordValidationLoss(PlateauState& state, int64_t epoch, double validation_loss) {
  if (validation_loss < state.best * (1 - kMinRelativeImprovement)) {
    state.best = validation_loss;
    state.epochs_since_best = 0;
    state.best_epoch = epoch;
    return true;
  }
  ++state.epochs_since_best;
  return false;
}

double EtaSeconds(double elapsed, int64_t steps_done, int64_t steps_left, int64_t steps_left_in_epoch,
                  int64_t steps_per_epoch, std::optional<double> max_seconds) {
  const double per_step = elapsed / static_cast<double>(std::max<int64_t>(1, steps_done));
  double eta = per_step * static_cast<double>(steps_left);
  if (max_seconds) {
    // The budget is checked at the end of each epoch: the run goes on to the end of the epoch that passes it.
    const double epoch_end = elapsed + per_step * static_cast<double>(steps_left_in_epoch);
    const double epoch_seconds = per_step * static_cast<double>(steps_per_epoch);
    const double more_epochs = epoch_end >= *max_seconds ? 0 : std::ceil((*max_seconds - epoch_end) / epoch_seconds);
    eta = std::min(eta, epoch_end - elapsed + more_epochs * epoch_seconds);
  }
  return eta;
}

}  // namespace vad
