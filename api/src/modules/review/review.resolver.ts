import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { Mask } from '../mask/mask.type';
import { MaskConnection, ReviewOrder } from './review.type';

const ORDER = { defaultValue: ReviewOrder.OLDEST_FIRST, description: 'Oldest or newest submission first.' };
const DATASET = { nullable: true, description: 'Only the masks of this dataset.' };

@Resolver(() => Mask)
export class ReviewResolver {
  @Requires('ADMIN')
  @Query(() => MaskConnection, {
    description:
      "Masks waiting for review (reviewers: admins): SUBMITTED versions that are still their image's latest. " +
      "Unless workspaceSettings.allowSelfReview, the reviewer's own masks are left out. totalCount is the inbox count.",
  })
  reviewQueue(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('orderBy', () => ReviewOrder, ORDER) orderBy: ReviewOrder,
    @Arg('datasetId', () => ID, DATASET) datasetId: string | null,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Mask>> {
    return context.services.reviews.queue(viewerOf(context), { datasetId, order: orderBy }, page);
  }

  @Requires('ADMIN')
  @Query(() => Mask, {
    nullable: true,
    description:
      "The waiting mask to review after `after` (the one just reviewed) in reviewQueue's order, wrapping to the " +
      'start; without `after`, the first. Null when nothing else waits.',
  })
  nextMaskForReview(
    @Arg('after', () => ID, { nullable: true, description: 'The mask just reviewed or skipped.' })
    after: string | null,
    @Arg('orderBy', () => ReviewOrder, ORDER) orderBy: ReviewOrder,
    @Arg('datasetId', () => ID, DATASET) datasetId: string | null,
    @Ctx() context: Context,
  ): Promise<Mask | null> {
    return context.services.reviews.next(viewerOf(context), { datasetId, order: orderBy }, after);
  }
}
