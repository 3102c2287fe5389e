#include "binding/metrics_binding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "binding/errors.h"
#include "core/errors.h"
#include "core/metrics/f1_max.h"
#include "core/metrics/inputs.h"
#include "core/metrics/pixel_metrics.h"
#include "core/metrics/roc.h"

namespace vad::binding {
namespace {

using metrics::BestIouResult;
using metrics::CurvePoints;
using metrics::F1MaxResult;
using metrics::GroundTruthMask;
using metrics::ImageScores;
using metrics::PixelMetrics;
using metrics::PixelMetricsRequest;
using metrics::ProResult;
using metrics::RocResult;
using metrics::ScoreMap;

// Runs `compute` on a libuv worker thread and settles a promise: resolved with to_js(result) on the JS thread,
// or rejected with the JS error matching whatever C++ exception compute threw.
template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Compute = std::function<Result()>;
  using ToJs = Napi::Value (*)(Napi::Env, const Result&);

  static Napi::Promise Start(Napi::Env env, Compute compute, ToJs to_js) {
    auto* worker = new PromiseWorker(env, std::move(compute), to_js);  // AsyncWorker deletes itself when done
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 protected:
  void Execute() override {
    try {
      result_ = compute_();
    } catch (...) {
      error_ = CaptureCurrentException();
      // AsyncWorker takes an empty message for success.
      SetError(error_.message.empty() ? "unknown native error" : error_.message);
    }
  }

  void OnOK() override {
    try {
      deferred_.Resolve(to_js_(Env(), result_));
    } catch (const Napi::Error& error) {
      deferred_.Reject(error.Value());
    }
  }

  void OnError(const Napi::Error&) override { deferred_.Reject(ToJsError(Env(), error_).Value()); }

 private:
  PromiseWorker(Napi::Env env, Compute compute, ToJs to_js)
      : Napi::AsyncWorker(env, "vad.metrics"),
        deferred_(Napi::Promise::Deferred::New(env)),
        compute_(std::move(compute)),
        to_js_(to_js) {}

  Napi::Promise::Deferred deferred_;
  Compute compute_;
  ToJs to_js_;
  Result result_{};
  CapturedError error_;
};

// --- JS values in -------------------------------------------------------------------------------------------

template <typename Element, typename TypedArray>
std::vector<Element> CopyTypedArray(Napi::Value value, napi_typedarray_type type, const std::string& name,
                                    const char* type_name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw vad::TypeError(name + " must be a " + type_name);
  }
  auto array = value.As<TypedArray>();
  return std::vector<Element>(array.Data(), array.Data() + array.ElementLength());
}

std::vector<float> CopyFloat32Array(Napi::Value value, const std::string& name) {
  return CopyTypedArray<float, Napi::Float32Array>(value, napi_float32_array, name, "Float32Array");
}

std::vector<uint8_t> CopyUint8Array(Napi::Value value, const std::string& name) {
  return CopyTypedArray<uint8_t, Napi::Uint8Array>(value, napi_uint8_array, name, "Uint8Array");
}

// A whole number in [min, 2^31): sizes and counts; the core checks what else they must satisfy.
int64_t ReadInteger(Napi::Value value, const std::string& name, double min) {
  if (!value.IsNumber()) throw vad::TypeError(name + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= min && number < 2147483648.0) || std::trunc(number) != number) {
    throw vad::RangeError(name + " must be a whole number from " + std::to_string(static_cast<int64_t>(min)) +
                          " to 2^31 - 1, got " + value.ToString().Utf8Value());
  }
  return static_cast<int64_t>(number);
}

Napi::Object ReadObject(Napi::Value value, const std::string& name, const char* shape) {
  if (!value.IsObject()) throw vad::TypeError(name + " must be an object " + shape);
  return value.As<Napi::Object>();
}

Napi::Array ReadArray(Napi::Value value, const std::string& name) {
  if (!value.IsArray()) throw vad::TypeError(name + " must be an array");
  return value.As<Napi::Array>();
}

template <typename Image, typename Element>
std::vector<Image> ReadImages(Napi::Value value, const std::string& name,
                              std::vector<Element> (*copy_data)(Napi::Value, const std::string&), const char* shape) {
  Napi::Array array = ReadArray(value, name);
  std::vector<Image> images(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const std::string image_name = name + "[" + std::to_string(i) + "]";
    Napi::Object object = ReadObject(array.Get(i), image_name, shape);
    images[i].width = ReadInteger(object.Get("width"), image_name + ".width", 0);
    images[i].height = ReadInteger(object.Get("height"), image_name + ".height", 0);
    std::vector<Element> data = copy_data(object.Get("data"), image_name + ".data");
    if constexpr (std::is_same_v<Image, ScoreMap>) {
      images[i].scores = std::move(data);
    } else {
      images[i].pixels = std::move(data);
    }
  }
  return images;
}

ImageScores ReadImageScores(const Napi::CallbackInfo& info) {
  return {CopyFloat32Array(info[0], "scores"), CopyUint8Array(info[1], "labels")};
}

// --- results out --------------------------------------------------------------------------------------------

Napi::Float64Array ToFloat64Array(Napi::Env env, const std::vector<double>& values) {
  Napi::Float64Array array = Napi::Float64Array::New(env, values.size());
  std::copy(values.begin(), values.end(), array.Data());
  return array;
}

