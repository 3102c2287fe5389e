#pragma once
// Error kinds of the engine core. The binding layer maps each to the matching JS error class,
// so a wrong argument reaches JS as a TypeError or RangeError naming the problem.
#include <stdexcept>
#include <string>

namespace vad {

// A value of the wrong kind: dtype, rank, an unknown name (layer, loss, map type).
struct TypeError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// A value of the right kind out of its allowed range: a size, a count, a threshold.
struct RangeError : std::out_of_range {
  using std::out_of_range::out_of_range;
};

}  // namespace vad
