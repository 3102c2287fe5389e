import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';

import { EmptyPanel, ErrorState, Skeleton } from '@/components/ui';
import {
  comparedMapTypes,
  comparedRuns,
  metricsByDefect,
  metricsByMap,
  parseRunIds,
  runLabels,
  settingRows,
  whyNotComparable,
} from '@/lib/domain/compare';
import { DEFAULT_MAP, pickMapType } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
import { ComparedCurves } from './compared-curves';
import { ImageChoice } from './image-choice';
import { MapsAcrossRuns } from './maps-across-runs';
import { MetricComparison } from './metric-comparison';
import { RunChoices } from './run-choices';
import { SettingsTable } from './settings-table';

import '../../../styles/compare.css';

export const metadata: Metadata = { title: 'Compare runs' };

type Search = { runs?: string | string[]; dataset?: string; map?: string; defect?: string; image?: string };

/**
 * Runs of one dataset side by side: settings (differences highlighted), metrics per map and per defect type (the
 * best of each row marked), ROC and PRO curves overlaid, and one image's maps across the runs, zoomed together.
 * The settings and metrics come in one request; curves, the image list and the maps stream in after them.
 */
export default async function ComparePage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const ids = parseRunIds(search.runs);
  const runs = await load((client) => comparedRuns(client, ids));
  if (!runs.ok) return <ErrorState message={runs.message} />;
  const compared = runs.value;
  const datasetId = compared[0]?.dataset.id ?? (typeof search.dataset === 'string' ? search.dataset : undefined);
  const problem = whyNotComparable(ids, compared);
  const labels = runLabels(compared);
  const mapTypes = comparedMapTypes(compared);
  const mapType = pickMapType(mapTypes, search.map) ?? DEFAULT_MAP;
  const defectTypes = compared[0]?.dataset.defectTypes ?? [];
  const defectType = search.defect && defectTypes.includes(search.defect) ? search.defect : null;
  const ready = !problem && compared.length >= 2;
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href={datasetId ? `/runs?dataset=${datasetId}` : '/runs'}>Runs</Link> /
            {compared[0] ? (
              <>
                {' '}
                <Link href={`/datasets/${compared[0].dataset.id}`}>{compared[0].dataset.name}</Link> /
              </>
            ) : null}
          </div>
          <h1>Compare runs</h1>
          <p>
            Runs of one dataset side by side, each with its latest evaluation: what differs in their settings, which
            scores best, and how they read the same image.
          </p>
        </div>
      </div>
      {datasetId ? (
        <Suspense fallback={<Skeleton height={96} />}>
          <RunChoices datasetId={datasetId} selected={ids} />
        </Suspense>
      ) : null}
      {problem ? (
        <ErrorState title="These runs cannot be compared" message={problem} />
      ) : !ready ? (
        <EmptyPanel title="Choose the runs to compare">
          <p>
            {datasetId ? (
              'Tick two or more succeeded runs of this dataset above, then Compare.'
            ) : (
              <>
                Open a dataset&apos;s runs (<Link href="/datasets">Datasets</Link>, then Runs) and tick two or more.
              </>
            )}
          </p>
        </EmptyPanel>
      ) : (
        <>
          <SettingsTable
            runs={compared.map((run, index) => ({ id: run.id, label: labels[index]! }))}
            rows={settingRows(compared)}
          />
          <MetricComparison
            title="Metrics by map type"
            testId="compare-by-map"
            labels={labels}
            groups={metricsByMap(compared)}
            empty="None of these runs has a succeeded evaluation yet."
          />
          <Suspense fallback={<Skeleton height={320} />}>
            <ComparedCurves
              runIds={compared.map((run) => run.id)}
              labels={labels}
              mapTypes={mapTypes}
              mapType={mapType}
              defectTypes={defectTypes}
              defectType={defectType}
            />
          </Suspense>
          <MetricComparison
            title={`Metrics of the ${mapType} map by defect type`}
            testId="compare-by-defect"
            labels={labels}
            groups={metricsByDefect(compared, mapType, defectTypes)}
            empty="The dataset has no defect types."
          />
          <section className="panel" data-testid="compare-images">
            <h2>The same image across runs</h2>
            <Suspense fallback={<Skeleton height={40} />}>
              <ImageChoice runIds={compared.map((run) => run.id)} labels={labels} imageId={search.image} />
            </Suspense>
            {search.image ? (
              <Suspense key={search.image} fallback={<Skeleton height={260} />}>
                <MapsAcrossRuns
                  runIds={compared.map((run) => run.id)}
                  labels={labels}
                  imageId={search.image}
                  mapType={mapType}
                />
              </Suspense>
            ) : (
              <p className="muted">Choose an image to see each run&apos;s maps of it, zoomed and panned together.</p>
            )}
          </section>
        </>
      )}
    </>
  );
}
