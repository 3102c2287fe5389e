import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';

import { Topic } from '../../events/pubsub';
import type { Context } from '../../graphql/context';
import { eventsAboutDataset } from '../../graphql/subscription-source';
import { Image, type ImageLabelChangedEvent } from './image.type';

@Resolver()
export class ImageSubscriptionResolver {
  @Subscription(() => Image, {
    subscribe: async ({ args, context }) => {
      const datasetId = (args as { datasetId: unknown }).datasetId;
      return (await eventsAboutDataset(context as Context, Topic.IMAGE_LABEL_CHANGED, datasetId)).events;
    },
    description:
      'Every image of a dataset whose label or defect type changes (labelImage), as it is then. ' +
      'A datasetId that is not a UUID is BAD_USER_INPUT, one that names no dataset NOT_FOUND.',
  })
  async imageLabelChanged(
    @Arg('datasetId', () => ID, { description: 'The dataset to watch.' }) _datasetId: string,
    @Root() event: ImageLabelChangedEvent,
    @Ctx() context: Context,
  ): Promise<Image> {
    // Not through the loaders: a subscription's context lives as long as it does, and a loader would keep
    // answering with the image as the first event found it.
    return context.services.prisma.image.findUniqueOrThrow({ where: { id: event.imageId } });
  }
}
