import { ImageLabel, Split } from '@prisma/client';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { THUMBNAIL_SIZES } from '../../files/render';
import { connectionType } from '../../graphql/connection';
import '../../graphql/enums';
import { Mask } from '../mask/mask.type';
import { Node } from '../../graphql/node';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'One image of a dataset, with its ground truth.',
})
export class Image {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'Unique within the dataset, e.g. `test/crack/003`.' })
  name!: string;

  @Field(() => Split, { description: 'Training or test image.' })
  split!: Split;

  @Field(() => ImageLabel, { description: 'Image-level ground truth.' })
  label!: ImageLabel;

  @Field(() => String, { description: '`good` for normal images, otherwise the defect type.' })
  defectType!: string;

  @Field(() => Int, { description: 'Width in pixels (original resolution).' })
  width!: number;

  @Field(() => Int, { description: 'Height in pixels (original resolution).' })
  height!: number;

  @Field(() => Int, { description: '1 (grayscale) or 3 (colour).' })
  channels!: number;

  @Field(() => String, { description: 'SHA-256 of the stored file.' })
  contentHash!: string;

  @Field(() => String, { description: 'Media type of the file at `url`.' })
  mimeType!: string;

  @Field(() => Int, { description: 'Size of the stored file in bytes.' })
  byteSize!: number;

  @Field(() => Int, { description: 'Number of the latest mask version; 0 when the image has no mask.' })
  maskVersion!: number;

  @Field(() => Date, { description: 'When the image was imported.' })
  createdAt!: Date;

  // The fields below are resolved by imagePlainFields (image.resolver.ts): a page asks for them on every row.
  // Rows do not carry them, hence optional here.
  @Field(() => String, { description: 'The image file (GET, same credentials as the API; cacheable forever).' })
  url?: string;

  @Field(() => String, {
    description: `A PNG thumbnail that fits in 256 x 256 pixels (its size parameter also takes ${THUMBNAIL_SIZES.join(', ')}).`,
  })
  thumbnailUrl?: string;

  @Field(() => Mask, { nullable: true, description: 'The latest mask version, whatever its status; null if none.' })
  currentMask?: Mask | null;

  datasetId!: string;
  currentMaskId!: string | null;
  /** Set when a page query joined the current mask: null if there is none. */
  joinedMask?: Mask | null;
}

export const ImageConnection = connectionType('Image', Image, 'image');

/** What travels on the event bus when an image's label changes (the subscriber loads the image). */
export interface ImageLabelChangedEvent {
  imageId: string;
}
