#include "core/metrics/sweep.h"

#include <limits>
#include <stdexcept>

#include "core/errors.h"
#include "core/metrics/radix_sort.h"
#include "core/metrics/regions.h"

namespace vad::metrics {
namespace {

void SortBoth(SortedScores& sorted) {
  RadixSortByKey(sorted.normal, [](uint32_t key) { return key; });
  RadixSortByKey(sorted.anomalous, [](uint64_t item) { return static_cast<uint32_t>(item >> 32); });
}

uint64_t AnomalousItem(float score, uint32_t region) {
  return (static_cast<uint64_t>(DescendingKey(score)) << 32) | region;
}

}  // namespace

SortedScores SortImageScores(const ImageScores& input) {
  SortedScores sorted;
  for (size_t i = 0; i < input.scores.size(); ++i) {
    if (input.labels[i] != 0) {
      sorted.anomalous.push_back(AnomalousItem(input.scores[i], 0));
    } else {
      sorted.normal.push_back(DescendingKey(input.scores[i]));
    }
  }
  SortBoth(sorted);
  return sorted;
}

SortedScores SortPixelScores(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks,
                             bool with_regions) {
  size_t anomalous_count = 0;
  size_t pixel_count = 0;
  for (const GroundTruthMask& mask : masks) {
    pixel_count += mask.pixels.size();
    for (uint8_t pixel : mask.pixels) anomalous_count += pixel != 0;
  }
  SortedScores sorted;
  sorted.anomalous.reserve(anomalous_count);
  sorted.normal.reserve(pixel_count - anomalous_count);
  for (size_t i = 0; i < maps.size(); ++i) {
    const std::vector<float>& scores = maps[i].scores;
    const std::vector<uint8_t>& mask = masks[i].pixels;
    if (!with_regions) {
      for (size_t p = 0; p < scores.size(); ++p) {
        if (mask[p] != 0) {
          sorted.anomalous.push_back(AnomalousItem(scores[p], 0));
        } else {
          sorted.normal.push_back(DescendingKey(scores[p]));
        }
      }
      continue;
    }
    const RegionLabels regions = LabelRegions(mask.data(), masks[i].width, masks[i].height);
    const size_t first_region = sorted.region_weights.size();
    if (first_region + regions.sizes.size() > std::numeric_limits<uint32_t>::max()) {
      throw vad::RangeError("too many ground-truth regions for AUPRO (more than 2^32)");
    }
    for (int64_t size : regions.sizes) sorted.region_weights.push_back(1.0 / static_cast<double>(size));
    for (size_t p = 0; p < scores.size(); ++p) {
      const uint32_t label = regions.labels[p];
      if (label != 0) {
        sorted.anomalous.push_back(AnomalousItem(scores[p], static_cast<uint32_t>(first_region + label - 1)));
      } else {
        sorted.normal.push_back(DescendingKey(scores[p]));
      }
    }
  }
  SortBoth(sorted);
  return sorted;
}

void RequireBothClasses(const SortedScores& sorted, const std::string& metric, const std::string& unit) {
  if (sorted.anomalous.empty()) {
    throw std::domain_error(metric + " is undefined: every " + unit + " is normal" +
                            (unit == "pixel" ? " (every mask is empty)" : " (label 0)"));
  }
  if (sorted.normal.empty()) {
    throw std::domain_error(metric + " is undefined: every " + unit + " is anomalous" +
                            (unit == "pixel" ? " (every mask is full)" : " (label 1)"));
  }
}

}  // namespace vad::metrics
