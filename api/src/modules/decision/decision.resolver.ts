import { Arg, Ctx, FieldResolver, Float, ID, Mutation, Resolver, Root } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { Run } from '../run/run.type';
import { RunDecision } from './decision.type';

@Resolver(() => Run)
export class RunDecisionResolver {
  @FieldResolver(() => RunDecision, {
    nullable: true,
    description:
      "How the run calls images normal or anomalous; null until it has results and a threshold (an evaluation's, " +
      'which needs normal and anomalous test images, or one set with setRunThreshold).',
  })
  decision(@Root() run: Run, @Ctx() context: Context): Promise<RunDecision | null> {
    return context.services.decisions.ofRun(run, context.loaders);
  }

  @Requires('ADMIN')
  @Mutation(() => Run, {
    description:
      "Sets the run's threshold on image scores (admins), or with null returns to its latest evaluation's image " +
      'F1-max threshold. Verdicts, normalised scores and verdict filters follow at once.',
  })
  setRunThreshold(
    @Arg('runId', () => ID, { description: 'Run id.' }) runId: string,
    @Arg('threshold', () => Float, { nullable: true, description: 'An image score; null: the evaluation decides.' })
    threshold: number | null,
    @Ctx() context: Context,
  ): Promise<Run> {
    return context.services.decisions.setThreshold(runId, threshold);
  }
}
