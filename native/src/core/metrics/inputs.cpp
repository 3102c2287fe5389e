#include "core/metrics/inputs.h"

#include <cmath>
#include <string>

#include "core/errors.h"

namespace vad::metrics {
namespace {

std::string SizeText(int64_t width, int64_t height) { return std::to_string(width) + "x" + std::to_string(height); }

void ValidateSize(const std::string& name, int64_t width, int64_t height, size_t value_count) {
  if (width <= 0 || height <= 0) {
    throw vad::RangeError(name + " is " + SizeText(width, height) + ": width and height must be positive");
  }
  if (static_cast<uint64_t>(width) * static_cast<uint64_t>(height) != value_count) {
    throw vad::RangeError(name + ".data has " + std::to_string(value_count) + " values, but " +
                          SizeText(width, height) + " needs " + std::to_string(width * height));
  }
}

}  // namespace

std::string DescribeNonFinite(float value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "Infinity" : "-Infinity";
}

void ValidateImageScores(const ImageScores& input) {
  if (input.scores.empty()) throw vad::RangeError("scores is empty: need at least one normal and one anomalous image");
  if (input.scores.size() != input.labels.size()) {
    throw vad::RangeError("got " + std::to_string(input.scores.size()) + " scores but " +
                          std::to_string(input.labels.size()) + " labels");
  }
  for (size_t i = 0; i < input.scores.size(); ++i) {
    if (!std::isfinite(input.scores[i])) {
      throw vad::RangeError("scores[" + std::to_string(i) + "] is " + DescribeNonFinite(input.scores[i]) +
                            ": scores must be finite");
    }
    if (input.labels[i] > 1) {
      throw vad::RangeError("labels[" + std::to_string(i) + "] is " + std::to_string(input.labels[i]) +
                            ": labels must be 0 (normal) or 1 (anomalous)");
    }
  }
}

void ValidatePixelInputs(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks) {
  if (maps.empty()) throw vad::RangeError("maps is empty: need at least one map and its mask");
  if (maps.size() != masks.size()) {
    throw vad::RangeError("got " + std::to_string(maps.size()) + " maps but " + std::to_string(masks.size()) +
                          " masks");
  }
  for (size_t i = 0; i < maps.size(); ++i) {
    const ScoreMap& map = maps[i];
    const GroundTruthMask& mask = masks[i];
    const std::string index = "[" + std::to_string(i) + "]";
    ValidateSize("maps" + index, map.width, map.height, map.scores.size());
    ValidateSize("masks" + index, mask.width, mask.height, mask.pixels.size());
    if (map.width != mask.width || map.height != mask.height) {
      throw vad::RangeError("maps" + index + " is " + SizeText(map.width, map.height) + " but masks" + index + " is " +
                            SizeText(mask.width, mask.height));
    }
    for (size_t p = 0; p < map.scores.size(); ++p) {
      if (!std::isfinite(map.scores[p])) {
        const int64_t x = static_cast<int64_t>(p) % map.width;
        const int64_t y = static_cast<int64_t>(p) / map.width;
        throw vad::RangeError("maps" + index + " is " + DescribeNonFinite(map.scores[p]) + " at pixel " +
                              std::to_string(p) + " (x=" + std::to_string(x) + ", y=" + std::to_string(y) +
                              "): scores must be finite");
      }
    }
  }
}

}  // namespace vad::metrics
