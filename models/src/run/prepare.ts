import { existsSync } from 'node:fs';

import type { Dataset } from '../datasets';
import { ConfigError, upgradeTarget, validateOptions } from '../options';
import type { OptionName, RunOptions } from '../options';
import { resolveConfig, withExplainOptions } from '../pipeline/config';
import type { PipelineConfig } from '../pipeline/config';
import type { RunContext } from '../pipeline/context';
import type { PipelineHooks } from '../pipeline/events';
import { readJsonFile, writeJsonFile } from '../pipeline/json-file';
import { outputPaths } from '../pipeline/paths';
import { CheckpointError } from '../pipeline/train';

/** What a run trains on and where it writes: the caller loads the data (a folder, the database, ...). */
export interface RunInput {
  dataset: Dataset;
  /** How the data is named in the config and report (a folder, `fashion-mnist:<class>:<variant>`, `dataset:<id>`). */
  data: string;
  /** The run's output folder: config, checkpoints, maps, report. */
  out: string;
  options: RunOptions;
  /** Continue the run in `out` from its checkpoint (its recorded config; `epochs` may be raised). */
  resume?: boolean;
}

/** Settings fixed by a run's first training; a resumed run may repeat them but not change them. */
const FIXED_ON_RESUME: Partial<Record<OptionName, (config: PipelineConfig) => unknown>> = {
  preset: (config) => config.preset,
  imageSize: (config) => config.model.imageSize,
  batchSize: (config) => config.train.batchSize,
  loss: (config) => config.model.loss,
  attentionLayer: (config) => config.train.attentionLayer,
  attentionWeight: (config) => config.train.attentionWeight,
  attentionSign: (config) => config.train.attentionSign,
  seed: (config) => config.model.seed,
};

/** The config a run folder holds, in today's words (older runs named the re-encoded target `residual`). */
export async function readSavedConfig(out: string): Promise<PipelineConfig> {
  const saved = await readJsonFile<PipelineConfig>(
    outputPaths(out).config,
    'run config',
    'train a model into this folder first',
  );
  const targets = saved.explain.attentionTargets.map(upgradeTarget) as PipelineConfig['explain']['attentionTargets'];
  return { ...saved, explain: { ...saved.explain, attentionTargets: targets } };
}

export function checkSameData(given: string | undefined, saved: string): void {
  if (given !== undefined && given !== saved)
    throw new ConfigError('data', `this run was trained on ${saved}, not ${given}`);
}

function announce(config: PipelineConfig, hooks: PipelineHooks): void {
  hooks.onProgress?.({ type: 'config', config });
}

/** The context of a training run: a new run's resolved config (saved), or a resumed run's recorded one. */
export async function prepareTraining(input: RunInput, hooks: PipelineHooks = {}): Promise<RunContext> {
  const { dataset, data, out, options } = input;
  validateOptions(options);
  const paths = outputPaths(out);
  if (input.resume === true) {
    const saved = await readSavedConfig(out);
    checkSameData(data, saved.data);
    for (const [option, value] of Object.entries(FIXED_ON_RESUME) as [OptionName, (c: PipelineConfig) => unknown][]) {
      const given = options[option];
      if (given !== undefined && given !== value(saved))
        throw new ConfigError(option, `the run being resumed used ${String(value(saved))}; it cannot change on resume`);
    }
    const config = withExplainOptions(
      { ...saved, train: { ...saved.train, epochs: options.epochs ?? saved.train.epochs } },
      options,
    );
    await writeJsonFile(paths.config, config);
    announce(config, hooks);
    return { dataset, config, paths };
  }
  // Before anything is written: a trained model is never overwritten by accident.
  if (existsSync(paths.checkpoint)) {
    throw new CheckpointError(
      `${paths.root} already holds a trained model (${paths.checkpoint}): resume it, or choose another output folder`,
    );
  }
  const config = resolveConfig(data, dataset, options);
  await writeJsonFile(paths.config, config);
  announce(config, hooks);
  return { dataset, config, paths };
}

/** The context of a trained run, for explain (with explain-time options) and evaluate. */
export async function prepareTrained(input: {
  dataset: Dataset;
  /** Checked against the data the run was trained on, when given. */
  data?: string;
  out: string;
  options?: RunOptions;
}): Promise<RunContext> {
  const saved = await readSavedConfig(input.out);
  checkSameData(input.data, saved.data);
  return {
    dataset: input.dataset,
    config: withExplainOptions(saved, input.options ?? {}),
    paths: outputPaths(input.out),
  };
}
