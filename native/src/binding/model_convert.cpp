#include "binding/model_convert.h"

#include <cmath>
#include <cstring>
#include <set>
#include <sstream>
#include <utility>

#include "core/errors.h"

namespace vad::binding {
namespace {

std::string Describe(const Napi::Value& value) {
  if (value.IsNull()) return "null";
  if (value.IsUndefined()) return "undefined";
  if (value.IsArray()) return "an array";
  if (value.IsTypedArray()) {
    switch (value.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "an Int8Array";
      case napi_uint8_array: return "a Uint8Array";
      case napi_uint8_clamped_array: return "a Uint8ClampedArray";
      case napi_int16_array: return "an Int16Array";
      case napi_uint16_array: return "a Uint16Array";
      case napi_int32_array: return "an Int32Array";
      case napi_uint32_array: return "a Uint32Array";
      case napi_float32_array: return "a Float32Array";
      case napi_float64_array: return "a Float64Array";
      default: return "a typed array";
    }
  }
  if (value.IsString()) return "the string '" + value.As<Napi::String>().Utf8Value() + "'";
  if (value.IsNumber()) {
    std::ostringstream text;
    text << value.As<Napi::Number>().DoubleValue();
    return "the number " + text.str();
  }
  if (value.IsBoolean()) return value.As<Napi::Boolean>().Value() ? "true" : "false";
  if (value.IsFunction()) return "a function";
  return "an object";
}

// Reads the fields of one options object; every key must be one of `known`.
class Fields {
 public:
  Fields(const Napi::Value& value, std::string prefix, std::set<std::string> known, bool optional_object)
      : prefix_(std::move(prefix)) {
    if (optional_object && (value.IsUndefined() || value.IsNull())) return;
    if (!value.IsObject() || value.IsArray() || value.IsFunction()) {
      throw TypeError(prefix_ + " must be an object, got " + Describe(value));
    }
    object_ = value.As<Napi::Object>();
    const auto names = object_.GetPropertyNames();
    for (uint32_t i = 0; i < names.Length(); ++i) {
      const auto name = names.Get(i).ToString().Utf8Value();
      if (!known.count(name)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw TypeError("unknown " + prefix_ + " key '" + name + "'; known keys: " + list);
      }
    }
  }

  std::optional<double> Number(const char* key) {
    auto value = Get(key);
    if (!value) return std::nullopt;
    if (!value->IsNumber()) throw TypeError(Name(key) + " must be a number, got " + Describe(*value));
    const double number = value->As<Napi::Number>().DoubleValue();
    if (!std::isfinite(number)) throw RangeError(Name(key) + " must be finite, got " + Describe(*value));
    return number;
  }
  std::optional<int64_t> Int(const char* key) {
    auto number = Number(key);
    if (!number) return std::nullopt;
    if (std::trunc(*number) != *number || std::fabs(*number) > 9007199254740991.0) {
      throw TypeError(Name(key) + " must be an integer, got " + Describe(*Get(key)));
    }
    return static_cast<int64_t>(*number);
  }
  std::optional<bool> Bool(const char* key) {
    auto value = Get(key);
    if (!value) return std::nullopt;
    if (!value->IsBoolean()) throw TypeError(Name(key) + " must be a boolean, got " + Describe(*value));
    return value->As<Napi::Boolean>().Value();
  }
  std::optional<std::string> String(const char* key) {
    auto value = Get(key);
    if (!value) return std::nullopt;
    if (!value->IsString()) throw TypeError(Name(key) + " must be a string, got " + Describe(*value));
    return value->As<Napi::String>().Utf8Value();
  }
  std::optional<std::vector<std::string>> Strings(const char* key) {
    auto value = Get(key);
    if (!value) return std::nullopt;
    if (!value->IsArray()) throw TypeError(Name(key) + " must be an array of strings, got " + Describe(*value));
    const auto array = value->As<Napi::Array>();
    std::vector<std::string> strings;
    for (uint32_t i = 0; i < array.Length(); ++i) {
      const auto item = array.Get(i);
      if (!item.IsString()) {
        throw TypeError(Name(key) + "[" + std::to_string(i) + "] must be a string, got " + Describe(item));
      }
      strings.push_back(item.As<Napi::String>().Utf8Value());
    }
    return strings;
  }
  template <typename T>
  void Set(T& target, std::optional<T> value) {
    if (value) target = *value;
  }
  // A nested options object, read by a Fields of its own.
  std::optional<Napi::Value> Value(const char* key) { return Get(key); }
  std::string Name(const char* key) const { return prefix_ + "." + key; }
  int64_t RequiredInt(const char* key) {
    auto value = Int(key);
    if (!value) throw TypeError(Name(key) + " is required");
    return *value;
  }

