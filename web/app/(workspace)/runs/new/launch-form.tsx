'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import {
  emptyLaunchForm,
  LAYER_FIELDS,
  startRun,
  toStartRunInput,
  type LayerField,
  type NumberField,
  type LaunchErrors,
  type LaunchForm as Form,
  type LaunchOption,
  type LaunchPreset,
} from '../../../../lib/domain/runs';
import { deviceChoices, describeWorkerDevices, type WorkerDevice } from '../../../../lib/domain/housekeeping';
import { browserClient } from '../../../../lib/graphql/browser';
import { describeError } from '../../../../lib/graphql/client';
import type { DeviceKind, LossKind, MapWeighting, RunPreset } from '../../../../lib/graphql/generated';
import { BooleanOptionField, ChoiceOptionField, LayerOptionField, NumberOptionField } from './option-fields';

interface DatasetChoice {
  id: string;
  name: string;
  channels: number;
  counts: { train: number; test: number; normal: number; anomalous: number };
}

type GroupField = NumberField | LayerField | 'loss' | 'mapWeighting' | 'segmentationHead';

const LABELS: Record<GroupField, string> = {
  imageSize: 'Image size (px)',
  patchSize: 'Patch size (px)',
  epochs: 'Epochs (at most)',
  minutes: 'Time budget (minutes)',
  patience: 'Patience (epochs)',
  loss: 'Loss',
  syntheticDefects: 'Synthetic defects (share of images)',
  supervisionWeight: 'Supervision weight',
  segmentationHead: 'Segmentation head (reference map)',
  mapWeighting: 'Map weighting',
  mapLayer: 'Map layer',
  smoothing: 'Map smoothing',
  attentionWeight: 'Attention term weight',
  attentionLayer: 'Attention term layer',
};

/** The options in the order a person decides them: how long to train, on what, then how to explain. */
const FIELD_GROUPS: { legend: string; fields: GroupField[] }[] = [
  { legend: 'Training', fields: ['imageSize', 'patchSize', 'epochs', 'minutes', 'patience', 'loss'] },
  { legend: 'Synthetic defects', fields: ['syntheticDefects', 'supervisionWeight', 'segmentationHead'] },
  { legend: 'Attention map', fields: ['mapWeighting', 'mapLayer', 'smoothing'] },
  { legend: 'Training-time attention term', fields: ['attentionWeight', 'attentionLayer'] },
];

