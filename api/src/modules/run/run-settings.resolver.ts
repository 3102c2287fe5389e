import { configSection, upgradeSavedOptions, type PipelineConfig } from '@vad/models';
import { FieldResolver, Resolver, Root } from 'type-graphql';

import { Run } from './run.type';
import { RunConfig, RunOptions } from './run-settings.type';

/** A run's options and config, read from their stored JSON into their typed objects. */
@Resolver(() => Run)
export class RunSettingsResolver {
  @FieldResolver(() => RunOptions, { description: 'The options startRun was given.' })
  options(@Root() run: Run): RunOptions {
    // Runs queued before options were renamed stored the old names: read as the worker reads them.
    return upgradeSavedOptions((run.options ?? {}) as Record<string, unknown>) as RunOptions;
  }

  @FieldResolver(() => RunConfig, {
    nullable: true,
    description: 'The full resolved pipeline config (null until a worker resolves it).',
  })
  config(@Root() run: Run): RunConfig | null {
    if (run.config === null) return null;
    const config = run.config as unknown as PipelineConfig;
    return {
      preset: config.preset,
      device: config.device,
      model: configSection(config, 'model'),
      train: configSection(config, 'train'),
      explain: configSection(config, 'explain'),
    };
  }
}
