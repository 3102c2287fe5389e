import type { Dataset } from '../datasets';
import type { PipelineConfig } from './config';
import type { OutputPaths } from './paths';

/** What every step works on: the loaded dataset, the run's config and its output folder. */
export interface RunContext {
  dataset: Dataset;
  config: PipelineConfig;
  paths: OutputPaths;
}
