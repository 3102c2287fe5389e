'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import {
  startRun,
  toStartRunInput,
  type LaunchErrors,
  type LaunchForm as Form,
  type LaunchPreset,
} from '../../../../lib/domain/runs';
import { browserClient } from '../../../../lib/graphql/browser';
import { describeError } from '../../../../lib/graphql/client';
import type { DeviceKind, LossKind, RunPreset } from '../../../../lib/graphql/generated';

interface DatasetChoice {
  id: string;
  name: string;
  channels: number;
  counts: { train: number; test: number; normal: number; anomalous: number };
}

const LOSSES: { value: LossKind; label: string }[] = [
  { value: 'MSE', label: 'MSE (mean squared error)' },
  { value: 'L1', label: 'L1 (mean absolute error)' },
  { value: 'SSIM', label: '1 − SSIM' },
  { value: 'SSIM_MSE', label: 'SSIM + MSE' },
];

const DEVICES: { value: DeviceKind; label: string }[] = [
  { value: 'AUTO', label: 'Automatic (GPU when the worker has one)' },
  { value: 'CPU', label: 'CPU' },
  { value: 'CUDA', label: 'GPU (CUDA)' },
];

export function LaunchForm({
  datasets,
  presets,
  initialDatasetId,
}: {
  datasets: DatasetChoice[];
  /** The API's presets, smallest first; at least one. */
  presets: readonly LaunchPreset[];
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
    layer: '',
    attentionWeight: '',
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
      if (key === 'preset' && next.layer) {
        const chosen = presets.find((entry) => entry.name === next.preset);
        if (!chosen?.layers.includes(next.layer)) next.layer = '';
      }
      return next;
    });
    setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = toStartRunInput(form, preset);
    if ('errors' in checked) {
      setErrors(checked.errors);
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      const id = await startRun(browserClient, form, preset);
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
        <label className="field">
          Image size (px)
          <input
            type="number"
            name="imageSize"
            inputMode="numeric"
            placeholder={String(defaults.imageSize)}
            value={form.imageSize}
            onChange={(event) => set('imageSize', event.target.value)}
            min={32}
            max={1024}
            step={step}
          />
          <span className="hint">
            Square; a multiple of {step}. Empty: the preset&apos;s, or less for a dataset of smaller images.
          </span>
          {fieldError('imageSize')}
        </label>
        <label className="field">
          Epochs
          <input
            type="number"
            name="epochs"
            inputMode="numeric"
            placeholder={String(defaults.epochs)}
            value={form.epochs}
            onChange={(event) => set('epochs', event.target.value)}
            min={1}
            max={10000}
          />
          <span className="hint">Empty: the preset&apos;s, or fewer for a large training set.</span>
          {fieldError('epochs')}
        </label>
        <label className="field">
          Loss
          <select name="loss" value={form.loss} onChange={(event) => set('loss', event.target.value as LossKind | '')}>
            <option value="">Preset ({defaults.loss.toLowerCase()})</option>
            {LOSSES.map((loss) => (
              <option key={loss.value} value={loss.value}>
                {loss.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Attention layer
          <select name="layer" value={form.layer} onChange={(event) => set('layer', event.target.value)}>
            <option value="">Preset ({defaults.layer})</option>
            {layers.map((layer) => (
              <option key={layer} value={layer}>
                {layer}
              </option>
            ))}
          </select>
          <span className="hint">Encoder layer the Grad-CAM map is taken from; shallow layers are sharper.</span>
          {fieldError('layer')}
        </label>
        <label className="field">
          Attention weight
          <input
            type="number"
            name="attentionWeight"
            inputMode="decimal"
            placeholder={String(defaults.attentionWeight)}
            value={form.attentionWeight}
            onChange={(event) => set('attentionWeight', event.target.value)}
            min={0}
            max={10_000_000}
            step="any"
          />
          <span className="hint">
            Training-time attention term, 0–10 000 000 (0: off; it starts to matter near 1e4).
          </span>
          {fieldError('attentionWeight')}
        </label>
        <label className="field">
          Map smoothing
          <input
            type="number"
            name="smoothing"
            inputMode="decimal"
            placeholder={String(defaults.smoothing)}
            value={form.smoothing}
            onChange={(event) => set('smoothing', event.target.value)}
            min={0}
            max={0.25}
            step="any"
          />
          <span className="hint">
            Gaussian blur of every map, sigma as a fraction of the image side, 0–0.25 (0: none; 0.03125 is 4 px at 128
            px).
          </span>
          {fieldError('smoothing')}
        </label>
        <label className="field">
          Device
          <select
            name="device"
            value={form.device}
            onChange={(event) => set('device', event.target.value as DeviceKind)}
          >
            {DEVICES.map((device) => (
              <option key={device.value} value={device.value}>
                {device.label}
              </option>
            ))}
          </select>
        </label>
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
