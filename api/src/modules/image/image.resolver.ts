import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';

import type { Permission } from '../../auth/viewer';
import type { Context } from '../../graphql/context';
import { BadInputError } from '../../graphql/errors';
import { Dataset } from '../dataset/dataset.type';
import { Mask } from '../mask/mask.type';
import { Image } from './image.type';

/** Thumbnails come in a few sizes only, so that the cache stays small and shared between clients. */
export const THUMBNAIL_SIZES = [64, 128, 256, 512] as const;

@Resolver(() => Image)
@Authorized<Permission>('READ')
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

  @FieldResolver(() => String, { description: 'A PNG thumbnail that fits in size x size pixels.' })
  thumbnailUrl(
    @Root() image: Image,
    @Arg('size', () => Int, { defaultValue: 256, description: `Box size: one of ${THUMBNAIL_SIZES.join(', ')}.` })
    size: number,
  ): string {
    if (!(THUMBNAIL_SIZES as readonly number[]).includes(size)) {
      throw new BadInputError(`size must be one of ${THUMBNAIL_SIZES.join(', ')}, got ${size}`, 'size');
    }
    return `/files/images/${image.id}/thumbnail?size=${size}`;
  }

  @FieldResolver(() => Mask, {
    nullable: true,
    description: 'The latest mask version, whatever its status; null if none.',
  })
  currentMask(@Root() image: Image, @Ctx() context: Context): Promise<Mask> | null {
    return image.currentMaskId ? context.loaders.mask.load(image.currentMaskId) : null;
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
