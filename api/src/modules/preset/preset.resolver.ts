import { Ctx, Query, Resolver } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { Preset } from './preset.type';

@Resolver(() => Preset)
export class PresetResolver {
  @Query(() => [Preset], {
    description: "The presets a run can start from, smallest first, with their values of startRun's options.",
  })
  runPresets(@Ctx() context: Context): readonly Preset[] {
    return context.services.presets.list();
  }
}
