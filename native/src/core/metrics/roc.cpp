#include "core/metrics/roc.h"

#include <limits>

namespace vad::metrics {

RocAccumulator::RocAccumulator(const SortedScores& sorted)
    : anomalousCount_(static_cast<double>(sorted.anomalous.size())),
      normalCount_(static_cast<double>(sorted.normal.size())) {}

void RocAccumulator::Add(const SweepPoint& point) {
  const auto falsePositiveStep = static_cast<uint64_t>(point.falsePositives - previousFalsePositives_);
  twiceArea_ += falsePositiveStep * static_cast<uint64_t>(point.truePositives + previousTruePositives_);
  previousTruePositives_ = point.truePositives;
  previousFalsePositives_ = point.falsePositives;
  filter_.Add(point, [this](const SweepPoint&) { ++keptPoints_; });
  sawPoint_ = true;
}

double RocAccumulator::Auroc() const {
  return static_cast<double>(twiceArea_) / (2.0 * anomalousCount_ * normalCount_);
}

RocCurveRecorder::RocCurveRecorder(const SortedScores& sorted, size_t maxPoints, size_t pointCount)
    : anomalousCount_(static_cast<double>(sorted.anomalous.size())),
      normalCount_(static_cast<double>(sorted.normal.size())),
      thinner_(maxPoints, pointCount) {
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
  thinner_.Add(static_cast<double>(point.falsePositives) / normalCount_,
               static_cast<double>(point.truePositives) / anomalousCount_, point.threshold);
}

RocResult ComputeRoc(const SortedScores& sorted, size_t maxCurvePoints) {
  ValidateMaxCurvePoints(maxCurvePoints);
  RocAccumulator accumulator(sorted);
  SweepThresholds(sorted, [&](const SweepPoint& point) { accumulator.Add(point); });
  RocCurveRecorder recorder(sorted, maxCurvePoints, accumulator.CurvePointCount());
  SweepThresholds(sorted, [&](const SweepPoint& point) { recorder.Add(point); });
  return {accumulator.Auroc(), recorder.Finish()};
}

RocResult ImageRoc(const ImageScores& input, size_t maxCurvePoints) {
  ValidateImageScores(input);
  ValidateMaxCurvePoints(maxCurvePoints);
  const SortedScores sorted = SortImageScores(input);
  RequireBothClasses(sorted, "AUROC", "image");
  return ComputeRoc(sorted, maxCurvePoints);
}

}  // namespace vad::metrics
