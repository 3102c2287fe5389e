#include "core/metrics/roc.h"

#include <limits>

namespace vad::metrics {

RocAccumulator::RocAccumulator(const SortedScores& sorted)
    : anomalous_count_(static_cast<double>(sorted.anomalous.size())),
      normal_count_(static_cast<double>(sorted.normal.size())) {}

void RocAccumulator::Add(const SweepPoint& point) {
  const auto false_positive_step = static_cast<uint64_t>(point.false_positives - previous_false_positives_);
  twice_area_ += false_positive_step * static_cast<uint64_t>(point.true_positives + previous_true_positives_);
  previous_true_positives_ = point.true_positives;
  previous_false_positives_ = point.false_positives;
  filter_.Add(point, [this](const SweepPoint&) { ++kept_points_; });
  saw_point_ = true;
}

double RocAccumulator::Auroc() const {
  return static_cast<double>(twice_area_) / (2.0 * anomalous_count_ * normal_count_);
}

RocCurveRecorder::RocCurveRecorder(const SortedScores& sorted, size_t max_points, size_t point_count)
    : anomalous_count_(static_cast<double>(sorted.anomalous.size())),
      normal_count_(static_cast<double>(sorted.normal.size())),
      thinner_(max_points, point_count) {
  thinner_.Add(0.0, 0.0, std::numeric_limits<double>::infinity());
}

void RocCurveRecorder::Add(const SweepPoint& point) {
  filter_.Add(point, [this](const SweepPoint& kept) { Record(kept); });
}

CurvePoints RocCurveRecorder::Finish() {
  filter_.Finish([this](const SweepPoint& kept) { Record(kept); });
  return thinner_.Finish();
}

void RocCurveRecorder::Record(const SweepPoint& point) {
  thinner_.Add(static_cast<double>(point.false_positives) / normal_count_,
               static_cast<double>(point.true_positives) / anomalous_count_, point.threshold);
}

RocResult ComputeRoc(const SortedScores& sorted, size_t max_curve_points) {
  ValidateMaxCurvePoints(max_curve_points);
  RocAccumulator accumulator(sorted);
  SweepThresholds(sorted, [&](const SweepPoint& point) { accumulator.Add(point); });
  RocCurveRecorder recorder(sorted, max_curve_points, accumulator.CurvePointCount());
  SweepThresholds(sorted, [&](const SweepPoint& point) { recorder.Add(point); });
  return {accumulator.Auroc(), recorder.Finish()};
}

RocResult ImageRoc(const ImageScores& input, size_t max_curve_points) {
  ValidateImageScores(input);
  ValidateMaxCurvePoints(max_curve_points);
  const SortedScores sorted = SortImageScores(input);
  RequireBothClasses(sorted, "AUROC", "image");
  return ComputeRoc(sorted, max_curve_points);
}

}  // namespace vad::metrics
