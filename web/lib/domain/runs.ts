import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  CancelRunDocument,
  LaunchChoicesDocument,
  RunDetailDocument,
  RunsDocument,
  StartRunDocument,
  type DeviceKind,
  type LaunchOptionFragment,
  type LaunchPresetFragment,
  type LossKind,
  type MapWeighting,
  type RunLiveFragment,
  type RunPreset,
  type RunStatus,
  type RunSummaryFragment,
  type StartRunInput,
} from '../graphql/generated';

export type RunSummary = RunSummaryFragment;
export type RunLive = RunLiveFragment;

export const ACTIVE_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING'];

/** A run's name, or "Run" and the start of its id for one launched without a name. */
export function runName(run: { id: string; name?: string | null }): string {
  return run.name || `Run ${run.id.slice(0, 8)}`;
}

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
/** An option of the pipeline's schema, as the API serves it: ranges, values and help come from here alone. */
export type LaunchOption = LaunchOptionFragment;

/** What the launch form offers: the datasets to train on, the presets (smallest first) and the option schema. */
export async function launchChoices(client: GraphqlClient) {
  const { datasets, runPresets, runOptions } = await client.request(LaunchChoicesDocument);
  return { datasets: datasets.edges.map((edge) => edge.node), presets: runPresets, options: runOptions };
}

/** The option of this name in the schema the API served. */
export function launchOption(options: readonly LaunchOption[], name: string): LaunchOption {
  const option = options.find((entry) => entry.name === name);
  if (!option) throw new Error(`the API serves no run option ${name}`);
  return option;
}

export async function cancelRun(client: GraphqlClient, id: string): Promise<RunSummary> {
  return (await client.request(CancelRunDocument, { id })).cancelRun;
}

/**
 * The launch form's fields as typed. An empty field is left out of startRun's input, so the run uses the preset's
 * value, or what the data lowers it to: image size and epochs, once sent, are pinned.
 */
export interface LaunchForm extends Record<NumberField | LayerField, string> {
  datasetId: string;
  name: string;
  preset: RunPreset;
  loss: LossKind | '';
  mapWeighting: MapWeighting | '';
  /** On, off, or '' for the preset's. */
  segmentationHead: OnOff;
  device: DeviceKind;
}

/** A boolean option in the form: '' leaves it to the preset. */
export type OnOff = 'true' | 'false' | '';

/** The form's number fields, each one of startRun's options (its range comes from Query.runOptions). */
export const NUMBER_FIELDS = [
  'imageSize',
  'patchSize',
  'epochs',
  'minutes',
  'patience',
  'syntheticDefects',
  'supervisionWeight',
  'smoothing',
  'attentionWeight',
] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];
/** Encoder layers: the chosen preset's model decides which exist. */
export const LAYER_FIELDS = ['mapLayer', 'attentionLayer'] as const;
export type LayerField = (typeof LAYER_FIELDS)[number];

/** An empty form: every option left to the preset. */
export function emptyLaunchForm(datasetId: string, preset: RunPreset): LaunchForm {
  const blank = Object.fromEntries([...NUMBER_FIELDS, ...LAYER_FIELDS].map((field) => [field, '']));
  return {
    ...(blank as Record<NumberField | LayerField, string>),
    datasetId,
    name: '',
    preset,
    loss: '',
    mapWeighting: '',
    segmentationHead: '',
    device: 'AUTO',
  };
}

/**
 * The launch form holding a past run's options (Run.options: startRun's enum values, null where one was left out),
 * to launch it again as it was or changed. Options the form does not show stay the preset's.
 */
export function launchFormFromRun(run: { dataset: { id: string }; options: Record<string, unknown> }): LaunchForm {
  const { options } = run;
  const enumValue = (value: unknown): string => (typeof value === 'string' ? value.toUpperCase() : '');
  const form = emptyLaunchForm(run.dataset.id, (enumValue(options.preset) || 'SMALL') as RunPreset);
  for (const field of NUMBER_FIELDS) if (typeof options[field] === 'number') form[field] = String(options[field]);
  for (const field of LAYER_FIELDS) if (typeof options[field] === 'string') form[field] = options[field];
  form.loss = enumValue(options.loss) as LossKind | '';
  form.mapWeighting = enumValue(options.mapWeighting) as MapWeighting | '';
  if (typeof options.segmentationHead === 'boolean') form.segmentationHead = String(options.segmentationHead) as OnOff;
  form.device = (enumValue(options.device) || 'AUTO') as DeviceKind;
  return form;
}

