import { RangeField } from '@/components/fields';

import { LayerControl } from './layers-panel';
import type { HintState } from './use-hint';
import type { HintStart } from './use-hint-start';
import type { Layer } from './use-layers';

/**
 * The attention hint: where it comes from, on or off and how opaque (drawn in blues to cyan, apart from the
 * mask's red), and "Start from hint", which thresholds it into the mask with a slider, previewed as it moves.
 */
export function HintPanel({
  state,
  layer,
  start,
  canStart,
}: {
  state: HintState;
  layer: Layer;
  start: HintStart;
  /** Whether the annotator may draw now (their role, no version shown read-only, the stage ready). */
  canStart: boolean;
}) {
  const shown = state.status === 'shown';
  const where =
    state.status === 'none'
      ? 'No run of this dataset has scored this image yet.'
      : state.status === 'loading'
        ? 'Loading…'
        : state.status === 'failed'
          ? `It could not be loaded: ${state.message}.`
          : `Attention map of ${state.hint.runName ? `run “${state.hint.runName}”` : 'the run'}.`;
  return (
    <div className="stack" data-testid="hint-panel" data-hint={state.status} style={{ gap: '0.4rem' }}>
      <h3 style={{ margin: 0 }}>Attention hint</h3>
      <span className="small muted">{where}</span>
      <LayerControl
        layer={layer}
        label={
          <>
            <span className="hint-swatch" aria-hidden /> Show the hint (H)
          </>
        }
        name="Hint"
        disabled={!shown}
      />
      {start.threshold === null ? (
        canStart ? (
          <button onClick={start.start} disabled={!shown} data-testid="start-from-hint">
            Start from hint
          </button>
        ) : null
      ) : (
        <div className="stack notice" style={{ gap: '0.4rem' }} data-testid="hint-threshold">
          <RangeField
            label={`Threshold: level ${start.threshold} of 255 (${Math.round((start.threshold / 255) * 100)} % of the run’s range)`}
            name="Hint threshold"
            value={start.threshold}
            min={1}
            max={255}
            step={1}
            onChange={start.setThreshold}
          />
          <span className="small muted">
            The mask is where the hint is at or above the threshold. Keep it to edit it with the usual tools.
          </span>
          <div className="row">
            <button className="primary" onClick={start.keep} data-testid="keep-hint-mask">
              Keep this mask
            </button>
            <button onClick={start.cancel}>Cancel</button>
          </div>
        </div>
      )}
    </div>
  );
}
