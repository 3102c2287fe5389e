#pragma once
// Batch norm's running statistics measured again with the current weights, over clean whole images, as the model
// will see at inference. While training they are an exponential average over the last few batches of corrupted
// crops, each measured with the weights of its step; a model can come to depend on them so finely that its
// eval-mode output jumps from one epoch to the next (KolektorSDD patch training, models/EXPERIMENTS.md) while its
// training loss falls steadily.
#include <ATen/core/Tensor.h>

#include <cstdint>

#include "core/unet.h"

namespace vad {

// Resets the U-Net's batch norm statistics (not the segmentation head's, whose inputs are corrupted images) and
// sets them to the plain average over images (N, C, H, W) uint8 on the model's device, in batches of batch_size,
// without gradients, with skip noise drawn from noise_seed as in training. Leaves the model in eval mode.
void RecomputeBatchNormStatistics(UNet& model, const at::Tensor& images, int64_t batch_size, uint64_t noise_seed,
                                  bool mixed_precision);

}  // namespace vad
