import { Field, Float, ID, ObjectType } from 'type-graphql';

import type { JoinedImage } from '../../db/reads';
import { connectionType } from '../../graphql/connection';
import { MapType } from '../../graphql/map-type';
import { Image } from '../image/image.type';
import { Node } from '../../graphql/node';

@ObjectType({ description: "One map type's image score.", simpleResolvers: true })
export class MapScore {
  @Field(() => MapType, { description: 'The map type.' })
  mapType!: MapType;

  @Field(() => Float, { description: 'Image score from that map (higher = more anomalous).' })
  score!: number;
}

@ObjectType({ description: "A map type's value range over all of a run's results.", simpleResolvers: true })
export class MapRange {
  @Field(() => Float, { description: "The lowest value: the colour scale's bottom." })
  min!: number;

  @Field(() => Float, { description: "The highest value: the colour scale's top." })
  max!: number;
}

@ObjectType({ description: 'One map of a result: a map type the run made of the image.', simpleResolvers: true })
export class ResultMap {
  @Field(() => MapType, { description: "The map type, as the run's report names it." })
  mapType!: MapType;

  @Field(() => String, { description: 'The map as a colour PNG (inferno) at model resolution, coloured on `range`.' })
  url!: string;

  @Field(() => String, {
    description: "The map blended over the image, at the image's own resolution (PNG), coloured on `range`.",
  })
  overlayUrl!: string;

  @Field(() => String, {
    description:
      "The map's levels at model resolution as a one-channel PNG: 0-255 on `range`, for clients that colour " +
      'it themselves (Query.colourMaps has the colours). Any map URL takes `?colour=<name>`.',
  })
  levelsUrl!: string;

  @Field(() => String, {
    description:
      "The map's values at the image's own resolution as a float32 TIFF (MVTec AD's evaluation layout): the " +
      'numbers behind the colours, to re-threshold or recompute a metric.',
  })
  tiffUrl!: string;

  @Field(() => String, {
    description: 'The same values as `tiffUrl` as a NumPy .npy file (float32, shape (height, width)).',
  })
  npyUrl!: string;

  @Field(() => String, {
    description:
      "The predicted defect at the image's resolution (a 0/255 PNG): the map at or above the F1-max threshold " +
      "of the run's latest evaluation, or at `?threshold=<value>` (in the map's values). Without either: 409.",
  })
  predictedMaskUrl!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Image score from this map (higher = more anomalous); null if the run did not score it.',
  })
  score!: number | null;

  @Field(() => MapRange, {
    nullable: true,
    description:
      "The run's range of this map type, on which it is coloured; null when the run has none (then the " +
      'map is coloured on its own range).',
  })
  range!: MapRange | null;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'What a run found on one test image: its score and its maps.',
})
export class Result {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => Float, { description: "Image score of the run's main (attention) map; higher = more anomalous." })
  score!: number;

  // The fields below are resolved by resultPlainFields (result.resolver.ts): a page asks for them on every row.
  // Rows do not carry them, hence optional here.
  @Field(() => Image, { description: 'The test image.' })
  image?: Image;

  @Field(() => [ResultMap], {
    description: "Every map the run made of the image, in the pipeline's order (attention first).",
  })
  maps?: ResultMap[];

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
    deprecationReason: 'Use `maps`, which holds every map type of the run, the residual among them.',
  })
  residualMapUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The residual blended over the image, at the image's own resolution (PNG).",
    deprecationReason: 'Use `maps`, which holds every map type of the run, the residual among them.',
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
  /** The types of its stored maps, in the pipeline's order. */
  mapTypes!: MapType[];
  hasReconstruction!: boolean;
  /** Set when a page query joined the image: it holds the columns that query's fields need, no others. */
  joinedImage?: JoinedImage;
}

export const ResultConnection = connectionType('Result', Result, 'result');
