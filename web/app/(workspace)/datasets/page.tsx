import type { Metadata } from 'next';
import Link from 'next/link';

import { DataTable, EmptyPanel, ErrorState, ProgressBar } from '@/components/ui';
import { listDatasets, maskCoverage } from '@/lib/domain/datasets';
import { parseDatasetListQuery } from '@/lib/domain/housekeeping';
import { count, dateTime, percent } from '@/lib/format';
import { load, requireSession } from '@/lib/server-data';
import { DatasetListControls } from './dataset-list-controls';
import { ImportDatasetPanel } from './import-panel';

export const metadata: Metadata = { title: 'Datasets' };

const LAYOUTS = { MVTEC: 'MVTec AD', PLAIN_FOLDER: 'Plain folder', UNLABELED_FOLDER: 'Unlabeled', EMPTY: 'Empty' };

export default async function DatasetsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = parseDatasetListQuery(await searchParams);
  const [session, datasets] = await Promise.all([requireSession(), load((client) => listDatasets(client, query))]);
  const admin = session.ok && session.value.can.admin;
  const searching = query.search !== '';
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Datasets</h1>
          <p>Image collections to train on, test on and annotate.</p>
        </div>
      </div>
      {admin ? <ImportDatasetPanel /> : null}
      <DatasetListControls query={query} shown={datasets.ok ? datasets.value.length : 0} />
      {!datasets.ok ? (
        <ErrorState message={datasets.message} />
      ) : datasets.value.length === 0 && searching ? (
        <EmptyPanel title="No dataset matches">
          <p>No dataset name contains “{query.search}”.</p>
        </EmptyPanel>
      ) : datasets.value.length === 0 ? (
        <EmptyPanel title="No datasets yet">
          <p>
            {admin
              ? 'Import one above: a folder on the server or a zip in MVTec AD or plain layout.'
              : 'An admin imports datasets; they will appear here.'}
          </p>
        </EmptyPanel>
      ) : (
        <DataTable testId="datasets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Layout</th>
              <th className="num">Images</th>
              <th className="num">Train</th>
              <th className="num">Test</th>
              <th className="num">Anomalous</th>
              <th>Defect types</th>
              <th>Mask coverage</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {datasets.value.map((dataset) => {
              const coverage = maskCoverage(dataset);
              return (
                <tr key={dataset.id}>
                  <td>
                    <Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>
                    {dataset.category !== dataset.name ? <div className="small muted">{dataset.category}</div> : null}
                  </td>
                  <td>{LAYOUTS[dataset.layout]}</td>
                  <td className="num">{count(dataset.counts.images)}</td>
                  <td className="num">{count(dataset.counts.train)}</td>
                  <td className="num">{count(dataset.counts.test)}</td>
                  <td className="num">{count(dataset.counts.anomalous)}</td>
                  <td className="small">{dataset.defectTypes.join(', ') || '—'}</td>
                  <td>
                    {coverage === null ? (
                      <span className="muted small">no anomalous images</span>
                    ) : (
                      <div
                        className="row"
                        title={`${dataset.anomalousWithMask.totalCount} of ${dataset.counts.anomalous} anomalous images have a mask`}
                      >
                        <ProgressBar value={coverage} label={`Mask coverage of ${dataset.name}`} />
                        <span className="small">{percent(coverage)}</span>
                      </div>
                    )}
                  </td>
                  <td className="small muted">{dateTime(dataset.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </DataTable>
      )}
    </>
  );
}
