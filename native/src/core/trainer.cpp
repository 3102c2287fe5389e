#include "core/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <numeric>
#include <optional>
#include <sstream>

#include "core/attention_supervision.h"
#include "core/autocast.h"
#include "core/batch_norm_statistics.h"
#include "core/cpu_memory.h"
#include "core/device.h"
#include "core/errors.h"
#include "core/grad_cam.h"
#include "core/losses.h"
#include "core/segmentation_head.h"
#include "core/stopping.h"
#include "core/synthetic_defects.h"

namespace vad {
namespace {

constexpr int64_t kDefaultBatchSize = 16;
// Mixed into a step's seed for the synthetic defects, so their draws are not the flips' or the skip noise's.
constexpr uint64_t kSyntheticDefectStream = 0x5EEDDEFEC7ull;
// Mixed into a step's seed for the patch offsets.
constexpr uint64_t kPatchStream = 0x9A7C4E5ull;
// Mixed into an epoch's last step seed for the skip noise of the batch norm statistics' pass.
constexpr uint64_t kBatchNormStream = 0xB4C7A0E5ull;
// Whole training images batch norm's statistics are measured on at the end of an epoch: two batches of 16 at
// 256 px hold millions of values per channel. On the CPU they made an epoch of KolektorSDD's 64 px patches (13 steps
// of 16) 1.4x as long, one of magnetic tile's whole 128 px images (15 steps) not measurably longer.
constexpr int64_t kBatchNormImages = 32;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t Mix(uint64_t a, uint64_t b) { return SplitMix64(a ^ SplitMix64(b + 0x632BE59BD9B4E019ull)); }

// Fisher-Yates with our own generator: the order depends on (seed, epoch) only, on every platform.
std::vector<int64_t> EpochOrder(int64_t count, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  uint64_t state = Mix(seed, static_cast<uint64_t>(epoch));
  for (int64_t i = count - 1; i > 0; --i) {
    state = SplitMix64(state);
    std::swap(order[static_cast<size_t>(i)], order[state % static_cast<uint64_t>(i + 1)]);
  }
  return order;
}

// The Adam state and the U-Net's weights (anything with save/load of an archive) as archive bytes, and back.
template <typename Saveable>
std::string ToArchiveBytes(Saveable& object) {
  torch::serialize::OutputArchive archive;
  object.save(archive);
  std::ostringstream bytes;
  archive.save_to(bytes);
  return bytes.str();
}

template <typename Loadable>
void FromArchiveBytes(Loadable& object, const std::string& bytes, torch::Device device) {
  torch::serialize::InputArchive archive;
  archive.load_from(bytes.data(), bytes.size(), device);
  object.load(archive);
}

// Flips each image of the batch with probability 1/2 per enabled axis, decided by step_seed.
torch::Tensor RandomFlips(const torch::Tensor& batch, uint64_t step_seed, bool horizontal, bool vertical) {
  auto result = batch;
  const int64_t count = batch.size(0);
  for (int axis = 0; axis < 2; ++axis) {
    if (!(axis == 0 ? horizontal : vertical)) continue;
    std::vector<uint8_t> flip(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      flip[static_cast<size_t>(i)] = (SplitMix64(step_seed + static_cast<uint64_t>(i)) >> (axis + 7)) & 1;
    }
    auto mask = torch::from_blob(flip.data(), {count, 1, 1, 1}, torch::kUInt8).to(batch.device()).to(torch::kBool);
    result = torch::where(mask, result.flip({axis == 0 ? 3 : 2}), result);
  }
  return result;
}

// One patch x patch crop of each image of the batch, at an offset drawn from crop_seed: every position of the
// image is as likely, so over the epochs the crops cover it all.
torch::Tensor RandomCrops(const torch::Tensor& batch, int64_t patch, uint64_t crop_seed) {
  const auto rows = static_cast<uint64_t>(batch.size(2) - patch + 1);
  const auto columns = static_cast<uint64_t>(batch.size(3) - patch + 1);
  std::vector<torch::Tensor> crops;
  for (int64_t i = 0; i < batch.size(0); ++i) {
    const uint64_t draw = SplitMix64(crop_seed + static_cast<uint64_t>(i));
    const auto top = static_cast<int64_t>((draw >> 32) % rows);
    const auto left = static_cast<int64_t>((draw & 0xFFFFFFFFull) % columns);
    crops.push_back(batch[i].narrow(1, top, patch).narrow(2, left, patch));
  }
  return torch::stack(crops);
}

double GradientNorm(UNet& model) {
  std::vector<torch::Tensor> squares;
  for (const auto& p : model->reconstruction_parameters()) {
    if (p.grad().defined()) squares.push_back(p.grad().to(torch::kFloat).pow(2).sum());
  }
  return squares.empty() ? 0.0 : torch::stack(squares).sum().sqrt().item<double>();
}

// The run's state at its start: the checkpoint's when resuming (seed and batch size must match), else fresh.
TrainState StartState(const TrainOptions& options, const std::optional<TrainState>& state) {
  TrainState run;
  if (options.resume) {
    if (!state) {
      throw RangeError("resume: this model has no training state; load a checkpoint written by train() first");
    }
    run = *state;
    if (options.seed && *options.seed != run.info.seed) {
      throw RangeError("resume: the checkpoint was trained with seed " + std::to_string(run.info.seed) +
                       ", options.seed is " + std::to_string(*options.seed));
    }
    if (options.batch_size && *options.batch_size != run.info.batch_size) {
      throw RangeError("resume: the checkpoint was trained with batchSize " + std::to_string(run.info.batch_size) +
                       ", options.batchSize is " + std::to_string(*options.batch_size));
    }
  } else {
    run.info.seed = options.seed.value_or(0);
    run.info.batch_size = options.batch_size.value_or(kDefaultBatchSize);
  }
  run.info.finished = false;  // until this call ends by the run's own rule
  return run;
}

}  // namespace

TrainResult Train(UNet& model, const torch::Tensor& images, const torch::Tensor& validation,
                  const TrainOptions& options, std::optional<TrainState>& state, const ProgressFn& on_progress,
                  const std::atomic<bool>& cancel) {
  Validate(options);
  const auto& config = model->config();
  Validate(options, config);
  const size_t attention_layer = model->LayerIndex(options.attention_layer);
  const size_t supervision_layer = model->LayerIndex(options.supervision_layer);
  const bool use_attention = options.attention_weight > 0;
  const bool use_supervision = options.supervision_weight > 0;
  if (options.patience && !validation.defined()) {
    throw RangeError("patience needs validation images: the plateau is one of their loss");
  }

  TrainState run = StartState(options, state);
  if (!options.checkpoint_path.empty()) CheckCheckpointWritable(options.checkpoint_path);
  const torch::Device device = ResolveDevice(options.device);
  if (device.is_cpu()) UseAllCpuCores();
  std::optional<CpuMemoryCache> memory_cache;  // reuses the freed blocks of earlier steps and batches
  if (device.is_cpu()) memory_cache.emplace();
  const bool amp = device.is_cuda() && options.mixed_precision;
  model->to(device);
  model->train();
  // The one copy of the training (and validation) set onto the device; batches are gathered from it.
  const auto data = images.to(device);
  const auto validation_data = validation.defined() ? validation.to(device) : torch::Tensor();
  const int64_t count = data.size(0);
  const int64_t batch_size = std::min(run.info.batch_size, count);
  // A last partial batch is dropped: a batch of one breaks batch norm at a 1x1 bottleneck.
  const int64_t steps_per_epoch = count / batch_size;
  // The supervision's warm-up is a share of the whole run's steps, whether or not it stops early.
  const int64_t run_steps = options.epochs * steps_per_epoch;

  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(options.learning_rate));
  if (options.resume && !run.optimizer.empty()) {
    FromArchiveBytes(optimizer, run.optimizer, device);
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(options.learning_rate);
    }
  }

  const int64_t first_epoch = run.info.epochs_completed;
  const int64_t steps_to_do =
      std::max<int64_t>(0, (options.epochs - first_epoch) * steps_per_epoch - run.info.step_in_epoch);

  TrainResult result;
  result.device = device.is_cuda() ? "cuda" : "cpu";
  result.mixed_precision = amp;
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

  auto finish = [&](StopReason reason) {
    model->set_noise_generator(std::nullopt);
    run.optimizer = ToArchiveBytes(optimizer);
    run.info.finished = reason != StopReason::Cancelled;
    // The epochs after the best only made the held-back normals' loss worse; a cancelled run keeps its
    // last weights, as resuming needs them.
    if (run.info.finished && !run.best_weights.empty() && run.plateau.best_epoch < run.info.epochs_completed) {
      FromArchiveBytes(*model, run.best_weights, device);
    }
    state = run;
    if (!options.checkpoint_path.empty()) SaveCheckpoint(options.checkpoint_path, model, state);
    result.cancelled = reason == StopReason::Cancelled;
    result.stop_reason = reason;
    result.seconds = elapsed();
    result.best_epoch = run.plateau.best_epoch;
    result.state = run.info;
    return result;
  };

  for (int64_t epoch = first_epoch; epoch < options.epochs; ++epoch) {
    const auto order = EpochOrder(count, static_cast<uint64_t>(run.info.seed), epoch);
    const auto order_tensor = torch::from_blob(const_cast<int64_t*>(order.data()), {count}, torch::kInt64).to(device);
    double loss_sum = 0;
    int64_t loss_steps = 0;
    std::optional<double> validation_loss;
    for (int64_t step = run.info.step_in_epoch; step < steps_per_epoch; ++step) {
      if (cancel.load()) return finish(StopReason::Cancelled);
      const uint64_t step_seed =
          Mix(Mix(static_cast<uint64_t>(run.info.seed), static_cast<uint64_t>(epoch)), static_cast<uint64_t>(step));
      // Per-step generator: a resumed run draws the same noise, whatever other threads draw.
      if (config.skip_noise_std > 0) model->set_noise_generator(SeededGenerator(device, step_seed));
      auto pixels = data.index_select(0, order_tensor.slice(0, step * batch_size, (step + 1) * batch_size));
      if (options.patch_size > 0) pixels = RandomCrops(pixels, options.patch_size, Mix(step_seed, kPatchStream));
      auto x = pixels.to(torch::kFloat).div_(255.0);
      if (options.flip_horizontal || options.flip_vertical) {
        x = RandomFlips(x, step_seed, options.flip_horizontal, options.flip_vertical);
      }
      // With synthetic defects the model sees the corrupted image and is scored against the clean one.
      torch::Tensor input = x;
      torch::Tensor masks;
      if (options.synthetic_defects) {
        auto planted = PlantSyntheticDefects(x, *options.synthetic_defects, Mix(step_seed, kSyntheticDefectStream));
        input = planted.images;
        masks = planted.masks;
      }

      optimizer.zero_grad();
      Encoded encoded;
      torch::Tensor reconstruction, segmentation_logits;
      {
        CudaAutocast autocast(amp);
        encoded = model->Encode(input);
        reconstruction = model->Decode(encoded);
        // The head reads the reconstruction as it is, detached: its loss never reaches the U-Net.
        if (model->segmentation()) segmentation_logits = model->segmentation()->forward(input, reconstruction.detach());
      }
      const auto per_image = PerImageLoss(reconstruction, x, config.loss, config.ssim_weight);
      const auto loss = per_image.mean();
      auto total = loss;
      torch::Tensor attention;
      if (use_attention) {
        const auto& activation = UNetImpl::Activation(encoded, attention_layer);
        attention = GradCam(per_image.sum(), activation, options.attention_sign, /*create_graph=*/true).mean();
        total = total + options.attention_weight * attention;
      }
      const double ramp =
          use_supervision
              ? SupervisionRamp(RunProgress(epoch * steps_per_epoch + step, run_steps, elapsed(), options.max_seconds),
                                options.supervision_warmup)
              : 0;
      torch::Tensor supervision;
      if (ramp > 0) {
        const auto map = SupervisedMap(input, reconstruction, UNetImpl::Activation(encoded, supervision_layer), config,
                                       options.supervision_sign);
        supervision = SupervisionLoss(map, masks);
        BackwardWithSupervision(model->reconstruction_parameters(), total, supervision,
                                options.supervision_weight * ramp);
      } else {
        total.backward();
      }
      // After the U-Net's gradients, which BackwardWithSupervision assigns rather than accumulates; the two
      // graphs share nothing, so the head's gradients land on its own parameters only.
      torch::Tensor segmentation;
      if (segmentation_logits.defined()) {
        segmentation = SegmentationLoss(segmentation_logits, masks);
        segmentation.backward();
      }
      const double gradient_norm = GradientNorm(model);
      optimizer.step();

      const double loss_value = loss.item<double>();
      loss_sum += loss_value;
      ++loss_steps;
      ++result.steps;
      run.info.step_in_epoch = step + 1;
      if (step + 1 == steps_per_epoch) {
        if (options.recompute_batch_norm && config.batch_norm) {
          const auto first = order_tensor.slice(0, 0, std::min(count, kBatchNormImages));
          RecomputeBatchNormStatistics(model, data.index_select(0, first), batch_size, Mix(step_seed, kBatchNormStream),
                                       amp);
        }
        if (validation_data.defined()) validation_loss = ValidationLoss(model, validation_data, batch_size, amp);
        model->train();
      }

      TrainProgress progress;
      progress.epoch = epoch + 1;
      progress.epochs = options.epochs;
      progress.step = step + 1;
      progress.steps_per_epoch = steps_per_epoch;
      progress.loss = loss_value;
      progress.attention_loss = use_attention ? attention.item<double>() : 0.0;
      progress.supervision_loss = supervision.defined() ? supervision.item<double>() : 0.0;
      progress.segmentation_loss = segmentation.defined() ? segmentation.item<double>() : 0.0;
      progress.validation_loss = validation_loss;
      progress.gradient_norm = gradient_norm;
      const double seconds = elapsed();
      progress.images_per_second = static_cast<double>(result.steps * batch_size) / std::max(seconds, 1e-9);
      progress.eta_seconds = EtaSeconds(seconds, result.steps, steps_to_do - result.steps, steps_per_epoch - step - 1,
                                        steps_per_epoch, options.max_seconds);
      if (on_progress) on_progress(progress);
    }
    run.info.epochs_completed = epoch + 1;
    run.info.step_in_epoch = 0;
    if (loss_steps > 0) result.epoch_losses.push_back(loss_sum / static_cast<double>(loss_steps));
    if (validation_loss) {
      result.validation_losses.push_back(*validation_loss);
      if (RecordValidationLoss(run.plateau, epoch + 1, *validation_loss)) run.best_weights = ToArchiveBytes(*model);
    }
    if (epoch + 1 == options.epochs) break;
    if (options.patience && run.plateau.epochs_since_best >= *options.patience) return finish(StopReason::Plateau);
    if (options.max_seconds && elapsed() >= *options.max_seconds) return finish(StopReason::Budget);
    if (!options.checkpoint_path.empty()) {
      run.optimizer = ToArchiveBytes(optimizer);
      SaveCheckpoint(options.checkpoint_path, model, run);
    }
  }
  return finish(StopReason::Epochs);
}

}  // namespace vad
