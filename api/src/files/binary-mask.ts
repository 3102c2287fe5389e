/**
 * Decoded mask pixels (interleaved channels, transparency already flattened onto black) as the binary mask they
 * mean: a pixel is defective when its brightest channel is at least 128, so white, red or any light stroke
 * counts, or 1 in a mask drawn with 0 and 1.
 */
export function binaryMask(data: Uint8Array, channels: number, pixels: number): Uint8Array {
  const brightest = new Uint8Array(pixels);
  let maxValue = 0;
  for (let i = 0; i < pixels; i++) {
    let value = 0;
    for (let c = 0; c < channels; c++) value = Math.max(value, data[i * channels + c]!);
    brightest[i] = value;
    if (value > maxValue) maxValue = value;
  }
  const threshold = maxValue === 1 ? 1 : 128;
  for (let i = 0; i < pixels; i++) brightest[i] = brightest[i]! >= threshold ? 1 : 0;
  return brightest;
}
