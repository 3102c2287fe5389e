'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import {
  startRun,
  toStartRunInput,
  type LaunchErrors,
  type LaunchForm as Form,
  type LaunchOption,
  type LaunchPreset,
} from '../../../../lib/domain/runs';
import { browserClient } from '../../../../lib/graphql/browser';
import { describeError } from '../../../../lib/graphql/client';
import type { DeviceKind, LossKind, RunPreset } from '../../../../lib/graphql/generated';
import { ChoiceOptionField, LayerOptionField, NumberOptionField } from './option-fields';

interface DatasetChoice {
  id: string;
  name: string;
  channels: number;
  counts: { train: number; test: number; normal: number; anomalous: number };
}

export function LaunchForm({
  datasets,
  presets,
  options,
  initialDatasetId,
}: {
  datasets: DatasetChoice[];
  /** The API's presets, smallest first; at least one. */
  presets: readonly LaunchPreset[];
  /** The pipeline's option schema, as the API serves it. */
  options: readonly LaunchOption[];
  initialDatasetId: string;
}) {
  const router = useRouter();
  const [form, setForm] = useState<Form>({
    datasetId: datasets.some((dataset) => dataset.id === initialDatasetId) ? initialDatasetId : (datasets[0]?.id ?? ''),
    name: '',
    preset: (presets.find((preset) => preset.name === 'SMALL') ?? presets[0]!).name,
    imageSize: '',
    epochs: '',
    loss: '',
    attentionLayer: '',
    attentionWeight: '',
    mapLayer: '',
    smoothing: '',
    device: 'AUTO',
  });
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
        if (next.attentionLayer && !chosen?.layers.includes(next.attentionLayer)) next.attentionLayer = '';
        if (next.mapLayer && !chosen?.layers.includes(next.mapLayer)) next.mapLayer = '';
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
        <NumberOptionField
          options={options}
          name="imageSize"
          label="Image size (px)"
          value={form.imageSize}
          placeholder={defaults.imageSize}
          step={step}
          error={errors.imageSize}
          onChange={(value) => set('imageSize', value)}
        />
        <NumberOptionField
          options={options}
          name="epochs"
          label="Epochs"
          value={form.epochs}
          placeholder={defaults.epochs}
          error={errors.epochs}
          onChange={(value) => set('epochs', value)}
        />
        <ChoiceOptionField<LossKind>
          options={options}
          name="loss"
          label="Loss"
          value={form.loss}
          emptyLabel={`Preset (${defaults.loss.toLowerCase()})`}
          onChange={(value) => set('loss', value)}
        />
        <LayerOptionField
          options={options}
          name="mapLayer"
          label="Map layer"
          layers={layers}
          value={form.mapLayer}
          presetValue={defaults.mapLayer}
          error={errors.mapLayer}
          onChange={(value) => set('mapLayer', value)}
        />
        <NumberOptionField
          options={options}
          name="attentionWeight"
          label="Attention term weight"
          value={form.attentionWeight}
          placeholder={defaults.attentionWeight}
          error={errors.attentionWeight}
          onChange={(value) => set('attentionWeight', value)}
        />
        <LayerOptionField
          options={options}
          name="attentionLayer"
          label="Attention term layer"
          layers={layers}
          value={form.attentionLayer}
          presetValue={defaults.attentionLayer}
          error={errors.attentionLayer}
          onChange={(value) => set('attentionLayer', value)}
        />
        <NumberOptionField
          options={options}
          name="smoothing"
          label="Map smoothing"
          value={form.smoothing}
          placeholder={defaults.smoothing}
          error={errors.smoothing}
          onChange={(value) => set('smoothing', value)}
        />
        <ChoiceOptionField<DeviceKind>
          options={options}
          name="device"
          label="Device"
          value={form.device}
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
