import type { ReactNode } from 'react';

import type { Layer } from './use-layers';

/** A layer's on/off box and its opacity slider. */
function LayerControl({
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

/** The mask and the attention hint: each on or off, and how opaque. */
export function LayersPanel({
  mask,
  hint,
  hintAvailable,
  fromRun,
}: {
  mask: Layer;
  hint: Layer;
  hintAvailable: boolean;
  fromRun: boolean;
}) {
  const hintState = hintAvailable ? '' : fromRun ? ' — loading' : ' — open from a run’s results';
  return (
    <div>
      <h3>Layers</h3>
      <LayerControl layer={mask} label="Mask (M)" name="Mask" />
      <LayerControl layer={hint} label={`Attention hint (H)${hintState}`} name="Hint" disabled={!hintAvailable} />
    </div>
  );
}
