import { ExportKind, JobStatus, MaskImportFormat, MaskSelection } from '@prisma/client';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import { describeEnum } from '../../graphql/enums';
import { Node } from '../../graphql/node';

describeEnum(JobStatus, 'JobStatus', 'Where an export or a mask import is; a worker does the work.', {
  QUEUED: 'Waiting for a worker.',
  RUNNING: 'A worker is on it (progress and phase say how far).',
  SUCCEEDED: 'Done.',
  FAILED: 'Stopped; error says why.',
});

describeEnum(ExportKind, 'ExportKind', 'What an export holds.', {
  RUN: "A run's scores, raw maps, predicted masks and report (exportRun).",
  MASKS: "A dataset's masks as PNGs and COCO (exportMasks).",
});

describeEnum(MaskSelection, 'MaskSelection', 'Which mask version of each image a mask export takes.', {
  APPROVED: "Each image's latest APPROVED version (the ground truth evaluations use); images without one are left out.",
  LATEST: "Each image's latest version, whatever its review state.",
});

describeEnum(MaskImportFormat, 'MaskImportFormat', 'How the masks of an importMasks zip are written.', {
  PNG:
    'One PNG per image (light or 1 pixels are defective): MVTec AD layout ground_truth/<defect type>/<name>_mask.png, ' +
    'or files named like their images.',
  COCO: 'One COCO .json file whose annotations hold RLE (compressed or not) or polygons.',
});

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    'A zip a worker makes for download (exportRun, exportMasks). Follow it with exportProgress or by polling ' +
    'export(id); once SUCCEEDED, downloadUrl serves it.',
})
export class Export {
  @Field(() => ID, { description: 'Stable identifier.' })
  id!: string;

  @Field(() => ExportKind, { description: "A run's export or a dataset's masks." })
  kind!: ExportKind;

  @Field(() => JobStatus, { description: 'Where it is.' })
  status!: JobStatus;

  @Field(() => Float, { description: '0 to 1.' })
  progress!: number;

  @Field(() => String, { description: 'What the worker is doing, in words.' })
  phase!: string;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @Field(() => Int, { description: 'Files in the zip (0 until it succeeded).' })
  fileCount!: number;

  @Field(() => Date, { description: 'When it was asked for.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker started it (the latest attempt).' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  finishedAt!: Date | null;

  runId!: string | null;
  datasetId!: string;
  /** Which mask versions a MASKS export takes (GraphQL: which). */
  masks!: MaskSelection | null;
  byteSize!: bigint | null;
  createdById!: string | null;
}

export const ExportConnection = connectionType('Export', Export, 'export');
