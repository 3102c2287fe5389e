#include "core/metrics/curve.h"

#include <limits>
#include <string>
#include <utility>

#include "core/errors.h"

namespace vad::metrics {

void ValidateMaxCurvePoints(size_t max_points) {
  if (max_points < 2) {
    throw vad::RangeError("maxCurvePoints must be at least 2 (a curve needs both ends), got " +
                          std::to_string(max_points));
  }
}

CurveThinner::CurveThinner(size_t max_points, size_t point_count) {
  ValidateMaxCurvePoints(max_points);
  if (point_count <= max_points) return;
  // The margin keeps rounding in the distances from letting one point too many through.
  min_distance_ = max_points == 2 ? std::numeric_limits<double>::infinity()
                                  : 2.0 / static_cast<double>(max_points - 2) * (1.0 + 1e-9);
  points_.x.reserve(max_points);
  points_.y.reserve(max_points);
  points_.thresholds.reserve(max_points);
}

void CurveThinner::Add(double x, double y, double threshold) {
  const bool keep =
      points_.x.empty() || min_distance_ == 0.0 || (x - points_.x.back()) + (y - points_.y.back()) >= min_distance_;
  if (!keep) {
    has_pending_ = true;
    pending_x_ = x;
    pending_y_ = y;
    pending_threshold_ = threshold;
    return;
  }
  has_pending_ = false;
  points_.x.push_back(x);
  points_.y.push_back(y);
  points_.thresholds.push_back(threshold);
}

CurvePoints CurveThinner::Finish() {
  if (has_pending_) {
    points_.x.push_back(pending_x_);
    points_.y.push_back(pending_y_);
    points_.thresholds.push_back(pending_threshold_);
    has_pending_ = false;
  }
  return std::move(points_);
}

}  // namespace vad::metrics
