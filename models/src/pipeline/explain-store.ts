import { endianness } from 'node:os';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { PipelineConfig } from './config';
import { readJsonFile, writeJsonFile } from './json-file';

/**
 * The explain step's output at model resolution, for evaluate and the report: explain/index.json, one
 * explain/<mapType>.f32 per map (float32, little-endian, image after image) and explain/reconstructions.u8.
 */

export interface ExplainedSample {
  id: string;
  defectType: string;
  label: 'normal' | 'anomalous';
  /** Original resolution, where evaluation happens. */
  width: number;
  height: number;
  /** The model's reconstruction loss for the image. */
  loss: number;
  /** The image score of every map type (config.explain.score of the map). */
  scores: Record<string, number>;
}

export interface ExplainIndex {
  version: 1;
  imageSize: number;
  channels: number;
  mapTypes: string[];
  /** The explain settings that made these maps. */
  explain: PipelineConfig['explain'];
  /** Wall time of the whole step (decoding, model, files) and test images per second of it. */
  seconds: number;
  imagesPerSecond: number;
  device: string;
  samples: ExplainedSample[];
}

export interface ExplainStore {
  index: ExplainIndex;
  /** Per map type: count x imageSize x imageSize. */
  maps: Record<string, Float32Array>;
  /** count x channels x imageSize x imageSize, 0-255. */
  reconstructions: Uint8Array;
}

const INDEX_FILE = 'index.json';
const RECONSTRUCTIONS_FILE = 'reconstructions.u8';

function checkByteOrder(): void {
  // The .f32 files are the arrays' bytes as they are in memory.
  if (endianness() !== 'LE') throw new Error('the explain store is little-endian; this machine is big-endian');
}

function mapFile(dir: string, mapType: string): string {
  return join(dir, `${mapType}.f32`);
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

export async function writeExplainStore(dir: string, store: ExplainStore): Promise<void> {
  checkByteOrder();
  await mkdir(dir, { recursive: true });
  for (const mapType of store.index.mapTypes) {
    const map = store.maps[mapType];
    if (map === undefined) throw new Error(`explain store: no values for map ${mapType}`);
    await writeAtomically(mapFile(dir, mapType), new Uint8Array(map.buffer, map.byteOffset, map.byteLength));
  }
  await writeAtomically(join(dir, RECONSTRUCTIONS_FILE), store.reconstructions);
  // The index last: its presence says the arrays beside it are complete.
  await writeJsonFile(join(dir, INDEX_FILE), store.index);
}

export async function readExplainStore(dir: string): Promise<ExplainStore> {
  checkByteOrder();
  const index = await readJsonFile<ExplainIndex>(join(dir, INDEX_FILE), 'explain output', 'run explain first');
  if (index.version !== 1) throw new Error(`${join(dir, INDEX_FILE)}: unknown explain store version ${index.version}`);
  const plane = index.imageSize * index.imageSize;
  const count = index.samples.length;
  const maps: Record<string, Float32Array> = {};
  for (const mapType of index.mapTypes) {
    const path = mapFile(dir, mapType);
    const bytes = await readFile(path);
    if (bytes.length !== count * plane * 4)
      throw new Error(
        `${path}: holds ${bytes.length} bytes, ${count} maps of ${plane} floats need ${count * plane * 4}`,
      );
    // Copied into a fresh buffer: a file's bytes need not be 4-byte aligned.
    maps[mapType] = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  const reconstructionsPath = join(dir, RECONSTRUCTIONS_FILE);
  const reconstructions = new Uint8Array(await readFile(reconstructionsPath));
  if (reconstructions.length !== count * index.channels * plane)
    throw new Error(
      `${reconstructionsPath}: holds ${reconstructions.length} bytes, expected ${count * index.channels * plane}`,
    );
  return { index, maps, reconstructions };
}
