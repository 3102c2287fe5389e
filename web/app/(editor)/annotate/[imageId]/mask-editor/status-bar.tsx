'use client';

import { useEffect, useState, type RefObject } from 'react';

import type { StageSnapshot } from '@/lib/mask/stage';

/** Zoom, cursor and brush under the canvas: updated on every pointer move, so kept out of the editor's render. */
export function StatusBar({
  listenerRef,
  editable,
}: {
  listenerRef: RefObject<((snapshot: StageSnapshot) => void) | null>;
  editable: boolean;
}) {
  const [snapshot, setSnapshot] = useState<StageSnapshot | null>(null);
  useEffect(() => {
    listenerRef.current = setSnapshot;
    return () => {
      listenerRef.current = null;
    };
  }, [listenerRef]);
  if (!snapshot) return null;
  const { scale, tool, polygonPoints, brushSize, cursor } = snapshot;
  return (
    <div className="editor-status" aria-live="off">
      {Math.round(scale * 100)} %
      {editable ? ` · ${tool} ${tool === 'polygon' ? `(${polygonPoints} points)` : `${brushSize} px`}` : ''}
      {cursor ? ` · x ${cursor.x}, y ${cursor.y}` : ''}
    </div>
  );
}
