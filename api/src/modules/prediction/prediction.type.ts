import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { MapType } from '../../graphql/map-type';
import { Node } from '../../graphql/node';
import { TrackedJob } from '../../graphql/tracked-job';
import { MapRange } from '../result/result.type';

@ObjectType({
  description: 'One map of a predicted image: a map type of the run, as a result has it.',
  simpleResolvers: true,
})
export class PredictionMap {
  @Field(() => MapType, { description: "The map type, as the run's report names it." })
  mapType!: MapType;

  @Field(() => String, { description: "The map as a colour PNG at model resolution, coloured on the run's range." })
  url!: string;

  @Field(() => String, { description: "The map blended over the image, at the image's own resolution (PNG)." })
  overlayUrl!: string;

  @Field(() => String, {
    description:
      "The map's levels at model resolution as a one-channel PNG (0-255 on `range`); any map URL takes ?colour=.",
  })
  levelsUrl!: string;

  @Field(() => String, {
    description: "The map's values at the image's own resolution as a float32 TIFF, as ResultMap.tiffUrl.",
  })
  tiffUrl!: string;

  @Field(() => String, { description: 'The same values as a NumPy .npy file (float32, shape (height, width)).' })
  npyUrl!: string;

  @Field(() => Float, { nullable: true, description: 'Image score from this map (higher = more anomalous).' })
  score!: number | null;

  @Field(() => MapRange, {
    nullable: true,
    description: "The run's range of this map type (its results'), on which the PNGs are coloured.",
  })
  range!: MapRange | null;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    "One image a prediction scored: a dataset image or a file of the uploaded zip, with its score, the run's " +
    'verdict and every map of the run, as a Result has them.',
})
export class PredictedImage {
  @Field(() => ID, { description: 'Stable identifier (file URLs are under /files/predictions/<id>/).' })
  id!: string;

  @Field(() => Int, { description: 'Order in the prediction: the dataset images as asked, then the zip by path.' })
  position!: number;

  @Field(() => String, { description: "The dataset image's name, or the file's path in the zip." })
  name!: string;

  @Field(() => Int, { description: 'Width in pixels.' })
  width!: number;

  @Field(() => Int, { description: 'Height in pixels.' })
  height!: number;

  @Field(() => Float, { description: "The image score (the attention map's), as Result.score." })
  score!: number;

  predictionId!: string;
  imageId!: string | null;
  contentHash!: string;
  mimeType!: string;
  scores!: unknown;
  mapKeys!: unknown;
  reconstructionKey!: string | null;
}

@ObjectType({
  implements: [Node, TrackedJob],
  simpleResolvers: true,
  description:
    "New images scored with a succeeded run's model (predict): a job a worker does. Follow it with " +
    'predictionProgress or by polling prediction(id); once SUCCEEDED, images holds the scores and maps.',
})
export class Prediction extends TrackedJob {
  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @Field(() => Int, { description: 'Images scored (0 until it succeeded).' })
  imageCount!: number;

  @Field(() => String, { nullable: true, description: 'The name the zip of images was uploaded under, if any.' })
  fileName!: string | null;

  runId!: string;
  imageIds!: string[];
  uploadId!: string | null;
}
