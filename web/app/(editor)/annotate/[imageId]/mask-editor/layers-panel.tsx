import type { ReactNode } from 'react';

import type { Layer } from './use-layers';

/** A layer's on/off box and its opacity slider. */
export function LayerControl({
  layer,
  label,
  name,
  disabled = false,
}: {
  layer: Layer;
  label: ReactNode;
  name: string;
  disabled?: boolean;
}) {
  return (
    <>
      <label className="check small">
        <input
          type="checkbox"
          checked={layer.visible}
          disabled={disabled}
          onChange={(event) => layer.setVisible(event.target.checked)}
          aria-label={`Show the ${name.toLowerCase()}`}
        />
        {label}
      </label>
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={layer.opacity}
        disabled={disabled}
        onChange={(event) => layer.setOpacity(Number(event.target.value))}
        aria-label={`${name} opacity`}
        style={{ width: '100%' }}
      />
    </>
  );
}
