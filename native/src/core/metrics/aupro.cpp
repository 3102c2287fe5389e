#include "core/metrics/aupro.h"

#include <algorithm>
#include <limits>
#include <sstream>

#include "core/errors.h"

namespace vad::metrics {
namespace {

// Rounding in the running sum can take PRO a hair past 1 at the end; MVTec's code clips it the same way.
double Pro(const SweepPoint& point, double region_count) {
  return std::min(1.0, point.region_overlap_sum / region_count);
}

}  // namespace

void ValidateMaxFpr(double max_fpr) {
  if (!(max_fpr > 0.0 && max_fpr <= 1.0)) {
    std::ostringstream message;
    message << "maxFpr must be in (0, 1], got " << max_fpr;
    throw vad::RangeError(message.str());
  }
}

ProAccumulator::ProAccumulator(const SortedScores& sorted, double max_fpr)
    : normal_count_(static_cast<double>(sorted.normal.size())),
      region_count_(static_cast<double>(sorted.region_weights.size())),
      max_fpr_(max_fpr) {
  ValidateMaxFpr(max_fpr);
}

void ProAccumulator::Add(const SweepPoint& point) {
  ++points_;
  const double fpr = static_cast<double>(point.false_positives) / normal_count_;
  const double pro = Pro(point, region_count_);
  if (!past_max_fpr_) {
    if (fpr <= max_fpr_) {
      area_ += (fpr - previous_fpr_) * (pro + previous_pro_) / 2.0;
    } else {
      // This segment crosses max_fpr: integrate up to the interpolated point on it.
      const double pro_at_max =
          previous_pro_ + (pro - previous_pro_) * (max_fpr_ - previous_fpr_) / (fpr - previous_fpr_);
      area_ += (max_fpr_ - previous_fpr_) * (pro_at_max + previous_pro_) / 2.0;
      past_max_fpr_ = true;
    }
  }
  previous_fpr_ = fpr;
  previous_pro_ = pro;
}

ProCurveRecorder::ProCurveRecorder(const SortedScores& sorted, size_t max_points, size_t point_count)
    : normal_count_(static_cast<double>(sorted.normal.size())),
      region_count_(static_cast<double>(sorted.region_weights.size())),
      thinner_(max_points, point_count) {
  thinner_.Add(0.0, 0.0, std::numeric_limits<double>::infinity());
}

void ProCurveRecorder::Add(const SweepPoint& point) {
  thinner_.Add(static_cast<double>(point.false_positives) / normal_count_, Pro(point, region_count_), point.threshold);
}

}  // namespace vad::metrics
