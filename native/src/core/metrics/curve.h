#pragma once
// Curves for plotting (ROC, PRO). A pixel sweep has up to one point per distinct score (millions), far more
// than a plot needs, so curves are thinned to a bounded size; the metric values never use the thinned curve.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/metrics/sweep.h"

namespace vad::metrics {

// Points from the highest threshold down; x and y both grow from 0 to at most 1. The first point is
// (0, 0) at threshold +infinity: nothing called anomalous.
struct CurvePoints {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> thresholds;
};

// RangeError unless max_points >= 2 (a curve needs its two ends).
void ValidateMaxCurvePoints(size_t max_points);

// Keeps every point when the curve has at most max_points (point_count, counted in an earlier sweep). Else it
// keeps the first point, each point at least 2 / (max_points - 2) from the last kept one (x + y distance), and
// the last point: since x and y only grow and the path is at most 2 long, that is at most max_points points,
// evenly spread along the curve, with no plotted point off by more than that distance.
class CurveThinner {
 public:
  CurveThinner(size_t max_points, size_t point_count);
  void Add(double x, double y, double threshold);
  CurvePoints Finish();

 private:
  double min_distance_ = 0.0;
  bool has_pending_ = false;
  double pending_x_ = 0.0;
  double pending_y_ = 0.0;
  double pending_threshold_ = 0.0;
  CurvePoints points_;
};

// scikit-learn's roc_curve(drop_intermediate=True): of the sweep points, keeps the first and the last, and an
// inner point only where the step out of it differs from the step into it (in TP and FP counts), so a straight
// run of equal steps is drawn by its ends. Hands each kept point to emit(const SweepPoint&).
class RocStepFilter {
 public:
  template <typename Emit>
  void Add(const SweepPoint& point, Emit&& emit) {
    if (seen_ == 1) {
      emit(previous_);
    } else if (seen_ >= 2) {
      const bool same_step = point.true_positives - previous_.true_positives ==
                                 previous_.true_positives - before_previous_.true_positives &&
                             point.false_positives - previous_.false_positives ==
                                 previous_.false_positives - before_previous_.false_positives;
      if (!same_step) emit(previous_);
    }
    before_previous_ = previous_;
    previous_ = point;
    ++seen_;
  }

  template <typename Emit>
  void Finish(Emit&& emit) {
    if (seen_ > 0) emit(previous_);
  }

 private:
  size_t seen_ = 0;
  SweepPoint previous_;
  SweepPoint before_previous_;
};

}  // namespace vad::metrics
