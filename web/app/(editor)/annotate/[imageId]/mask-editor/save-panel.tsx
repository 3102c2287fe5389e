import type { useSave } from './use-save';

/** Whether to submit for review and to save on leaving, and the save button. */
export function SavePanel({
  saver,
  disabled,
}: {
  saver: Pick<
    ReturnType<typeof useSave>,
    'save' | 'saving' | 'submit' | 'setSubmit' | 'saveOnLeave' | 'setSaveOnLeave'
  >;
  disabled: boolean;
}) {
  const { save, saving, submit, setSubmit, saveOnLeave, setSaveOnLeave } = saver;
  return (
    <div className="stack">
      <label className="check small">
        <input type="checkbox" checked={submit} onChange={(event) => setSubmit(event.target.checked)} />
        Submit for review
      </label>
      <label className="check small">
        <input type="checkbox" checked={saveOnLeave} onChange={(event) => setSaveOnLeave(event.target.checked)} />
        Save when moving to another image
      </label>
      <button className="primary" onClick={() => void save()} disabled={saving || disabled} data-testid="save-mask">
        {saving ? 'Saving…' : 'Save (Ctrl+S)'}
      </button>
      <span className="small muted">
        Unsaved changes stay with this image, in this browser, across other images and reloads until you save or discard
        them.
      </span>
    </div>
  );
}