export function LaunchForm({
  datasets,
  presets,
  options,
  initialDatasetId,
  initialForm,
  devices,
}: {
  datasets: DatasetChoice[];
  /** The API's presets, smallest first; at least one. */
  presets: readonly LaunchPreset[];
  /** The pipeline's option schema, as the API serves it. */
  options: readonly LaunchOption[];
  initialDatasetId: string;
  /** A past run's options, to launch it again; its preset must be one of `presets`. */
  initialForm: Form | null;
  /** The devices live workers have (workerDevices): only those are offered, besides auto. */
  devices: readonly WorkerDevice[];
}) {
  const deviceValues = deviceChoices(devices);
  const router = useRouter();
  const [form, setForm] = useState<Form>(
    () =>
      (initialForm && presets.some((preset) => preset.name === initialForm.preset)
        ? // A past run's GPU, where no live worker has one now, would be refused: auto instead.
          { ...initialForm, device: deviceValues.includes(initialForm.device) ? initialForm.device : 'AUTO' }
        : null) ??
      emptyLaunchForm(
        datasets.some((dataset) => dataset.id === initialDatasetId) ? initialDatasetId : (datasets[0]?.id ?? ''),
        (presets.find((preset) => preset.name === 'SMALL') ?? presets[0]!).name,
      ),
  );
  const [errors, setErrors] = useState<LaunchErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const preset = presets.find((entry) => entry.name === form.preset)!;
  const defaults = preset.settings;
  const { layers, imageSizeStep: step } = preset;
  const dataset = datasets.find((entry) => entry.id === form.datasetId);
  const trainable = dataset ? dataset.counts.train >= 2 && dataset.counts.test >= 1 : false;

  function set<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((previous) => {
      const next = { ...previous, [key]: value };
      // A layer of a deeper preset would not exist in a shallower model.
      if (key === 'preset') {
        const chosen = presets.find((entry) => entry.name === next.preset);
        for (const field of LAYER_FIELDS) if (next[field] && !chosen?.layers.includes(next[field])) next[field] = '';
      }
      return next;
    });
    setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = toStartRunInput(form, preset, options);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      const id = await startRun(browserClient, form, preset, options);
      router.push(`/runs/${id}`);
    } catch (error) {
      setFailure(describeError(error));
      setPending(false);
    }
  }

  const fieldError = (key: keyof Form) =>
    errors[key] ? (
      <span className="hint" style={{ color: 'var(--danger)' }} role="alert">
        {errors[key]}
      </span>
    ) : null;

  /** One option's field: numbers and layers from lists, the two choices and the switch by name. */
  function fieldOf(field: GroupField) {
    if (field === 'segmentationHead') {
      return (
        <BooleanOptionField
          key={field}
          options={options}
          name={field}
          label={LABELS[field]}
          value={form.segmentationHead}
          presetValue={defaults.segmentationHead}
          error={errors.segmentationHead}
          onChange={(value) => set('segmentationHead', value)}
        />
      );
    }
    if (field === 'loss' || field === 'mapWeighting') {
      const preset = String(defaults[field]).toLowerCase();
      return (
        <ChoiceOptionField<LossKind | MapWeighting>
          key={field}
          options={options}
          name={field}
          label={LABELS[field]}
          value={form[field]}
          emptyLabel={`Preset (${preset})`}
          onChange={(value) => set(field, value as never)}
        />
      );
    }
    if ((LAYER_FIELDS as readonly string[]).includes(field)) {
      const layer = field as LayerField;
      return (
        <LayerOptionField
          key={field}
          options={options}
          name={field}
          label={LABELS[field]}
          layers={layers}
          value={form[layer]}
          presetValue={defaults[layer]}
          error={errors[layer]}
          onChange={(value) => set(layer, value)}
        />
      );
    }
    const number = field as NumberField;
    return (
      <NumberOptionField
        key={field}
        options={options}
        name={field}
        label={LABELS[field]}
        value={form[number]}
        placeholder={defaults[number]}
        step={number === 'imageSize' || number === 'patchSize' ? step : undefined}
        error={errors[number]}
        onChange={(value) => set(number, value)}
      />
    );
  }

  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Launch a run">
      <div className="form-grid">
        <label className="field">
          Dataset
          <select value={form.datasetId} onChange={(event) => set('datasetId', event.target.value)} name="dataset">
            {datasets.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
          {dataset ? (
            <span className="hint">
              {dataset.counts.train} training, {dataset.counts.test} test images ({dataset.counts.anomalous} anomalous)
            </span>
          ) : null}
          {fieldError('datasetId')}
        </label>
        <label className="field">
          Name <span className="hint">Optional, for people.</span>
          <input type="text" name="name" value={form.name} onChange={(event) => set('name', event.target.value)} />
          {fieldError('name')}
        </label>
        <label className="field">
          Preset
          <select
            name="preset"
            value={form.preset}
            onChange={(event) => set('preset', event.target.value as RunPreset)}
          >
            {presets.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name.toLowerCase()}
              </option>
            ))}
          </select>
          <span className="hint">{preset.description}</span>
        </label>
        {FIELD_GROUPS.map((group) => (
          <fieldset key={group.legend} className="form-grid-group">
            <legend>{group.legend}</legend>
            {group.fields.map((field) => fieldOf(field))}
          </fieldset>
        ))}
        <ChoiceOptionField<DeviceKind>
          options={options}
          name="device"
          label="Device"
          value={form.device}
          only={deviceValues}
          note={describeWorkerDevices(devices)}
          onChange={(value) => set('device', value || 'AUTO')}
        />
      </div>
      {dataset && !trainable ? (
        <div className="notice warn">
          This dataset needs at least 2 normal training images and 1 test image to train on.
        </div>
      ) : null}
      {failure ? (
        <div className="notice error" role="alert">
          {failure}
        </div>
      ) : null}
      <div className="row">
        <button className="primary" type="submit" disabled={pending || !trainable}>
          {pending ? 'Queueing…' : 'Launch run'}
        </button>
      </div>
    </form>
  );
}
