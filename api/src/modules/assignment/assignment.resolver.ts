import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { viewerOf, type Context } from '../../graphql/context';
import { Requires } from '../../graphql/permissions';
import { Image, ImageConnection } from '../image/image.type';
import { User } from '../user/user.type';
import { MAX_ASSIGNED_IDS } from './assignment.service';

const IMAGE_IDS = `Chosen images of the dataset (1 to ${MAX_ASSIGNED_IDS}); give either these or defectType.`;
const DEFECT_TYPE = 'Every image of the dataset with this defect type (`good` for the normal ones); or imageIds.';

@Resolver(() => Image)
export class AssignmentResolver {
  @Requires('ADMIN')
  @Mutation(() => Int, {
    description:
      'Assigns images of a dataset to an annotator (admins), replacing whoever had them; answers how many. ' +
      'BAD_USER_INPUT (field userId) when the user is a VIEWER or disabled, (field imageIds) when an image ' +
      'belongs to another dataset; nothing is assigned then.',
  })
  assignImages(
    @Arg('datasetId', () => ID, { description: 'The dataset the images belong to.' }) datasetId: string,
    @Arg('userId', () => ID, { description: 'The annotator (an enabled ANNOTATOR or ADMIN).' }) userId: string,
    @Arg('imageIds', () => [ID], { nullable: true, description: IMAGE_IDS }) imageIds: string[] | null,
    @Arg('defectType', () => String, { nullable: true, description: DEFECT_TYPE }) defectType: string | null,
    @Ctx() context: Context,
  ): Promise<number> {
    return context.services.assignments.assign(viewerOf(context), datasetId, { imageIds, defectType }, userId);
  }

  @Requires('ADMIN')
  @Mutation(() => Int, {
    description: "Removes images' assignments (admins); answers how many of them had one.",
  })
  unassignImages(
    @Arg('datasetId', () => ID, { description: 'The dataset the images belong to.' }) datasetId: string,
    @Arg('imageIds', () => [ID], { nullable: true, description: IMAGE_IDS }) imageIds: string[] | null,
    @Arg('defectType', () => String, { nullable: true, description: DEFECT_TYPE }) defectType: string | null,
    @Ctx() context: Context,
  ): Promise<number> {
    return context.services.assignments.unassign(datasetId, { imageIds, defectType });
  }

  @Query(() => ImageConnection, {
    description:
      "The signed-in user's work queue: images assigned to them whose latest mask is not yet submitted or " +
      'approved (none, a draft, or rejected), by name.',
  })
  myAssignments(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('datasetId', () => ID, { nullable: true, description: 'Only the images of this dataset.' })
    datasetId: string | null,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Image>> {
    return context.services.assignments.queue(viewerOf(context), datasetId, page);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The annotator the image is assigned to; null if none.' })
  async assignee(@Root() image: Image, @Ctx() context: Context): Promise<User | null> {
    const userId = await context.loaders.assigneeOfImage.load(image.id);
    return userId ? context.loaders.user.load(userId) : null;
  }
}
