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
  std::vector<double> region_weights;
};

SortedScores SortImageScores(const ImageScores& input);

// with_regions labels each mask's 8-connected regions (for AUPRO); the other metrics need no regions.
SortedScores SortPixelScores(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                             bool with_regions);

// A metric of one class alone means nothing: throws std::domain_error (a plain JS Error) such as
// "AUROC is undefined: every image is normal (label 0)". `unit` is "image" or "pixel".
void RequireBothClasses(const SortedScores& sorted, const std::string& metric, const std::string& unit);

// The state after all scores >= threshold are called anomalous.
struct SweepPoint {
  float threshold = 0.0f;
  int64_t true_positives = 0;
  int64_t false_positives = 0;
  // Sum of the region weights of the true positives: PRO = region_overlap_sum / region count.
  double region_overlap_sum = 0.0;
};

// Calls visit(const SweepPoint&) once per distinct score, highest first; the last point calls everything
// anomalous.
template <typename Visit>
void SweepThresholds(const SortedScores& sorted, Visit&& visit) {
  const std::vector<uint64_t>& anomalous = sorted.anomalous;
  const std::vector<uint32_t>& normal = sorted.normal;
  const std::vector<double>& weights = sorted.region_weights;
  const bool weighted = !weights.empty();
  const size_t anomalous_count = anomalous.size();
  const size_t normal_count = normal.size();
  size_t a = 0;
  size_t n = 0;
  SweepPoint point;
  while (a < anomalous_count || n < normal_count) {
    uint32_t key = 0;
    if (n == normal_count) {
      key = static_cast<uint32_t>(anomalous[a] >> 32);
    } else if (a == anomalous_count) {
      key = normal[n];
    } else {
      const uint32_t anomalous_key = static_cast<uint32_t>(anomalous[a] >> 32);
      key = anomalous_key < normal[n] ? anomalous_key : normal[n];
    }
    for (; a < anomalous_count && static_cast<uint32_t>(anomalous[a] >> 32) == key; ++a) {
      if (weighted) point.region_overlap_sum += weights[static_cast<uint32_t>(anomalous[a])];
    }
    while (n < normal_count && normal[n] == key) ++n;
    point.threshold = ScoreOfKey(key);
    point.true_positives = static_cast<int64_t>(a);
    point.false_positives = static_cast<int64_t>(n);
    visit(static_cast<const SweepPoint&>(point));
  }
}

}  // namespace vad::metrics
