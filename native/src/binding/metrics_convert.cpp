#include "binding/metrics_convert.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "core/errors.h"

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
std::vector<Image> ReadPerImage(Napi::Value value, const std::string& name,
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

Napi::Object BestIouToJs(Napi::Env env, const BestIouResult& best_iou) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("iou", best_iou.iou);
  object.Set("threshold", best_iou.threshold);
  return object;
}

}  // namespace

ImageScores ReadImageScores(const Napi::Value& scores, const Napi::Value& labels) {
  return {CopyFloat32Array(scores, "scores"), CopyUint8Array(labels, "labels")};
}

std::vector<ScoreMap> ReadScoreMaps(const Napi::Value& value) {
  return ReadPerImage<ScoreMap, float>(value, "maps", CopyFloat32Array, "{ data: Float32Array, width, height }");
}

std::vector<GroundTruthMask> ReadMasks(const Napi::Value& value) {
  return ReadPerImage<GroundTruthMask, uint8_t>(value, "masks", CopyUint8Array, "{ data: Uint8Array, width, height }");
}

size_t ReadMaxCurvePoints(const Napi::Value& value) {
  return static_cast<size_t>(ReadInteger(value, "maxCurvePoints", 2));
}

PixelMetricsRequest ReadPixelMetricsRequest(const Napi::Value& value) {
  Napi::Object options = ReadObject(value, "options", "{ auroc, aupro, f1Max, bestIou, maxFpr, maxCurvePoints }");
  PixelMetricsRequest request;
  request.auroc = options.Get("auroc").ToBoolean();
  request.aupro = options.Get("aupro").ToBoolean();
  request.f1_max = options.Get("f1Max").ToBoolean();
  request.best_iou = options.Get("bestIou").ToBoolean();
  Napi::Value max_fpr = options.Get("maxFpr");
  if (!max_fpr.IsNumber()) throw vad::TypeError("options.maxFpr must be a number");
  request.max_fpr = max_fpr.As<Napi::Number>().DoubleValue();
  request.max_curve_points = ReadMaxCurvePoints(options.Get("maxCurvePoints"));
  return request;
}

Napi::Value ToJs(Napi::Env env, const RocResult& roc) { return RocToJs(env, roc); }

Napi::Value ToJs(Napi::Env env, const F1MaxResult& f1_max) { return F1MaxToJs(env, f1_max); }

Napi::Value ToJs(Napi::Env env, const PixelMetrics& result) {
  Napi::Object object = Napi::Object::New(env);
  if (result.roc) object.Set("auroc", RocToJs(env, *result.roc));
  if (result.pro) object.Set("aupro", ProToJs(env, *result.pro));
  if (result.f1_max) object.Set("f1Max", F1MaxToJs(env, *result.f1_max));
  if (result.best_iou) object.Set("bestIou", BestIouToJs(env, *result.best_iou));
  return object;
}

}  // namespace vad::binding
