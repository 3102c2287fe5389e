#include "core/losses.h"

#include <torch/torch.h>

#include "core/errors.h"

namespace vad {
namespace {

constexpr int64_t kWindow = 11;
constexpr double kSigma = 1.5;
constexpr double kC1 = 0.01 * 0.01;
constexpr double kC2 = 0.03 * 0.03;
constexpr double kFocalGamma = 2;

// (groups, 1, 11, 11) normalised Gaussian window, one copy per depthwise group.
torch::Tensor GaussianWindow(int64_t groups, const torch::TensorOptions& options) {
  auto coords = torch::arange(kWindow, torch::TensorOptions().dtype(torch::kFloat64)) - (kWindow - 1) / 2.0;
  auto g = torch::exp(-(coords * coords) / (2 * kSigma * kSigma));
  g = g / g.sum();
  auto window = torch::outer(g, g).to(options);
  return window.expand({groups, 1, kWindow, kWindow}).contiguous();
}

void CheckPair(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  if (a.dim() != 4 || a.sizes() != b.sizes()) {
    throw RangeError(std::string(what) + " needs two (B, C, H, W) tensors of the same shape, got " +
                     c10::str(a.sizes()) + " and " + c10::str(b.sizes()));
  }
}

}  // namespace

torch::Tensor SsimMap(const torch::Tensor& a_in, const torch::Tensor& b_in) {
  CheckPair(a_in, b_in, "SSIM");
  if (a_in.size(2) <= kWindow / 2 || a_in.size(3) <= kWindow / 2) {
    throw RangeError("SSIM needs images larger than 5x5, got " + c10::str(a_in.sizes()));
  }
  const auto a = a_in.to(torch::kFloat);
  const auto b = b_in.to(torch::kFloat);
  const int64_t channels = a.size(1);
  // One depthwise convolution computes all five local moments at once.
  auto stacked = torch::cat({a, b, a * a, b * b, a * b}, 1);
  namespace F = torch::nn::functional;
  const int64_t pad = kWindow / 2;
  stacked = F::pad(stacked, F::PadFuncOptions({pad, pad, pad, pad}).mode(torch::kReflect));
  auto moments =
      F::conv2d(stacked, GaussianWindow(5 * channels, stacked.options()), F::Conv2dFuncOptions().groups(5 * channels));
  auto parts = moments.chunk(5, 1);
  const auto& mu_a = parts[0];
  const auto& mu_b = parts[1];
  auto var_a = parts[2] - mu_a * mu_a;
  auto var_b = parts[3] - mu_b * mu_b;
  auto cov = parts[4] - mu_a * mu_b;
  auto numerator = (2 * mu_a * mu_b + kC1) * (2 * cov + kC2);
  auto denominator = (mu_a * mu_a + mu_b * mu_b + kC1) * (var_a + var_b + kC2);
  return numerator / denominator;
}

torch::Tensor PerImageSsim(const torch::Tensor& a, const torch::Tensor& b) { return SsimMap(a, b).mean({1, 2, 3}); }

torch::Tensor PerImageLoss(const torch::Tensor& reconstruction, const torch::Tensor& target, LossKind kind,
                           double ssim_weight) {
  CheckPair(reconstruction, target, "the loss");
  const auto x_hat = reconstruction.to(torch::kFloat);
  const auto x = target.to(torch::kFloat);
  auto mse = [&] { return (x_hat - x).pow(2).mean({1, 2, 3}); };
  switch (kind) {
    case LossKind::Mse: return mse();
    case LossKind::L1: return (x_hat - x).abs().mean({1, 2, 3});
    case LossKind::Ssim: return 1 - PerImageSsim(x_hat, x);
    case LossKind::SsimMse: return ssim_weight * (1 - PerImageSsim(x_hat, x)) + (1 - ssim_weight) * mse();
  }
  throw TypeError("unknown loss kind");
}

torch::Tensor FocalDiceLoss(const torch::Tensor& p, const torch::Tensor& log_p, const torch::Tensor& log_not_p,
                            const torch::Tensor& masks) {
  const auto& m = masks;
  const auto focal = -(m * (1 - p).pow(kFocalGamma) * log_p + (1 - m) * p.pow(kFocalGamma) * log_not_p).mean();
  const auto dice = 1 - (2 * (p * m).sum() + 1) / (p.sum() + m.sum() + 1);
  return focal + dice;
}

}  // namespace vad