export type LaunchErrors = Partial<Record<keyof LaunchForm, string>>;

/** The number typed in a field, null when empty, or the error to show when it breaks the option's range. */
function numberOf(text: string, option: LaunchOption): number | null | { error: string } {
  if (text.trim() === '') return null;
  const value = Number(text);
  const min = option.min ?? -Infinity;
  const max = option.max ?? Infinity;
  const integer = option.kind === 'INTEGER';
  if (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return value;
  return { error: `${integer ? 'A whole number' : 'A number'} from ${min} to ${max}` };
}

/**
 * What the chosen preset's model takes, as the API gives it: the worker fails a run that asks for anything else.
 * Its image size bounds the patch size when the form leaves the image size to the preset.
 */
export type PresetModel = Pick<LaunchPreset, 'layers' | 'imageSizeStep'> & {
  settings: Pick<LaunchPreset['settings'], 'imageSize' | 'syntheticDefects' | 'segmentationHead'>;
};

/**
 * Checks the form as the API and the worker will, so mistakes show next to their field before anything is
 * queued, and turns it into startRun's input with only the fields filled in. `model` is the chosen preset's.
 */
export function toStartRunInput(
  form: LaunchForm,
  model: PresetModel,
  options: readonly LaunchOption[],
): { input: StartRunInput } | { errors: LaunchErrors } {
  const errors: LaunchErrors = {};
  if (!form.datasetId) errors.datasetId = 'Choose a dataset';
  if (form.name.length > 200) errors.name = 'At most 200 characters';
  const numbers: Partial<Record<NumberField, number>> = {};
  for (const field of NUMBER_FIELDS) {
    const value = numberOf(form[field], launchOption(options, field));
    if (typeof value === 'number') numbers[field] = value;
    else if (value !== null) errors[field] = value.error;
  }
  const step = model.imageSizeStep;
  if (errors.imageSize || (numbers.imageSize !== undefined && numbers.imageSize % step !== 0)) {
    const { min, max } = launchOption(options, 'imageSize');
    errors.imageSize = `A multiple of ${step} from ${min} to ${max}`;
  }
  // A patch is cut from the image the model sees: the worker refuses a side that is not a multiple of the step or
  // exceeds the image size (which the data can still lower below the preset's when the field is empty).
  const patch = numbers.patchSize;
  const size = numbers.imageSize ?? model.settings.imageSize;
  if (!errors.patchSize && patch !== undefined && patch !== 0 && (patch % step !== 0 || patch > size)) {
    errors.patchSize = `0 (whole images) or a multiple of ${step} up to the image size, ${size}`;
  }
  // The segmentation head learns from the synthetic defects' masks: the worker refuses it without them.
  const segmentationHead = form.segmentationHead ? form.segmentationHead === 'true' : model.settings.segmentationHead;
  if (segmentationHead && (numbers.syntheticDefects ?? model.settings.syntheticDefects) === 0) {
    errors.segmentationHead = 'Needs synthetic defects (a share above 0) to learn from';
  }
  for (const field of LAYER_FIELDS) {
    if (form[field] && !model.layers.includes(form[field])) {
      errors[field] = `This model's layers are ${model.layers.join(', ')}`;
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  const input: StartRunInput = {
    datasetId: form.datasetId,
    name: form.name.trim(),
    preset: form.preset,
    device: form.device,
    ...numbers,
  };
  if (form.loss) input.loss = form.loss;
  if (form.mapWeighting) input.mapWeighting = form.mapWeighting;
  if (form.segmentationHead) input.segmentationHead = form.segmentationHead === 'true';
  for (const field of LAYER_FIELDS) if (form[field]) input[field] = form[field];
  return { input };
}

export async function startRun(
  client: GraphqlClient,
  form: LaunchForm,
  model: PresetModel,
  options: readonly LaunchOption[],
): Promise<string> {
  const checked = toStartRunInput(form, model, options);
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
