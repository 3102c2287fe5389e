'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { describeError } from '@/lib/graphql/client';
import { Notice } from './ui';

type Mode =
  { kind: 'idle' } | { kind: 'renaming' } | { kind: 'checking' } | { kind: 'confirming'; consequence: string };

/**
 * Rename and Delete for the head of a dataset's or a run's page. Delete first asks the API what goes with the
 * thing (or why it cannot go now) and says so before anything is deleted; the API applies the same rules.
 */
export function RenameDelete({
  what,
  name,
  maxLength,
  rename,
  describeDeletion,
  remove,
  afterDelete,
}: {
  /** 'dataset' or 'run', in the buttons' words. */
  what: string;
  name: string;
  maxLength: number;
  rename: (name: string) => Promise<unknown>;
  /** Why it cannot be deleted now (blocked), and what deleting it takes with it. */
  describeDeletion: () => Promise<{ blocked: string | null; consequence: string }>;
  remove: () => Promise<void>;
  /** Where to go once it is deleted. */
  afterDelete: string;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [draft, setDraft] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submitRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await rename(draft);
      setMode({ kind: 'idle' });
      router.refresh();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  async function askDelete() {
    setError(null);
    setMode({ kind: 'checking' });
    try {
      const { blocked, consequence } = await describeDeletion();
      if (blocked) {
        setMode({ kind: 'idle' });
        setError(blocked);
      } else setMode({ kind: 'confirming', consequence });
    } catch (failure) {
      setMode({ kind: 'idle' });
      setError(describeError(failure));
    }
  }

  async function confirmDelete() {
    setBusy(true);
    setError(null);
    try {
      await remove();
      // Only away: refreshing this page would ask for what is gone.
      router.push(afterDelete);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <div className="rename-delete stack" data-testid={`${what}-housekeeping`}>
      {mode.kind === 'renaming' ? (
        <form className="row" onSubmit={(event) => void submitRename(event)} aria-label={`Rename the ${what}`}>
          <label className="field">
            New name
            <input
              type="text"
              value={draft}
              maxLength={maxLength}
              required={what === 'dataset'}
              autoFocus
              onChange={(event) => setDraft(event.target.value)}
            />
          </label>
          <button className="primary" type="submit" disabled={busy}>
            Save name
          </button>
          <button type="button" disabled={busy} onClick={() => setMode({ kind: 'idle' })}>
            Keep the name
          </button>
        </form>
      ) : mode.kind === 'confirming' ? (
        <div className="notice warn stack" role="alertdialog" aria-label={`Delete the ${what}?`}>
          <p style={{ margin: 0 }}>{mode.consequence}</p>
          <div className="row">
            <button className="danger solid" disabled={busy} onClick={() => void confirmDelete()}>
              {busy ? 'Deleting…' : `Delete the ${what}`}
            </button>
            <button disabled={busy} onClick={() => setMode({ kind: 'idle' })}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="row">
          <button
            onClick={() => {
              setDraft(name);
              setError(null);
              setMode({ kind: 'renaming' });
            }}
          >
            Rename…
          </button>
          <button className="danger" disabled={mode.kind === 'checking'} onClick={() => void askDelete()}>
            Delete…
          </button>
        </div>
      )}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </div>
  );
}
