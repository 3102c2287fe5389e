#include "core/config.h"

#include <cmath>
#include <utility>

#include "core/errors.h"

namespace vad {
namespace {

template <typename Enum, size_t N>
std::string NameOf(Enum value, const std::pair<Enum, const char*> (&names)[N]) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
Enum Parse(const std::string& name, const char* what, const std::pair<Enum, const char*> (&names)[N]) {
  std::string accepted;
  for (const auto& [value, candidate] : names) {
    if (name == candidate) return value;
    accepted += (accepted.empty() ? "'" : ", '") + std::string(candidate) + "'";
  }
  throw TypeError("unknown " + std::string(what) + " '" + name + "': expected one of " + accepted);
}

constexpr std::pair<LossKind, const char*> kLossNames[] = {
    {LossKind::Mse, "mse"}, {LossKind::L1, "l1"}, {LossKind::Ssim, "ssim"}, {LossKind::SsimMse, "ssim_mse"}};
constexpr std::pair<CamSign, const char*> kSignNames[] = {
    {CamSign::Relu, "relu"}, {CamSign::NegRelu, "neg_relu"}, {CamSign::Abs, "abs"}};
constexpr std::pair<MapKind, const char*> kMapNames[] = {{MapKind::GradCamLoss, "gradcam_loss"},
                                                         {MapKind::GradCamLatent, "gradcam_latent"},
                                                         {MapKind::GradCamResidual, "gradcam_residual"},
                                                         {MapKind::LayerCamLoss, "layercam_loss"},
                                                         {MapKind::LayerCamLatent, "layercam_latent"},
                                                         {MapKind::LayerCamResidual, "layercam_residual"},
                                                         {MapKind::Residual, "residual"},
                                                         {MapKind::Ssim, "ssim"},
                                                         {MapKind::Msgms, "msgms"},
                                                         {MapKind::Segmentation, "segmentation"}};
constexpr std::pair<ScoreKind, const char*> kScoreNames[] = {
    {ScoreKind::Max, "max"}, {ScoreKind::Top1, "top1"}, {ScoreKind::Loss, "loss"}};
constexpr std::pair<DefectSource, const char*> kSourceNames[] = {
    {DefectSource::Patch, "patch"}, {DefectSource::Perlin, "perlin"}, {DefectSource::Flat, "flat"}};
constexpr std::pair<StopReason, const char*> kStopNames[] = {{StopReason::Epochs, "epochs"},
                                                             {StopReason::Plateau, "plateau"},
                                                             {StopReason::Budget, "budget"},
                                                             {StopReason::Cancelled, "cancelled"}};

void RequireRange(const char* field, double value, double low, double high) {
  if (!(value >= low && value <= high)) {  // written so that NaN fails too
    throw RangeError(std::string(field) + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
                     ", got " + std::to_string(value));
  }
}

void RequireRange(const char* field, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high) {
    throw RangeError(std::string(field) + " must be between " + std::to_string(low) + " and " + std::to_string(high) +
                     ", got " + std::to_string(value));
  }
}

}  // namespace

std::string ToString(LossKind kind) { return NameOf(kind, kLossNames); }
std::string ToString(CamSign sign) { return NameOf(sign, kSignNames); }
std::string ToString(MapKind kind) { return NameOf(kind, kMapNames); }
std::string ToString(ScoreKind kind) { return NameOf(kind, kScoreNames); }
std::string ToString(DefectSource source) { return NameOf(source, kSourceNames); }
std::string ToString(StopReason reason) { return NameOf(reason, kStopNames); }
LossKind ParseLossKind(const std::string& name) { return Parse(name, "loss", kLossNames); }
CamSign ParseCamSign(const std::string& name) { return Parse(name, "Grad-CAM sign", kSignNames); }
MapKind ParseMapKind(const std::string& name) { return Parse(name, "map", kMapNames); }
ScoreKind ParseScoreKind(const std::string& name) { return Parse(name, "score", kScoreNames); }
DefectSource ParseDefectSource(const std::string& name) { return Parse(name, "defect source", kSourceNames); }

