#include "binding/metrics_binding.h"

#include <utility>

#include "binding/errors.h"
#include "binding/metrics_convert.h"
#include "binding/promise_worker.h"

namespace vad::binding {
namespace {

// imageRoc(scores: Float32Array, labels: Uint8Array, maxCurvePoints: number) -> Promise<{ auroc, curve }>
Napi::Value ImageRoc(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    using Worker = PromiseWorker<metrics::RocResult>;
    auto input = ReadImageScores(info[0], info[1]);
    const size_t max_curve_points = ReadMaxCurvePoints(info[2]);
    Worker::Task task;
    task.work = [input = std::move(input), max_curve_points](const Worker::Report&) {
      return metrics::ImageRoc(input, max_curve_points);
    };
    task.to_js = ToJs;
    return Worker::Start(info.Env(), "vad.imageRoc", std::move(task));
  });
}

// imageF1Max(scores: Float32Array, labels: Uint8Array) -> Promise<{ f1, threshold, precision, recall }>
Napi::Value ImageF1Max(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    using Worker = PromiseWorker<metrics::F1MaxResult>;
    Worker::Task task;
    task.work = [input = ReadImageScores(info[0], info[1])](const Worker::Report&) {
      return metrics::ImageF1Max(input);
    };
    task.to_js = ToJs;
    return Worker::Start(info.Env(), "vad.imageF1Max", std::move(task));
  });
}

// pixelMetrics(maps, masks, { auroc, aupro, f1Max, bestIou: boolean, maxFpr, maxCurvePoints: number })
//   -> Promise<{ auroc?, aupro?, f1Max?, bestIou? }> with exactly the requested metrics.
Napi::Value PixelMetrics(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    using Worker = PromiseWorker<metrics::PixelMetrics>;
    auto maps = ReadScoreMaps(info[0]);
    auto masks = ReadMasks(info[1]);
    const auto request = ReadPixelMetricsRequest(info[2]);
    Worker::Task task;
    task.work = [maps = std::move(maps), masks = std::move(masks), request](const Worker::Report&) {
      return metrics::EvaluatePixels(maps, masks, request);
    };
    task.to_js = ToJs;
    return Worker::Start(info.Env(), "vad.pixelMetrics", std::move(task));
  });
}

}  // namespace

void InitMetrics(Napi::Env env, Napi::Object exports) {
  Napi::Object metrics_exports = Napi::Object::New(env);
  metrics_exports.Set("imageRoc", Napi::Function::New(env, ImageRoc, "imageRoc"));
  metrics_exports.Set("imageF1Max", Napi::Function::New(env, ImageF1Max, "imageF1Max"));
  metrics_exports.Set("pixelMetrics", Napi::Function::New(env, PixelMetrics, "pixelMetrics"));
  exports.Set("metrics", metrics_exports);
}

}  // namespace vad::binding
