import sharp from 'sharp';

/** The loss of every epoch, training and (when normal images were held back) validation, as one line chart. */
export interface TrainingFigureInput {
  trainingLosses: readonly number[];
  validationLosses: readonly number[];
}

const WIDTH = 560;
const HEIGHT = 320;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 44 };
const COLOURS = { training: '#1f77b4', validation: '#ff7f0e' };

/** Ticks at round values spanning [low, high]. */
function ticks(low: number, high: number): number[] {
  const span = high - low || Math.abs(high) || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const nice = [1, 2, 5, 10].map((factor) => factor * step).find((candidate) => span / candidate <= 5)!;
  const first = Math.ceil(low / nice) * nice;
  return Array.from({ length: Math.floor((high - first) / nice) + 1 }, (_, i) => first + i * nice);
}

export function trainingSvg(input: TrainingFigureInput): string {
  const all = [...input.trainingLosses, ...input.validationLosses].filter(Number.isFinite);
  const epochs = Math.max(input.trainingLosses.length, input.validationLosses.length, 2);
  const low = Math.min(...all, 0);
  const high = Math.max(...all, 1e-9) * 1.05;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (epoch: number) => MARGIN.left + ((epoch - 1) / (epochs - 1)) * plotW;
  const y = (loss: number) => MARGIN.top + (1 - (loss - low) / (high - low)) * plotH;
  const parts = [
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#444"/>`,
    `<text x="${WIDTH / 2}" y="22" font-size="14" text-anchor="middle" font-weight="bold">Loss per epoch</text>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" font-size="12" text-anchor="middle">epoch</text>`,
  ];
  for (const tick of ticks(low, high)) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(tick)}" x2="${MARGIN.left + plotW}" y2="${y(tick)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" font-size="11" text-anchor="end">${+tick.toPrecision(3)}</text>`,
    );
  }
  for (const epoch of ticks(1, epochs).filter((value) => Number.isInteger(value))) {
    parts.push(
      `<text x="${x(epoch)}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${epoch}</text>`,
    );
  }
  const series = [
    { name: 'training', values: input.trainingLosses, colour: COLOURS.training },
    { name: 'validation (held-back normal images)', values: input.validationLosses, colour: COLOURS.validation },
  ].filter((entry) => entry.values.length > 0);
  series.forEach((entry, i) => {
    const points = entry.values.map((loss, epoch) => `${x(epoch + 1).toFixed(1)},${y(loss).toFixed(1)}`);
    const legendY = MARGIN.top + 16 + i * 18;
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${entry.colour}" stroke-width="2"/>`,
      `<line x1="${WIDTH - 250}" y1="${legendY}" x2="${WIDTH - 230}" y2="${legendY}" stroke="${entry.colour}" stroke-width="3"/>`,
      `<text x="${WIDTH - 224}" y="${legendY + 4}" font-size="12">${entry.name}</text>`,
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join('')}</svg>`
  );
}

export async function writeTrainingFigure(path: string, input: TrainingFigureInput): Promise<void> {
  await sharp(Buffer.from(trainingSvg(input)))
    .png()
    .toFile(path);
}