void Validate(const ModelConfig& config) {
  if (config.channels != 1 && config.channels != 3) {
    throw RangeError("channels must be 1 or 3, got " + std::to_string(config.channels));
  }
  RequireRange("depth", config.depth, int64_t{3}, int64_t{5});
  RequireRange("imageSize", config.image_size, int64_t{32}, int64_t{1024});
  const int64_t factor = int64_t{1} << config.depth;
  if (config.image_size % factor != 0) {
    throw RangeError("imageSize " + std::to_string(config.image_size) + " is not a multiple of 2^depth = " +
                     std::to_string(factor) + " (depth " + std::to_string(config.depth) + ")");
  }
  RequireRange("baseChannels", config.base_channels, int64_t{1}, int64_t{256});
  RequireRange("dropTopSkips", config.drop_top_skips, int64_t{0}, config.depth);
  RequireRange("skipNoiseStd", config.skip_noise_std, 0.0, 10.0);
  RequireRange("ssimWeight", config.ssim_weight, 0.0, 1.0);
  RequireRange("seed", config.seed, int64_t{0}, int64_t{1} << 53);
}

bool HasSkip(const ModelConfig& config, int64_t level) { return config.skips && level > config.drop_top_skips; }

void Validate(const TrainOptions& options) {
  RequireRange("epochs", options.epochs, int64_t{1}, int64_t{1000000});
  if (options.batch_size) RequireRange("batchSize", *options.batch_size, int64_t{1}, int64_t{65536});
  if (!(options.learning_rate > 0 && options.learning_rate <= 10)) {
    throw RangeError("learningRate must be in (0, 10], got " + std::to_string(options.learning_rate));
  }
  if (options.seed) RequireRange("seed", *options.seed, int64_t{0}, int64_t{1} << 53);
  if (!std::isfinite(options.attention_weight) || options.attention_weight < 0) {
    throw RangeError("attentionWeight must be a finite number >= 0, got " + std::to_string(options.attention_weight));
  }
  if (options.synthetic_defects) Validate(*options.synthetic_defects);
  if (!std::isfinite(options.supervision_weight) || options.supervision_weight < 0) {
    throw RangeError("supervisionWeight must be a finite number >= 0, got " +
                     std::to_string(options.supervision_weight));
  }
  if (options.supervision_weight > 0 && !options.synthetic_defects) {
    throw RangeError("supervisionWeight needs syntheticDefects: the supervision learns from their masks");
  }
  RequireRange("supervisionWarmup", options.supervision_warmup, 0.0, 1.0);
  if (options.patience) RequireRange("patience", *options.patience, int64_t{1}, int64_t{1000000});
  if (options.max_seconds && !(*options.max_seconds > 0)) {
    throw RangeError("maxSeconds must be > 0, got " + std::to_string(*options.max_seconds));
  }
  if (options.patch_size < 0) throw RangeError("patchSize must be >= 0, got " + std::to_string(options.patch_size));
}

void Validate(const TrainOptions& options, const ModelConfig& config) {
  if (config.segmentation_head && !(options.synthetic_defects && options.synthetic_defects->probability > 0)) {
    throw RangeError(
        "a model with segmentationHead needs syntheticDefects with a probability above 0 to train: the head learns "
        "from their masks");
  }
  const int64_t factor = int64_t{1} << config.depth;
  if (options.patch_size != 0 && (options.patch_size > config.image_size || options.patch_size % factor != 0)) {
    throw RangeError("patchSize must be 0 (whole images) or a multiple of 2^depth = " + std::to_string(factor) +
                     " up to imageSize " + std::to_string(config.image_size) + ", got " +
                     std::to_string(options.patch_size));
  }
}

void Validate(const SyntheticDefectOptions& options) {
  RequireRange("syntheticDefects.probability", options.probability, 0.0, 1.0);
  RequireRange("syntheticDefects.minOpacity", options.min_opacity, 0.0, 1.0);
  if (options.sources.empty()) throw RangeError("syntheticDefects.sources must name at least one source");
}

void Validate(const ExplainOptions& options) {
  RequireRange("batchSize", options.batch_size, int64_t{1}, int64_t{65536});
}

}  // namespace vad
