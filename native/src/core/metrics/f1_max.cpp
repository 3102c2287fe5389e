#include "core/metrics/f1_max.h"

namespace vad::metrics {

F1MaxAccumulator::F1MaxAccumulator(const SortedScores& sorted)
    : anomalous_count_(static_cast<double>(sorted.anomalous.size())) {}

void F1MaxAccumulator::Add(const SweepPoint& point) {
  const auto true_positives = static_cast<double>(point.true_positives);
  const auto false_positives = static_cast<double>(point.false_positives);
  // 2 TP / (2 TP + FP + FN), with FN = anomalous - TP.
  const double f1 = 2.0 * true_positives / (true_positives + false_positives + anomalous_count_);
  if (seen_ && f1 <= best_.f1) return;
  seen_ = true;
  best_.f1 = f1;
  best_.threshold = point.threshold;
  best_.precision = true_positives / (true_positives + false_positives);
  best_.recall = true_positives / anomalous_count_;
}

F1MaxResult ImageF1Max(const ImageScores& input) {
  ValidateImageScores(input);
  const SortedScores sorted = SortImageScores(input);
  RequireBothClasses(sorted, "F1-max", "image");
  F1MaxAccumulator accumulator(sorted);
  SweepThresholds(sorted, [&](const SweepPoint& point) { accumulator.Add(point); });
  return accumulator.Result();
}

}  // namespace vad::metrics
