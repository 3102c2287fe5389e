// The Python PyTorch reference (reference.py) as a child process, for the benchmark and for the test that
// the engine's U-Net computes what PyTorch's modules compute.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

import type { AnomalyModel, ImageArray } from '../lib';

/** Debian's Python with python3-torch (the same LibTorch 1.13 library); the `python3` first on PATH has no torch. */
export const PYTHON = '/usr/bin/python3';

export interface TrainAnswer {
  seconds: number;
  /** The loss of each step. */
  losses: number[];
}

export interface CamAnswer {
  seconds: number;
  scores: number[];
  losses: number[];
}

export class PythonReference {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #failure: Error | undefined;

  /** env: the environment of the Python process (the OpenMP settings in it matter for timings). */
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.#process = spawn(PYTHON, [path.join(__dirname, 'reference.py')], { env, stdio: 'pipe' });
    this.#process.on('error', (error) => (this.#failure = error));
    // A write after Python died fails here; the next read then reports it.
    this.#process.stdin.on('error', (error) => (this.#failure ??= error));
    this.#process.stderr.pipe(process.stderr);
    this.#lines = readline.createInterface({ input: this.#process.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Builds the same U-Net in PyTorch with the engine model's weights (loaded by module name, every name and
   * shape must match) and `images`; throws if the parameter counts differ. Returns Python's CPU thread count.
   */
  async load(model: AnomalyModel, images: ImageArray, scratch: string): Promise<{ threads: number }> {
    const { channels, imageSize, depth, baseChannels, batchNorm, skips, dropTopSkips, loss } = model.config;
    if (!batchNorm || !skips || dropTopSkips !== 0 || loss !== 'mse') {
      throw new RangeError('reference.py builds the default U-Net only: batch norm, all skips, MSE loss');
    }
    const checkpoint = path.join(scratch, `reference-${imageSize}.ckpt`);
    const data = path.join(scratch, `reference-${imageSize}.u8`);
    model.save(checkpoint);
    fs.writeFileSync(data, images.data);
    const loaded = await this.#request<{ parameters: number; threads: number }>({
      op: 'load',
      checkpoint,
      data,
      count: images.shape[0],
      channels,
      size: imageSize,
      depth,
      base: baseChannels,
    });
    if (loaded.parameters !== model.parameterCount) {
      throw new Error(`parameter counts differ: engine ${model.parameterCount}, PyTorch ${loaded.parameters}`);
    }
    return { threads: loaded.threads };
  }

  /** One epoch over the loaded images with a fresh Adam, in the engine's batch order for `seed`. */
  train(batch: number, seed: number, learningRate: number): Promise<TrainAnswer> {
    return this.#request({ op: 'train', batch, seed, learningRate });
  }

  /** Grad-CAM of the per-image MSE loss at enc1 (abs), score = max, for the first `count` images. */
  gradcam(batch: number, count: number): Promise<CamAnswer> {
    return this.#request({ op: 'gradcam', batch, count });
  }

  /** GFLOP/s of the fastest of `repeats` float32 n x n matrix products. */
  async matmulGflops(n: number, repeats: number): Promise<number> {
    return (await this.#request<{ gflops: number }>({ op: 'matmul', n, repeats })).gflops;
  }

  close(): void {
    this.#process.stdin.end();
  }

  async #request<T>(request: Record<string, unknown>): Promise<T> {
    this.#process.stdin.write(JSON.stringify(request) + '\n');
    const line = await this.#lines.next();
    if (line.done) {
      const reason = this.#failure ? `: ${this.#failure.message}` : ' (is python3-torch installed?)';
      throw new Error(`${PYTHON} bench/reference.py stopped${reason}`);
    }
    const answer = JSON.parse(line.value) as T & { error?: string };
    if (answer.error) throw new Error(`reference.py ${String(request.op)}: ${answer.error}`);
    return answer;
  }
}