 private:
  std::optional<Napi::Value> Get(const char* key) {
    if (object_.IsEmpty()) return std::nullopt;
    auto value = object_.Get(key);
    if (value.IsUndefined()) return std::nullopt;
    return value;
  }

  std::string prefix_;
  Napi::Object object_;
};

template <typename Enum>
std::optional<Enum> ParseOptional(const std::optional<std::string>& name, Enum (*parse)(const std::string&)) {
  if (!name) return std::nullopt;
  return parse(*name);
}

Napi::Array NumberArray(Napi::Env env, const std::vector<double>& values) {
  auto array = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) array.Set(static_cast<uint32_t>(i), values[i]);
  return array;
}

}  // namespace

vad::Images ReadImages(const Napi::Value& value, const char* name) {
  // Extra keys are allowed here: callers pass their own image records (with paths, labels...).
  if (!value.IsObject() || value.IsArray()) {
    throw TypeError(std::string(name) + " must be an object { data: Uint8Array, shape: [N, C, H, W] }, got " +
                    Describe(value));
  }
  const auto object = value.As<Napi::Object>();
  const auto data = object.Get("data");
  const bool bytes = data.IsTypedArray() && (data.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array ||
                                             data.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_clamped_array);
  if (!bytes) {
    throw TypeError(std::string(name) + ".data must be a Uint8Array (or Buffer) of pixels 0-255, got " +
                    Describe(data));
  }
  const auto shape_value = object.Get("shape");
  if (!shape_value.IsArray()) {
    throw TypeError(std::string(name) + ".shape must be an array [N, C, H, W], got " + Describe(shape_value));
  }
  const auto shape_array = shape_value.As<Napi::Array>();
  std::vector<int64_t> shape;
  for (uint32_t i = 0; i < shape_array.Length(); ++i) {
    const auto item = shape_array.Get(i);
    if (!item.IsNumber() ||
        std::trunc(item.As<Napi::Number>().DoubleValue()) != item.As<Napi::Number>().DoubleValue()) {
      throw TypeError(std::string(name) + ".shape[" + std::to_string(i) + "] must be an integer, got " +
                      Describe(item));
    }
    shape.push_back(item.As<Napi::Number>().Int64Value());
  }
  const auto array = data.As<Napi::TypedArray>();
  const auto* bytes_begin = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  return vad::Images::Copy(bytes_begin, array.ByteLength(), shape);
}

vad::ModelConfig ReadModelConfig(const Napi::Value& value) {
  Fields f(value, "config",
           {"channels", "imageSize", "depth", "baseChannels", "batchNorm", "skips", "dropTopSkips", "skipNoiseStd",
            "loss", "ssimWeight", "seed", "segmentationHead"},
           false);
  vad::ModelConfig c;
  c.channels = f.RequiredInt("channels");
  c.image_size = f.RequiredInt("imageSize");
  f.Set(c.depth, f.Int("depth"));
  f.Set(c.base_channels, f.Int("baseChannels"));
  f.Set(c.batch_norm, f.Bool("batchNorm"));
  f.Set(c.skips, f.Bool("skips"));
  f.Set(c.drop_top_skips, f.Int("dropTopSkips"));
  f.Set(c.skip_noise_std, f.Number("skipNoiseStd"));
  f.Set(c.loss, ParseOptional(f.String("loss"), &vad::ParseLossKind));
  f.Set(c.ssim_weight, f.Number("ssimWeight"));
  f.Set(c.seed, f.Int("seed"));
  f.Set(c.segmentation_head, f.Bool("segmentationHead"));
  vad::Validate(c);
  return c;
}

