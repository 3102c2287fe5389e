import { RangeField } from '@/components/fields';
import type { Tool } from '@/lib/mask/stage';
import type { Panels, StageRef } from './use-stage';

const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
];

/**
 * Drawing tools, brush size, undo and redo; for roles that cannot annotate, a line saying so. Off (`locked`)
 * while a saved version is shown read-only or a hint is being thresholded.
 */
export function ToolsPanel({ stage, panels, editable }: { stage: StageRef; panels: Panels | null; editable: boolean }) {
  if (!editable) return <div className="notice">Read-only: your role can view masks but not change them.</div>;
  const locked = panels?.locked ?? false;
  const brushSize = panels?.brushSize ?? 1;
  return (
    <div className="editor-tools">
      <div className="toolbar" role="toolbar" aria-label="Drawing tools">
        {TOOLS.map((entry) => (
          <button
            key={entry.tool}
            aria-pressed={panels?.tool === entry.tool}
            onClick={() => stage.current?.setTool(entry.tool)}
            disabled={locked}
            title={`${entry.label} (${entry.key})`}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <RangeField
        label={`Brush: ${brushSize} px`}
        name="Brush size"
        value={brushSize}
        min={1}
        max={128}
        onChange={(size) => stage.current?.setBrushSize(size)}
        disabled={locked}
      />
      <div className="row editor-history">
        <button onClick={() => stage.current?.undo()} disabled={locked || !panels?.canUndo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button onClick={() => stage.current?.redo()} disabled={locked || !panels?.canRedo} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
      </div>
    </div>
  );
}
