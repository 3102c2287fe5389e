#pragma once
// Pixel metrics sort millions of scores; a radix sort on 32-bit keys is several times faster than a
// comparison sort there, and its stability keeps the payload bits next to their key.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vad::metrics {

// Sorts items ascending by key_of(item) (a uint32_t), stably, least significant 11-bit digit first.
template <typename Item, typename KeyOf>
void RadixSortByKey(std::vector<Item>& items, KeyOf key_of) {
  constexpr int kDigitBits = 11;
  constexpr int kPasses = 3;  // 3 x 11 bits cover the 32-bit key
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  constexpr uint32_t kDigitMask = kBuckets - 1;
  const size_t count = items.size();
  if (count < 2) return;

  // All histograms in one read; a digit that every item shares (the high bits of scores in a narrow range
  // often do) needs no pass.
  std::vector<std::array<size_t, kBuckets>> histograms(kPasses);
  for (auto& histogram : histograms) histogram.fill(0);
  for (const Item& item : items) {
    const uint32_t key = key_of(item);
    for (int pass = 0; pass < kPasses; ++pass) ++histograms[pass][(key >> (pass * kDigitBits)) & kDigitMask];
  }

  std::vector<Item> scratch(count);
  std::vector<Item>* source = &items;
  std::vector<Item>* target = &scratch;
  for (int pass = 0; pass < kPasses; ++pass) {
    const int shift = pass * kDigitBits;
    auto& histogram = histograms[pass];
    if (histogram[(key_of((*source)[0]) >> shift) & kDigitMask] == count) continue;
    size_t offset = 0;
    for (size_t& bucket : histogram) offset += std::exchange(bucket, offset);
    for (const Item& item : *source) (*target)[histogram[(key_of(item) >> shift) & kDigitMask]++] = item;
    std::swap(source, target);
  }
  if (source != &items) items.swap(scratch);
}

}  // namespace vad::metrics
