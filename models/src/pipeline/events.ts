import type { TrainProgress } from '@vad/native';

import type { PipelineConfig } from './config';

export type PipelineStage = 'load' | 'train' | 'explain' | 'evaluate' | 'report';

/** What a running pipeline tells its caller; the CLI draws it, the API's worker forwards it. */
export type PipelineEvent =
  /** The run's resolved config, once, before training starts. */
  | { type: 'config'; config: PipelineConfig }
  | { type: 'stage'; stage: PipelineStage; message: string }
  | { type: 'warning'; stage: PipelineStage; message: string }
  | { type: 'train'; progress: TrainProgress }
  | { type: 'explain'; done: number; total: number; imagesPerSecond: number; etaSeconds: number }
  | { type: 'evaluate'; mapType: string; done: number; total: number };

export interface PipelineHooks {
  onProgress?: (event: PipelineEvent) => void;
  /** Aborting stops training within one step (checkpoint kept), explain between batches, evaluate between maps. */
  signal?: AbortSignal;
}
