'use client';

import { RenameDelete } from '@/components/rename-delete';
import { deleteRun, renameRun, whyRunNotDeletable } from '@/lib/domain/housekeeping';
import { getRun, runName } from '@/lib/domain/runs';
import { browserClient } from '@/lib/graphql/browser';
import { ApiError } from '@/lib/graphql/client';

/** Admins rename a run, or delete an ended one with its results (a queued or running one is cancelled first). */
export function RunHousekeeping({ id, name, datasetId }: { id: string; name: string; datasetId: string }) {
  return (
    <RenameDelete
      what="run"
      name={name}
      maxLength={200}
      rename={(next) => renameRun(browserClient, id, next)}
      describeDeletion={async () => {
        // Its state now, not the page's: the run may have ended, or started, since the page was drawn.
        const run = await getRun(browserClient, id);
        if (!run) throw new ApiError('This run no longer exists', 'NOT_FOUND');
        return {
          blocked: whyRunNotDeletable(run.status),
          consequence:
            `Deleting ${runName(run)} also deletes its ${run.resultCount.toLocaleString('en')} ` +
            'results, its evaluations, threshold, predictions and exports, and its checkpoints. Files no other run uses are ' +
            'removed. This cannot be undone.',
        };
      }}
      remove={() => deleteRun(browserClient, id)}
      afterDelete={`/runs?dataset=${datasetId}`}
    />
  );
}
