#pragma once
// Pixel-level evaluation: every requested metric from one copy, one sort and one sweep of the pooled pixels of
// all images (each at its own resolution).
#include <cstddef>
#include <optional>
#include <vector>

#include "core/metrics/aupro.h"
#include "core/metrics/best_iou.h"
#include "core/metrics/f1_max.h"
#include "core/metrics/inputs.h"
#include "core/metrics/roc.h"

namespace vad::metrics {

struct PixelMetricsRequest {
  bool auroc = false;
  bool aupro = false;
  bool f1_max = false;
  bool best_iou = false;
  double max_fpr = 0.3;
  size_t max_curve_points = 10000;
};

// Each field is set exactly when requested.
struct PixelMetrics {
  std::optional<RocResult> roc;
  std::optional<ProResult> pro;
  std::optional<F1MaxResult> f1_max;
  std::optional<BestIouResult> best_iou;
};

// Throws a RangeError on bad input (see ValidatePixelInputs) or options, and a plain error when every pixel is
// normal or every pixel is anomalous.
PixelMetrics EvaluatePixels(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                            const PixelMetricsRequest& request);

}  // namespace vad::metrics
