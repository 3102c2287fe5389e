import { ImageLabel, Split } from '@prisma/client';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import '../../graphql/enums';

@ObjectType({ simpleResolvers: true, description: 'One image of a dataset, with its ground truth.' })
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

  datasetId!: string;
  currentMaskId!: string | null;
}
