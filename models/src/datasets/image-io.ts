import { readFile } from 'node:fs/promises';

import sharp from 'sharp';

import { decodeBmp, isBmp, readBmpHeader } from './bmp';
import { DatasetError, describeSource } from './types';
import type { BinaryMask, ChannelCount, ImageSource, RawImage } from './types';

/**
 * Every image, file or in-memory, is decoded here, so that all datasets share one conversion path (colour
 * handling, resizing, error messages that name the file).
 */

export interface ImageInfo {
  width: number;
  height: number;
  channels: ChannelCount;
}

/** What the image holds once alpha is dropped: gray (with or without alpha) is 1, anything else 3. */
function colourChannels(channels: number, hasAlpha: boolean): ChannelCount {
  return channels - (hasAlpha ? 1 : 0) === 1 ? 1 : 3;
}

async function readSourceFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new DatasetError(`cannot read image file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, path);
  }
}

/** libvips repeats its messages line by line: keep each distinct line once. */
function decodeFailure(source: ImageSource, error: unknown): DatasetError {
  const message = error instanceof Error ? error.message : String(error);
  const lines = [
    ...new Set(
      message
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    ),
  ];
  return new DatasetError(
    `cannot decode image (unreadable, truncated or not an image): ${lines.join('; ')}`,
    describeSource(source),
  );
}

function rawInput(image: RawImage, name: string): sharp.Sharp {
  const expected = image.width * image.height * image.channels;
  if (image.data.length !== expected) {
    throw new DatasetError(
      `${image.width} x ${image.height} x ${image.channels} image holds ${image.data.length} bytes, expected ${expected}`,
      name,
    );
  }
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

interface OpenedImage {
  image: sharp.Sharp;
  channels: ChannelCount;
}

/** Opens a source for sharp; BMP files are decoded by our decoder first and handed over as raw pixels. */
async function openSource(source: ImageSource): Promise<OpenedImage> {
  if (source.kind === 'memory') return { image: rawInput(source.image, source.name), channels: source.image.channels };
  const bytes = await readSourceFile(source.path);
  if (isBmp(bytes)) {
    let decoded: RawImage;
    try {
      decoded = decodeBmp(bytes);
    } catch (error) {
      throw new DatasetError((error as Error).message, source.path);
    }
    return { image: rawInput(decoded, source.path), channels: decoded.channels };
  }
  // failOn 'truncated': a cut-off file is an error, not a grey bottom half; benign warnings (such as
  // libpng's about known-incorrect sRGB profiles) do not reject a good image.
  const image = sharp(bytes, { failOn: 'truncated' });
  try {
    const metadata = await image.metadata();
    return { image, channels: colourChannels(metadata.channels, metadata.hasAlpha) };
  } catch (error) {
    throw decodeFailure(source, error);
  }
}

/** Size and colour from the header alone (for files), without decoding the pixels. */
export async function readImageInfo(source: ImageSource): Promise<ImageInfo> {
  if (source.kind === 'memory') {
    const { width, height, channels } = source.image;
    return { width, height, channels };
  }
  const bytes = await readSourceFile(source.path);
  if (isBmp(bytes)) {
    try {
      const { width, height, channels } = readBmpHeader(bytes);
      return { width, height, channels };
    } catch (error) {
      throw new DatasetError((error as Error).message, source.path);
    }
  }
  try {
    const metadata = await sharp(bytes, { failOn: 'truncated' }).metadata();
    return {
      width: metadata.width,
      height: metadata.height,
      channels: colourChannels(metadata.channels, metadata.hasAlpha),
    };
  } catch (error) {
    throw decodeFailure(source, error);
  }
}

export interface DecodeOptions {
  /** Output channels; defaults to the image's own (gray 1, colour 3). */
  channels?: ChannelCount;
  /** Output size, resized with fit 'fill' (aspect ratio not kept: models take a fixed square). */
  width?: number;
  height?: number;
}

/** Decodes to interleaved 8-bit pixels, optionally converted to `channels` and resized. */
export async function decodeImage(source: ImageSource, options: DecodeOptions = {}): Promise<RawImage> {
  const opened = await openSource(source);
  let image = opened.image;
  const channels = options.channels ?? opened.channels;
  try {
    if (options.width !== undefined || options.height !== undefined) {
      if (options.width === undefined || options.height === undefined)
        throw new Error('resize needs both width and height');
      image = image.resize(options.width, options.height, { fit: 'fill' });
    }
    // sharp converts to sRGB on output unless told otherwise, so the colour space is always named.
    const { data, info } = await image
      .removeAlpha()
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) throw new Error(`decoder produced ${info.channels} channels, expected ${channels}`);
    return {
      width: info.width,
      height: info.height,
      channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw decodeFailure(source, error);
  }
}

/**
 * A mask image as a binary mask at its own resolution. A pixel is defective when its brightest channel is
 * at least 128, so 0/255 masks (MVTec), JPEG-compressed masks and coloured masks all work; masks stored as
 * 0/1 labels (brightest value 1) are recognised as such. An all-zero mask is valid: it marks no pixels.
 */
export async function decodeMask(source: ImageSource): Promise<BinaryMask> {
  const decoded = await decodeImage(source);
  const pixels = decoded.width * decoded.height;
  const brightest = new Uint8Array(pixels);
  let maxValue = 0;
  for (let i = 0; i < pixels; i++) {
    let value = 0;
    for (let c = 0; c < decoded.channels; c++) value = Math.max(value, decoded.data[i * decoded.channels + c]!);
    brightest[i] = value;
    if (value > maxValue) maxValue = value;
  }
  const threshold = maxValue === 1 ? 1 : 128;
  const data = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) data[i] = brightest[i]! >= threshold ? 1 : 0;
  return { width: decoded.width, height: decoded.height, data };
}
