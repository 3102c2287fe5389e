#pragma once
// Checkpoints: one torch::serialize archive holding the model config, the weights and, when the model
// was trained here, the training state (optimizer state, position in the run, seed) needed to resume
// exactly. Reading never aborts: every failure is an exception naming the file and the problem.
#include <optional>
#include <string>

#include "core/config.h"
#include "core/stopping.h"
#include "core/unet.h"

namespace vad {

struct TrainState {
  TrainStateInfo info;
  std::string optimizer;  // the Adam state as serialized archive bytes, device-independent
  PlateauState plateau;
  // The weights after plateau.best_epoch as serialized archive bytes (empty before the first validation):
  // a run that ends by its own rule hands back these, not its last epoch's.
  std::string best_weights;
};

// Writes to a temporary file next to path and renames it, so a crash never leaves half a checkpoint.
void SaveCheckpoint(const std::string& path, UNet& model, const std::optional<TrainState>& state);

// Throws unless a checkpoint could be written at path: training checks this before its first epoch
// instead of failing after it.
void CheckCheckpointWritable(const std::string& path);

struct LoadedCheckpoint {
  UNet model{nullptr};  // on the CPU
  std::optional<TrainState> state;
};

LoadedCheckpoint LoadCheckpoint(const std::string& path);

}  // namespace vad
