/**
 * A float32 map as a NumPy .npy file (format version 1.0), the form Python scripts load with `numpy.load`.
 * Written: little-endian float32 ('<f4'), C order, shape (height, width). Read: what this writes, for tests and
 * for maps that come back; other dtypes or orders are refused by name.
 */
import type { FloatImage } from './float-tiff';

const MAGIC = Buffer.from([0x93, ...Buffer.from('NUMPY')]);

export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

export function encodeNpy(image: FloatImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height) {
    throw new RangeError(`a ${width} x ${height} map needs ${width * height} values, got ${data.length}`);
  }
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${height}, ${width}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + data.length * 4);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i]!, 10 + header.length + i * 4);
  return out;
}

export function decodeNpy(bytes: Buffer): FloatImage {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw new NpyError('not a .npy file');
  if (bytes[6] !== 1) throw new NpyError(`.npy version ${bytes[6]}.${bytes[7]} is not read here (1.0 is)`);
  const length = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + length);
  if (!/'descr':\s*'<f4'/.test(header)) throw new NpyError(`only little-endian float32 is read, not ${header.trim()}`);
  if (!/'fortran_order':\s*False/.test(header)) throw new NpyError('only C-order arrays are read');
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw new NpyError(`only two-dimensional arrays are read, not ${header.trim()}`);
  const height = Number(shape[1]);
  const width = Number(shape[2]);
  const start = 10 + length;
  if (bytes.length !== start + width * height * 4) throw new NpyError('the .npy file is truncated');
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(start + i * 4);
  return { width, height, data };
}
