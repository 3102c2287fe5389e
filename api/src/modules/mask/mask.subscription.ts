import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { eventsAboutDataset } from '../../graphql/subscription-source';
import { MaskChange, type MaskChangeEvent } from './mask.type';

@Resolver()
export class MaskSubscriptionResolver {
  @Subscription(() => MaskChange, {
    subscribe: async ({ args, context }) => {
      const datasetId = (args as { datasetId: unknown }).datasetId;
      return (await eventsAboutDataset(context as Context, Topic.MASK_CHANGED, datasetId)).events;
    },
    description:
      'Every mask saved or reviewed in a dataset, as it happens (from any server or annotator). ' +
      'A datasetId that is not a UUID is BAD_USER_INPUT, one that names no dataset NOT_FOUND.',
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
