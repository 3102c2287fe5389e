import sharp from 'sharp';

import type { BinaryMask } from '../datasets';

/**
 * Rows of test images, each: original | reconstruction | attention overlay | ground truth. Cells are drawn as raw
 * RGB buffers at model resolution, scaled up with nearest neighbour so pixels stay visible, and captioned by SVG.
 */

export interface PanelRow {
  caption: string;
  channels: number;
  size: number;
  /** Planar C x size x size, 0-255: the image as the model saw it. */
  original: Uint8Array;
  /** Planar C x size x size, 0-255. */
  reconstruction: Uint8Array;
  /** size x size. */
  map: Float32Array;
  /** Ground truth at size x size (0/1); null when the image has none. */
  mask: BinaryMask | null;
}

export interface PanelsFigureInput {
  title: string;
  rows: PanelRow[];
  /** The map values drawn as the colour scale's ends, the same for every row so rows compare. */
  mapRange: { low: number; high: number };
}

export const PANEL_COLUMNS: readonly string[] = ['original', 'reconstruction', 'attention overlay', 'ground truth'];
const CELL = 160;
const GAP = 8;
const TITLE_HEIGHT = 56;
const CAPTION_HEIGHT = 22;

/** Control points of matplotlib's inferno colour map, interpolated linearly: dark = low, bright = high. */
const INFERNO: readonly [number, number, number][] = [
  [0, 0, 4],
  [40, 11, 84],
  [101, 21, 110],
  [159, 42, 99],
  [212, 72, 66],
  [245, 125, 21],
  [250, 193, 39],
  [252, 255, 164],
];

export function colourOf(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (INFERNO.length - 1);
  const i = Math.min(INFERNO.length - 2, Math.floor(x));
  const f = x - i;
  const a = INFERNO[i]!;
  const b = INFERNO[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

function planarToRgb(planar: Uint8Array, channels: number, size: number): Uint8Array {
  const plane = size * size;
  const rgb = new Uint8Array(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = planar[(channels === 1 ? 0 : c) * plane + p]!;
  }
  return rgb;
}

function overlay(row: PanelRow, range: PanelsFigureInput['mapRange']): Uint8Array {
  const base = planarToRgb(row.original, row.channels, row.size);
  const span = range.high - range.low || 1;
  for (let p = 0; p < row.map.length; p++) {
    const colour = colourOf((row.map[p]! - range.low) / span);
    // Half image, half colour: the defect stays visible under its attention.
    for (let c = 0; c < 3; c++) base[p * 3 + c] = Math.round(0.45 * base[p * 3 + c]! + 0.55 * colour[c]!);
  }
  return base;
}

function maskRgb(mask: BinaryMask | null, size: number): Uint8Array {
  const rgb = new Uint8Array(size * size * 3);
  if (mask === null) {
    // No ground truth: a grey cell, unlike the black of a known-clean mask.
    rgb.fill(96);
    return rgb;
  }
  for (let p = 0; p < size * size; p++) rgb.fill(mask.data[p] ? 255 : 0, p * 3, p * 3 + 3);
  return rgb;
}

async function cell(rgb: Uint8Array, size: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } })
    .resize(CELL, CELL, { kernel: 'nearest' })
    .png()
    .toBuffer();
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function writePanelsFigure(path: string, input: PanelsFigureInput): Promise<void> {
  const width = PANEL_COLUMNS.length * CELL + (PANEL_COLUMNS.length + 1) * GAP;
  const rowHeight = CAPTION_HEIGHT + CELL + GAP;
  const height = TITLE_HEIGHT + Math.max(1, input.rows.length) * rowHeight;
  const layers: sharp.OverlayOptions[] = [];
  const texts: string[] = [
    `<text x="${GAP}" y="22" font-size="16" font-weight="bold">${escapeXml(input.title)}</text>`,
    ...PANEL_COLUMNS.map(
      (name, c) =>
        `<text x="${GAP + c * (CELL + GAP) + CELL / 2}" y="48" font-size="13" text-anchor="middle">${name}</text>`,
    ),
  ];
  for (const [r, row] of input.rows.entries()) {
    const top = TITLE_HEIGHT + r * rowHeight;
    texts.push(`<text x="${GAP}" y="${top + 16}" font-size="12">${escapeXml(row.caption)}</text>`);
    const cells = [
      planarToRgb(row.original, row.channels, row.size),
      planarToRgb(row.reconstruction, row.channels, row.size),
      overlay(row, input.mapRange),
      maskRgb(row.mask, row.size),
    ];
    for (const [c, rgb] of cells.entries()) {
      layers.push({ input: await cell(rgb, row.size), left: GAP + c * (CELL + GAP), top: top + CAPTION_HEIGHT });
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `font-family="DejaVu Sans, sans-serif">${texts.join('')}</svg>`;
  layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(layers)
    .png()
    .toFile(path);
}
