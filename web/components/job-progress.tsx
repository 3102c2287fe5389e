'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

import { Notice, ProgressBar } from '@/components/ui';
import { followJob, jobEnded, jobStatusText } from '@/lib/domain/exports';
import { describeError } from '@/lib/graphql/client';
import type { JobStatus } from '@/lib/graphql/generated';

/**
 * A worker's job (an export, a mask import) while it runs: its bar and what it is doing; once it failed, why, in
 * the API's words. What a succeeded job offers (a download, a count) is the caller's `done`.
 */
export function JobProgress({
  job,
  label,
  testId,
  done,
}: {
  job: { status: JobStatus; phase: string; progress: number; error: string | null };
  label: string;
  testId: string;
  done: ReactNode;
}) {
  if (job.status === 'FAILED') {
    return (
      <div data-testid={testId} data-status={job.status}>
        <Notice kind="error">{jobStatusText(job)}</Notice>
      </div>
    );
  }
  if (job.status === 'SUCCEEDED') {
    return (
      <div data-testid={testId} data-status={job.status}>
        {done}
      </div>
    );
  }
  return (
    <div className="row" data-testid={testId} data-status={job.status} aria-busy={!jobEnded(job)}>
      <ProgressBar value={job.progress} big label={label} />
      <span className="small">{jobStatusText(job)}</span>
    </div>
  );
}

/**
 * Starts a job and follows it until it ends (polling every second), keeping its latest state; leaving the page
 * stops the polling, not the job. `error` is a refusal to start or a lost connection, in words.
 */
export function useJob<J extends { id: string; status: JobStatus }>(read: (id: string) => Promise<J>) {
  const [job, setJob] = useState<J | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const following = useRef<AbortController | null>(null);
  useEffect(() => () => following.current?.abort(), []);

  async function start(begin: () => Promise<J>): Promise<J | null> {
    following.current?.abort();
    const controller = new AbortController();
    following.current = controller;
    setError(null);
    setJob(null);
    setStarting(true);
    try {
      const first = await begin();
      setStarting(false);
      return await followJob(first, () => read(first.id), setJob, { signal: controller.signal });
    } catch (failure) {
      setError(describeError(failure));
      return null;
    } finally {
      setStarting(false);
    }
  }

  const busy = starting || (job !== null && !jobEnded(job));
  return { job, error, busy, start };
}
