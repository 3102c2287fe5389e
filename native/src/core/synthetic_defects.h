#pragma once
// Synthetic defects for training, after DRAEM (Zavrtanik, Kristan and Skocaj, "DRAEM: A discriminatively trained
// reconstruction embedding for surface anomaly detection", ICCV 2021), from sources that need no outside data:
//   mask     Perlin noise thresholded at 0.5; its lattice has 2^0..2^5 cells per axis, drawn per axis and
//            image, and it is rotated by an angle in [-90, 90) degrees (DRAEM's masks).
//   content  one source per image, drawn from the enabled ones:
//            patch   another image of the batch, rotated and shifted (NSA's idea, without Poisson blending);
//            perlin  a second Perlin field as texture, between two random colours;
//            flat    one random colour.
//            Then augmented: gamma in [0.5, 2], brightness +-0.2, on colour images per-channel gains in
//            [0.8, 1.2] and a cyclic shift of the channels (hue-like), solarize and posterize (each on a
//            fifth of the images). Generated content (perlin, flat) is mapped into the image's own value
//            range per channel, a patch is clipped to it: a defect is never brighter or darker than its image.
//   blend    x' = x + m * a * (content - x), opacity a uniform in [min_opacity, 1] (DRAEM's 1 - beta,
//            beta uniform in [0, 0.8] for the default 0.2): randomising it is what DRAEM's ablation found to
//            matter most.
// Each image gets a defect with probability `probability`; an image that gets none, or whose thresholded
// noise is empty, keeps an empty mask. The mask leaves out pixels that changed by 2 % of the value range
// or less (in every channel): where the content matches the image under it, there is no defect to see.
// Everything runs as batched tensor operations on the batch's device, and every draw comes from a generator
// seeded with `seed`: the same seed gives the same defects.
#include <ATen/core/Tensor.h>

#include <cstdint>

#include "core/config.h"

namespace vad {

struct SyntheticBatch {
  at::Tensor images;  // (B, C, H, W) float in [0, 1]: the batch with its defects
  at::Tensor masks;   // (B, 1, H, W) float, 1 where a defect was planted, else 0
};

// clean: (B, C, H, W) float in [0, 1].
SyntheticBatch PlantSyntheticDefects(const at::Tensor& clean, const SyntheticDefectOptions& options, uint64_t seed);

}  // namespace vad
