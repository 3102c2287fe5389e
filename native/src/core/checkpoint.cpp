#include "core/checkpoint.h"

#include <torch/torch.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

#include "core/errors.h"

namespace vad {
namespace {

constexpr const char* kFormat = "vad-unet-checkpoint";
constexpr int64_t kVersion = 1;

// c10 messages can run over many lines; the first says what went wrong.
std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

class Reader {
 public:
  Reader(torch::serialize::InputArchive& archive, const std::string& path) : archive_(archive), path_(path) {}

  bool Has(const std::string& key) {
    c10::IValue value;
    return archive_.try_read(key, value);
  }
  c10::IValue Value(const std::string& key) {
    c10::IValue value;
    if (!archive_.try_read(key, value)) Fail("lacks the entry '" + key + "'");
    return value;
  }
  int64_t Int(const std::string& key) {
    auto value = Value(key);
    if (!value.isInt()) Fail("entry '" + key + "' is not an integer");
    return value.toInt();
  }
  double Double(const std::string& key) {
    auto value = Value(key);
    if (!value.isDouble()) Fail("entry '" + key + "' is not a number");
    return value.toDouble();
  }
  bool Bool(const std::string& key) {
    auto value = Value(key);
    if (!value.isBool()) Fail("entry '" + key + "' is not a boolean");
    return value.toBool();
  }
  std::string String(const std::string& key) {
    auto value = Value(key);
    if (!value.isString()) Fail("entry '" + key + "' is not a string");
    return value.toStringRef();
  }
  [[noreturn]] void Fail(const std::string& problem) const {
    throw std::runtime_error("checkpoint '" + path_ + "' " + problem);
  }

 private:
  torch::serialize::InputArchive& archive_;
  const std::string& path_;
};

void WriteConfig(torch::serialize::OutputArchive& archive, const ModelConfig& c) {
  archive.write("config/channels", c.channels);
  archive.write("config/image_size", c.image_size);
  archive.write("config/depth", c.depth);
  archive.write("config/base_channels", c.base_channels);
  archive.write("config/batch_norm", c.batch_norm);
  archive.write("config/skips", c.skips);
  archive.write("config/drop_top_skips", c.drop_top_skips);
  archive.write("config/skip_noise_std", c.skip_noise_std);
  archive.write("config/loss", ToString(c.loss));
  archive.write("config/ssim_weight", c.ssim_weight);
  archive.write("config/seed", c.seed);
  archive.write("config/segmentation_head", c.segmentation_head);
}

ModelConfig ReadConfig(Reader& in) {
  ModelConfig c;
  c.channels = in.Int("config/channels");
  c.image_size = in.Int("config/image_size");
  c.depth = in.Int("config/depth");
  c.base_channels = in.Int("config/base_channels");
  c.batch_norm = in.Bool("config/batch_norm");
  c.skips = in.Bool("config/skips");
  c.drop_top_skips = in.Int("config/drop_top_skips");
  c.skip_noise_std = in.Double("config/skip_noise_std");
  c.ssim_weight = in.Double("config/ssim_weight");
  c.seed = in.Int("config/seed");
  // Absent from checkpoints written before the segmentation head existed: they have none.
  if (in.Has("config/segmentation_head")) c.segmentation_head = in.Bool("config/segmentation_head");
  try {
    c.loss = ParseLossKind(in.String("config/loss"));
    Validate(c);
  } catch (const std::exception& e) {
    in.Fail(std::string("holds an invalid model config: ") + e.what());
  }
  return c;
}

void WriteBytes(torch::serialize::OutputArchive& archive, const std::string& key, const std::string& bytes) {
  auto tensor = torch::empty({static_cast<int64_t>(bytes.size())}, torch::kUInt8);
  std::memcpy(tensor.data_ptr<uint8_t>(), bytes.data(), bytes.size());
  archive.write(key, tensor, /*is_buffer=*/true);
}

std::string ReadBytes(torch::serialize::InputArchive& archive, Reader& in, const std::string& key,
                      const std::string& what) {
  torch::Tensor tensor;
  try {
    archive.read(key, tensor, /*is_buffer=*/true);
  } catch (const c10::Error& e) {
    in.Fail("lacks a readable " + what + ": " + FirstLine(e.what_without_backtrace()));
  }
  if (tensor.scalar_type() != torch::kUInt8 || tensor.dim() != 1) in.Fail("has a malformed " + what);
  tensor = tensor.contiguous();
  return std::string(reinterpret_cast<const char*>(tensor.data_ptr<uint8_t>()), static_cast<size_t>(tensor.numel()));
}

std::map<std::string, std::vector<int64_t>> Shapes(UNet& model) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& item : model->named_parameters()) shapes[item.key()] = item.value().sizes().vec();
  for (const auto& item : model->named_buffers()) shapes[item.key()] = item.value().sizes().vec();
  return shapes;
}

}  // namespace

