import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { Context } from '../../graphql/context';
import type { PlainFields } from '../../graphql/plain-fields';
import { Dataset } from '../dataset/dataset.type';
import { Mask } from '../mask/mask.type';
import { Image } from './image.type';

@Resolver(() => Image)
export class ImageResolver {
  @Query(() => Image, { nullable: true, description: 'One image, or null if there is none with this id.' })
  image(@Arg('id', () => ID, { description: 'Image id.' }) id: string, @Ctx() context: Context): Promise<Image | null> {
    return context.services.images.byId(id);
  }

  @FieldResolver(() => Dataset, { description: 'The dataset it belongs to.' })
  dataset(@Root() image: Image, @Ctx() context: Context): Promise<Dataset> {
    return context.loaders.dataset.load(image.datasetId);
  }

  @FieldResolver(() => Mask, {
    nullable: true,
    description: 'The latest APPROVED mask version (the ground truth evaluations use); null if none.',
  })
  approvedMask(@Root() image: Image, @Ctx() context: Context): Promise<Mask | null> {
    return context.loaders.approvedMaskOfImage.load(image.id);
  }

  @FieldResolver(() => [Mask], { description: 'Every mask version, newest first.' })
  masks(@Root() image: Image, @Ctx() context: Context): Promise<Mask[]> {
    return context.loaders.masksOfImage.load(image.id);
  }
}

/** Image fields a page asks for on every row (see graphql/plain-fields.ts). */
export const imagePlainFields: PlainFields<Image> = {
  url: (image) => `/files/images/${image.id}`,
  // No size argument: a field with arguments is resolved through argument coercion on every row.
  thumbnailUrl: (image) => `/files/images/${image.id}/thumbnail?size=256`,
  currentMask: (image, _args, context) => {
    if (image.joinedMask !== undefined) return image.joinedMask;
    return image.currentMaskId ? context.loaders.mask.load(image.currentMaskId) : null;
  },
};
