import type { Metadata } from 'next';
import Link from 'next/link';

import { EmptyState, ErrorState } from '../../../../components/ui';
import { workerDevices } from '../../../../lib/domain/housekeeping';
import { getRun, launchChoices, launchFormFromRun, runName } from '../../../../lib/domain/runs';
import { load, requireSession } from '../../../../lib/server-data';
import { LaunchForm } from './launch-form';

export const metadata: Metadata = { title: 'Launch a run' };

export default async function NewRunPage({
  searchParams,
}: {
  searchParams: Promise<{ dataset?: string; from?: string }>;
}) {
  const { dataset, from } = await searchParams;
  const [session, choices, devices, past] = await Promise.all([
    requireSession(),
    load(launchChoices),
    load(workerDevices),
    // "Launch again" from a run's page: its options fill the form.
    typeof from === 'string' ? load((client) => getRun(client, from)) : null,
  ]);
  if (past && !past.ok) return <ErrorState message={past.message} />;
  const again = past?.ok ? past.value : null;
  if (session.ok && !session.value.can.admin) {
    return (
      <ErrorState title="Admins only" message="Runs are launched by admins. You can follow them on the Runs page." />
    );
  }
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/runs">Runs</Link> /
          </div>
          <h1>Launch a run</h1>
          <p>
            A worker trains the model, computes the attention maps and evaluates them. Empty fields use the preset.
            {again ? (
              <>
                {' '}
                The fields hold the options of <Link href={`/runs/${again.id}`}>{runName(again)}</Link>.
              </>
            ) : null}
          </p>
        </div>
      </div>
      {!choices.ok ? (
        <ErrorState message={choices.message} />
      ) : choices.value.presets.length === 0 ? (
        <ErrorState message="The API offers no preset to start a run from." />
      ) : choices.value.datasets.length === 0 ? (
        <div className="panel">
          <EmptyState title="No dataset to train on">
            <p>
              <Link href="/datasets">Import a dataset</Link> first.
            </p>
          </EmptyState>
        </div>
      ) : (
        <LaunchForm
          datasets={choices.value.datasets}
          presets={choices.value.presets}
          options={choices.value.options}
          initialDatasetId={typeof dataset === 'string' ? dataset : ''}
          initialForm={again ? launchFormFromRun(again) : null}
          devices={devices.ok ? devices.value : []}
        />
      )}
    </>
  );
}
