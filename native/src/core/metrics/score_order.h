#pragma once
// Scores become unsigned keys so that one radix sort orders them and ties compare as equal integers.
#include <cstdint>
#include <cstring>

namespace vad::metrics {

// Key whose ascending unsigned order is the finite score's descending numeric order: sweeps run from the
// highest threshold down. -0 becomes +0 first: they compare equal as floats, so they must tie here too.
inline uint32_t DescendingKey(float score) {
  if (score == 0.0f) score = 0.0f;
  uint32_t bits = 0;
  std::memcpy(&bits, &score, sizeof bits);
  const uint32_t ascending = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
  return ~ascending;
}

inline float ScoreOfKey(uint32_t key) {
  const uint32_t ascending = ~key;
  const uint32_t bits = (ascending & 0x80000000u) ? (ascending & 0x7fffffffu) : ~ascending;
  float score = 0.0f;
  std::memcpy(&score, &bits, sizeof score);
  return score;
}

}  // namespace vad::metrics
