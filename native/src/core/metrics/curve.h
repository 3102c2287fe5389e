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

// RangeError unless maxPoints >= 2 (a curve needs its two ends).
void ValidateMaxCurvePoints(size_t maxPoints);

// Keeps every point when the curve has at most maxPoints (pointCount, counted in an earlier sweep). Else it
// keeps the first point, each point at least 2 / (maxPoints - 2) from the last kept one (x + y distance), and
// the last point: since x and y only grow and the path is at most 2 long, that is at most maxPoints points,
// evenly spread along the curve, with no plotted point off by more than that distance.
class CurveThinner {
 public:
  CurveThinner(size_t maxPoints, size_t pointCount);
  void Add(double x, double y, double threshold);
  CurvePoints Finish();

 private:
  double minDistance_ = 0.0;
  bool hasPending_ = false;
  double pendingX_ = 0.0;
  double pendingY_ = 0.0;
  double pendingThreshold_ = 0.0;
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
      const bool sameStep =
          point.truePositives - previous_.truePositives == previous_.truePositives - beforePrevious_.truePositives &&
          point.falsePositives - previous_.falsePositives == previous_.falsePositives - beforePrevious_.falsePositives;
      if (!sameStep) emit(previous_);
    }
    beforePrevious_ = previous_;
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
  SweepPoint beforePrevious_;
};

}  // namespace vad::metrics
