'use client';

import type { ReactNode } from 'react';

import { launchOption, type LaunchOption, type OnOff } from '../../../../lib/domain/runs';

/** A field's label, its control, and below it the option's own description (from the API's schema) and error. */
function Field({ label, hint, error, children }: { label: string; hint: string; error?: string; children: ReactNode }) {
  return (
    <label className="field">
      {label}
      {children}
      <span className="hint">{hint}</span>
      {error ? (
        <span className="hint" style={{ color: 'var(--danger)' }} role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

/** A number option: range and help from the schema, the preset's value as the placeholder of an empty field. */
export function NumberOptionField(props: {
  options: readonly LaunchOption[];
  name: string;
  label: string;
  value: string;
  placeholder: number;
  step?: number;
  error?: string;
  onChange: (value: string) => void;
}) {
  const option = launchOption(props.options, props.name);
  const integer = option.kind === 'INTEGER';
  return (
    <Field label={props.label} hint={`${option.description} Empty: the preset's.`} error={props.error}>
      <input
        type="number"
        name={props.name}
        inputMode={integer ? 'numeric' : 'decimal'}
        placeholder={String(props.placeholder)}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        min={option.min ?? undefined}
        max={option.max ?? undefined}
        step={props.step ?? (integer ? 1 : 'any')}
      />
    </Field>
  );
}

/** A choice: its values and their meanings from the schema; `emptyLabel` offers leaving it to the preset. */
export function ChoiceOptionField<T extends string>(props: {
  options: readonly LaunchOption[];
  name: string;
  label: string;
  value: T | '';
  emptyLabel?: string;
  /** Only these of the schema's values (the devices live workers have). */
  only?: readonly T[];
  /** Said after the option's description. */
  note?: string;
  onChange: (value: T | '') => void;
}) {
  const option = launchOption(props.options, props.name);
  const values = (option.values ?? []).filter((entry) => !props.only || props.only.includes(entry.value as T));
  return (
    <Field label={props.label} hint={props.note ? `${option.description} ${props.note}` : option.description}>
      <select name={props.name} value={props.value} onChange={(event) => props.onChange(event.target.value as T)}>
        {props.emptyLabel ? <option value="">{props.emptyLabel}</option> : null}
        {values.map((entry) => (
          <option key={entry.value} value={entry.value}>
            {entry.value.toLowerCase()}: {entry.description}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** On or off, or left to the preset (whose value the empty choice names). */
export function BooleanOptionField(props: {
  options: readonly LaunchOption[];
  name: string;
  label: string;
  value: OnOff;
  presetValue: boolean;
  error?: string;
  onChange: (value: OnOff) => void;
}) {
  const option = launchOption(props.options, props.name);
  return (
    <Field label={props.label} hint={option.description} error={props.error}>
      <select name={props.name} value={props.value} onChange={(event) => props.onChange(event.target.value as OnOff)}>
        <option value="">Preset ({props.presetValue ? 'on' : 'off'})</option>
        <option value="true">On</option>
        <option value="false">Off</option>
      </select>
    </Field>
  );
}

/** An encoder layer of the chosen preset's model. */
export function LayerOptionField(props: {
  options: readonly LaunchOption[];
  name: string;
  label: string;
  layers: readonly string[];
  value: string;
  presetValue: string;
  error?: string;
  onChange: (value: string) => void;
}) {
  const option = launchOption(props.options, props.name);
  return (
    <Field label={props.label} hint={option.description} error={props.error}>
      <select name={props.name} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">Preset ({props.presetValue})</option>
        {props.layers.map((layer) => (
          <option key={layer} value={layer}>
            {layer}
          </option>
        ))}
      </select>
    </Field>
  );
}
