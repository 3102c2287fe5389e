#include "core/attention_supervision.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/grad_cam.h"
#include "core/losses.h"

namespace vad {
namespace {

constexpr double kRampShare = 0.1;  // of the run's steps over which the term rises to its full weight
constexpr double kEpsilon = 1e-6;
// About the share of defect pixels in a training batch: DRAEM's masks cover a few percent of an image.
constexpr double kReferenceShare = 0.05;

std::vector<torch::Tensor> GradientsOf(const torch::Tensor& target, const std::vector<torch::Tensor>& parameters,
                                       bool retain_graph) {
  auto gradients = torch::autograd::grad({target}, parameters, /*grad_outputs=*/{}, retain_graph,
                                         /*create_graph=*/false, /*allow_unused=*/true);
  for (size_t i = 0; i < gradients.size(); ++i) {
    if (!gradients[i].defined()) gradients[i] = torch::zeros_like(parameters[i]);
  }
  return gradients;
}

}  // namespace

torch::Tensor SupervisedMap(const torch::Tensor& input, const torch::Tensor& reconstruction,
                            const torch::Tensor& activation, const ModelConfig& config, CamSign sign) {
  const auto target = PerImageLoss(reconstruction, input, config.loss, config.ssim_weight).sum();
  const auto gradient = TargetGradient(target, activation, /*create_graph=*/true);
  return UpsampleMaps(ElementWiseMap(activation, gradient, sign), input.size(2), input.size(3));
}

torch::Tensor SupervisionLoss(const torch::Tensor& map, const torch::Tensor& masks) {
  const auto m = masks.squeeze(1).to(torch::kFloat);
  // The reference level: the mean of the batch's top kReferenceShare of map values, not detached.
  const auto top = std::max<int64_t>(1, static_cast<int64_t>(kReferenceShare * static_cast<double>(map.numel())));
  const auto reference = std::get<0>(map.flatten().topk(top)).mean();
  const auto p = (map / (map + reference + 1e-30)).clamp(kEpsilon, 1 - kEpsilon);
  return FocalDiceLoss(p, p.log(), (1 - p).log(), m);
}

double SupervisionRamp(double progress, double warmup) {
  return std::clamp((progress - warmup) / kRampShare, 0.0, 1.0);
}

double RunProgress(int64_t step, int64_t total_steps, double elapsed_seconds, std::optional<double> budget_seconds) {
  // The step counts as done: with no warm-up, the first step already gets the term.
  const double by_steps = static_cast<double>(step + 1) / static_cast<double>(std::max<int64_t>(1, total_steps));
  const double by_time = budget_seconds && *budget_seconds > 0 ? elapsed_seconds / *budget_seconds : 0.0;
  return std::min(1.0, std::max(by_steps, by_time));
}

void BackwardWithSupervision(const std::vector<torch::Tensor>& parameters, const torch::Tensor& reconstruction,
                             const torch::Tensor& supervision, double weight) {
  // Both share the forward graph: the first pass keeps it for the second.
  const auto from_reconstruction = GradientsOf(reconstruction, parameters, /*retain_graph=*/true);
  const auto from_supervision = GradientsOf(supervision, parameters, /*retain_graph=*/false);
  std::vector<torch::Tensor> dots, squares;
  for (size_t i = 0; i < parameters.size(); ++i) {
    dots.push_back((from_supervision[i] * from_reconstruction[i]).sum());
    squares.push_back(from_reconstruction[i].pow(2).sum());
  }
  const auto dot = torch::stack(dots).sum();
  const auto reconstruction_square = torch::stack(squares).sum().clamp_min(1e-30);
  // Zero unless the two conflict; then the share of d reconstruction to take out of d supervision.
  const auto conflict = torch::clamp_max(dot, 0) / reconstruction_square;
  torch::NoGradGuard no_gradients;
  std::vector<torch::Tensor> projected, projected_squares;
  for (size_t i = 0; i < parameters.size(); ++i) {
    projected.push_back(from_supervision[i] - conflict * from_reconstruction[i]);
    projected_squares.push_back(projected.back().pow(2).sum());
  }
  const auto scale =
      weight * reconstruction_square.sqrt() / torch::stack(projected_squares).sum().sqrt().clamp_min(1e-30);
  for (size_t i = 0; i < parameters.size(); ++i) {
    auto parameter = parameters[i];
    parameter.mutable_grad() = from_reconstruction[i] + scale * projected[i];
  }
}

}  // namespace vad
