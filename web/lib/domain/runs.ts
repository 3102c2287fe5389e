import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  CancelRunDocument,
  LaunchChoicesDocument,
  RunDetailDocument,
  RunsDocument,
  StartRunDocument,
  type DeviceKind,
  type LaunchPresetFragment,
  type LossKind,
  type RunLiveFragment,
  type RunPreset,
  type RunStatus,
  type RunSummaryFragment,
  type StartRunInput,
} from '../graphql/generated';

export type RunSummary = RunSummaryFragment;
export type RunLive = RunLiveFragment;

export const ACTIVE_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING'];

export function isActive(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export async function listRuns(
  client: GraphqlClient,
  datasetId?: string,
): Promise<{ runs: RunSummary[]; totalCount: number }> {
  const { runs } = await client.request(RunsDocument, { first: 100, datasetId: datasetId ?? null });
  return { runs: runs.edges.map((edge) => edge.node), totalCount: runs.totalCount };
}

export async function getRun(client: GraphqlClient, id: string) {
  return (await client.request(RunDetailDocument, { id })).run;
}

export type LaunchPreset = LaunchPresetFragment;

/** What the launch form offers: the datasets to train on and the presets, smallest first. */
export async function launchChoices(client: GraphqlClient) {
  const { datasets, runPresets } = await client.request(LaunchChoicesDocument);
  return { datasets: datasets.edges.map((edge) => edge.node), presets: runPresets };
}

export async function cancelRun(client: GraphqlClient, id: string): Promise<RunSummary> {
  return (await client.request(CancelRunDocument, { id })).cancelRun;
}

/**
 * The launch form's fields as typed. An empty field is left out of startRun's input, so the run uses the preset's
 * value, or what the data lowers it to: image size and epochs, once sent, are pinned.
 */
export interface LaunchForm {
  datasetId: string;
  name: string;
  preset: RunPreset;
  imageSize: string;
  epochs: string;
  loss: LossKind | '';
  layer: string;
  attentionWeight: string;
  smoothing: string;
  device: DeviceKind;
}

export type LaunchErrors = Partial<Record<keyof LaunchForm, string>>;

function integerIn(text: string, min: number, max: number): number | null | 'bad' {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max ? value : 'bad';
}

function numberIn(text: string, min: number, max: number): number | null | 'bad' {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= min && value <= max ? value : 'bad';
}

/** What the chosen preset's model takes, as the API gives it: the worker fails a run that asks for anything else. */
export type PresetModel = Pick<LaunchPreset, 'layers' | 'imageSizeStep'>;

/**
 * Checks the form as the API and the worker will, so mistakes show next to their field before anything is
 * queued, and turns it into startRun's input with only the fields filled in. `model` is the chosen preset's.
 */
export function toStartRunInput(
  form: LaunchForm,
  model: PresetModel,
): { input: StartRunInput } | { errors: LaunchErrors } {
  const errors: LaunchErrors = {};
  if (!form.datasetId) errors.datasetId = 'Choose a dataset';
  if (form.name.length > 200) errors.name = 'At most 200 characters';
  const imageSize = integerIn(form.imageSize, 32, 1024);
  const step = model.imageSizeStep;
  if (imageSize === 'bad' || (imageSize !== null && imageSize % step !== 0)) {
    errors.imageSize = `A multiple of ${step} from 32 to 1024`;
  }
  const epochs = integerIn(form.epochs, 1, 10_000);
  if (epochs === 'bad') errors.epochs = 'A whole number from 1 to 10000';
  const attentionWeight = numberIn(form.attentionWeight, 0, 1e7);
  if (attentionWeight === 'bad') errors.attentionWeight = 'A number from 0 to 10 000 000 (0 turns the term off)';
  const smoothing = numberIn(form.smoothing, 0, 0.25);
  if (smoothing === 'bad') errors.smoothing = 'A fraction of the image side from 0 to 0.25 (0: none)';
  if (form.layer && !model.layers.includes(form.layer)) {
    errors.layer = `This model's layers are ${model.layers.join(', ')}`;
  }
  if (Object.keys(errors).length > 0) return { errors };
  const input: StartRunInput = {
    datasetId: form.datasetId,
    name: form.name.trim(),
    preset: form.preset,
    device: form.device,
  };
  if (typeof imageSize === 'number') input.imageSize = imageSize;
  if (typeof epochs === 'number') input.epochs = epochs;
  if (form.loss) input.loss = form.loss;
  if (form.layer) input.layer = form.layer;
  if (typeof attentionWeight === 'number') input.attentionWeight = attentionWeight;
  if (typeof smoothing === 'number') input.smoothing = smoothing;
  return { input };
}

export async function startRun(client: GraphqlClient, form: LaunchForm, model: PresetModel): Promise<string> {
  const checked = toStartRunInput(form, model);
  if ('errors' in checked) {
    throw new ApiError(Object.values(checked.errors).join('; '), 'BAD_USER_INPUT', { fields: checked.errors });
  }
  return (await client.request(StartRunDocument, { input: checked.input })).startRun.id;
}

/**
 * Seconds left, from the pace since the run started (null until there is enough progress to judge). Progress
 * covers training, explaining and evaluating, so the estimate holds across phases.
 */
export function estimateSecondsLeft(
  run: Pick<RunLive, 'status' | 'progress' | 'startedAt'>,
  now: number,
): number | null {
  if (run.status !== 'RUNNING' || !run.startedAt || run.progress < 0.02 || run.progress >= 1) return null;
  const elapsed = (now - Date.parse(run.startedAt)) / 1000;
  if (!(elapsed > 0)) return null;
  return (elapsed * (1 - run.progress)) / run.progress;
}
