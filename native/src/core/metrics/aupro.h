#pragma once
// AUPRO as MVTec AD's evaluation defines it (Bergmann et al., compute_pro + trapezoid): the ground-truth regions
// are the 8-connected components of each mask; at each threshold, PRO = mean over all regions of all images of
// the fraction of the region's pixels at or above the threshold, and FPR = the fraction of all normal pixels of
// all images at or above it. The PRO-over-FPR curve is integrated with the trapezoid rule up to max_fpr
// (the point at exactly max_fpr interpolated) and divided by max_fpr, so a perfect map scores 1.
#include <cstddef>
#include <cstdint>

#include "core/metrics/curve.h"
#include "core/metrics/sweep.h"

namespace vad::metrics {

struct ProResult {
  double aupro = 0.0;
  double max_fpr = 0.0;
  // x = false positive rate, y = PRO, over all thresholds (not cut at max_fpr), thinned beyond max_curve_points.
  CurvePoints curve;
};

// RangeError unless 0 < max_fpr <= 1.
void ValidateMaxFpr(double max_fpr);

// Feed it every point of a sweep over scores sorted with regions (SortPixelScores(..., true)), both classes
// present.
class ProAccumulator {
 public:
  ProAccumulator(const SortedScores& sorted, double max_fpr);
  void Add(const SweepPoint& point);
  double Aupro() const { return area_ / max_fpr_; }
  // Points of the unthinned curve, (0, 0) included.
  size_t CurvePointCount() const { return 1 + points_; }

 private:
  double normal_count_;
  double region_count_;
  double max_fpr_;
  double previous_fpr_ = 0.0;
  double previous_pro_ = 0.0;
  double area_ = 0.0;
  bool past_max_fpr_ = false;
  size_t points_ = 0;
};

// Records the curve in a second sweep, once ProAccumulator has counted its points.
class ProCurveRecorder {
 public:
  ProCurveRecorder(const SortedScores& sorted, size_t max_points, size_t point_count);
  void Add(const SweepPoint& point);
  CurvePoints Finish() { return thinner_.Finish(); }

 private:
  double normal_count_;
  double region_count_;
  CurveThinner thinner_;
};

}  // namespace vad::metrics
