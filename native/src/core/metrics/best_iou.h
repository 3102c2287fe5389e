#pragma once
// The best intersection over union of the pooled pixels over all thresholds: IoU = TP / (TP + FP + FN)
// ("anomalous iff score >= threshold"), with the threshold that gives it.
#include "core/metrics/sweep.h"

namespace vad::metrics {

struct BestIouResult {
  double iou = 0.0;
  // Of equal peaks, the highest threshold (the first met in the sweep).
  double threshold = 0.0;
};

// Feed it every point of a sweep over scores with both classes present.
class BestIouAccumulator {
 public:
  explicit BestIouAccumulator(const SortedScores& sorted);
  void Add(const SweepPoint& point);
  BestIouResult Result() const { return best_; }

 private:
  double anomalous_count_;
  BestIouResult best_;
  bool seen_ = false;
};

}  // namespace vad::metrics
