import type { Metadata } from 'next';
import Link from 'next/link';

import { ErrorState, ProgressBar, Stat } from '@/components/ui';
import { getDataset, imagePage, imageQueryToSearch, maskCoverage, parseImageQuery } from '@/lib/domain/datasets';
import { count, dateTime, percent } from '@/lib/format';
import { found, load, requireSession } from '@/lib/server-data';
import { AssignmentPanel } from './assignment-panel';
import { DatasetHousekeeping } from './dataset-housekeeping';
import { ImageFilters } from './image-filters';
import { ImageGrid } from './image-grid';
import { MaskTransferPanel } from './mask-transfer-panel';

export const metadata: Metadata = { title: 'Dataset' };

export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const query = parseImageQuery(search);
  const [session, dataset, firstPage] = await Promise.all([
    requireSession(),
    load((client) => getDataset(client, id)),
    load((client) => imagePage(client, id, query, null)),
  ]);
  if (!dataset.ok) return <ErrorState message={dataset.message} />;
  const value = found(dataset.value);
  const coverage = maskCoverage(value);
  const admin = session.ok && session.value.can.admin;
  const filterKey = imageQueryToSearch(query).toString();
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/datasets">Datasets</Link> /
          </div>
          <h1>{value.name}</h1>
          <p>
            {value.description || value.category} · {value.channels === 1 ? 'grayscale' : 'colour'} · imported{' '}
            {dateTime(value.createdAt)}
            {value.createdBy ? ` by ${value.createdBy.name}` : ''}
          </p>
        </div>
        <div className="row">
          <Link className="button" href={`/runs?dataset=${value.id}`}>
            Runs
          </Link>
          {admin ? (
            <Link className="button primary" href={`/runs/new?dataset=${value.id}`}>
              Launch a run
            </Link>
          ) : null}
          {admin ? <DatasetHousekeeping id={value.id} name={value.name} /> : null}
        </div>
      </div>
      <div className="panel stat-row">
        <Stat label="Images" value={count(value.counts.images)} />
        <Stat label="Train" value={count(value.counts.train)} />
        <Stat label="Test" value={count(value.counts.test)} />
        <Stat label="Normal" value={count(value.counts.normal)} />
        <Stat label="Anomalous" value={count(value.counts.anomalous)} />
        <Stat label="Unlabeled" value={count(value.counts.unlabeled)} />
        <div className="stat" style={{ minWidth: 180 }}>
          <span className="value">{percent(coverage)}</span>
          <span className="label">Anomalous with a mask</span>
          {coverage !== null ? <ProgressBar value={coverage} label="Mask coverage" /> : null}
        </div>
      </div>
      {value.warnings.length > 0 ? (
        <details className="notice warn" style={{ marginBottom: '1rem' }}>
          <summary>
            {value.warnings.length} import warning{value.warnings.length > 1 ? 's' : ''}
          </summary>
          <ul>
            {value.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {admin ? <MaskTransferPanel dataset={{ id: value.id, name: value.name }} /> : null}
      {admin ? <AssignmentPanel datasetId={value.id} defectTypes={value.defectTypes} /> : null}
      <ImageFilters query={query} defectTypes={value.defectTypes} />
      {!firstPage.ok ? (
        <ErrorState message={firstPage.message} />
      ) : (
        <ImageGrid key={filterKey} datasetId={value.id} query={query} initial={firstPage.value} />
      )}
    </>
  );
}
