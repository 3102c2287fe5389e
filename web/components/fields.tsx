import type { ReactNode } from 'react';

/** A labelled select over fixed options: `[value, text]` pairs, '' standing for "no choice". */
export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
  name,
  className = 'field',
}: {
  label: ReactNode;
  value: V | '';
  options: readonly (readonly [V | '', string])[];
  onChange: (value: V | '') => void;
  name?: string;
  className?: string;
}) {
  return (
    <label className={className}>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value as V | '')} name={name}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled slider; `name` is what screen readers call it. */
export function RangeField({
  label,
  name,
  value,
  min = 0,
  max = 1,
  step,
  onChange,
  disabled = false,
}: {
  label: ReactNode;
  name: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  onChange: (value: number) => void;
  disabled?: boolean;
}) {
  return (
    <label className="field">
      {label}
      <input
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
        aria-label={name}
        disabled={disabled}
      />
    </label>
  );
}

/** A field's problem, under it; announced at once. */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? (
    <span className="hint" style={{ color: 'var(--danger)' }} role="alert">
      {message}
    </span>
  ) : null;
}
