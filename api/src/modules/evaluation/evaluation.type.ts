import { EvaluationStatus } from '@prisma/client';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import '../../graphql/enums';
import { MapType } from '../../graphql/map-type';
import { Node } from '../../graphql/node';

@ObjectType({
  description: 'The figures of one map on one set of images; null where undefined (one class only).',
  simpleResolvers: true,
})
export class MetricSet {
  @Field(() => Float, { nullable: true, description: 'Image-level AUROC of the image scores.' })
  imageAuroc!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Image-level F1-max of the image scores; null in evaluations made before it was kept.',
  })
  imageF1Max!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The image score where image F1-max is reached: images at or above it are called anomalous (the default ' +
      "of the run's decision threshold); null in evaluations made before it was kept.",
  })
  imageThreshold!: number | null;

  @Field(() => Float, { nullable: true, description: "Pixel-level AUROC, maps upsampled to each image's resolution." })
  pixelAuroc!: number | null;

  @Field(() => Float, { nullable: true, description: 'AUPRO up to FPR 0.3, normalised (MVTec AD).' })
  aupro!: number | null;

  @Field(() => Float, { nullable: true, description: 'Pixel-level F1-max over all thresholds.' })
  f1Max!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The map value where F1-max is reached: pixels at or above it are the predicted defect (the default of a ' +
      "result's predicted mask); null in evaluations made before it was kept.",
  })
  f1Threshold!: number | null;

  @Field(() => Float, { nullable: true, description: 'Pixel-level best IoU over all thresholds.' })
  bestIou!: number | null;
}

@ObjectType({
  description: 'Metrics of one map on one defect type (its images against all normal test images).',
  simpleResolvers: true,
})
export class DefectMetrics {
  @Field(() => String, { description: 'Defect type.' })
  defectType!: string;

  @Field(() => MetricSet, { description: 'The figures.' })
  metrics!: MetricSet;
}

@ObjectType({ description: 'Metrics of one map type, overall and per defect type.', simpleResolvers: true })
export class MapMetrics {
  @Field(() => MapType, { description: 'The map type (attention is the main map).' })
  mapType!: MapType;

  @Field(() => MetricSet, { description: 'All test images.' })
  overall!: MetricSet;

  @Field(() => [DefectMetrics], { description: 'Each defect type.' })
  perDefect!: DefectMetrics[];
}

@ObjectType({ description: 'How many images of one defect type were scored.', simpleResolvers: true })
export class DefectCount {
  @Field(() => String, { description: 'Defect type.' })
  defectType!: string;

  @Field(() => Int, { description: 'Anomalous test images of that type.' })
  count!: number;
}

@ObjectType({ description: 'The test images an evaluation scored.', simpleResolvers: true })
export class EvaluationImages {
  @Field(() => Int, { description: 'Normal test images.' })
  normal!: number;

  @Field(() => Int, { description: 'Anomalous test images.' })
  anomalous!: number;

  @Field(() => Int, { description: 'Anomalous images without an approved mask: in image metrics only.' })
  withoutMask!: number;

  @Field(() => [DefectCount], { description: 'Anomalous images per defect type.' })
  perDefect!: DefectCount[];
}

@ObjectType({ description: 'A curve, thinned for plotting (the metrics are computed exactly).', simpleResolvers: true })
export class Curve {
  @Field(() => [Float], { description: 'False positive rate of each point.' })
  x!: number[];

  @Field(() => [Float], { description: 'True positive rate (ROC) or per-region overlap (PRO) of each point.' })
  y!: number[];

  @Field(() => [Float], {
    nullable: 'items',
    description: 'Score threshold of each point; null for +infinity (the first point).',
  })
  thresholds!: (number | null)[];
}

@ObjectType({ description: 'The curves of one map on one set of images.', simpleResolvers: true })
export class CurveSet {
  @Field(() => Curve, { nullable: true, description: 'Image-level ROC.' })
  imageRoc!: Curve | null;

  @Field(() => Curve, { nullable: true, description: 'Pixel-level ROC.' })
  pixelRoc!: Curve | null;

  @Field(() => Curve, { nullable: true, description: 'Per-region overlap against FPR.' })
  pro!: Curve | null;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: "Metrics of a run's maps against the ground truth of the time it was made.",
})
export class Evaluation {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => EvaluationStatus, { description: 'Where it is in its lifecycle.' })
  status!: EvaluationStatus;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @Field(() => Date, { description: 'When it was asked for.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  finishedAt!: Date | null;

  runId!: string;
  metrics!: unknown;
  curves!: unknown;
}
