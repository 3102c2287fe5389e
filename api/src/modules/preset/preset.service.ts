import { PRESET_NAMES, getPreset, layerNames, presetOptionValues, type Preset as ModelPreset } from '@vad/models';

import type { Preset } from './preset.type';

/**
 * A preset as clients see it: its values of exactly the options startRun's input can override (the API's enums
 * carry the pipeline's own values), and the layers and image size step of its model.
 */
export function presetOf(preset: ModelPreset): Preset {
  return {
    name: preset.name,
    description: preset.description,
    settings: presetOptionValues(preset),
    // Not options but facts of the model that decide which option values the worker accepts; without them a
    // client learns of a missing layer or an unfit size only when the run fails.
    layers: layerNames(preset.model.depth),
    imageSizeStep: 2 ** preset.model.depth,
  };
}

export class PresetService {
  readonly #presets: readonly Preset[] = PRESET_NAMES.map((name) => presetOf(getPreset(name)));

  /** Every preset, smallest first. */
  list(): readonly Preset[] {
    return this.#presets;
  }
}
