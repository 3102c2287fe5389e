import { RangeField } from '@/components/fields';
import type { Tool } from '@/lib/mask/stage';
import type { Panels, StageRef } from './use-stage';

const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
];

/** Drawing tools, brush size, undo and redo; for roles that cannot annotate, a line saying so. */
export function ToolsPanel({ stage, panels, editable }: { stage: StageRef; panels: Panels | null; editable: boolean }) {
  if (!editable) return <div className="notice">Read-only: your role can view masks but not change them.</div>;
  const brushSize = panels?.brushSize ?? 8;
  return (
    <>
      <div>
        <h3>Tools</h3>
        <div className="toolbar" role="toolbar" aria-label="Drawing tools">
          {TOOLS.map((entry) => (
            <button
              key={entry.tool}
              aria-pressed={panels?.tool === entry.tool}
              onClick={() => stage.current?.setTool(entry.tool)}
              title={`${entry.label} (${entry.key})`}
            >
              {entry.label}
            </button>
          ))}
        </div>
      </div>
      <RangeField
        label={`Brush size: ${brushSize} px`}
        name="Brush size"
        value={brushSize}
        min={1}
        max={128}
        onChange={(size) => stage.current?.setBrushSize(size)}
      />
      <div className="row">
        <button onClick={() => stage.current?.undo()} disabled={!panels?.canUndo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button onClick={() => stage.current?.redo()} disabled={!panels?.canRedo} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
      </div>
    </>
  );
}
