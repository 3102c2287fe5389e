#pragma once
// Ground-truth regions for AUPRO: the 8-connected components of a mask, as MVTec AD's evaluation defines them
// (scipy.ndimage.label with a 3x3 structuring element).
#include <cstdint>
#include <vector>

namespace vad::metrics {

struct RegionLabels {
  // Per pixel, row-major: 0 for a normal pixel, else 1 + the index of its region in `sizes`.
  std::vector<uint32_t> labels;
  // Pixel count of each region.
  std::vector<int64_t> sizes;
};

// Labels the anomalous (nonzero) pixels of a width x height mask; pixels that touch, diagonals included,
// share a region.
RegionLabels LabelRegions(const uint8_t* mask, int64_t width, int64_t height);

}  // namespace vad::metrics
