import sharp from 'sharp';

import type { CurveSet } from '../pipeline/evaluate';

/** ROC (image and pixel level) and PRO curves of one map type, drawn as SVG and rendered to PNG by sharp. */

const PLOT = 300;
const MARGIN = { left: 56, right: 16, top: 36, bottom: 48 };
const PANEL_WIDTH = MARGIN.left + PLOT + MARGIN.right;
const PANEL_HEIGHT = MARGIN.top + PLOT + MARGIN.bottom;
const COLOURS = { image: '#1f77b4', pixel: '#ff7f0e', pro: '#2ca02c' };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, colour: string, offsetX: number): string {
  const points: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = offsetX + MARGIN.left + Math.min(1, Math.max(0, xs[i]!)) * PLOT;
    const y = MARGIN.top + (1 - Math.min(1, Math.max(0, ys[i]!))) * PLOT;
    points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return `<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`;
}

function axes(offsetX: number, title: string, xLabel: string, yLabel: string): string {
  const left = offsetX + MARGIN.left;
  const parts = [`<rect x="${left}" y="${MARGIN.top}" width="${PLOT}" height="${PLOT}" fill="none" stroke="#444"/>`];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const x = left + tick * PLOT;
    const y = MARGIN.top + (1 - tick) * PLOT;
    parts.push(
      `<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + PLOT}" stroke="#ddd"/>`,
      `<line x1="${left}" y1="${y}" x2="${left + PLOT}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${x}" y="${MARGIN.top + PLOT + 16}" font-size="11" text-anchor="middle">${tick}</text>`,
      `<text x="${left - 6}" y="${y + 4}" font-size="11" text-anchor="end">${tick}</text>`,
    );
  }
  parts.push(
    `<text x="${left + PLOT / 2}" y="22" font-size="14" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${left + PLOT / 2}" y="${MARGIN.top + PLOT + 36}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="${offsetX + 16}" y="${MARGIN.top + PLOT / 2}" font-size="12" text-anchor="middle" ` +
      `transform="rotate(-90 ${offsetX + 16} ${MARGIN.top + PLOT / 2})">${escapeXml(yLabel)}</text>`,
  );
  return parts.join('');
}

function legend(offsetX: number, entries: { colour: string; text: string }[]): string {
  const left = offsetX + MARGIN.left + PLOT - 170;
  return entries
    .map((entry, i) => {
      const y = MARGIN.top + PLOT - 16 - (entries.length - 1 - i) * 18;
      return (
        `<rect x="${left}" y="${y - 9}" width="168" height="16" fill="white" opacity="0.85"/>` +
        `<line x1="${left + 4}" y1="${y}" x2="${left + 24}" y2="${y}" stroke="${entry.colour}" stroke-width="3"/>` +
        `<text x="${left + 30}" y="${y + 4}" font-size="12">${escapeXml(entry.text)}</text>`
      );
    })
    .join('');
}

function formatMetric(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

export interface CurvesFigureInput {
  mapType: string;
  curves: CurveSet;
  imageAuroc: number | null;
  pixelAuroc: number | null;
  aupro: number | null;
  /** The FPR limit of the AUPRO (0.3), drawn as a line on the PRO panel. */
  maxFpr: number;
}

export function curvesSvg(input: CurvesFigureInput): string {
  const { curves } = input;
  const roc: string[] = [axes(0, `ROC: ${input.mapType}`, 'false positive rate', 'true positive rate')];
  roc.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + PLOT}" x2="${MARGIN.left + PLOT}" y2="${MARGIN.top}" ` +
      'stroke="#999" stroke-dasharray="4 4"/>',
  );
  const rocLegend: { colour: string; text: string }[] = [];
  if (curves.imageRoc !== null) {
    roc.push(polyline(curves.imageRoc.fpr, curves.imageRoc.tpr, COLOURS.image, 0));
    rocLegend.push({ colour: COLOURS.image, text: `image AUROC ${formatMetric(input.imageAuroc)}` });
  }
  if (curves.pixelRoc !== null) {
    roc.push(polyline(curves.pixelRoc.fpr, curves.pixelRoc.tpr, COLOURS.pixel, 0));
    rocLegend.push({ colour: COLOURS.pixel, text: `pixel AUROC ${formatMetric(input.pixelAuroc)}` });
  }
  if (rocLegend.length === 0)
    roc.push(`<text x="${MARGIN.left + 20}" y="${MARGIN.top + 30}" font-size="12">no curve: one class only</text>`);
  roc.push(legend(0, rocLegend));

  const pro: string[] = [axes(PANEL_WIDTH, `PRO: ${input.mapType}`, 'false positive rate', 'per-region overlap')];
  if (curves.pro !== null) {
    const limitX = PANEL_WIDTH + MARGIN.left + input.maxFpr * PLOT;
    pro.push(
      `<line x1="${limitX}" y1="${MARGIN.top}" x2="${limitX}" y2="${MARGIN.top + PLOT}" stroke="#999" stroke-dasharray="4 4"/>`,
      polyline(curves.pro.fpr, curves.pro.pro, COLOURS.pro, PANEL_WIDTH),
      legend(PANEL_WIDTH, [{ colour: COLOURS.pro, text: `AUPRO@${input.maxFpr} ${formatMetric(input.aupro)}` }]),
    );
  } else {
    pro.push(
      `<text x="${PANEL_WIDTH + MARGIN.left + 20}" y="${MARGIN.top + 30}" font-size="12">no pixel ground truth</text>`,
    );
  }

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * PANEL_WIDTH}" height="${PANEL_HEIGHT}" ` +
    `font-family="DejaVu Sans, sans-serif"><rect width="100%" height="100%" fill="white"/>` +
    `${roc.join('')}${pro.join('')}</svg>`
  );
}

export async function writeCurvesFigure(path: string, input: CurvesFigureInput): Promise<void> {
  await sharp(Buffer.from(curvesSvg(input)))
    .png()
    .toFile(path);
}
