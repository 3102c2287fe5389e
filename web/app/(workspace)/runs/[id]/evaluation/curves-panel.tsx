import { LineChart } from '@/components/charts';
import { ErrorState } from '@/components/ui';
import { evaluationCurves, points } from '@/lib/domain/evaluations';
import type { MapType } from '@/lib/domain/results';
import { load } from '@/lib/server-data';
import { CurveChoice } from './evaluation-controls';

/** The ROC and PRO curves of one map type, over all defects or one (fetched here, for the choice in the URL). */
export async function CurvesPanel({
  evaluationId,
  mapTypes,
  mapType,
  defectTypes,
  defectType,
}: {
  evaluationId: string;
  mapTypes: MapType[];
  mapType: MapType;
  defectTypes: string[];
  defectType: string | null;
}) {
  const curves = await load((client) => evaluationCurves(client, evaluationId, mapType, defectType));
  const of = `the ${mapType} map${defectType ? ` on ${defectType}` : ''}`;
  return (
    <section className="panel">
      <div className="row">
        <h2 style={{ margin: 0 }}>Curves</h2>
        <span className="spacer" />
        <CurveChoice mapTypes={mapTypes} mapType={mapType} defectTypes={defectTypes} defectType={defectType} />
      </div>
      {!curves.ok ? (
        <ErrorState message={curves.message} />
      ) : !curves.value ? (
        <p className="muted">No curves for this choice.</p>
      ) : (
        <div className="grid-2" style={{ marginTop: '0.75rem' }}>
          <LineChart
            title={`ROC of ${of}`}
            series={[
              { name: 'Image-level', color: '#2d5bd7', points: points(curves.value.imageRoc) },
              { name: 'Pixel-level', color: '#d7682d', points: points(curves.value.pixelRoc) },
            ]}
            xLabel="False positive rate"
            yLabel="True positive rate"
            xDomain={[0, 1]}
            yDomain={[0, 1]}
            diagonal
            testId="roc-chart"
          />
          <LineChart
            title={`PRO curve of ${of}`}
            series={[{ name: 'PRO', color: '#1f8a4c', points: points(curves.value.pro) }]}
            xLabel="False positive rate (AUPRO integrates up to 0.3)"
            yLabel="Per-region overlap"
            xDomain={[0, 0.3]}
            yDomain={[0, 1]}
            testId="pro-chart"
          />
        </div>
      )}
    </section>
  );
}
