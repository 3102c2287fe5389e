#pragma once
// Plain option and result structs of the engine, with their validation. No LibTorch here:
// the binding and the engine check include this header without paying for torch headers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vad {

enum class LossKind { Mse, L1, Ssim, SsimMse };
// What Grad-CAM keeps of the weighted activation sum: its positive part, its negative part, or both.
enum class CamSign { Relu, NegRelu, Abs };
enum class MapKind {
  GradCamLoss,
  GradCamLatent,
  GradCamResidual,
  LayerCamLoss,
  LayerCamLatent,
  LayerCamResidual,
  Residual,
  Ssim,
  Msgms,
  Segmentation
};
enum class ScoreKind { Max, Top1, Loss };
// Where a synthetic defect's content comes from: a patch of another training image, Perlin noise, a flat colour.
enum class DefectSource { Patch, Perlin, Flat };
// Why a training run ended: all its epochs, a validation plateau, the time budget, or a cancel.
enum class StopReason { Epochs, Plateau, Budget, Cancelled };

// Names as the JS API spells them; Parse* throws vad::TypeError listing the accepted names.
std::string ToString(LossKind kind);
std::string ToString(CamSign sign);
std::string ToString(MapKind kind);
std::string ToString(ScoreKind kind);
std::string ToString(DefectSource source);
std::string ToString(StopReason reason);
LossKind ParseLossKind(const std::string& name);
CamSign ParseCamSign(const std::string& name);
MapKind ParseMapKind(const std::string& name);
ScoreKind ParseScoreKind(const std::string& name);
DefectSource ParseDefectSource(const std::string& name);

struct ModelConfig {
  int64_t channels = 1;        // 1 (grayscale) or 3 (RGB)
  int64_t image_size = 128;    // square images, 32..1024, a multiple of 2^depth
  int64_t depth = 4;           // pooling steps: encoder blocks enc1..enc<depth>, then the bottleneck
  int64_t base_channels = 16;  // width of enc1; each level doubles it
  bool batch_norm = true;
  bool skips = true;           // false: a plain convolutional autoencoder (the baseline)
  int64_t drop_top_skips = 0;  // the highest-resolution skips removed (enc1 first); 0..depth
  double skip_noise_std = 0;   // Gaussian noise added to skip features while training only
  LossKind loss = LossKind::Mse;
  double ssim_weight = 0.5;  // SsimMse: w * (1 - SSIM) + (1 - w) * MSE
  int64_t seed = 0;          // weight initialisation
  // The model also owns a segmentation head (core/segmentation_head.h), trained on the synthetic defects' masks:
  // a reference map beside the attention map. Training then needs synthetic defects.
  bool segmentation_head = false;
};

// Throws vad::RangeError / vad::TypeError naming the offending field (with its JS spelling).
void Validate(const ModelConfig& config);

// True when decoder level `level` (1 = highest resolution) concatenates its encoder features.
bool HasSkip(const ModelConfig& config, int64_t level);

// DRAEM-style synthetic defects planted in training images (core/synthetic_defects.h says how).
struct SyntheticDefectOptions {
  double probability = 0.5;  // chance of each training image to get one
  std::vector<DefectSource> sources = {DefectSource::Patch, DefectSource::Perlin, DefectSource::Flat};
  double min_opacity = 0.2;  // a defect's opacity is drawn uniformly in [min_opacity, 1]
};

void Validate(const SyntheticDefectOptions& options);

