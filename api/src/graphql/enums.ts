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

// The database enums are the GraphQL enums: one list of values, described once here.

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do. Viewers read; annotators also save masks and label images; admins do everything.',
  valuesConfig: {
    ADMIN: { description: 'Manages users, datasets, runs, evaluations and reviews masks.' },
    ANNOTATOR: { description: 'Reads everything, saves masks and labels images.' },
    VIEWER: { description: 'Reads everything.' },
  },
});

registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: "What an API key may do on its owner's behalf.",
  valuesConfig: {
    READ: { description: "Queries and subscriptions only, whatever the owner's role." },
    WRITE: { description: "Mutations too, as far as the owner's role allows." },
  },
});

registerEnumType(DatasetLayout, {
  name: 'DatasetLayout',
  description: 'How the folder a dataset was imported from was organised.',
  valuesConfig: {
    MVTEC: { description: 'MVTec AD: train/good, test/<defect>, ground_truth/<defect>.' },
    PLAIN_FOLDER: { description: 'normal/, optional anomalous/ and masks/.' },
    UNLABELED_FOLDER: { description: 'A flat folder of images, imported as unlabeled test images to annotate.' },
    EMPTY: { description: 'Created empty with createDataset; images come from later imports.' },
  },
});

registerEnumType(Split, {
  name: 'Split',
  description: 'Which part of the dataset an image belongs to.',
  valuesConfig: {
    TRAIN: { description: 'Training images (normal only).' },
    TEST: { description: 'Test images, normal and anomalous.' },
  },
});

registerEnumType(ImageLabel, {
  name: 'ImageLabel',
  description: 'Ground truth at the image level.',
  valuesConfig: {
    NORMAL: { description: 'Defect-free.' },
    ANOMALOUS: { description: 'Has a defect.' },
    UNLABELED: { description: 'Not known yet (imported without labels).' },
  },
});

/** The defect type of UNLABELED images, as imports write it (NORMAL ones have @vad/models' NORMAL_DEFECT_TYPE). */
export const UNLABELED_DEFECT_TYPE = 'unlabeled';

registerEnumType(MaskSource, {
  name: 'MaskSource',
  description: 'Where a mask version came from.',
  valuesConfig: {
    IMPORTED: { description: "The dataset's own ground truth, read at import." },
    ANNOTATED: { description: 'Drawn by an annotator with saveMask.' },
  },
});

registerEnumType(MaskStatus, {
  name: 'MaskStatus',
  description: 'Review state of a mask version. Evaluations use the latest APPROVED version of each image.',
  valuesConfig: {
    DRAFT: { description: 'Saved, not yet submitted for review.' },
    SUBMITTED: { description: 'Waiting for an admin to approve or reject it.' },
    APPROVED: { description: 'Accepted as ground truth.' },
    REJECTED: { description: 'Turned down by a reviewer.' },
  },
});

registerEnumType(ReviewDecision, {
  name: 'ReviewDecision',
  description: 'The outcome of reviewing a mask version.',
  valuesConfig: {
    APPROVE: { description: 'The mask becomes ground truth (status APPROVED).' },
    REJECT: { description: 'The mask is turned down (status REJECTED).' },
  },
});

registerEnumType(RunStatus, {
  name: 'RunStatus',
  description: 'Lifecycle of a run.',
  valuesConfig: {
    QUEUED: { description: 'Waiting for a worker (also while a retry waits after a lost worker).' },
    RUNNING: { description: 'A worker is training or explaining.' },
    SUCCEEDED: { description: 'Finished; results are available.' },
    FAILED: { description: 'Stopped by an error, or out of attempts; see `error`.' },
    CANCELLED: { description: 'Stopped by cancelRun.' },
  },
});

registerEnumType(EvaluationStatus, {
  name: 'EvaluationStatus',
  description: 'Lifecycle of an evaluation.',
  valuesConfig: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'Computing metrics.' },
    SUCCEEDED: { description: 'Metrics are available.' },
    FAILED: { description: 'Stopped by an error; see `error`.' },
  },
});
