#pragma once
// What the metrics read: plain copies of the caller's arrays, safe to use on a worker thread.
#include <cstdint>
#include <string>
#include <vector>

namespace vad::metrics {

// One score per image and its label: 0 normal, 1 anomalous.
struct ImageScores {
  std::vector<float> scores;
  std::vector<uint8_t> labels;
};

// An anomaly map, row-major (index y * width + x), at its image's own resolution.
struct ScoreMap {
  int64_t width = 0;
  int64_t height = 0;
  std::vector<float> scores;
};

// The ground truth of one image, row-major like its map: nonzero = anomalous, so 0/255 masks work as they are.
struct GroundTruthMask {
  int64_t width = 0;
  int64_t height = 0;
  std::vector<uint8_t> pixels;
};

// RangeError (vad::RangeError) on empty input, a count mismatch, a label other than 0 or 1, or a non-finite
// score, naming the index.
void ValidateImageScores(const ImageScores& input);

// RangeError on no images, a map/mask count mismatch, a size that disagrees with its data or with its
// partner, or a non-finite score, naming the image (and the pixel).
void ValidatePixelInputs(const std::vector<ScoreMap>& maps, const std::vector<GroundTruthMask>& masks);

// "NaN", "Infinity" or "-Infinity", as JS prints them.
std::string DescribeNonFinite(float value);

}  // namespace vad::metrics
