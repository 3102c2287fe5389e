#include "core/metrics/curve.h"

#include <limits>
#include <string>
#include <utility>

#include "core/errors.h"

namespace vad::metrics {

void ValidateMaxCurvePoints(size_t maxPoints) {
  if (maxPoints < 2) {
    throw vad::RangeError("maxCurvePoints must be at least 2 (a curve needs both ends), got " +
                          std::to_string(maxPoints));
  }
}

CurveThinner::CurveThinner(size_t maxPoints, size_t pointCount) {
  ValidateMaxCurvePoints(maxPoints);
  if (pointCount <= maxPoints) return;
  // The margin keeps rounding in the distances from letting one point too many through.
  minDistance_ = maxPoints == 2 ? std::numeric_limits<double>::infinity()
                                : 2.0 / static_cast<double>(maxPoints - 2) * (1.0 + 1e-9);
  points_.x.reserve(maxPoints);
  points_.y.reserve(maxPoints);
  points_.thresholds.reserve(maxPoints);
}

void CurveThinner::Add(double x, double y, double threshold) {
  const bool keep =
      points_.x.empty() || minDistance_ == 0.0 || (x - points_.x.back()) + (y - points_.y.back()) >= minDistance_;
  if (!keep) {
    hasPending_ = true;
    pendingX_ = x;
    pendingY_ = y;
    pendingThreshold_ = threshold;
    return;
  }
  hasPending_ = false;
  points_.x.push_back(x);
  points_.y.push_back(y);
  points_.thresholds.push_back(threshold);
}

CurvePoints CurveThinner::Finish() {
  if (hasPending_) {
    points_.x.push_back(pendingX_);
    points_.y.push_back(pendingY_);
    points_.thresholds.push_back(pendingThreshold_);
    hasPending_ = false;
  }
  return std::move(points_);
}

}  // namespace vad::metrics
