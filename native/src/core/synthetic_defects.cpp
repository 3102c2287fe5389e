#include "core/synthetic_defects.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/device.h"

namespace vad {
namespace {

namespace F = torch::nn::functional;

constexpr int64_t kMaxScaleExponent = 5;                       // lattices of 2^0..2^5 cells per axis
constexpr int64_t kLattice = int64_t{1} << kMaxScaleExponent;  // gradients drawn per axis and image
// DRAEM's 2^5 cells are for 256 px images, cells of 8 px; smaller images get fewer cells, never smaller
// ones: a cell of a pixel or two thresholds into scattered specks, not a defect.
constexpr int64_t kMinCellPixels = 8;
constexpr double kMaskThreshold = 0.5;
constexpr double kPi = 3.14159265358979323846;
constexpr double kAugmentShare = 0.2;  // of the images whose content is solarized, and posterized
constexpr int64_t kPosterizeLevels = 4;
constexpr double kVisibleChange = 0.02;  // of the value range: a smaller change does not count as a defect

class Draws {
 public:
  Draws(int64_t count, const torch::TensorOptions& options, uint64_t seed)
      : count_(count), options_(options), generator_(SeededGenerator(options.device(), seed)) {}

  // Uniform in [low, high) per image, shaped to broadcast over (B, C, H, W).
  torch::Tensor PerImage(double low, double high, int64_t channels = 1) {
    return Uniform({count_, channels, 1, 1}, low, high);
  }
  torch::Tensor Uniform(c10::IntArrayRef shape, double low, double high) {
    return torch::rand(shape, generator_, options_) * (high - low) + low;
  }
  // True for each image with probability p, shaped (B, 1, 1, 1).
  torch::Tensor Chance(double p) { return PerImage(0, 1) < p; }
  torch::Tensor Integers(int64_t low, int64_t high, c10::IntArrayRef shape) {
    return torch::randint(low, high, shape, generator_, options_.dtype(torch::kLong));
  }
  int64_t count() const { return count_; }
  const torch::TensorOptions& options() const { return options_; }

 private:
  int64_t count_;
  torch::TensorOptions options_;
  at::Generator generator_;
};

torch::Tensor Fade(const torch::Tensor& t) { return t * t * t * (t * (t * 6 - 15) + 10); }

// Perlin noise, one field per image, (B, H, W), values within about [-1, 1] (DRAEM's sqrt(2) scaling). The
// lattice of gradients repeats every kLattice cells, so rotated coordinates that leave the unit square
// still find gradients.
torch::Tensor RotatedPerlin(Draws& draw, int64_t height, int64_t width) {
  const int64_t count = draw.count();
  const auto options = draw.options();
  int64_t max_exponent = 0;
  while (max_exponent < kMaxScaleExponent && (kMinCellPixels << (max_exponent + 1)) <= std::min(height, width)) {
    ++max_exponent;
  }
  const auto cells = draw.Integers(0, max_exponent + 1, {count, 2, 1, 1});
  const auto cells_x = torch::pow(2, cells.select(1, 0));  // (B, 1, 1), integer
  const auto cells_y = torch::pow(2, cells.select(1, 1));
  const auto angle = draw.Uniform({count, 1, 1}, -kPi / 2, kPi / 2);
  const auto u = ((torch::arange(width, options) + 0.5) / width - 0.5).view({1, 1, width});
  const auto v = ((torch::arange(height, options) + 0.5) / height - 0.5).view({1, height, 1});
  const auto cos = angle.cos();
  const auto sin = angle.sin();
  const auto gx = (cos * u - sin * v + 0.5) * cells_x;
  const auto gy = (sin * u + cos * v + 0.5) * cells_y;
  const auto x0 = gx.floor();
  const auto y0 = gy.floor();
  const auto fx = gx - x0;
  const auto fy = gy - y0;
  // Modulo kLattice, a power of two: a bitwise and, which also wraps negative cells (two's complement).
  const auto ix0 = x0.to(torch::kLong).bitwise_and(kLattice - 1);
  const auto iy0 = y0.to(torch::kLong).bitwise_and(kLattice - 1);
  const auto ix1 = (ix0 + 1).bitwise_and(kLattice - 1);
  const auto iy1 = (iy0 + 1).bitwise_and(kLattice - 1);
  const auto gradient_angles = draw.Uniform({count, kLattice * kLattice}, 0, 2 * kPi);
  const auto gradient_x = gradient_angles.cos();
  const auto gradient_y = gradient_angles.sin();
  auto corner = [&](const torch::Tensor& ix, const torch::Tensor& iy, double dx, double dy) {
    const auto index = (iy * kLattice + ix).view({count, -1});
    const auto corner_x = gradient_x.gather(1, index).view_as(fx);
    const auto corner_y = gradient_y.gather(1, index).view_as(fy);
    return corner_x * (fx - dx) + corner_y * (fy - dy);
  };
  const auto wx = Fade(fx);
  const auto top = torch::lerp(corner(ix0, iy0, 0, 0), corner(ix1, iy0, 1, 0), wx);
  const auto bottom = torch::lerp(corner(ix0, iy1, 0, 1), corner(ix1, iy1, 1, 1), wx);
  return std::sqrt(2.0) * torch::lerp(top, bottom, Fade(fy));
}

// Another image of the batch for each image (never itself when there are two or more), rotated by any
// angle and shifted by up to the image's size, its borders reflected.
torch::Tensor PatchContent(Draws& draw, const torch::Tensor& clean) {
  const int64_t count = clean.size(0);
  auto source = clean;
  if (count > 1) {
    const auto offset = draw.Integers(1, count, {count});
    const auto index = (torch::arange(count, offset.options()) + offset).remainder(count);
    source = clean.index_select(0, index);
  }
  const auto angle = draw.Uniform({count}, -kPi, kPi);
  const auto shift = draw.Uniform({count, 2}, -1, 1);
  const auto theta =
      torch::stack({angle.cos(), -angle.sin(), shift.select(1, 0), angle.sin(), angle.cos(), shift.select(1, 1)}, 1)
          .view({count, 2, 3});
  const auto grid = F::affine_grid(theta, clean.sizes(), /*align_corners=*/false);
  return F::grid_sample(
      source, grid,
      F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kReflection).align_corners(false));
}

// A Perlin field between two random colours, in [0, 1].
torch::Tensor PerlinContent(Draws& draw, int64_t channels, int64_t height, int64_t width) {
  auto field = RotatedPerlin(draw, height, width).unsqueeze(1);
  const auto low = field.amin({2, 3}, /*keepdim=*/true);
  const auto high = field.amax({2, 3}, /*keepdim=*/true);
  field = (field - low) / (high - low).clamp_min(1e-6);
  const auto from = draw.PerImage(0, 1, channels);
  const auto to = draw.PerImage(0, 1, channels);
  return from + (to - from) * field;
}

// Gamma, brightness, hue-like channel changes (colour only), solarize, posterize; result in [0, 1].
torch::Tensor Augment(Draws& draw, torch::Tensor content) {
  const int64_t channels = content.size(1);
  const auto gamma = torch::exp(draw.PerImage(std::log(0.5), std::log(2.0)));
  content = content.clamp(1e-4, 1).pow(gamma) + draw.PerImage(-0.2, 0.2);
  if (channels > 1) {
    content = content * draw.PerImage(0.8, 1.2, channels);
    const auto roll = draw.Integers(0, channels, {content.size(0), 1, 1, 1});
    const auto index = (torch::arange(channels, roll.options()).view({1, channels, 1, 1}) + roll).remainder(channels);
    content = content.gather(1, index.expand_as(content));
  }
  content = content.clamp(0, 1);
  content = torch::where(draw.Chance(kAugmentShare) & (content > 0.5), 1 - content, content);
  const auto levels = static_cast<double>(kPosterizeLevels);
  const auto posterized = (content * levels).floor().clamp_max(levels - 1) / (levels - 1);
  return torch::where(draw.Chance(kAugmentShare), posterized, content);
}

}  // namespace

