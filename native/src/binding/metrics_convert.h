#pragma once
// JS values <-> the metrics' plain structs (core/metrics), for metrics_binding. Readers copy the caller's typed
// arrays, so the metrics can run on a worker thread while JS goes on; a value of the wrong type is a
// vad::TypeError, a number out of range a vad::RangeError, each naming the argument. What the values must
// satisfy beyond their types (sizes, counts, finite scores) the metrics check themselves.
#include <napi.h>

#include <cstddef>
#include <vector>

#include "core/metrics/f1_max.h"
#include "core/metrics/inputs.h"
#include "core/metrics/pixel_metrics.h"
#include "core/metrics/roc.h"

namespace vad::binding {

// (scores: Float32Array, labels: Uint8Array)
metrics::ImageScores ReadImageScores(const Napi::Value& scores, const Napi::Value& labels);
// [{ data: Float32Array, width, height }, ...]
std::vector<metrics::ScoreMap> ReadScoreMaps(const Napi::Value& value);
// [{ data: Uint8Array, width, height }, ...]
std::vector<metrics::GroundTruthMask> ReadMasks(const Napi::Value& value);
// A whole number from 2 to 2^31 - 1.
size_t ReadMaxCurvePoints(const Napi::Value& value);
// { auroc, aupro, f1Max, bestIou: boolean, maxFpr, maxCurvePoints: number }
metrics::PixelMetricsRequest ReadPixelMetricsRequest(const Napi::Value& value);

// { auroc, curve: { fpr, tpr, thresholds } }
Napi::Value ToJs(Napi::Env env, const metrics::RocResult& roc);
// { f1, threshold, precision, recall }
Napi::Value ToJs(Napi::Env env, const metrics::F1MaxResult& f1_max);
// { auroc?, aupro?, f1Max?, bestIou? }: exactly the metrics requested.
Napi::Value ToJs(Napi::Env env, const metrics::PixelMetrics& result);

}  // namespace vad::binding
