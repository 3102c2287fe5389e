import { ImageLabel } from '@prisma/client';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';

import { PageArgs, type ConnectionValue } from '../../graphql/connection';
import { fileUrl, type Context } from '../../graphql/context';
import { BadInputError } from '../../graphql/errors';
import { Requires } from '../../graphql/permissions';
import type { PlainFields } from '../../graphql/plain-fields';
import { Dataset } from '../dataset/dataset.type';
import { Mask } from '../mask/mask.type';
import { ImageFilter, ImageOrder } from './image.input';
import { Image, ImageConnection } from './image.type';

/** How many mask versions `Image.masks` answers: an image may have thousands, and a page asks for many images. */
const MASK_VERSIONS = { default: 50, max: 200 };

@Resolver(() => Image)
export class ImageResolver {
  @Query(() => Image, { nullable: true, description: 'One image, or null if there is none with this id.' })
  image(@Arg('id', () => ID, { description: 'Image id.' }) id: string, @Ctx() context: Context): Promise<Image | null> {
    return context.services.images.byId(id);
  }

  @Requires('ANNOTATE')
  @Mutation(() => Image, {
    description:
      "Sets an image's ground-truth label (annotators and admins); the dataset's counts and defect types follow. " +
      'NORMAL images have the defect type `good`, UNLABELED ones `unlabeled`; only test images can be ANOMALOUS.',
  })
  labelImage(
    @Arg('imageId', () => ID, { description: 'The image to label.' }) imageId: string,
    @Arg('label', () => ImageLabel, { description: 'Its label: NORMAL, ANOMALOUS, or UNLABELED to clear it.' })
    label: ImageLabel,
    @Arg('defectType', () => String, {
      nullable: true,
      description:
        'The defect type of an ANOMALOUS image (required: trimmed, 1-100 characters, not `good` or `unlabeled`). ' +
        'Leave it out for the other labels (`good` is accepted with NORMAL).',
    })
    defectType: string | null,
    @Ctx() context: Context,
  ): Promise<Image> {
    return context.services.images.label(imageId, label, defectType);
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

  @FieldResolver(() => [Mask], {
    description: `The latest mask versions, newest first: the ${MASK_VERSIONS.default} latest unless \`first\` says.`,
  })
  masks(
    @Root() image: Image,
    @Arg('first', () => Int, {
      defaultValue: MASK_VERSIONS.default,
      description: `How many of the latest versions, 1 to ${MASK_VERSIONS.max}.`,
    })
    first: number,
    @Ctx() context: Context,
  ): Promise<Mask[]> {
    if (!Number.isInteger(first) || first < 1 || first > MASK_VERSIONS.max) {
      throw new BadInputError(`first must be between 1 and ${MASK_VERSIONS.max}, got ${first}`, 'first');
    }
    return context.loaders.latestMasksOfImage(first).load(image.id);
  }
}

/** A dataset's images. */
@Resolver(() => Dataset)
export class DatasetImagesResolver {
  @FieldResolver(() => ImageConnection, { description: 'The images, filtered and sorted.' })
  images(
    @Root() dataset: Dataset,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ImageFilter, {
      nullable: true,
      description: 'Conditions on split, label, defect type and mask.',
    })
    filter: ImageFilter | null,
    @Arg('orderBy', () => ImageOrder, { defaultValue: ImageOrder.NAME_ASC, description: 'Sort order.' })
    orderBy: ImageOrder,
    @Ctx() context: Context,
  ): Promise<ConnectionValue<Image>> {
    return context.services.images.list(dataset.id, page, filter, orderBy);
  }
}

/**
 * The image of a mask. Resolved here rather than in mask/: the Image type itself declares its current mask (a plain
 * field, for page speed), so image/ imports mask.type and mask/ must not import image/ back.
 */
@Resolver(() => Mask)
export class MaskImageResolver {
  @FieldResolver(() => Image, { description: 'The image this mask belongs to.' })
  image(@Root() mask: Mask, @Ctx() context: Context): Promise<Image> {
    return context.loaders.image.load(mask.imageId);
  }
}

/** Image fields a page asks for on every row (see graphql/plain-fields.ts). */
export const imagePlainFields: PlainFields<Image> = {
  url: (image, _args, context) => fileUrl(context, `/files/images/${image.id}`),
  // No size argument: a field with arguments is resolved through argument coercion on every row.
  thumbnailUrl: (image, _args, context) => fileUrl(context, `/files/images/${image.id}/thumbnail?size=256`),
  currentMask: (image, _args, context) => {
    if (image.joinedMask !== undefined) return image.joinedMask;
    return image.currentMaskId ? context.loaders.mask.load(image.currentMaskId) : null;
  },
};
