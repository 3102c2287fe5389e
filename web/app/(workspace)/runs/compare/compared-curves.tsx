import { LineChart, type Series } from '@/components/charts';
import { ErrorState } from '@/components/ui';
import { comparedCurves, RUN_COLOURS } from '@/lib/domain/compare';
import { points } from '@/lib/domain/evaluations';
import type { MapType } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
import { CurveChoice } from '../[id]/evaluation/evaluation-controls';

type Curves = Awaited<ReturnType<typeof comparedCurves>>[number];

/** One series per run that has this curve. */
function seriesOf(
  curves: Curves[],
  labels: string[],
  pick: (curves: NonNullable<Curves>) => { x: number[]; y: number[] } | null,
): Series[] {
  return curves.flatMap((entry, index) => {
    const curve = entry ? pick(entry) : null;
    return curve ? [{ name: labels[index]!, color: RUN_COLOURS[index]!, points: points(curve) }] : [];
  });
}

/** Each run's ROC and PRO curves of one map, overlaid (the evaluation page's charts, one series per run). */
export async function ComparedCurves({
  runIds,
  labels,
  mapTypes,
  mapType,
  defectTypes,
  defectType,
}: {
  runIds: string[];
  labels: string[];
  mapTypes: MapType[];
  mapType: MapType;
  defectTypes: string[];
  defectType: string | null;
}) {
  const curves = await load((client) => comparedCurves(client, runIds, mapType, defectType));
  const of = `the ${mapType} map${defectType ? ` on ${defectType}` : ''}`;
  const missing = curves.ok ? labels.filter((_, index) => !curves.value[index]) : [];
  return (
    <section className="panel" data-testid="compare-curves">
      <div className="row">
        <h2 style={{ margin: 0 }}>Curves</h2>
        <span className="spacer" />
        <CurveChoice mapTypes={mapTypes} mapType={mapType} defectTypes={defectTypes} defectType={defectType} />
      </div>
      {!curves.ok ? (
        <ErrorState message={curves.message} />
      ) : (
        <>
          {missing.length > 0 ? (
            <p className="muted small">
              No curves of {of} for {missing.join(', ')} (no succeeded evaluation of it).
            </p>
          ) : null}
          <div className="compare-charts" style={{ marginTop: '0.75rem' }}>
            <LineChart
              title={`Image-level ROC of ${of}`}
              series={seriesOf(curves.value, labels, (entry) => entry.imageRoc)}
              xLabel="False positive rate"
              yLabel="True positive rate"
              xDomain={[0, 1]}
              yDomain={[0, 1]}
              diagonal
              testId="compare-image-roc"
            />
            <LineChart
              title={`Pixel-level ROC of ${of}`}
              series={seriesOf(curves.value, labels, (entry) => entry.pixelRoc)}
              xLabel="False positive rate"
              yLabel="True positive rate"
              xDomain={[0, 1]}
              yDomain={[0, 1]}
              diagonal
              testId="compare-pixel-roc"
            />
            <LineChart
              title={`PRO curve of ${of}`}
              series={seriesOf(curves.value, labels, (entry) => entry.pro)}
              xLabel="False positive rate (AUPRO integrates up to 0.3)"
              yLabel="Per-region overlap"
              xDomain={[0, 0.3]}
              yDomain={[0, 1]}
              testId="compare-pro"
            />
          </div>
        </>
      )}
    </section>
  );
}
