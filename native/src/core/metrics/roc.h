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
  // +infinity), thinned only beyond max_curve_points.
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
  size_t CurvePointCount() const { return 1 + kept_points_ + (saw_point_ ? 1 : 0); }

 private:
  double anomalous_count_;
  double normal_count_;
  int64_t previous_true_positives_ = 0;
  int64_t previous_false_positives_ = 0;
  // Twice the area under the curve in count units (FP x TP): integer, so the sum is exact.
  uint64_t twice_area_ = 0;
  RocStepFilter filter_;
  size_t kept_points_ = 0;
  bool saw_point_ = false;
};

// Records the curve in a second sweep, once RocAccumulator has counted its points.
class RocCurveRecorder {
 public:
  RocCurveRecorder(const SortedScores& sorted, size_t max_points, size_t point_count);
  void Add(const SweepPoint& point);
  CurvePoints Finish();

 private:
  void Record(const SweepPoint& point);

  double anomalous_count_;
  double normal_count_;
  RocStepFilter filter_;
  CurveThinner thinner_;
};

// Image AUROC from one score per image. Throws a RangeError on bad input (see ValidateImageScores) and a
// plain error when only one class is present.
RocResult ImageRoc(const ImageScores& input, size_t max_curve_points);

// Runs both sweeps; `sorted` must hold both classes.
RocResult ComputeRoc(const SortedScores& sorted, size_t max_curve_points);

}  // namespace vad::metrics
