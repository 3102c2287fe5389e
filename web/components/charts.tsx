// Small SVG charts (no chart library): line charts for losses and ROC/PRO curves, and overlaid histograms.
import { extent, histogram, niceTicks } from '@/lib/chart-math';

const WIDTH = 460;
const HEIGHT = 280;
const MARGIN = { top: 14, right: 16, bottom: 42, left: 54 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

export interface Series {
  name: string;
  color: string;
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
}

function tickText(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000 || abs < 0.001) return value.toExponential(0);
  return String(Number(value.toPrecision(3)));
}

function Axes({
  x,
  y,
  xLabel,
  yLabel,
}: {
  x: { ticks: number[]; scale: (value: number) => number };
  y: { ticks: number[]; scale: (value: number) => number };
  xLabel: string;
  yLabel: string;
}) {
  return (
    <g>
      {y.ticks.map((tick) => (
        <g key={`y${tick}`}>
          <line className="grid" x1={MARGIN.left} x2={MARGIN.left + PLOT_W} y1={y.scale(tick)} y2={y.scale(tick)} />
          <text x={MARGIN.left - 6} y={y.scale(tick) + 4} textAnchor="end">
            {tickText(tick)}
          </text>
        </g>
      ))}
      {x.ticks.map((tick) => (
        <text key={`x${tick}`} x={x.scale(tick)} y={MARGIN.top + PLOT_H + 16} textAnchor="middle">
          {tickText(tick)}
        </text>
      ))}
      <line
        className="axis"
        x1={MARGIN.left}
        x2={MARGIN.left + PLOT_W}
        y1={MARGIN.top + PLOT_H}
        y2={MARGIN.top + PLOT_H}
      />
      <line className="axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={MARGIN.top + PLOT_H} />
      <text x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle">
        {xLabel}
      </text>
      <text transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`} textAnchor="middle">
        {yLabel}
      </text>
    </g>
  );
}

function linear(domain: readonly [number, number], range: readonly [number, number]) {
  const span = domain[1] - domain[0] || 1;
  return (value: number) => range[0] + ((value - domain[0]) / span) * (range[1] - range[0]);
}

export function LineChart({
  title,
  series,
  xLabel,
  yLabel,
  xDomain,
  yDomain,
  diagonal = false,
  testId,
}: {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Draws y = x (the chance line of a ROC curve). */
  diagonal?: boolean;
  testId?: string;
}) {
  const xs = series.flatMap((entry) => entry.points.map((point) => point[0]));
  const ys = series.flatMap((entry) => entry.points.map((point) => point[1]));
  const xTicks = niceTicks(...(xDomain ?? extent(xs, [0, 1])), 6);
  const yTicks = niceTicks(...(yDomain ?? extent(ys, [0, 1])), 5);
  const xRange: [number, number] = xDomain ?? [xTicks[0]!, xTicks.at(-1)!];
  const yRange: [number, number] = yDomain ?? [yTicks[0]!, yTicks.at(-1)!];
  const x = linear(xRange, [MARGIN.left, MARGIN.left + PLOT_W]);
  const y = linear(yRange, [MARGIN.top + PLOT_H, MARGIN.top]);
  const inside = (point: readonly [number, number]) =>
    point[0] >= xRange[0] - 1e-9 && point[0] <= xRange[1] + 1e-9 && Number.isFinite(point[1]);
  return (
    <figure className="chart-box" style={{ margin: 0 }} data-testid={testId}>
      <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} width="100%">
        <title>{title}</title>
        <Axes x={{ ticks: xTicks, scale: x }} y={{ ticks: yTicks, scale: y }} xLabel={xLabel} yLabel={yLabel} />
        {diagonal ? (
          <line
            x1={x(xRange[0])}
            y1={y(xRange[0])}
            x2={x(Math.min(xRange[1], yRange[1]))}
            y2={y(Math.min(xRange[1], yRange[1]))}
            stroke="#c3c9d2"
            strokeDasharray="4 4"
          />
        ) : null}
        {series.map((entry) => {
          const points = entry.points.filter(inside);
          if (points.length === 0) return null;
          const path = points.map(
            (point, index) => `${index ? 'L' : 'M'}${x(point[0]).toFixed(1)},${y(point[1]).toFixed(1)}`,
          );
          return (
            <g key={entry.name}>
              <path
                d={path.join('')}
                fill="none"
                stroke={entry.color}
                strokeWidth={2}
                strokeDasharray={entry.dashed ? '5 4' : undefined}
              />
              {points.length === 1 ? (
                <circle cx={x(points[0]![0])} cy={y(points[0]![1])} r={3} fill={entry.color} />
              ) : null}
            </g>
          );
        })}
      </svg>
      {series.length > 1 ? <Legend series={series} /> : null}
    </figure>
  );
}

function Legend({ series }: { series: { name: string; color: string }[] }) {
  return (
    <figcaption className="legend">
      {series.map((entry) => (
        <span key={entry.name}>
          <span className="swatch" style={{ background: entry.color }} />
          {entry.name}
        </span>
      ))}
    </figcaption>
  );
}

export function Histogram({
  title,
  groups,
  bins = 20,
  xLabel,
  testId,
}: {
  title: string;
  groups: { name: string; color: string; values: number[] }[];
  bins?: number;
  xLabel: string;
  testId?: string;
}) {
  const all = groups.flatMap((group) => group.values);
  const [low, high] = extent(all, [0, 1]);
  const counted = groups.map((group) => ({ ...group, counts: histogram(group.values, low, high, bins) }));
  const maxCount = Math.max(1, ...counted.flatMap((group) => group.counts));
  const xTicks = niceTicks(low, high, 6).filter((tick) => tick >= low && tick <= high);
  const yTicks = niceTicks(0, maxCount, 4).filter((tick) => Number.isInteger(tick));
  const yTop = Math.max(maxCount, yTicks.at(-1) ?? maxCount);
  const x = linear([low, high], [MARGIN.left, MARGIN.left + PLOT_W]);
  const y = linear([0, yTop], [MARGIN.top + PLOT_H, MARGIN.top]);
  const binWidth = PLOT_W / bins;
  return (
    <figure className="chart-box" style={{ margin: 0 }} data-testid={testId}>
      <svg className="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} width="100%">
        <title>{title}</title>
        <Axes x={{ ticks: xTicks, scale: x }} y={{ ticks: yTicks, scale: y }} xLabel={xLabel} yLabel="Images" />
        {counted.map((group) =>
          group.counts.map((value, bin) =>
            value > 0 ? (
              <rect
                key={`${group.name}-${bin}`}
                x={MARGIN.left + bin * binWidth + 1}
                width={Math.max(1, binWidth - 2)}
                y={y(value)}
                height={MARGIN.top + PLOT_H - y(value)}
                fill={group.color}
                fillOpacity={0.55}
                stroke={group.color}
              >
                <title>{`${group.name}: ${value}`}</title>
              </rect>
            ) : null,
          ),
        )}
      </svg>
      <Legend series={groups} />
    </figure>
  );
}