Napi::Object CurveToJs(Napi::Env env, const CurvePoints& curve, const char* y_name) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("fpr", ToFloat64Array(env, curve.x));
  object.Set(y_name, ToFloat64Array(env, curve.y));
  object.Set("thresholds", ToFloat64Array(env, curve.thresholds));
  return object;
}

Napi::Object RocToJs(Napi::Env env, const RocResult& roc) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("auroc", roc.auroc);
  object.Set("curve", CurveToJs(env, roc.curve, "tpr"));
  return object;
}

Napi::Value ImageRocToJs(Napi::Env env, const RocResult& roc) { return RocToJs(env, roc); }

Napi::Object ProToJs(Napi::Env env, const ProResult& pro) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("aupro", pro.aupro);
  object.Set("maxFpr", pro.max_fpr);
  object.Set("curve", CurveToJs(env, pro.curve, "pro"));
  return object;
}

Napi::Object F1MaxToJs(Napi::Env env, const F1MaxResult& f1_max) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("f1", f1_max.f1);
  object.Set("threshold", f1_max.threshold);
  object.Set("precision", f1_max.precision);
  object.Set("recall", f1_max.recall);
  return object;
}

Napi::Value ImageF1MaxToJs(Napi::Env env, const F1MaxResult& f1_max) { return F1MaxToJs(env, f1_max); }

Napi::Object BestIouToJs(Napi::Env env, const BestIouResult& best_iou) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("iou", best_iou.iou);
  object.Set("threshold", best_iou.threshold);
  return object;
}

Napi::Value PixelMetricsToJs(Napi::Env env, const PixelMetrics& result) {
  Napi::Object object = Napi::Object::New(env);
  if (result.roc) object.Set("auroc", RocToJs(env, *result.roc));
  if (result.pro) object.Set("aupro", ProToJs(env, *result.pro));
  if (result.f1_max) object.Set("f1Max", F1MaxToJs(env, *result.f1_max));
  if (result.best_iou) object.Set("bestIou", BestIouToJs(env, *result.best_iou));
  return object;
}

// --- exported functions -------------------------------------------------------------------------------------

// imageRoc(scores: Float32Array, labels: Uint8Array, maxCurvePoints: number) -> Promise<{ auroc, curve }>
Napi::Value ImageRoc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    ImageScores input = ReadImageScores(info);
    const auto max_curve_points = static_cast<size_t>(ReadInteger(info[2], "maxCurvePoints", 2));
    return PromiseWorker<RocResult>::Start(
        env, [input = std::move(input), max_curve_points] { return metrics::ImageRoc(input, max_curve_points); },
        ImageRocToJs);
  });
}

// imageF1Max(scores: Float32Array, labels: Uint8Array) -> Promise<{ f1, threshold, precision, recall }>
Napi::Value ImageF1Max(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    ImageScores input = ReadImageScores(info);
    return PromiseWorker<F1MaxResult>::Start(
        env, [input = std::move(input)] { return metrics::ImageF1Max(input); }, ImageF1MaxToJs);
  });
}

// pixelMetrics(maps, masks, { auroc, aupro, f1Max, bestIou: boolean, maxFpr, maxCurvePoints: number })
//   -> Promise<{ auroc?, aupro?, f1Max?, bestIou? }> with exactly the requested metrics.
Napi::Value PixelMetricsFn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    auto maps = ReadImages<ScoreMap, float>(info[0], "maps", CopyFloat32Array, "{ data: Float32Array, width, height }");
    auto masks =
        ReadImages<GroundTruthMask, uint8_t>(info[1], "masks", CopyUint8Array, "{ data: Uint8Array, width, height }");
    Napi::Object options = ReadObject(info[2], "options", "{ auroc, aupro, f1Max, bestIou, maxFpr, maxCurvePoints }");
    PixelMetricsRequest request;
    request.auroc = options.Get("auroc").ToBoolean();
    request.aupro = options.Get("aupro").ToBoolean();
    request.f1_max = options.Get("f1Max").ToBoolean();
    request.best_iou = options.Get("bestIou").ToBoolean();
    Napi::Value max_fpr = options.Get("maxFpr");
    if (!max_fpr.IsNumber()) throw vad::TypeError("options.maxFpr must be a number");
    request.max_fpr = max_fpr.As<Napi::Number>().DoubleValue();
    request.max_curve_points = static_cast<size_t>(ReadInteger(options.Get("maxCurvePoints"), "maxCurvePoints", 2));
    return PromiseWorker<PixelMetrics>::Start(
        env,
        [maps = std::move(maps), masks = std::move(masks), request] {
          return metrics::EvaluatePixels(maps, masks, request);
        },
        PixelMetricsToJs);
  });
}

}  // namespace

void InitMetrics(Napi::Env env, Napi::Object exports) {
  Napi::Object metrics_exports = Napi::Object::New(env);
  metrics_exports.Set("imageRoc", Napi::Function::New(env, ImageRoc, "imageRoc"));
  metrics_exports.Set("imageF1Max", Napi::Function::New(env, ImageF1Max, "imageF1Max"));
  metrics_exports.Set("pixelMetrics", Napi::Function::New(env, PixelMetricsFn, "pixelMetrics"));
  exports.Set("metrics", metrics_exports);
}

}  // namespace vad::binding
