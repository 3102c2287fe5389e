import { JobStatus } from '@prisma/client';
import { Field, Float, ID, InterfaceType } from 'type-graphql';

import { describeEnum } from './enums';

// The fields every job a worker does for a request has (exports, mask imports, dataset imports, predictions:
// jobs/tracked-job.ts runs them), written once so that their names and meanings cannot drift apart. Each type
// adds its own `error` (what a failure names differs) and what it produces.

describeEnum(JobStatus, 'JobStatus', 'Where a job is (an export, an import, a prediction); a worker does the work.', {
  QUEUED: 'Waiting for a worker.',
  RUNNING: 'A worker is on it (progress and phase say how far).',
  SUCCEEDED: 'Done.',
  FAILED: 'Stopped; error says why.',
});

@InterfaceType({
  description:
    'Work a worker does for a request (an export, a mask import, a dataset import, a prediction): follow it by ' +
    'its progress subscription or by polling it by id until SUCCEEDED or FAILED.',
})
export abstract class TrackedJob {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => JobStatus, { description: 'Where it is.' })
  status!: JobStatus;

  @Field(() => Float, { description: '0 to 1.' })
  progress!: number;

  @Field(() => String, { description: 'What the worker is doing, in words.' })
  phase!: string;

  @Field(() => Date, { description: 'When it was asked for.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker started it (the latest attempt).' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  finishedAt!: Date | null;
}
