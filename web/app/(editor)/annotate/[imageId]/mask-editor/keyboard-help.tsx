import { Fragment } from 'react';

const KEYS: [string, string][] = [
  ['B E P', 'brush, eraser, polygon'],
  ['[ ]', 'brush size'],
  ['Ctrl Z', 'undo'],
  ['Ctrl ⇧ Z', 'redo'],
  ['Ctrl S', 'save'],
  ['Wheel', 'zoom at the cursor'],
  ['Space drag', 'pan (or middle button)'],
  ['0', 'fit the image'],
  ['Enter Esc', 'close / cancel a polygon'],
  ['← →', 'previous / next image'],
  ['H M', 'hint, mask on or off'],
];

/** The editor's keys and mouse gestures, folded away until asked for. */
export function KeyboardHelp() {
  return (
    <details>
      <summary className="small">Keyboard</summary>
      <div className="keys" style={{ marginTop: '0.5rem' }}>
        {KEYS.map(([keys, meaning]) => (
          <Fragment key={keys}>
            <kbd>{keys}</kbd> <span>{meaning}</span>
          </Fragment>
        ))}
      </div>
    </details>
  );
}
