#include "core/metrics/best_iou.h"

namespace vad::metrics {

BestIouAccumulator::BestIouAccumulator(const SortedScores& sorted)
    : anomalous_count_(static_cast<double>(sorted.anomalous.size())) {}

void BestIouAccumulator::Add(const SweepPoint& point) {
  // TP + FN is every anomalous pixel.
  const double iou =
      static_cast<double>(point.true_positives) / (static_cast<double>(point.false_positives) + anomalous_count_);
  if (seen_ && iou <= best_.iou) return;
  seen_ = true;
  best_.iou = iou;
  best_.threshold = point.threshold;
}

}  // namespace vad::metrics
