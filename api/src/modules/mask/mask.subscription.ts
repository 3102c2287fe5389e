import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { MaskChange, type MaskChangeEvent } from './mask.type';

@Resolver()
export class MaskSubscriptionResolver {
  @Subscription(() => MaskChange, {
    topics: Topic.MASK_CHANGED,
    topicId: ({ args }: { args: { datasetId: string } }) => args.datasetId,
    description: 'Every mask saved or reviewed in a dataset, as it happens (from any server or annotator).',
  })
  async maskChanged(
    @Arg('datasetId', () => ID, { description: 'The dataset to watch.' }) _datasetId: string,
    @Root() event: MaskChangeEvent,
    @Ctx() context: Context,
  ): Promise<MaskChange> {
    return {
      kind: event.kind,
      mask: await context.services.prisma.mask.findUniqueOrThrow({ where: { id: event.maskId } }),
    };
  }
}
