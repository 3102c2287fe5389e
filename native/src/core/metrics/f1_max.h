#pragma once
// The best F1 score over all thresholds ("anomalous iff score >= threshold"), with the threshold that gives it.
#include "core/metrics/inputs.h"
#include "core/metrics/sweep.h"

namespace vad::metrics {

struct F1MaxResult {
  double f1 = 0.0;
  // The score at which F1 peaks; of equal peaks, the highest threshold (the first met in the sweep).
  double threshold = 0.0;
  double precision = 0.0;
  double recall = 0.0;
};

// Feed it every point of a sweep over scores with both classes present.
class F1MaxAccumulator {
 public:
  explicit F1MaxAccumulator(const SortedScores& sorted);
  void Add(const SweepPoint& point);
  F1MaxResult Result() const { return best_; }

 private:
  double anomalous_count_;
  F1MaxResult best_;
  bool seen_ = false;
};

// Image-level F1-max. Throws a RangeError on bad input and a plain error when only one class is present.
F1MaxResult ImageF1Max(const ImageScores& input);

}  // namespace vad::metrics
