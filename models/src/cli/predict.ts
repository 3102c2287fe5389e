import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { DeviceRequest } from '@vad/native';

import { DatasetError } from '../datasets';
import { ConfigError } from '../options';
import { CheckpointError } from '../pipeline/train';
import { predictFolder } from '../predict/predict';
import { formatDuration, ProgressRenderer } from './progress';
import type { ProgressStream } from './progress';

export const PREDICT_HELP = `vad predict --model <run dir> --data <folder> [--out <folder>] [--device auto|cpu|cuda]

Scores every image under a folder (subfolders too; PNG, JPEG, BMP, TIFF) with the trained model of a finished
run, exactly as the run scored its test images (same resizing, maps, smoothing and score): an image of the run's
test set gets the score the run gave it.

  --model <run dir>        the --out folder of a finished vad run or vad train (config.json, checkpoints/model.pt)
  --data <folder>          the images to score
  --out <folder>           where the results go; default <run dir>/predictions/<name of the data folder>. A
                           folder that holds predictions already (scores.csv) is refused.
  --device <device>        auto, cpu or cuda; default the run's own
  -h, --help               this help

Writes in --out:
  scores.csv                        image, width, height, score (the attention map's), anomalous (score at or above
                                    the run's image F1-max threshold from report.json; empty without a report),
                                    then score_<map type> for every map type of the run
  maps/<map type>/<image>.tiff      every map of each image at the image's own resolution, float32 TIFF (raw values,
  maps/<map type>/<image>.npy       as vad run's maps/ and the API's raw maps), the same as NumPy .npy, and as a grey
  maps/<map type>/<image>.png       PNG (levels on the range of the run's test-set maps, so they compare with them)`;

interface PredictIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

const DEVICES: readonly DeviceRequest[] = ['auto', 'cpu', 'cuda'];

function usage(io: PredictIo, message: string): number {
  io.stderr.write(`vad predict: ${message}\nRun \`vad predict --help\` for usage.\n`);
  return 2;
}

/** `vad predict`: returns the exit code (0 done, 1 failed, 2 bad arguments or data, 130 cancelled). */
export async function predictMain(argv: readonly string[], io: PredictIo, signal?: AbortSignal): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        device: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    return usage(io, (error as Error).message.split('. To specify')[0]!);
  }
  if (values.help === true) {
    io.stdout.write(`${PREDICT_HELP}\n`);
    return 0;
  }
  for (const flag of ['model', 'data'] as const)
    if (typeof values[flag] !== 'string' || values[flag] === '')
      return usage(io, `--${flag} is required (${flag === 'model' ? 'a run folder' : 'a folder of images'})`);
  const model = values.model as string;
  const data = values.data as string;
  if (!existsSync(model)) return usage(io, `--model: ${model} does not exist`);
  if (!existsSync(data) || !statSync(data).isDirectory()) return usage(io, `--data: ${data} is not a folder`);
  const device = values.device as DeviceRequest | undefined;
  if (device !== undefined && !DEVICES.includes(device))
    return usage(io, `--device: expected one of ${DEVICES.join(', ')}, got "${device}"`);

  const renderer = new ProgressRenderer(io.stderr);
  try {
    const result = await predictFolder(
      {
        model,
        data,
        ...(typeof values.out === 'string' ? { out: values.out } : {}),
        ...(device ? { device } : {}),
      },
      { onProgress: (event) => renderer.handle(event), ...(signal ? { signal } : {}) },
    );
    renderer.finish();
    const anomalous = result.images.filter((image) => image.anomalous === true).length;
    const verdicts =
      result.threshold === null
        ? 'no threshold (the run has no report)'
        : `${anomalous} at or above the run's threshold ${result.threshold.toPrecision(4)}`;
    io.stdout.write(
      `scored ${result.images.length} images in ${formatDuration(result.seconds)} (${verdicts}); ` +
        `maps: ${result.mapTypes.join(', ')}; scores: ${result.out}/scores.csv\n`,
    );
    return 0;
  } catch (error) {
    renderer.finish();
    if (error instanceof Error && error.name === 'AbortError' && signal?.aborted === true) {
      io.stderr.write('cancelled: vad predict stopped (scores.csv is written only when every image is scored)\n');
      return 130;
    }
    if (error instanceof DatasetError) return usage(io, `--data: ${error.message}`);
    if (error instanceof CheckpointError) return usage(io, `--model: ${error.message}`);
    if (error instanceof ConfigError)
      return usage(io, `--${error.option}: ${error.message.slice(error.option.length + 2)}`);
    io.stderr.write(`vad predict: error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
