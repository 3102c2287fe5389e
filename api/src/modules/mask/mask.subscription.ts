import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { eventsAbout } from '../../graphql/subscription-source';
import { MaskChange, type MaskChangeEvent } from './mask.type';

@Resolver()
export class MaskSubscriptionResolver {
  @Subscription(() => MaskChange, {
    subscribe: async ({ args, context }) => {
      const { prisma } = (context as Context).services;
      const { events } = await eventsAbout(context as Context, Topic.MASK_CHANGED, {
        argument: 'datasetId',
        what: 'Dataset',
        id: (args as { datasetId: unknown }).datasetId,
        exists: async (id) => (await prisma.dataset.count({ where: { id } })) > 0,
      });
      return events;
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