struct TrainOptions {
  int64_t epochs = 10;                // total epochs of the run; a resumed run continues up to it
  std::optional<int64_t> batch_size;  // default 16, or the checkpoint's when resuming
  double learning_rate = 1e-3;
  std::optional<int64_t> seed;  // shuffling, flips, skip noise; default 0 or the checkpoint's
  double attention_weight = 0;  // lambda of the attention term; 0 turns it off
  std::string attention_layer = "enc1";
  CamSign attention_sign = CamSign::Abs;
  // Present: training images get synthetic defects, and the model learns to reconstruct the clean image.
  std::optional<SyntheticDefectOptions> synthetic_defects;
  // The attention supervision's gradient, relative to the reconstruction's (needs synthetic_defects); 0: off.
  double supervision_weight = 0;
  std::string supervision_layer = "enc1";
  CamSign supervision_sign = CamSign::Abs;  // the sign explain will use for the LayerCAM map
  double supervision_warmup = 0.2;          // share of the run (steps or time budget) before the supervision starts
  std::optional<int64_t> patience;          // stop after this many epochs without a better validation loss
  std::optional<double> max_seconds;        // stop at the end of the epoch in which this call's time passes it
  bool flip_horizontal = false;             // for textures only: flips fabricate defects on oriented objects
  // > 0: each step trains on one random patch_size x patch_size crop of each image (synthetic defects planted in
  // the crop); 0: whole images. Validation and explain always take whole images: the U-Net is fully convolutional.
  int64_t patch_size = 0;
  bool flip_vertical = false;
  // At the end of each epoch, before the validation loss, batch norm's statistics are measured again with the
  // epoch's weights on clean whole training images (core/batch_norm_statistics.h).
  bool recompute_batch_norm = false;
  std::string device = "auto";
  bool mixed_precision = true;  // bf16 autocast; CUDA only, ignored on the CPU
  std::string checkpoint_path;  // empty: no checkpoint files
  bool resume = false;          // continue from the model's training state (loaded checkpoint)
};

void Validate(const TrainOptions& options);
// What the options ask of the model: a patch size that fits the image and the U-Net's pooling, and synthetic
// defects for a model with a segmentation head (it learns from their masks).
void Validate(const TrainOptions& options, const ModelConfig& config);

struct TrainProgress {
  int64_t epoch = 0;  // 1-based
  int64_t epochs = 0;
  int64_t step = 0;  // 1-based, within the epoch
  int64_t steps_per_epoch = 0;
  double loss = 0;                        // reconstruction loss of this step
  double attention_loss = 0;              // mean attention of this step (0 when the term is off)
  double supervision_loss = 0;            // focal + Dice of the attention supervision (0 when off or warming up)
  double segmentation_loss = 0;           // focal + Dice of the segmentation head (0 without one)
  std::optional<double> validation_loss;  // at an epoch's last step, when there are validation images
  double gradient_norm = 0;               // L2 norm of the U-Net's parameter gradients of this step (not the head's)
  double images_per_second = 0;
  double eta_seconds = 0;
};

// Where a training run stands: enough to continue it exactly.
struct TrainStateInfo {
  int64_t epochs_completed = 0;
  int64_t step_in_epoch = 0;  // steps done in the unfinished epoch (after a cancel)
  int64_t seed = 0;
  int64_t batch_size = 0;
  bool finished = false;  // the run ended by its own rule (epochs, plateau, budget), not by a cancel
};

struct TrainResult {
  bool cancelled = false;
  StopReason stop_reason = StopReason::Epochs;
  std::vector<double> epoch_losses;       // mean reconstruction loss of each epoch finished in this call
  std::vector<double> validation_losses;  // mean loss on the validation images after each of those epochs
  double seconds = 0;
  std::string device;  // "cpu" or "cuda"
  bool mixed_precision = false;
  int64_t steps = 0;  // optimizer steps taken in this call
  // The epoch (1-based, over every call) with the lowest validation loss; 0 without validation images. A run
  // that ends by its own rule hands back this epoch's weights; a cancelled one its last.
  int64_t best_epoch = 0;
  TrainStateInfo state;
};

struct ExplainOptions {
  std::vector<MapKind> maps = {MapKind::GradCamLoss};
  std::string layer = "enc1";
  CamSign sign = CamSign::Abs;
  ScoreKind score = ScoreKind::Max;
  std::optional<MapKind> score_map;  // default: the first of maps, or the residual when maps is empty
  int64_t batch_size = 16;
  std::string device = "auto";
};

void Validate(const ExplainOptions& options);

// Maps and reconstructions of a whole explain call, laid out image after image.
struct ExplainOutput {
  int64_t count = 0, channels = 0, height = 0, width = 0;
  std::vector<MapKind> maps;                   // the maps computed, in the order of map_values
  std::vector<std::vector<float>> map_values;  // per map: count * height * width
  std::vector<float> reconstructions;          // count * channels * height * width
  std::vector<double> scores;
  std::vector<double> losses;  // per-image reconstruction loss (the model's loss)
};

}  // namespace vad
