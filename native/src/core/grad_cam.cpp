#include "core/grad_cam.h"

#include <torch/torch.h>

namespace vad {
namespace {

torch::Tensor ApplySign(const torch::Tensor& values, CamSign sign) {
  switch (sign) {
    case CamSign::Relu: return torch::relu(values);
    case CamSign::NegRelu: return torch::relu(-values);
    case CamSign::Abs: return values.abs();
  }
  return values.abs();
}

}  // namespace

torch::Tensor TargetGradient(const torch::Tensor& target, const torch::Tensor& activation, bool create_graph) {
  return torch::autograd::grad({target}, {activation}, /*grad_outputs=*/{},
                               /*retain_graph=*/true, create_graph, /*allow_unused=*/false)[0];
}

torch::Tensor ChannelWeightedMap(const torch::Tensor& activation, const torch::Tensor& gradient, CamSign sign) {
  const auto weights = gradient.to(torch::kFloat).mean({2, 3}, /*keepdim=*/true);
  return ApplySign((weights * activation.to(torch::kFloat)).sum(1), sign);
}

torch::Tensor ElementWiseMap(const torch::Tensor& activation, const torch::Tensor& gradient, CamSign sign) {
  return (ApplySign(gradient.to(torch::kFloat), sign) * activation.to(torch::kFloat)).sum(1);
}

torch::Tensor GradCam(const torch::Tensor& target, const torch::Tensor& activation, CamSign sign, bool create_graph) {
  return ChannelWeightedMap(activation, TargetGradient(target, activation, create_graph), sign);
}

torch::Tensor UpsampleMaps(const torch::Tensor& maps, int64_t height, int64_t width) {
  if (maps.size(1) == height && maps.size(2) == width) return maps;
  namespace F = torch::nn::functional;
  return F::interpolate(maps.unsqueeze(1), F::InterpolateFuncOptions()
                                               .size(std::vector<int64_t>{height, width})
                                               .mode(torch::kBilinear)
                                               .align_corners(false))
      .squeeze(1);
}

}  // namespace vad
