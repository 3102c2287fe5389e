'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

import { LineChart } from '@/components/charts';
import { useSubscription } from '@/components/live';
import { ProgressBar, RunStatusBadge, Stat } from '@/components/ui';
import { cancelRun, estimateSecondsLeft, getRun, isActive, type RunLive } from '@/lib/domain/runs';
import { laterRunState } from '@/lib/domain/housekeeping';
import { browserClient } from '@/lib/graphql/browser';
import { describeError } from '@/lib/graphql/client';
import { RunProgressDocument } from '@/lib/graphql/generated';
import { duration, percent } from '@/lib/format';

/** The run as it trains: progress, ETA and the loss curve follow runProgress events as they arrive. */
export function RunMonitor({ initial, canCancel }: { initial: RunLive; canCancel: boolean }) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  // Null until mounted: the server's clock and the browser's differ, so a time left or elapsed rendered on both
  // would not match and React would throw its hydration error (#418) on the page.
  const [now, setNow] = useState<number | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const active = isActive(run.status);

  useSubscription(
    RunProgressDocument,
    { runId: initial.id },
    (data) => {
      setLiveError(null);
      setRun((shown) => laterRunState(shown, data.runProgress));
    },
    { enabled: active, onError: setLiveError },
  );

  // Events only say what changed after the socket subscribed, and a dropped socket misses some: read the run
  // once just after subscribing, then now and then while it is active.
  useEffect(() => {
    if (!active) return;
    const refresh = () =>
      getRun(browserClient, initial.id).then(
        (latest) => latest && setRun((shown) => laterRunState(shown, latest)),
        () => {},
      );
    const first = setTimeout(refresh, 500);
    const timer = setInterval(refresh, 10_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active, initial.id]);

  // The ETA counts down between events too.
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = active ? setInterval(tick, 1000) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [active]);

  // Finished: reload the server parts of the page (options, results links) once.
  useEffect(() => {
    if (!active && isActive(initial.status)) router.refresh();
  }, [active, initial.status, router]);

  const secondsLeft = now === null ? null : estimateSecondsLeft(run, now);
  const losses = run.lossHistory.map((entry) => [entry.epoch, entry.loss] as const);
  const validation = run.lossHistory.flatMap((entry) =>
    entry.validationLoss == null ? [] : [[entry.epoch, entry.validationLoss] as const],
  );

  async function cancel() {
    if (!window.confirm('Cancel this run? Training stops within one step; nothing is kept.')) return;
    setCancelling(true);
    setCancelError(null);
    try {
      const updated = await cancelRun(browserClient, run.id);
      setRun((previous) => ({ ...previous, ...updated }));
    } catch (error) {
      setCancelError(describeError(error));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <>
      <section className="panel stack" aria-label="Run progress" data-testid="run-monitor" data-status={run.status}>
        <div className="row">
          <RunStatusBadge status={run.status} />
          <strong>{run.phase}</strong>
          {run.cancelRequested && active ? <span className="badge warn">cancelling…</span> : null}
          <span className="spacer" />
          {canCancel && active ? (
            <button className="danger" onClick={() => void cancel()} disabled={cancelling || run.cancelRequested}>
              Cancel run
            </button>
          ) : null}
        </div>
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <div style={{ flex: 1 }}>
            <ProgressBar value={run.progress} big label="Run progress" />
          </div>
          <span className="score" data-testid="run-progress">
            {percent(run.progress)}
          </span>
        </div>
        <div className="stat-row">
          <Stat label="Epoch" value={run.totalEpochs ? `${run.epoch} / ${run.totalEpochs}` : '—'} />
          <Stat
            label="Time left"
            value={active ? (secondsLeft === null ? 'estimating…' : `≈ ${duration(secondsLeft)}`) : '—'}
          />
          <Stat
            label="Elapsed"
            value={
              run.startedAt && (run.finishedAt || now !== null)
                ? duration(((run.finishedAt ? Date.parse(run.finishedAt) : now!) - Date.parse(run.startedAt)) / 1000)
                : '—'
            }
          />
          <Stat label="Device" value={run.device ?? '—'} />
          <Stat label="Attempt" value={String(run.attempt)} />
          <Stat label="Results" value={String(run.resultCount)} />
        </div>
        {run.status === 'FAILED' ? (
          <div className="notice error" role="alert">
            <strong>The run failed.</strong> {run.error ?? 'No reason was recorded.'}
          </div>
        ) : null}
        {run.status === 'CANCELLED' ? <div className="notice warn">The run was cancelled.</div> : null}
        {run.status === 'SUCCEEDED' ? (
          <div className="row">
            <Link className="button primary" href={`/runs/${run.id}/results`}>
              Results ({run.resultCount})
            </Link>
            <Link className="button" href={`/runs/${run.id}/evaluation`}>
              Evaluation
            </Link>
          </div>
        ) : null}
        {liveError && active ? (
          <div className="notice warn" role="status">
            Live updates paused ({liveError}); reconnecting…
          </div>
        ) : null}
        {cancelError ? (
          <div className="notice error" role="alert">
            {cancelError}
          </div>
        ) : null}
      </section>
      <section className="panel">
        <h2>Training and validation loss</h2>
        {losses.length === 0 ? (
          <p className="muted">The curve appears after the first epoch.</p>
        ) : (
          <LineChart
            title="Mean loss per epoch"
            series={[
              { name: 'training', color: '#2d5bd7', points: losses },
              ...(validation.length > 0
                ? [{ name: 'validation (held-back normal images)', color: '#e07b00', points: validation }]
                : []),
            ]}
            xLabel="Epoch"
            yLabel="Loss"
            testId="loss-chart"
          />
        )}
        {run.bestEpoch == null ? null : (
          <p className="muted" data-testid="best-epoch">
            The model keeps the weights of epoch {run.bestEpoch}, its lowest validation loss.
          </p>
        )}
      </section>
    </>
  );
}