void SaveCheckpoint(const std::string& path, UNet& model, const std::optional<TrainState>& state) {
  torch::serialize::OutputArchive archive;
  archive.write("vad/format", std::string(kFormat));
  archive.write("vad/version", kVersion);
  WriteConfig(archive, model->config());
  torch::serialize::OutputArchive weights;
  model->save(weights);
  archive.write("model", weights);
  archive.write("train/present", state.has_value());
  if (state) {
    archive.write("train/epochs_completed", state->info.epochs_completed);
    archive.write("train/step_in_epoch", state->info.step_in_epoch);
    archive.write("train/seed", state->info.seed);
    archive.write("train/batch_size", state->info.batch_size);
    archive.write("train/finished", state->info.finished);
    archive.write("train/best_validation_loss", state->plateau.best);
    archive.write("train/epochs_since_best", state->plateau.epochs_since_best);
    archive.write("train/best_epoch", state->plateau.best_epoch);
    WriteBytes(archive, "train/optimizer", state->optimizer);
    if (!state->best_weights.empty()) WriteBytes(archive, "train/best_weights", state->best_weights);
  }
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  try {
    archive.save_to(temporary);
  } catch (const c10::Error& e) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot write checkpoint '" + path + "': " + FirstLine(e.what_without_backtrace()));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot write checkpoint '" + path + "': renaming the temporary file failed");
  }
}

void CheckCheckpointWritable(const std::string& path) {
  const std::string probe = path + ".tmp-" + std::to_string(::getpid());
  const bool writable = std::ofstream(probe).good();
  std::remove(probe.c_str());
  if (!writable) {
    throw std::runtime_error("cannot write checkpoint '" + path + "': its folder does not exist or is not writable");
  }
}

LoadedCheckpoint LoadCheckpoint(const std::string& path) {
  if (!std::ifstream(path).good()) {
    throw std::runtime_error("checkpoint '" + path + "' does not exist or cannot be opened");
  }
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path, torch::Device(torch::kCPU));
  } catch (const c10::Error& e) {
    throw std::runtime_error("checkpoint '" + path + "' is not a readable torch archive (corrupt or another format): " +
                             FirstLine(e.what_without_backtrace()));
  }
  Reader in(archive, path);
  c10::IValue format;
  if (!archive.try_read("vad/format", format) || !format.isString() || format.toStringRef() != kFormat) {
    in.Fail("is a torch archive but not a vad U-Net checkpoint (no 'vad/format' entry)");
  }
  if (const auto version = in.Int("vad/version"); version != kVersion) {
    in.Fail("has format version " + std::to_string(version) + "; this build reads version " + std::to_string(kVersion));
  }
  LoadedCheckpoint loaded;
  loaded.model = UNet(ReadConfig(in));
  // Module::load replaces tensors without checking their shapes: compare against a fresh build.
  const auto expected = Shapes(loaded.model);
  try {
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    loaded.model->load(weights);
  } catch (const c10::Error& e) {
    in.Fail("has weights that do not fit its config: " + FirstLine(e.what_without_backtrace()));
  }
  for (const auto& [name, shape] : Shapes(loaded.model)) {
    const auto wanted = expected.find(name);
    if (wanted == expected.end() || wanted->second != shape) {
      in.Fail("has weights that do not fit its config: '" + name + "' has shape " + c10::str(c10::IntArrayRef(shape)));
    }
  }
  if (in.Bool("train/present")) {
    TrainState state;
    state.info.epochs_completed = in.Int("train/epochs_completed");
    state.info.step_in_epoch = in.Int("train/step_in_epoch");
    state.info.seed = in.Int("train/seed");
    state.info.batch_size = in.Int("train/batch_size");
    // Absent from checkpoints written before runs could stop early: such a run is unfinished unless its
    // epochs say otherwise, and has no validation history.
    if (in.Has("train/finished")) {
      state.info.finished = in.Bool("train/finished");
      state.plateau.best = in.Double("train/best_validation_loss");
      state.plateau.epochs_since_best = in.Int("train/epochs_since_best");
    }
    // Absent from checkpoints written before the best epoch's weights were kept: the run hands back its last.
    if (in.Has("train/best_epoch")) state.plateau.best_epoch = in.Int("train/best_epoch");
    state.optimizer = ReadBytes(archive, in, "train/optimizer", "optimizer state");
    if (in.Has("train/best_weights")) state.best_weights = ReadBytes(archive, in, "train/best_weights", "best weights");
    if (state.info.epochs_completed < 0 || state.info.step_in_epoch < 0 || state.info.batch_size < 1 ||
        state.info.seed < 0 || state.plateau.epochs_since_best < 0 || state.plateau.best_epoch < 0 ||
        state.plateau.best_epoch > state.info.epochs_completed) {
      in.Fail("has an invalid training state");
    }
    loaded.state = std::move(state);
  }
  return loaded;
}

}  // namespace vad
