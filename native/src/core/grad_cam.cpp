#include "core/grad_cam.h"

#include <torch/torch.h>

namespace vad {

torch::Tensor GradCam(const torch::Tensor& target, const torch::Tensor& activation, CamSign sign, bool create_graph) {
  auto gradients = torch::autograd::grad({target}, {activation}, /*grad_outputs=*/{},
                                         /*retain_graph=*/true, create_graph, /*allow_unused=*/false)[0];
  const auto a = activation.to(torch::kFloat);
  const auto weights = gradients.to(torch::kFloat).mean({2, 3}, /*keepdim=*/true);
  const auto cam = (weights * a).sum(1);
  switch (sign) {
    case CamSign::Relu: return torch::relu(cam);
    case CamSign::NegRelu: return torch::relu(-cam);
    case CamSign::Abs: return cam.abs();
  }
  return cam.abs();
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
