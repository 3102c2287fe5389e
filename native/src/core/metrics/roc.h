#pragma once
// AUROC and the ROC curve, exact: the trapezoid between consecutive distinct thresholds, as scikit-learn's
// roc_auc_score computes it (tied scores are one threshold, so a tie between classes counts one half).
#include <cstddef>
#include <cstdint>

#include "core/metrics/curve.h"
#include "core/metrics/inputs.h"
#include "core/metrics/sweep.h"

namespace vad::metrics {

struct RocResult {
  double auroc = 0.0;
  // x = false positive rate, y = true positive rate; the points of scikit-learn's roc_curve (thresholds[0] is
  // +infinity), thinned only beyond maxCurvePoints.
  CurvePoints curve;
};

// Feed it every point of a sweep (SweepThresholds) over scores with both classes present.
class RocAccumulator {
 public:
  explicit RocAccumulator(const SortedScores& sorted);
  void Add(const SweepPoint& point);
  double Auroc() const;
  // Points of the unthinned curve, (0, 0) included: what a CurveThinner needs to know in advance.
  // The filter holds the last point back until it finishes: it is always kept.
  size_t CurvePointCount() const { return 1 + keptPoints_ + (sawPoint_ ? 1 : 0); }

 private:
  double anomalousCount_;
  double normalCount_;
  int64_t previousTruePositives_ = 0;
  int64_t previousFalsePositives_ = 0;
  // Twice the area under the curve in count units (FP x TP): integer, so the sum is exact.
  uint64_t twiceArea_ = 0;
  RocStepFilter filter_;
  size_t keptPoints_ = 0;
  bool sawPoint_ = false;
};

// Records the curve in a second sweep, once RocAccumulator has counted its points.
class RocCurveRecorder {
 public:
  RocCurveRecorder(const SortedScores& sorted, size_t maxPoints, size_t pointCount);
  void Add(const SweepPoint& point);
  CurvePoints Finish();

 private:
  void Record(const SweepPoint& point);

  double anomalousCount_;
  double normalCount_;
  RocStepFilter filter_;
  CurveThinner thinner_;
};

// Image AUROC from one score per image. Throws a RangeError on bad input (see ValidateImageScores) and a
// plain error when only one class is present.
RocResult ImageRoc(const ImageScores& input, size_t maxCurvePoints);

// Runs both sweeps; `sorted` must hold both classes.
RocResult ComputeRoc(const SortedScores& sorted, size_t maxCurvePoints);

}  // namespace vad::metrics
