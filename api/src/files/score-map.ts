/**
 * A float map (any map type: attention, residual, ssim...) as stored: "VADM", version 1, width and height (uint32 LE), then
 * width x height float32 LE, row-major. Raw values, not normalised: evaluation needs them exact.
 */
export interface ScoreMapData {
  width: number;
  height: number;
  data: Float32Array;
}

const MAGIC = 'VADM';
const HEADER_BYTES = 16;

export function encodeScoreMap(map: ScoreMapData): Buffer {
  if (map.data.length !== map.width * map.height) {
    throw new Error(
      `a ${map.width} x ${map.height} map needs ${map.width * map.height} values, got ${map.data.length}`,
    );
  }
  const buffer = Buffer.alloc(HEADER_BYTES + map.data.length * 4);
  buffer.write(MAGIC, 0, 'ascii');
  buffer.writeUInt32LE(1, 4);
  buffer.writeUInt32LE(map.width, 8);
  buffer.writeUInt32LE(map.height, 12);
  for (let i = 0; i < map.data.length; i++) buffer.writeFloatLE(map.data[i]!, HEADER_BYTES + i * 4);
  return buffer;
}

export function decodeScoreMap(bytes: Buffer): ScoreMapData {
  if (bytes.length < HEADER_BYTES || bytes.toString('ascii', 0, 4) !== MAGIC || bytes.readUInt32LE(4) !== 1) {
    throw new Error('not a stored score map');
  }
  const width = bytes.readUInt32LE(8);
  const height = bytes.readUInt32LE(12);
  if (bytes.length !== HEADER_BYTES + width * height * 4) throw new Error('score map file is truncated');
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(HEADER_BYTES + i * 4);
  return { width, height, data };
}
