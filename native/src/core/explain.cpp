#include "core/explain.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/cpu_memory.h"
#include "core/device.h"
#include "core/errors.h"
#include "core/grad_cam.h"
#include "core/losses.h"
#include "core/msgms.h"
#include "core/segmentation_head.h"

namespace vad {
namespace {

// What a gradient map is taken of.
enum class Target { Loss, Latent, Residual };
constexpr size_t kTargets = 3;

std::optional<Target> TargetOf(MapKind kind) {
  switch (kind) {
    case MapKind::GradCamLoss:
    case MapKind::LayerCamLoss: return Target::Loss;
    case MapKind::GradCamLatent:
    case MapKind::LayerCamLatent: return Target::Latent;
    case MapKind::GradCamResidual:
    case MapKind::LayerCamResidual: return Target::Residual;
    case MapKind::Residual:
    case MapKind::Ssim:
    case MapKind::Msgms:
    case MapKind::Segmentation: return std::nullopt;
  }
  return std::nullopt;
}

bool IsElementWise(MapKind kind) {
  return kind == MapKind::LayerCamLoss || kind == MapKind::LayerCamLatent || kind == MapKind::LayerCamResidual;
}

// One batch's forward pass: everything its maps are made from.
struct Batch {
  torch::Tensor x;  // (B, C, H, W) in [0, 1]
  Encoded encoded;
  torch::Tensor reconstruction;
  torch::Tensor per_image_loss;
};

struct LayerGradient {
  torch::Tensor activation;
  torch::Tensor gradient;  // of the target, at the activation
};

LayerGradient GradientAt(UNet& model, size_t layer, Target target, const Batch& batch) {
  if (target == Target::Residual) {
    const Encoded residual = model->Encode((batch.x - batch.reconstruction).detach());
    const auto& activation = UNetImpl::Activation(residual, layer);
    return {activation, TargetGradient(residual.bottleneck.sum(), activation, false)};
  }
  const auto& activation = UNetImpl::Activation(batch.encoded, layer);
  const auto scalar = target == Target::Loss ? batch.per_image_loss.sum() : batch.encoded.bottleneck.sum();
  return {activation, TargetGradient(scalar, activation, false)};
}

// The maps that need no gradient, (B, H, W).
torch::Tensor ComparisonMap(UNet& model, MapKind kind, const Batch& batch) {
  switch (kind) {
    case MapKind::Residual: return (batch.x - batch.reconstruction).abs().mean(1);
    case MapKind::Ssim: return (1 - SsimMap(batch.reconstruction, batch.x)).mean(1);
    case MapKind::Msgms: return MsgmsMap(batch.reconstruction, batch.x);
    case MapKind::Segmentation: return SegmentationMap(model->segmentation(), batch.x, batch.reconstruction);
    default: throw TypeError("map '" + ToString(kind) + "' needs a gradient");
  }
}

void AppendTo(std::vector<float>& out, const torch::Tensor& values) {
  const auto cpu = values.detach().to(torch::kCPU, torch::kFloat).contiguous();
  const auto* begin = cpu.data_ptr<float>();
  out.insert(out.end(), begin, begin + cpu.numel());
}

// (B, H, W) -> (B,)
torch::Tensor MapScores(const torch::Tensor& maps, ScoreKind score) {
  const auto flat = maps.flatten(1);
  if (score == ScoreKind::Max) return std::get<0>(flat.max(1));
  // The mean of the top 1 % of pixels: a max that one hot pixel cannot decide alone.
  const auto k = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(0.01 * static_cast<double>(flat.size(1)))));
  return std::get<0>(flat.topk(k, 1)).mean(1);
}

}  // namespace

ExplainOutput Explain(UNet& model, const torch::Tensor& images, const ExplainOptions& options) {
  Validate(options);
  const auto& config = model->config();
  const size_t layer = model->LayerIndex(options.layer);

  std::vector<MapKind> maps;
  for (const auto kind : options.maps) {
    if (std::find(maps.begin(), maps.end(), kind) == maps.end()) maps.push_back(kind);
  }
  const MapKind score_map = options.score_map.value_or(maps.empty() ? MapKind::Residual : maps.front());
  if (options.score != ScoreKind::Loss && std::find(maps.begin(), maps.end(), score_map) == maps.end()) {
    maps.push_back(score_map);
  }
  const bool needs_gradients =
      std::any_of(maps.begin(), maps.end(), [](MapKind kind) { return TargetOf(kind).has_value(); });
  if (!model->segmentation() && std::find(maps.begin(), maps.end(), MapKind::Segmentation) != maps.end()) {
    throw RangeError(
        "map 'segmentation' needs a segmentation head: build the model with segmentationHead: true and train it "
        "with syntheticDefects");
  }

  const torch::Device device = ResolveDevice(options.device);
  if (device.is_cpu()) UseAllCpuCores();
  std::optional<CpuMemoryCache> memory_cache;  // reuses the freed blocks of earlier steps and batches
  if (device.is_cpu()) memory_cache.emplace();
  model->to(device);
  model->eval();

  ExplainOutput out;
  out.count = images.size(0);
  out.channels = images.size(1);
  out.height = images.size(2);
  out.width = images.size(3);
  out.maps = maps;
  out.map_values.resize(maps.size());
  const auto pixels = static_cast<size_t>(out.count * out.height * out.width);
  for (auto& values : out.map_values) values.reserve(pixels);
  out.reconstructions.reserve(pixels * static_cast<size_t>(out.channels));

  for (int64_t start = 0; start < out.count; start += options.batch_size) {
    const int64_t end = std::min(out.count, start + options.batch_size);
    const auto x = images.slice(0, start, end).to(device).to(torch::kFloat).div_(255.0);
    // Build a graph only when a gradient map needs one.
    torch::AutoGradMode grad_mode(needs_gradients);

    Batch batch{x, model->Encode(x), {}, {}};
    batch.reconstruction = model->Decode(batch.encoded);
    batch.per_image_loss = PerImageLoss(batch.reconstruction, x, config.loss, config.ssim_weight);

    std::array<std::optional<LayerGradient>, kTargets> gradients;  // each target's backward pass, once
    std::vector<torch::Tensor> batch_maps;
    for (const auto kind : maps) {
      torch::Tensor map;
      if (const auto target = TargetOf(kind)) {
        auto& cached = gradients[static_cast<size_t>(*target)];
        if (!cached) cached = GradientAt(model, layer, *target, batch);
        map = IsElementWise(kind) ? ElementWiseMap(cached->activation, cached->gradient, options.sign)
                                  : ChannelWeightedMap(cached->activation, cached->gradient, options.sign);
      } else {
        map = ComparisonMap(model, kind, batch);
      }
      batch_maps.push_back(UpsampleMaps(map.detach(), out.height, out.width));
    }

    for (size_t i = 0; i < maps.size(); ++i) AppendTo(out.map_values[i], batch_maps[i]);
    AppendTo(out.reconstructions, batch.reconstruction);
    const auto losses = batch.per_image_loss.detach().to(torch::kCPU, torch::kDouble).contiguous();
    torch::Tensor scores = losses;
    if (options.score != ScoreKind::Loss) {
      const auto index = static_cast<size_t>(std::find(maps.begin(), maps.end(), score_map) - maps.begin());
      scores = MapScores(batch_maps[index], options.score).to(torch::kCPU, torch::kDouble).contiguous();
    }
    for (int64_t i = 0; i < end - start; ++i) {
      out.losses.push_back(losses.data_ptr<double>()[i]);
      out.scores.push_back(scores.data_ptr<double>()[i]);
    }
  }
  return out;
}

}  // namespace vad
