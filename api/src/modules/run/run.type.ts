import { RunStatus, type Prisma } from '@prisma/client';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import '../../graphql/enums';
import { Node } from '../../graphql/node';

@ObjectType({ description: 'The mean training loss of one finished epoch.', simpleResolvers: true })
export class EpochLoss {
  @Field(() => Int, { description: '1-based epoch.' })
  epoch!: number;

  @Field(() => Float, { description: 'Mean reconstruction loss over the epoch.' })
  loss!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Mean loss on the normal training images held back from training, after the epoch: the model still learns ' +
      'while it falls (null when none were held back).',
  })
  validationLoss?: number | null;
}

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'One training, explanation and evaluation of a model on a dataset, run by a worker.',
})
export class Run {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => String, { description: 'A label for people (may be empty).' })
  name!: string;

  @Field(() => RunStatus, { description: 'Where the run is in its lifecycle.' })
  status!: RunStatus;

  @Field(() => Float, { description: 'Overall progress, 0 to 1.' })
  progress!: number;

  @Field(() => String, { description: 'What it is doing now, in words.' })
  phase!: string;

  @Field(() => Int, { description: 'Epochs finished so far.' })
  epoch!: number;

  @Field(() => Int, { description: 'Epochs the run trains for (0 until the worker has resolved the config).' })
  totalEpochs!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'The epoch whose weights the trained model kept: the lowest loss on the held-back normal images, the epochs ' +
      'after it did not improve on it (null until training finished, without held-back images, and for runs ' +
      "trained before this was recorded, which kept their last epoch's weights).",
  })
  bestEpoch!: number | null;

  @Field(() => String, { nullable: true, description: 'cpu or cuda once known (auto while the worker decides).' })
  device!: string | null;

  @Field(() => [String], { description: "Encoder layers of the run's model (empty until the worker has built it)." })
  layers!: string[];

  // Typed by run-settings.resolver.ts (RunOptions, RunConfig): stored as JSON.
  options!: Prisma.JsonValue;
  config!: Prisma.JsonValue | null;

  @Field(() => String, { nullable: true, description: 'Why the run failed.' })
  error!: string | null;

  @Field(() => Int, { description: 'Attempts so far: more than 1 after a lost worker or a retried error.' })
  attempt!: number;

  @Field(() => Int, {
    description:
      'The epoch the current attempt started training at: 1, or later when it resumed from a checkpoint (0 before training).',
  })
  startEpoch!: number;

  @Field(() => Boolean, { description: 'A cancel was asked for and is reaching the worker.' })
  cancelRequested!: boolean;

  @Field(() => Int, { description: 'Number of results (test images scored).' })
  resultCount!: number;

  @Field(() => Date, { description: 'When the run was started (queued).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker first took it.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it succeeded, failed or was cancelled.' })
  finishedAt!: Date | null;

  datasetId!: string;
  createdById!: string | null;
  lossHistory!: unknown;
  mapRanges!: unknown;
  /** Read through `decision` (modules/decision). */
  scoreThreshold!: number | null;
}

export const RunConnection = connectionType('Run', Run, 'run');
