import { Field, Float, ID, ObjectType } from 'type-graphql';

import type { JoinedImage } from '../../db/reads';
import { connectionType } from '../../graphql/connection';
import { Image } from '../image/image.type';

@ObjectType({ description: "One map type's image score.", simpleResolvers: true })
export class MapScore {
  @Field(() => String, { description: 'Map type: attention, residual, ssim...' })
  mapType!: string;

  @Field(() => Float, { description: 'Image score from that map (higher = more anomalous).' })
  score!: number;
}

@ObjectType({ simpleResolvers: true, description: 'What a run found on one test image: its score and its maps.' })
export class Result {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => Float, { description: "Image score of the run's main (attention) map; higher = more anomalous." })
  score!: number;

  // The fields below are resolved by resultPlainFields (result.resolver.ts): a page asks for them on every row.
  // Rows do not carry them, hence optional here.
  @Field(() => Image, { description: 'The test image.' })
  image?: Image;

  @Field(() => String, {
    nullable: true,
    description: "The attention map as a colour PNG at model resolution, coloured on the run's scale.",
  })
  attentionMapUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The attention map blended over the image, at the image's own resolution (PNG).",
  })
  attentionOverlayUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The residual |x - x_hat| as a colour PNG at model resolution, coloured on the run's scale.",
  })
  residualMapUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The residual blended over the image, at the image's own resolution (PNG).",
  })
  residualOverlayUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The model's reconstruction of the image (PNG, model resolution).",
  })
  reconstructionUrl?: string | null;

  runId!: string;
  imageId!: string;
  scores!: unknown;
  hasAttentionMap!: boolean;
  hasResidualMap!: boolean;
  hasReconstruction!: boolean;
  /** Set when a page query joined the image: it holds the columns that query's fields need, no others. */
  joinedImage?: JoinedImage;
}

export const ResultConnection = connectionType('Result', Result, 'result');
