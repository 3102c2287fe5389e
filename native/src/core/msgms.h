#pragma once
// Multi-scale gradient magnitude similarity (MSGMS), the anomaly map of RIAD (Zavrtanik, Kristan and Skocaj,
// "Reconstruction by inpainting for visual anomaly detection", Pattern Recognition 2021): where the edges of the
// reconstruction differ from the input's, at four scales. Unlike the residual it ignores a uniform change of
// brightness and sees a changed edge; unlike the SSIM map it needs no window statistics.
#include <ATen/core/Tensor.h>

namespace vad {

// a, b: (B, C, H, W), values in [0, 1]; colour images are compared on their grey level (0.299 R + 0.587 G +
// 0.114 B). At each scale s = 1, 1/2, 1/4, 1/8 (2x2 mean pooling, repeated):
//   g = |Prewitt gradient| (3x3 kernels [1 0 -1] / 3 along each axis, borders replicated),
//   GMS = (2 g_a g_b + c) / (g_a^2 + g_b^2 + c), c = 0.0026 (RIAD's, for [0, 1] images),
// upsampled bilinearly to H x W. The map is 1 - the mean of the four GMS maps: 0 where the gradients agree at
// every scale (identical images give 0 everywhere), up to 1. Returns (B, H, W) in float32, not smoothed: RIAD
// smooths it with a 21 x 21 mean filter; here whoever uses the map smooths it as it smooths every other map.
at::Tensor MsgmsMap(const at::Tensor& a, const at::Tensor& b);

}  // namespace vad
