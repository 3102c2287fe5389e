#include "core/explain.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/cpu_memory.h"
#include "core/device.h"
#include "core/grad_cam.h"
#include "core/losses.h"

namespace vad {
namespace {

bool IsGradCam(MapKind kind) {
  return kind == MapKind::GradCamLoss || kind == MapKind::GradCamLatent || kind == MapKind::GradCamResidual;
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
  const bool needs_gradients = std::any_of(maps.begin(), maps.end(), IsGradCam);

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
    // Build a graph only when a Grad-CAM map needs one.
    torch::AutoGradMode grad_mode(needs_gradients);

    const Encoded encoded = model->Encode(x);
    const auto reconstruction = model->Decode(encoded);
    const auto per_image_loss = PerImageLoss(reconstruction, x, config.loss, config.ssim_weight);

    std::vector<torch::Tensor> batch_maps;
    for (const auto kind : maps) {
      torch::Tensor map;
      switch (kind) {
        case MapKind::GradCamLoss:
          map = GradCam(per_image_loss.sum(), UNetImpl::Activation(encoded, layer), options.sign, false);
          break;
        case MapKind::GradCamLatent:
          map = GradCam(encoded.bottleneck.sum(), UNetImpl::Activation(encoded, layer), options.sign, false);
          break;
        case MapKind::GradCamResidual: {
          const Encoded residual = model->Encode((x - reconstruction).detach());
          map = GradCam(residual.bottleneck.sum(), UNetImpl::Activation(residual, layer), options.sign, false);
          break;
        }
        case MapKind::Residual: map = (x - reconstruction).abs().mean(1); break;
        case MapKind::Ssim: map = (1 - SsimMap(reconstruction, x)).mean(1); break;
      }
      batch_maps.push_back(UpsampleMaps(map.detach(), out.height, out.width));
    }

    for (size_t i = 0; i < maps.size(); ++i) AppendTo(out.map_values[i], batch_maps[i]);
    AppendTo(out.reconstructions, reconstruction);
    const auto losses = per_image_loss.detach().to(torch::kCPU, torch::kDouble).contiguous();
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
