#include "core/msgms.h"

#include <torch/torch.h>

#include "core/errors.h"
#include "core/grad_cam.h"

namespace vad {
namespace {

constexpr double kStability = 0.0026;
constexpr int kScales = 4;

torch::Tensor Grey(const torch::Tensor& images) {
  if (images.size(1) == 1) return images;
  const auto weights = torch::tensor({0.299, 0.587, 0.114}, images.options()).view({1, 3, 1, 1});
  return (images * weights).sum(1, /*keepdim=*/true);
}

// (2, 1, 3, 3): the horizontal and the vertical Prewitt kernel.
torch::Tensor PrewittKernels(const torch::TensorOptions& options) {
  const auto horizontal = torch::tensor({1.0, 0.0, -1.0}, options).repeat({3, 1}) / 3.0;
  return torch::stack({horizontal, horizontal.t()}).unsqueeze(1);
}

// (B, 1, h, w) -> (B, 1, h, w)
torch::Tensor GradientMagnitude(const torch::Tensor& image, const torch::Tensor& kernels) {
  namespace F = torch::nn::functional;
  const auto padded = F::pad(image, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
  return F::conv2d(padded, kernels).pow(2).sum(1, /*keepdim=*/true).sqrt();
}

}  // namespace

torch::Tensor MsgmsMap(const torch::Tensor& a_in, const torch::Tensor& b_in) {
  const int64_t smallest = int64_t{1} << (kScales - 1);
  if (a_in.dim() != 4 || a_in.sizes() != b_in.sizes() || (a_in.size(1) != 1 && a_in.size(1) != 3) ||
      a_in.size(2) < smallest || a_in.size(3) < smallest) {
    throw RangeError("MSGMS needs two (B, 1 or 3, H, W) tensors of the same shape, H and W at least 8, got " +
                     c10::str(a_in.sizes()) + " and " + c10::str(b_in.sizes()));
  }
  const int64_t height = a_in.size(2);
  const int64_t width = a_in.size(3);
  auto a = Grey(a_in.to(torch::kFloat));
  auto b = Grey(b_in.to(torch::kFloat));
  const auto kernels = PrewittKernels(a.options());
  torch::Tensor similarity_sum;
  for (int scale = 0; scale < kScales; ++scale) {
    if (scale > 0) {
      a = torch::avg_pool2d(a, 2);
      b = torch::avg_pool2d(b, 2);
    }
    const auto g_a = GradientMagnitude(a, kernels);
    const auto g_b = GradientMagnitude(b, kernels);
    const auto similarity = (2 * g_a * g_b + kStability) / (g_a * g_a + g_b * g_b + kStability);
    const auto upsampled = UpsampleMaps(similarity.squeeze(1), height, width);
    similarity_sum = scale == 0 ? upsampled : similarity_sum + upsampled;
  }
  return 1 - similarity_sum / kScales;
}

}  // namespace vad