SyntheticBatch PlantSyntheticDefects(const torch::Tensor& clean, const SyntheticDefectOptions& options, uint64_t seed) {
  torch::NoGradGuard no_gradients;
  const int64_t count = clean.size(0);
  const int64_t channels = clean.size(1);
  const int64_t height = clean.size(2);
  const int64_t width = clean.size(3);
  Draws draw(count, clean.options().dtype(torch::kFloat), seed);
  const auto x = clean.to(torch::kFloat);

  // Every draw is made whatever the options, in a fixed order: changing one option leaves the others' draws.
  const auto masks =
      (RotatedPerlin(draw, height, width).unsqueeze(1) > kMaskThreshold) & draw.Chance(options.probability);
  const auto opacity = draw.PerImage(options.min_opacity, 1);
  const auto source_pick = draw.Integers(0, static_cast<int64_t>(options.sources.size()), {count, 1, 1, 1});
  const auto patch = PatchContent(draw, x);
  const auto perlin = PerlinContent(draw, channels, height, width);
  const auto flat = draw.PerImage(0, 1, channels).expand_as(x);

  auto content = torch::zeros_like(x);
  for (size_t i = 0; i < options.sources.size(); ++i) {
    const auto& source = options.sources[i];
    const auto& candidate = source == DefectSource::Patch ? patch : source == DefectSource::Perlin ? perlin : flat;
    content = torch::where(source_pick == static_cast<int64_t>(i), candidate, content);
  }
  content = Augment(draw, content);
  // Into the image's own range, per channel: generated content is scaled there, a patch clipped to it.
  const auto low = x.amin({2, 3}, /*keepdim=*/true);
  const auto high = x.amax({2, 3}, /*keepdim=*/true);
  auto is_patch = torch::zeros_like(source_pick, torch::kBool);
  for (size_t i = 0; i < options.sources.size(); ++i) {
    if (options.sources[i] == DefectSource::Patch) is_patch.logical_or_(source_pick == static_cast<int64_t>(i));
  }
  content = torch::where(is_patch, torch::max(torch::min(content, high), low), low + (high - low) * content);

  const auto planted = x + masks.to(torch::kFloat) * opacity * (content - x);
  // Where the defect's content matches the image under it there is nothing to find: such pixels stay out of
  // the mask, or the supervision would teach the map to mark normal-looking pixels.
  const auto visible = (planted - x).abs().amax(1, /*keepdim=*/true) > kVisibleChange;
  return {planted, (masks & visible).to(torch::kFloat)};
}

}  // namespace vad
