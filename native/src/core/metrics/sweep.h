#pragma once
// The exact threshold sweep every metric shares: sort the scores once, then walk the distinct scores from the
// highest down. At each one, "anomalous iff score >= threshold" gives the confusion counts; tied scores move
// together, as one threshold (scikit-learn's convention).
#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics/inputs.h"
#include "core/metrics/score_order.h"

namespace vad::metrics {

// Scores split by ground truth, each part sorted from the highest score down.
struct SortedScores {
  // DescendingKey of each normal score, ascending.
  std::vector<uint32_t> normal;
  // DescendingKey << 32 | region index of each anomalous score, ascending by key. Region 0 without regions.
  std::vector<uint64_t> anomalous;
  // 1 / size of each ground-truth region; empty unless regions were asked for.
  std::vector<double> regionWeights;
};

SortedScores SortImageScores(const ImageScores& input);

// withRegions labels each mask's 8-connected regions (for AUPRO); the other metrics need no regions.
SortedScores SortPixelScores(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                             bool withRegions);

// A metric of one class alone means nothing: throws std::domain_error (a plain JS Error) such as
// "AUROC is undefined: every image is normal (label 0)". `unit` is "image" or "pixel".
void RequireBothClasses(const SortedScores& sorted, const std::string& metric, const std::string& unit);

// The state after all scores >= threshold are called anomalous.
struct SweepPoint {
  float threshold = 0.0f;
  int64_t truePositives = 0;
  int64_t falsePositives = 0;
  // Sum of the region weights of the true positives: PRO = regionOverlapSum / region count.
  double regionOverlapSum = 0.0;
};

// Calls visit(const SweepPoint&) once per distinct score, highest first; the last point calls everything
// anomalous.
template <typename Visit>
void SweepThresholds(const SortedScores& sorted, Visit&& visit) {
  const std::vector<uint64_t>& anomalous = sorted.anomalous;
  const std::vector<uint32_t>& normal = sorted.normal;
  const std::vector<double>& weights = sorted.regionWeights;
  const bool weighted = !weights.empty();
  const size_t anomalousCount = anomalous.size();
  const size_t normalCount = normal.size();
  size_t a = 0;
  size_t n = 0;
  SweepPoint point;
  while (a < anomalousCount || n < normalCount) {
    uint32_t key = 0;
    if (n == normalCount) {
      key = static_cast<uint32_t>(anomalous[a] >> 32);
    } else if (a == anomalousCount) {
      key = normal[n];
    } else {
      const uint32_t anomalousKey = static_cast<uint32_t>(anomalous[a] >> 32);
      key = anomalousKey < normal[n] ? anomalousKey : normal[n];
    }
    for (; a < anomalousCount && static_cast<uint32_t>(anomalous[a] >> 32) == key; ++a) {
      if (weighted) point.regionOverlapSum += weights[static_cast<uint32_t>(anomalous[a])];
    }
    while (n < normalCount && normal[n] == key) ++n;
    point.threshold = ScoreOfKey(key);
    point.truePositives = static_cast<int64_t>(a);
    point.falsePositives = static_cast<int64_t>(n);
    visit(static_cast<const SweepPoint&>(point));
  }
}

}  // namespace vad::metrics
