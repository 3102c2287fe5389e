#include "core/batch_norm_statistics.h"

#include <torch/torch.h>

#include <algorithm>
#include <vector>

#include "core/autocast.h"
#include "core/device.h"

namespace vad {

void RecomputeBatchNormStatistics(UNet& model, const torch::Tensor& images, int64_t batch_size, uint64_t noise_seed,
                                  bool mixed_precision) {
  std::vector<torch::nn::BatchNorm2dImpl*> norms;
  for (const auto& item : model->named_modules("", /*include_self=*/false)) {
    if (item.key().rfind("segmentation", 0) == 0) continue;
    if (auto* norm = dynamic_cast<torch::nn::BatchNorm2dImpl*>(item.value().get())) norms.push_back(norm);
  }
  // Train mode: each norm normalises with its batch's statistics and accumulates them, and skip noise is drawn as
  // in training, so the statistics are those of the features the next layers learned from.
  model->train();
  if (model->config().skip_noise_std > 0) {
    model->set_noise_generator(SeededGenerator(images.device(), noise_seed));
  }
  std::vector<c10::optional<double>> momenta;  // LibTorch's own optional, not std's, in this version
  for (auto* norm : norms) {
    momenta.push_back(norm->options.momentum());
    norm->reset_running_stats();
    norm->options.momentum(c10::nullopt);  // a cumulative average: every batch counts the same
  }
  {
    torch::NoGradGuard no_gradients;
    const int64_t count = images.size(0);
    // A last batch of one image is left out when there are others: alone it has no spread to measure.
    for (int64_t start = 0; start < count && (start == 0 || count - start > 1); start += batch_size) {
      const auto x = images.slice(0, start, std::min(count, start + batch_size)).to(torch::kFloat).div_(255.0);
      CudaAutocast autocast(mixed_precision);
      model->forward(x);
    }
  }
  for (size_t i = 0; i < norms.size(); ++i) norms[i]->options.momentum(momenta[i]);
  model->set_noise_generator(std::nullopt);
  model->eval();
}

}  // namespace vad