vad::SyntheticDefectOptions ReadSyntheticDefectOptions(const Napi::Value& value, const std::string& name) {
  Fields f(value, name, {"probability", "sources", "minOpacity"}, false);
  vad::SyntheticDefectOptions o;
  f.Set(o.probability, f.Number("probability"));
  if (auto sources = f.Strings("sources")) {
    o.sources.clear();
    for (const auto& source : *sources) o.sources.push_back(vad::ParseDefectSource(source));
  }
  f.Set(o.min_opacity, f.Number("minOpacity"));
  vad::Validate(o);
  return o;
}

vad::TrainOptions ReadTrainOptions(const Napi::Value& value) {
  Fields f(value, "options",
           {"epochs",
            "batchSize",
            "learningRate",
            "seed",
            "attentionWeight",
            "attentionLayer",
            "attentionSign",
            "syntheticDefects",
            "supervisionWeight",
            "supervisionLayer",
            "supervisionSign",
            "supervisionWarmup",
            "patience",
            "maxSeconds",
            "flipHorizontal",
            "flipVertical",
            "patchSize",
            "recomputeBatchNorm",
            "device",
            "mixedPrecision",
            "checkpointPath",
            "resume"},
           false);
  vad::TrainOptions o;
  o.epochs = f.RequiredInt("epochs");
  o.batch_size = f.Int("batchSize");
  f.Set(o.learning_rate, f.Number("learningRate"));
  o.seed = f.Int("seed");
  f.Set(o.attention_weight, f.Number("attentionWeight"));
  f.Set(o.attention_layer, f.String("attentionLayer"));
  f.Set(o.attention_sign, ParseOptional(f.String("attentionSign"), &vad::ParseCamSign));
  if (auto synthetic = f.Value("syntheticDefects")) {
    o.synthetic_defects = ReadSyntheticDefectOptions(*synthetic, f.Name("syntheticDefects"));
  }
  f.Set(o.supervision_weight, f.Number("supervisionWeight"));
  f.Set(o.supervision_layer, f.String("supervisionLayer"));
  f.Set(o.supervision_sign, ParseOptional(f.String("supervisionSign"), &vad::ParseCamSign));
  f.Set(o.supervision_warmup, f.Number("supervisionWarmup"));
  o.patience = f.Int("patience");
  o.max_seconds = f.Number("maxSeconds");
  f.Set(o.flip_horizontal, f.Bool("flipHorizontal"));
  f.Set(o.flip_vertical, f.Bool("flipVertical"));
  f.Set(o.patch_size, f.Int("patchSize"));
  f.Set(o.recompute_batch_norm, f.Bool("recomputeBatchNorm"));
  f.Set(o.device, f.String("device"));
  f.Set(o.mixed_precision, f.Bool("mixedPrecision"));
  f.Set(o.checkpoint_path, f.String("checkpointPath"));
  f.Set(o.resume, f.Bool("resume"));
  vad::Validate(o);
  return o;
}

vad::ExplainOptions ReadExplainOptions(const Napi::Value& value) {
  Fields f(value, "options", {"maps", "layer", "sign", "score", "scoreMap", "batchSize", "device"}, true);
  vad::ExplainOptions o;
  if (auto maps = f.Strings("maps")) {
    o.maps.clear();
    for (const auto& name : *maps) o.maps.push_back(vad::ParseMapKind(name));
  }
  f.Set(o.layer, f.String("layer"));
  f.Set(o.sign, ParseOptional(f.String("sign"), &vad::ParseCamSign));
  f.Set(o.score, ParseOptional(f.String("score"), &vad::ParseScoreKind));
  o.score_map = ParseOptional(f.String("scoreMap"), &vad::ParseMapKind);
  f.Set(o.batch_size, f.Int("batchSize"));
  f.Set(o.device, f.String("device"));
  vad::Validate(o);
  return o;
}

