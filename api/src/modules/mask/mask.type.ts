import { MaskSource, MaskStatus, ReviewDecision } from '@prisma/client';
import { Field, ID, Int, ObjectType } from 'type-graphql';

import { namedEnum } from '../../graphql/enums';
import { Node } from '../../graphql/node';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'One version of the defect mask of an image. Versions are never changed or deleted: saving adds one.',
})
export class Mask {
  @Field(() => ID, { description: 'Stable identifier of this version.' })
  id!: string;

  @Field(() => Int, { description: '1, 2, 3... per image.' })
  version!: number;

  @Field(() => MaskSource, { description: 'Imported with the dataset, or drawn by an annotator.' })
  source!: MaskSource;

  @Field(() => MaskStatus, { description: 'Review state.' })
  status!: MaskStatus;

  @Field(() => Int, { description: "Width in pixels (the image's)." })
  width!: number;

  @Field(() => Int, { description: "Height in pixels (the image's)." })
  height!: number;

  @Field(() => Int, { description: 'Pixels marked defective.' })
  defectPixels!: number;

  @Field(() => String, { description: 'SHA-256 of the stored PNG.' })
  contentHash!: string;

  @Field(() => Date, { description: 'When this version was saved.' })
  createdAt!: Date;

  imageId!: string;
  datasetId!: string;
  authorId!: string | null;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'A decision on a mask version.',
})
export class MaskReview {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => ReviewDecision, { description: 'Approve or reject.' })
  decision!: ReviewDecision;

  @Field(() => String, { description: "The reviewer's comment (may be empty)." })
  comment!: string;

  @Field(() => Date, { description: 'When the review was made.' })
  createdAt!: Date;

  reviewerId!: string | null;
}

export const MaskChangeKind = namedEnum('MaskChangeKind', 'What happened to a mask.', {
  SAVED: 'A new version was saved.',
  REVIEWED: 'A version was approved or rejected.',
});
export type MaskChangeKind = keyof typeof MaskChangeKind;

@ObjectType({ simpleResolvers: true, description: 'A mask event in a dataset (subscription maskChanged).' })
export class MaskChange {
  @Field(() => MaskChangeKind, { description: 'Saved or reviewed.' })
  kind!: MaskChangeKind;

  @Field(() => Mask, { description: 'The mask version concerned, as it is now.' })
  mask!: Mask;
}

/** What travels on the event bus for a mask change (the subscriber loads the mask). */
export interface MaskChangeEvent {
  kind: MaskChangeKind;
  maskId: string;
}
