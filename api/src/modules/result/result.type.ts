import { Field, Float, ID, ObjectType } from 'type-graphql';

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

  runId!: string;
  imageId!: string;
  scores!: unknown;
  hasAttentionMap!: boolean;
  hasResidualMap!: boolean;
  hasReconstruction!: boolean;
}
