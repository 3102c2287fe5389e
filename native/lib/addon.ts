// Loads the compiled addon once, with an error that says how to build it when it is missing.
import fs from 'node:fs';
import path from 'node:path';

import type { ExplainResult, ModelConfig, ResolvedModelConfig, TrainProgress, TrainResult, TrainState } from './model';

export const ADDON_PATH: string = path.resolve(__dirname, '..', 'build', 'Release', 'vad_native.node');

/** Raw images as the addon takes them; see ImageArray in model.ts. */
export interface NativeImages {
  readonly data: Uint8Array;
  readonly shape: readonly number[];
}

export interface NativeModel {
  readonly config: ResolvedModelConfig;
  readonly layers: string[];
  readonly parameterCount: number;
  readonly trainState: TrainState | null;
  readonly busy: boolean;
  save(path: string): void;
  train(
    images: NativeImages,
    options: Record<string, unknown>,
    onProgress?: (progress: TrainProgress) => void,
    cancelled?: boolean,
    validation?: NativeImages,
  ): Promise<TrainResult>;
  cancelTraining(): void;
  explain(images: NativeImages, options?: Record<string, unknown>): Promise<ExplainResult[]>;
}

export interface NativeModelClass {
  new (config: ModelConfig): NativeModel;
  load(path: string): NativeModel;
}

export interface NativeAddon {
  readonly NativeModel: NativeModelClass;
  ssim(a: NativeImages, b: NativeImages): Float64Array;
  runtimeInfo(): string;
  synthesizeDefects(
    images: NativeImages,
    options: Record<string, unknown>,
    seed: number,
  ): { images: Uint8Array; masks: Uint8Array };
  /** Other concerns (metrics) register their own exports. */
  readonly [name: string]: unknown;
}

let loaded: NativeAddon | undefined;

export function loadAddon(): NativeAddon {
  if (loaded) return loaded;
  if (!fs.existsSync(ADDON_PATH)) {
    throw new Error(
      `the native addon is not built: ${ADDON_PATH} does not exist. ` +
        'Run `npm run build -w native` from the repository root.',
    );
  }
  // By default a waiting OpenMP thread of LibTorch spins for about 300,000 iterations (milliseconds)
  // before it sleeps. On a machine shared with other work the spinning thread takes the core from the
  // thread it waits for: the first training call of a process ran at 2.6-3.8 s per step instead of
  // 0.6-1.1 s (128 px, 2 threads, a loaded 2-core machine; equal when the machine was idle). libgomp
  // reads the setting once, when the addon loads it; a value set by the user is kept.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  try {
    loaded = require(ADDON_PATH) as NativeAddon;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the native addon at ${ADDON_PATH} failed to load (${reason}). ` +
        'Rebuild it with `npm run build -w native` from the repository root.',
      { cause: error },
    );
  }
  return loaded;
}
