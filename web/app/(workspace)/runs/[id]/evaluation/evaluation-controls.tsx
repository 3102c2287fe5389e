'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState, useTransition } from 'react';

import { SelectField } from '@/components/fields';
import { useSubscription } from '@/components/live';
import { Notice } from '@/components/ui';
import { evaluateRun, runEvaluations } from '@/lib/domain/evaluations';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { RunProgressDocument, type EvaluationStatus } from '@/lib/graphql/generated';
import { dateTime } from '@/lib/format';

interface EvaluationChoice {
  id: string;
  status: EvaluationStatus;
  createdAt: string;
  maskCount: number;
}

/**
 * Re-evaluate (admins), the choice of evaluation, and live waiting: runProgress fires when the run's
 * evaluations change, and the page is then rendered again from the server with the new figures.
 */
export function EvaluationControls({
  runId,
  runSucceeded,
  canEvaluate,
  pendingId,
  evaluations,
  selectedId,
}: {
  runId: string;
  runSucceeded: boolean;
  canEvaluate: boolean;
  pendingId: string | null;
  evaluations: EvaluationChoice[];
  selectedId: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [waitingFor, setWaitingFor] = useState<string | null>(pendingId);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [, startTransition] = useTransition();

  const finishedWith = useCallback(
    (evaluations: readonly { id: string; status: EvaluationStatus }[]) => {
      const evaluation = evaluations.find((entry) => entry.id === waitingFor);
      if (!evaluation || evaluation.status === 'QUEUED' || evaluation.status === 'RUNNING') return;
      setWaitingFor(null);
      // Show the new evaluation (the default is the newest that succeeded).
      const next = new URLSearchParams(search.toString());
      next.delete('evaluation');
      startTransition(() => router.replace(next.size ? `${pathname}?${next}` : pathname, { scroll: false }));
      router.refresh();
    },
    [waitingFor, search, pathname, router],
  );

  useSubscription(RunProgressDocument, { runId }, (data) => finishedWith(data.runProgress.evaluations), {
    enabled: waitingFor !== null,
    onError: () => {},
  });

  // An event sent before the socket subscribed is missed: look now and then as well.
  useEffect(() => {
    if (!waitingFor) return;
    const timer = setInterval(() => {
      runEvaluations(browserClient, runId).then(
        (run) => finishedWith(run.evaluations),
        () => {},
      );
    }, 4000);
    return () => clearInterval(timer);
  }, [waitingFor, runId, finishedWith]);

  async function reevaluate() {
    setStarting(true);
    setError(null);
    try {
      const queued = await evaluateRun(browserClient, runId);
      setWaitingFor(queued.id);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setStarting(false);
    }
  }

  function choose(id: string) {
    const next = new URLSearchParams(search.toString());
    next.set('evaluation', id);
    startTransition(() => router.replace(`${pathname}?${next}`, { scroll: false }));
  }

  return (
    <section className="panel row" aria-label="Evaluations">
      {evaluations.length > 0 ? (
        <label className="field">
          Evaluation
          <select value={selectedId ?? ''} onChange={(event) => choose(event.target.value)} name="evaluation">
            {evaluations.map((evaluation, index) => (
              <option key={evaluation.id} value={evaluation.id}>
                {dateTime(evaluation.createdAt)} · {evaluation.status.toLowerCase()} · {evaluation.maskCount} masks
                {index === 0 ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <span className="spacer" />
      {waitingFor ? (
        <span className="notice" role="status" data-testid="evaluation-pending">
          Evaluating with the masks approved now…
        </span>
      ) : null}
      {canEvaluate ? (
        <div className="stack" style={{ alignItems: 'flex-end', gap: '0.25rem' }}>
          <button
            className="primary"
            onClick={() => void reevaluate()}
            disabled={!runSucceeded || starting || waitingFor !== null}
            data-testid="reevaluate"
          >
            Re-evaluate
          </button>
          <span className="small muted">Scores this run again against the masks approved since.</span>
        </div>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </section>
  );
}

export function CurveChoice({
  mapTypes,
  mapType,
  defectTypes,
  defectType,
}: {
  mapTypes: string[];
  mapType: string;
  defectTypes: string[];
  defectType: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  function change(key: 'map' | 'defect', value: string) {
    const next = new URLSearchParams(search.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    startTransition(() => router.replace(`${pathname}?${next}`, { scroll: false }));
  }
  return (
    <div className="row" aria-busy={pending}>
      <SelectField
        label="Map"
        value={mapType}
        options={mapTypes.map((type) => [type, type] as const)}
        onChange={(value) => change('map', value)}
        className="row small"
      />
      <SelectField
        label="Images"
        value={defectType ?? ''}
        options={[['', 'All test images'], ...defectTypes.map((type) => [type, `${type} vs normal`] as const)]}
        onChange={(value) => change('defect', value)}
        className="row small"
      />
    </div>
  );
}
