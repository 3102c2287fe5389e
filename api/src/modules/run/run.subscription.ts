import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { Run } from './run.type';

@Resolver()
export class RunSubscriptionResolver {
  @Subscription(() => Run, {
    topics: Topic.RUN_PROGRESS,
    topicId: ({ args }: { args: { runId: string } }) => args.runId,
    description:
      'The run each time its progress, phase, status or evaluations change (at most twice a second while training).',
  })
  async runProgress(
    @Arg('runId', () => ID, { description: 'The run to follow.' }) _runId: string,
    @Root() event: { runId: string },
    @Ctx() context: Context,
  ): Promise<Run> {
    return context.services.prisma.run.findUniqueOrThrow({ where: { id: event.runId } });
  }
}
