import { useEffect } from 'react';

import type { MaskStage } from '@/lib/mask/stage';
import type { StageRef } from './use-stage';

/** Keys without Ctrl, Alt or Cmd that act on the stage (letters in lower case). */
const STAGE_KEYS: Record<string, (stage: MaskStage) => void> = {
  b: (stage) => stage.setTool('brush'),
  e: (stage) => stage.setTool('eraser'),
  p: (stage) => stage.setTool('polygon'),
  '[': (stage) => stage.stepBrushSize(-1),
  ']': (stage) => stage.stepBrushSize(1),
  Enter: (stage) => stage.closePolygon(),
  Escape: (stage) => stage.cancelPolygon(),
  Backspace: (stage) => stage.removeLastVertex(),
  '0': (stage) => stage.fit(),
  '+': (stage) => stage.zoomBy(1.25),
  '=': (stage) => stage.zoomBy(1.25),
  '-': (stage) => stage.zoomBy(0.8),
};

/** The stage keys that only move the view, which work while drawing is locked. */
const VIEW_KEYS = new Set(['0', '+', '=', '-']);

/**
 * The editor's keyboard, on the whole window except form fields: drawing, zoom, undo and save, previous and next
 * image, hint and mask on or off. Space held turns dragging into panning.
 */
export function useEditorKeys({
  stage,
  editable,
  save,
  go,
  toggleHint,
  toggleMask,
}: {
  stage: StageRef;
  editable: boolean;
  save: () => Promise<boolean>;
  go: (step: 1 | -1) => Promise<void>;
  toggleHint: () => void;
  toggleMask: () => void;
}) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if ((event.target as HTMLElement).closest('input, textarea, select')) return;
      const instance = stage.current;
      const { key } = event;
      const lower = key.toLowerCase();
      // A version shown read-only or a hint being thresholded: no drawing, undo or save until it is done.
      const locked = instance?.isLocked ?? false;
      if (key === ' ') {
        instance?.setSpaceHeld(true);
      } else if (event.ctrlKey || event.metaKey) {
        if (lower === 'z' && !event.shiftKey) void (!locked && instance?.undo());
        else if (lower === 'z' || lower === 'y') void (!locked && instance?.redo());
        else if (lower === 's') void (editable && !locked && save());
        else return;
      } else if (event.altKey) {
        return;
      } else if (key === 'ArrowRight' || key === 'ArrowLeft') {
        void go(key === 'ArrowRight' ? 1 : -1);
      } else if (lower === 'h') {
        toggleHint();
      } else if (lower === 'm') {
        toggleMask();
      } else {
        const name = key.length === 1 ? lower : key;
        const action = STAGE_KEYS[name];
        if (!instance || !action) return;
        if (!locked || VIEW_KEYS.has(name)) action(instance);
      }
      event.preventDefault();
    }
    function onKeyUp(event: KeyboardEvent) {
      if (event.key === ' ') stage.current?.setSpaceHeld(false);
    }
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [stage, editable, save, go, toggleHint, toggleMask]);
}
