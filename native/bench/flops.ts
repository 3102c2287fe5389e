// The arithmetic of the benchmark's U-Net, to set its training speed against the machine's matrix-product peak.

/** Forward FLOPs of the U-Net's convolutions for one image: 2 * Cin * Cout * k * k * Hout * Wout each. */
export function forwardFlops(size: number, channels: number, depth: number, base: number): number {
  const width = (level: number): number => base * 2 ** (level - 1);
  const conv = (cin: number, cout: number, k: number, side: number): number => 2 * cin * cout * k * k * side * side;
  const block = (cin: number, cout: number, side: number): number =>
    conv(cin, cout, 3, side) + conv(cout, cout, 3, side);
  let flops = 0;
  let side = size;
  let previous = channels;
  for (let level = 1; level <= depth; level++) {
    flops += block(previous, width(level), side);
    previous = width(level);
    side /= 2;
  }
  flops += block(previous, width(depth + 1), side);
  for (let level = depth; level >= 1; level--) {
    // 2x2 stride-2 transposed convolution: every input pixel meets the 2x2 kernel once.
    flops += conv(width(level + 1), width(level), 2, side);
    side *= 2;
    flops += block(2 * width(level), width(level), side);
  }
  return flops + conv(width(1), channels, 1, size);
}
