#include "core/metrics/aupro.h"

#include <algorithm>
#include <limits>
#include <sstream>

#include "core/errors.h"

namespace vad::metrics {
namespace {

// Rounding in the running sum can take PRO a hair past 1 at the end; MVTec's code clips it the same way.
double Pro(const SweepPoint& point, double regionCount) { return std::min(1.0, point.regionOverlapSum / regionCount); }

}  // namespace

void ValidateMaxFpr(double maxFpr) {
  if (!(maxFpr > 0.0 && maxFpr <= 1.0)) {
    std::ostringstream message;
    message << "maxFpr must be in (0, 1], got " << maxFpr;
    throw vad::RangeError(message.str());
  }
}

ProAccumulator::ProAccumulator(const SortedScores& sorted, double maxFpr)
    : normalCount_(static_cast<double>(sorted.normal.size())),
      regionCount_(static_cast<double>(sorted.regionWeights.size())),
      maxFpr_(maxFpr) {
  ValidateMaxFpr(maxFpr);
}

void ProAccumulator::Add(const SweepPoint& point) {
  ++points_;
  const double fpr = static_cast<double>(point.falsePositives) / normalCount_;
  const double pro = Pro(point, regionCount_);
  if (!pastMaxFpr_) {
    if (fpr <= maxFpr_) {
      area_ += (fpr - previousFpr_) * (pro + previousPro_) / 2.0;
    } else {
      // This segment crosses maxFpr: integrate up to the interpolated point on it.
      const double proAtMax = previousPro_ + (pro - previousPro_) * (maxFpr_ - previousFpr_) / (fpr - previousFpr_);
      area_ += (maxFpr_ - previousFpr_) * (proAtMax + previousPro_) / 2.0;
      pastMaxFpr_ = true;
    }
  }
  previousFpr_ = fpr;
  previousPro_ = pro;
}

ProCurveRecorder::ProCurveRecorder(const SortedScores& sorted, size_t maxPoints, size_t pointCount)
    : normalCount_(static_cast<double>(sorted.normal.size())),
      regionCount_(static_cast<double>(sorted.regionWeights.size())),
      thinner_(maxPoints, pointCount) {
  thinner_.Add(0.0, 0.0, std::numeric_limits<double>::infinity());
}

void ProCurveRecorder::Add(const SweepPoint& point) {
  thinner_.Add(static_cast<double>(point.falsePositives) / normalCount_, Pro(point, regionCount_), point.threshold);
}

}  // namespace vad::metrics
