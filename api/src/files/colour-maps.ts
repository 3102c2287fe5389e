import sharp from 'sharp';

// The one place the platform's colour maps live: the API colours maps with them, and serves each as a legend
// strip (/files/colour-maps/<name>.png) from which the web app colours levels itself.

type Stop = readonly [number, number, number];

// Inferno (the default) and viridis are readable in grey print and by colour-blind viewers; jet is what many
// inspection tools show; gray is the level itself; ice (blues to cyan) stays apart from the red of the mask editor's
// masks, which draws its attention hint in it.
const STOPS = {
  inferno: [
    [0, 0, 4],
    [31, 12, 72],
    [85, 15, 109],
    [136, 34, 106],
    [186, 54, 85],
    [227, 89, 51],
    [249, 140, 10],
    [249, 201, 50],
    [252, 255, 164],
  ],
  viridis: [
    [68, 1, 84],
    [72, 40, 120],
    [62, 74, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [109, 205, 89],
    [180, 222, 44],
    [253, 231, 37],
  ],
  jet: [
    [0, 0, 143],
    [0, 0, 255],
    [0, 127, 255],
    [0, 255, 255],
    [127, 255, 127],
    [255, 255, 0],
    [255, 127, 0],
    [255, 0, 0],
    [127, 0, 0],
  ],
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
  ice: [
    [4, 16, 48],
    [8, 48, 107],
    [8, 81, 156],
    [33, 113, 181],
    [30, 150, 210],
    [0, 190, 230],
    [0, 230, 255],
    [170, 250, 255],
  ],
} as const satisfies Record<string, readonly Stop[]>;

export type ColourMapName = keyof typeof STOPS;

/** The colour maps in the order a picker lists them; the first is the default. */
export const COLOUR_MAP_NAMES = Object.keys(STOPS) as ColourMapName[];

export const DEFAULT_COLOUR_MAP: ColourMapName = 'inferno';

/** Each colour map with its name for people and its legend's URL (see legendPng). */
export function colourMapList(): { name: ColourMapName; label: string; legendUrl: string }[] {
  return COLOUR_MAP_NAMES.map((name) => ({
    name,
    label: name[0]!.toUpperCase() + name.slice(1),
    legendUrl: `/files/colour-maps/${name}.png`,
  }));
}

export function isColourMapName(name: string): name is ColourMapName {
  return Object.hasOwn(STOPS, name);
}

/** A 256-entry RGB table interpolated between evenly spaced stops. */
function interpolate(stops: readonly Stop[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const position = (i / 255) * (stops.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, stops.length - 1);
    const t = position - low;
    for (let c = 0; c < 3; c++) {
      table[i * 3 + c] = Math.round(stops[low]![c]! * (1 - t) + stops[high]![c]! * t);
    }
  }
  return table;
}

const TABLES = new Map<ColourMapName, Uint8Array>(COLOUR_MAP_NAMES.map((name) => [name, interpolate(STOPS[name])]));

/** The colour of each level 0-255, as 256 RGB triples. */
export function colourTable(name: ColourMapName): Uint8Array {
  return TABLES.get(name)!;
}

/** The colour map as a 256 x 1 RGB PNG: pixel x is the colour of level x. */
export function legendPng(name: ColourMapName): Promise<Buffer> {
  return sharp(Buffer.from(colourTable(name)), { raw: { width: 256, height: 1, channels: 3 } })
    .png()
    .toBuffer();
}