Napi::Object ToJs(Napi::Env env, const vad::ModelConfig& c) {
  auto o = Napi::Object::New(env);
  o.Set("channels", c.channels);
  o.Set("imageSize", c.image_size);
  o.Set("depth", c.depth);
  o.Set("baseChannels", c.base_channels);
  o.Set("batchNorm", c.batch_norm);
  o.Set("skips", c.skips);
  o.Set("dropTopSkips", c.drop_top_skips);
  o.Set("skipNoiseStd", c.skip_noise_std);
  o.Set("loss", vad::ToString(c.loss));
  o.Set("ssimWeight", c.ssim_weight);
  o.Set("seed", static_cast<double>(c.seed));
  o.Set("segmentationHead", c.segmentation_head);
  return o;
}

Napi::Object ToJs(Napi::Env env, const vad::TrainProgress& p) {
  auto o = Napi::Object::New(env);
  o.Set("epoch", p.epoch);
  o.Set("epochs", p.epochs);
  o.Set("step", p.step);
  o.Set("stepsPerEpoch", p.steps_per_epoch);
  o.Set("loss", p.loss);
  o.Set("attentionLoss", p.attention_loss);
  o.Set("supervisionLoss", p.supervision_loss);
  o.Set("segmentationLoss", p.segmentation_loss);
  if (p.validation_loss) o.Set("validationLoss", *p.validation_loss);
  o.Set("gradientNorm", p.gradient_norm);
  o.Set("imagesPerSecond", p.images_per_second);
  o.Set("etaSeconds", p.eta_seconds);
  return o;
}

Napi::Value ToJs(Napi::Env env, const std::optional<vad::TrainStateInfo>& state) {
  if (!state) return env.Null();
  auto o = Napi::Object::New(env);
  o.Set("epochsCompleted", state->epochs_completed);
  o.Set("stepInEpoch", state->step_in_epoch);
  o.Set("seed", static_cast<double>(state->seed));
  o.Set("batchSize", state->batch_size);
  o.Set("finished", state->finished);
  return o;
}

Napi::Value ToJs(Napi::Env env, const vad::TrainResult& r) {
  auto o = Napi::Object::New(env);
  o.Set("cancelled", r.cancelled);
  o.Set("stopReason", vad::ToString(r.stop_reason));
  o.Set("epochLosses", NumberArray(env, r.epoch_losses));
  o.Set("validationLosses", NumberArray(env, r.validation_losses));
  o.Set("seconds", r.seconds);
  o.Set("device", r.device);
  o.Set("mixedPrecision", r.mixed_precision);
  o.Set("steps", r.steps);
  o.Set("bestEpoch", r.best_epoch);
  o.Set("state", ToJs(env, std::optional<vad::TrainStateInfo>(r.state)));
  return o;
}

Napi::Value ToJs(Napi::Env env, const vad::ExplainOutput& out) {
  const size_t pixels = static_cast<size_t>(out.height * out.width);
  const size_t values = pixels * static_cast<size_t>(out.channels);
  const auto count = static_cast<size_t>(out.count);

  auto float_buffer = [&](const std::vector<float>& source) {
    auto buffer = Napi::ArrayBuffer::New(env, source.size() * sizeof(float));
    std::memcpy(buffer.Data(), source.data(), source.size() * sizeof(float));
    return buffer;
  };
  std::vector<Napi::ArrayBuffer> map_buffers;
  for (const auto& map : out.map_values) map_buffers.push_back(float_buffer(map));
  auto reconstructions = float_buffer(out.reconstructions);

  auto results = Napi::Array::New(env, count);
  for (size_t i = 0; i < count; ++i) {
    auto maps = Napi::Object::New(env);
    for (size_t m = 0; m < out.maps.size(); ++m) {
      maps.Set(vad::ToString(out.maps[m]),
               Napi::Float32Array::New(env, pixels, map_buffers[m], i * pixels * sizeof(float)));
    }
    auto item = Napi::Object::New(env);
    item.Set("maps", maps);
    item.Set("reconstruction", Napi::Float32Array::New(env, values, reconstructions, i * values * sizeof(float)));
    item.Set("score", out.scores[i]);
    item.Set("loss", out.losses[i]);
    results.Set(static_cast<uint32_t>(i), item);
  }
  return results;
}

}  // namespace vad::binding
