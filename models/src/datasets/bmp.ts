import type { ChannelCount, RawImage } from './types';

/**
 * A decoder for uncompressed Windows BMP files (8-bit palette, 24-bit, 32-bit), because sharp/libvips does not
 * read BMP and BTAD ships its images as BMP. Errors are plain messages: callers add the file name.
 */

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const FILE_HEADER_SIZE = 14;

export interface BmpHeader {
  width: number;
  height: number;
  /** Rows are stored bottom-up unless the header's height is negative. */
  topDown: boolean;
  bitsPerPixel: 8 | 24 | 32;
  /** Grayscale when every palette entry has R = G = B; 24/32-bit files count as colour. */
  channels: ChannelCount;
  pixelOffset: number;
  rowStride: number;
  /** BGR triplets of the palette (8-bit files only). */
  palette: Uint8Array | null;
  /** Red, green, blue fields of a 32-bit BI_BITFIELDS file; null means the default B, G, R, x byte order. */
  bitfields: BitField[] | null;
}

export function isBmp(buffer: Uint8Array): boolean {
  return buffer.length >= 2 && buffer[0] === 0x42 && buffer[1] === 0x4d;
}

export function readBmpHeader(buffer: Uint8Array): BmpHeader {
  if (!isBmp(buffer)) throw new Error('not a BMP file (no "BM" signature)');
  if (buffer.length < FILE_HEADER_SIZE + 40) throw new Error(`truncated BMP: only ${buffer.length} bytes`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (dibSize < 40) throw new Error(`unsupported BMP header of ${dibSize} bytes (OS/2 bitmap); need 40 or more`);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const colorsUsed = view.getUint32(46, true);
  if (width <= 0 || rawHeight === 0) throw new Error(`invalid BMP size ${width} x ${rawHeight}`);
  if (bitsPerPixel !== 8 && bitsPerPixel !== 24 && bitsPerPixel !== 32) {
    throw new Error(`unsupported BMP bit depth ${bitsPerPixel} (supported: 8, 24, 32)`);
  }
  const bitfieldsAllowed = bitsPerPixel === 32 && (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS);
  if (compression !== BI_RGB && !bitfieldsAllowed) {
    throw new Error(`unsupported BMP compression ${compression} at ${bitsPerPixel} bits (only uncompressed is read)`);
  }

  let bitfields: BitField[] | null = null;
  if (bitfieldsAllowed) {
    // The masks follow a 40-byte header, or sit inside the V2+ headers at the same offset.
    if (buffer.length < FILE_HEADER_SIZE + 40 + 12) throw new Error('truncated BMP: missing bit masks');
    bitfields = [54, 58, 62].map((offset) => toBitField(view.getUint32(offset, true)));
  }

  let palette: Uint8Array | null = null;
  let channels: ChannelCount = 3;
  if (bitsPerPixel === 8) {
    const entries = colorsUsed === 0 ? 256 : colorsUsed;
    if (entries > 256) throw new Error(`BMP palette of ${entries} entries (at most 256 for 8 bits)`);
    const paletteStart = FILE_HEADER_SIZE + dibSize;
    if (paletteStart + entries * 4 > buffer.length) throw new Error('truncated BMP: palette cut short');
    palette = new Uint8Array(256 * 3);
    let gray = true;
    for (let i = 0; i < entries; i++) {
      const b = buffer[paletteStart + i * 4]!;
      const g = buffer[paletteStart + i * 4 + 1]!;
      const r = buffer[paletteStart + i * 4 + 2]!;
      palette[i * 3] = b;
      palette[i * 3 + 1] = g;
      palette[i * 3 + 2] = r;
      if (r !== g || g !== b) gray = false;
    }
    channels = gray ? 1 : 3;
  }

  const height = Math.abs(rawHeight);
  const rowStride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const needed = pixelOffset + rowStride * height;
  if (needed > buffer.length) {
    throw new Error(
      `truncated BMP: ${width} x ${height} at ${bitsPerPixel} bits needs ${needed} bytes, file has ${buffer.length}`,
    );
  }
  return { width, height, topDown: rawHeight < 0, bitsPerPixel, channels, pixelOffset, rowStride, palette, bitfields };
}

/** Decodes to interleaved gray or RGB; alpha (32-bit) is dropped. */
export function decodeBmp(buffer: Uint8Array): RawImage {
  const header = readBmpHeader(buffer);
  const { width, height, channels, bitsPerPixel, palette, bitfields } = header;
  const data = new Uint8Array(width * height * channels);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);

  for (let y = 0; y < height; y++) {
    const storedRow = header.topDown ? y : height - 1 - y;
    const rowStart = header.pixelOffset + storedRow * header.rowStride;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * channels;
      if (bitsPerPixel === 8) {
        const index = buffer[rowStart + x]!;
        if (channels === 1) {
          data[out] = palette![index * 3]!;
        } else {
          data[out] = palette![index * 3 + 2]!;
          data[out + 1] = palette![index * 3 + 1]!;
          data[out + 2] = palette![index * 3]!;
        }
      } else if (bitfields !== null) {
        const pixel = view.getUint32(rowStart + x * 4, true);
        for (let c = 0; c < 3; c++) data[out + c] = extractField(pixel, bitfields[c]!);
      } else {
        const at = rowStart + x * (bitsPerPixel / 8);
        data[out] = buffer[at + 2]!;
        data[out + 1] = buffer[at + 1]!;
        data[out + 2] = buffer[at]!;
      }
    }
  }
  return { width, height, channels, data };
}

export interface BitField {
  shift: number;
  /** Largest value of the field once shifted down, e.g. 255 for an 8-bit field. */
  max: number;
}

function toBitField(mask: number): BitField {
  if (mask === 0) throw new Error('BMP colour bit mask of zero');
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  if (max > 0xffff || (max & (max + 1)) !== 0) {
    throw new Error(`unsupported BMP colour bit mask 0x${mask.toString(16)} (must be contiguous, at most 16 bits)`);
  }
  return { shift, max };
}

/** Scales a field of any width to 0..255, so 10-bit or 5-bit fields come out as 8-bit values. */
function extractField(pixel: number, field: BitField): number {
  const value = (pixel >>> field.shift) & field.max;
  return field.max === 255 ? value : Math.round((value * 255) / field.max);
}
