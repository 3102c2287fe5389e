import {
  ApiKeyScope,
  DatasetLayout,
  EvaluationStatus,
  ImageLabel,
  MaskSource,
  MaskStatus,
  ReviewDecision,
  Role,
  RunStatus,
  Split,
} from '@prisma/client';
import { registerEnumType } from 'type-graphql';

/**
 * Registers an enum with GraphQL, with a description of it and of each value (`values` must describe them all: a
 * value left out does not compile).
 */
export function describeEnum<Enum extends Record<string, string>>(
  enumObject: Enum,
  name: string,
  description: string,
  values: Record<keyof Enum, string>,
): void {
  const valuesConfig = Object.fromEntries(
    Object.entries<string>(values).map(([value, text]) => [value, { description: text }]),
  ) as Record<keyof Enum, { description: string }>;
  registerEnumType(enumObject, { name, description, valuesConfig });
}

/** A GraphQL enum whose values are their own names (sort orders, event kinds), declared and described at once. */
export function namedEnum<Value extends string>(
  name: string,
  description: string,
  values: Record<Value, string>,
): { readonly [V in Value]: V } {
  const enumObject = Object.fromEntries(Object.keys(values).map((value) => [value, value])) as { [V in Value]: V };
  describeEnum(enumObject, name, description, values);
  return enumObject;
}

// The database enums are the GraphQL enums: one list of values, described once here.

describeEnum(
  Role,
  'Role',
  'What a user may do. Viewers read; annotators also save masks and label images; admins do everything.',
  {
    ADMIN: 'Manages users, datasets, runs, evaluations and reviews masks.',
    ANNOTATOR: 'Reads everything, saves masks and labels images.',
    VIEWER: 'Reads everything.',
  },
);

describeEnum(ApiKeyScope, 'ApiKeyScope', "What an API key may do on its owner's behalf.", {
  READ: "Queries and subscriptions only, whatever the owner's role.",
  WRITE: "Mutations too, as far as the owner's role allows.",
});

describeEnum(DatasetLayout, 'DatasetLayout', 'How the folder a dataset was imported from was organised.', {
  MVTEC: 'MVTec AD: train/good, test/<defect>, ground_truth/<defect>.',
  PLAIN_FOLDER: 'normal/, optional anomalous/ and masks/.',
  UNLABELED_FOLDER: 'A flat folder of images, imported as unlabeled test images to annotate.',
  EMPTY: 'Created empty with createDataset; images come from later imports.',
});

describeEnum(Split, 'Split', 'Which part of the dataset an image belongs to.', {
  TRAIN: 'Training images (normal only).',
  TEST: 'Test images, normal and anomalous.',
});

describeEnum(ImageLabel, 'ImageLabel', 'Ground truth at the image level.', {
  NORMAL: 'Defect-free.',
  ANOMALOUS: 'Has a defect.',
  UNLABELED: 'Not known yet (imported without labels).',
});

/** The defect type of UNLABELED images, as imports write it (NORMAL ones have @vad/models' NORMAL_DEFECT_TYPE). */
export const UNLABELED_DEFECT_TYPE = 'unlabeled';

describeEnum(MaskSource, 'MaskSource', 'Where a mask version came from.', {
  IMPORTED: "The dataset's own ground truth, read at import.",
  ANNOTATED: 'Drawn by an annotator with saveMask.',
  MASK_IMPORT: "Brought in by importMasks (another tool's masks, or an exported set): Mask.maskImport says which.",
});

describeEnum(
  MaskStatus,
  'MaskStatus',
  'Review state of a mask version. Evaluations use the latest APPROVED version of each image.',
  {
    DRAFT: 'Saved, not yet submitted for review.',
    SUBMITTED: 'Waiting for an admin to approve or reject it.',
    APPROVED: 'Accepted as ground truth.',
    REJECTED: 'Turned down by a reviewer.',
  },
);

describeEnum(ReviewDecision, 'ReviewDecision', 'The outcome of reviewing a mask version.', {
  APPROVE: 'The mask becomes ground truth (status APPROVED).',
  REJECT: 'The mask is turned down (status REJECTED).',
});

describeEnum(RunStatus, 'RunStatus', 'Lifecycle of a run.', {
  QUEUED: 'Waiting for a worker (also while a retry waits after a lost worker).',
  RUNNING: 'A worker is training or explaining.',
  SUCCEEDED: 'Finished; results are available.',
  FAILED: 'Stopped by an error, or out of attempts; see `error`.',
  CANCELLED: 'Stopped by cancelRun.',
});

describeEnum(EvaluationStatus, 'EvaluationStatus', 'Lifecycle of an evaluation.', {
  QUEUED: 'Waiting for a worker.',
  RUNNING: 'Computing metrics.',
  SUCCEEDED: 'Metrics are available.',
  FAILED: 'Stopped by an error; see `error`.',
});
