import { ErrorState } from '@/components/ui';
import { listRuns, runName } from '@/lib/domain/runs';
import { load } from '@/lib/server-data';
import { RunPicker } from './run-picker';

/** The dataset's runs to choose from, read after the compared runs (it streams in beside them). */
export async function RunChoices({ datasetId, selected }: { datasetId: string; selected: string[] }) {
  const choices = await load((client) => listRuns(client, datasetId));
  if (!choices.ok) return <ErrorState title="The dataset's runs could not be listed" message={choices.message} />;
  return (
    <RunPicker
      runs={choices.value.runs.map((run) => ({
        id: run.id,
        label: runName(run),
        status: run.status,
        createdAt: run.createdAt,
      }))}
      selected={selected}
    />
  );
}
