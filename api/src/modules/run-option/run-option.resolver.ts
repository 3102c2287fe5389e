import { Ctx, Query, Resolver } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { RunOption } from './run-option.type';

@Resolver(() => RunOption)
export class RunOptionResolver {
  @Query(() => [RunOption], {
    description: "startRun's pipeline options with their allowed values and ranges, for building a launch form.",
  })
  runOptions(@Ctx() context: Context): readonly RunOption[] {
    return context.services.runOptions.list();
  }
}
