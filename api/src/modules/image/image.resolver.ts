import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';

import type { Context } from '../../graphql/context';
import { Dataset } from '../dataset/dataset.type';
import { Mask } from '../mask/mask.type';
import { Image } from './image.type';

/** Thumbnails come in a few sizes only, so that the cache stays small and shared between clients. */
export const THUMBNAIL_SIZES = [64, 128, 256, 512] as const;

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

  @FieldResolver(() => String, { description: 'The image file (GET, same credentials as the API; cacheable forever).' })
  url(@Root() image: Image): string {
    return `/files/images/${image.id}`;
  }

  // No size argument: arguments make a field resolve through a promise, and pages ask for hundreds of these.
  @FieldResolver(() => String, {
    description: `A PNG thumbnail that fits in 256 x 256 pixels (its size parameter also takes ${THUMBNAIL_SIZES.join(', ')}).`,
  })
  thumbnailUrl(@Root() image: Image): string {
    return `/files/images/${image.id}/thumbnail?size=256`;
  }

  @FieldResolver(() => Mask, {
    nullable: true,
    description: 'The latest mask version, whatever its status; null if none.',
  })
  currentMask(@Root() image: Image, @Ctx() context: Context): Mask | Promise<Mask> | null {
    return image.currentMaskId ? context.loaders.now('mask', image.currentMaskId) : null;
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
