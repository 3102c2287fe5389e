import { ExportKind, MaskImportFormat, MaskSelection } from '@prisma/client';
import { Field, Int, ObjectType } from 'type-graphql';

import { connectionType } from '../../graphql/connection';
import { describeEnum } from '../../graphql/enums';
import { Node } from '../../graphql/node';
import { TrackedJob } from '../../graphql/tracked-job';

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
  implements: [Node, TrackedJob],
  simpleResolvers: true,
  description:
    'A zip a worker makes for download (exportRun, exportMasks). Follow it with exportProgress or by polling ' +
    'export(id); once SUCCEEDED, downloadUrl serves it.',
})
export class Export extends TrackedJob {
  @Field(() => ExportKind, { description: "A run's export or a dataset's masks." })
  kind!: ExportKind;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  error!: string | null;

  @Field(() => Int, { description: 'Files in the zip (0 until it succeeded).' })
  fileCount!: number;

  runId!: string | null;
  datasetId!: string;
  /** Which mask versions a MASKS export takes (GraphQL: which). */
  masks!: MaskSelection | null;
  byteSize!: bigint | null;
  createdById!: string | null;
}

export const ExportConnection = connectionType('Export', Export, 'export');
