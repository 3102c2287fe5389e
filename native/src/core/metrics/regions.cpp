#include "core/metrics/regions.h"

#include <cstddef>

namespace vad::metrics {

RegionLabels LabelRegions(const uint8_t* mask, int64_t width, int64_t height) {
  RegionLabels result;
  result.labels.assign(static_cast<size_t>(width * height), 0);
  // An explicit stack: a recursive fill would overflow on a large defect.
  std::vector<int64_t> pending;
  for (int64_t seed = 0; seed < width * height; ++seed) {
    if (mask[seed] == 0 || result.labels[seed] != 0) continue;
    const uint32_t label = static_cast<uint32_t>(result.sizes.size() + 1);
    int64_t size = 0;
    result.labels[seed] = label;
    pending.push_back(seed);
    while (!pending.empty()) {
      const int64_t pixel = pending.back();
      pending.pop_back();
      ++size;
      const int64_t x = pixel % width;
      const int64_t y = pixel / width;
      for (int64_t ny = y - 1; ny <= y + 1; ++ny) {
        if (ny < 0 || ny >= height) continue;
        for (int64_t nx = x - 1; nx <= x + 1; ++nx) {
          if (nx < 0 || nx >= width) continue;
          const int64_t neighbour = ny * width + nx;
          if (mask[neighbour] != 0 && result.labels[neighbour] == 0) {
            result.labels[neighbour] = label;
            pending.push_back(neighbour);
          }
        }
      }
    }
    result.sizes.push_back(size);
  }
  return result;
}

}  // namespace vad::metrics
