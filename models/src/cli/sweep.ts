import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { DatasetError } from '../datasets';
import { ConfigError } from '../options';
import { DataSpecError, parseDataSpec } from '../pipeline/data-spec';
import { GridError, parseGrid } from '../sweep/grid';
import type { Grid } from '../sweep/grid';
import { runSweep } from '../sweep/run-sweep';
import type { SweepOptions } from '../sweep/run-sweep';
import { SORT_METRICS, sweepPaths } from '../sweep/sweep-file';
import type { SortMetric } from '../sweep/sweep-file';

export const SWEEP_HELP = `vad sweep --data <source> --grid <file> --out <dir> [options]

Runs a grid of configurations (grid file: JSON, see models/experiments/grids/) on one dataset: the data is
loaded once, each training variant trained once, and every map variant of it (Grad-CAM layer, sign and
target; smoothing; per-pixel normalisation over held-back normal training images; attention combined with the
residual) measured from the same model. The test images are split, seeded and stratified by defect type, into a
selection half and a report half; both are reported. Finished configurations are skipped when it runs again.

  --data <source>          as for vad run (a dataset folder or fashion-mnist:<class>[:<variant>])
  --grid <file>            the grid (JSON)
  --out <dir>              sweep.json, sweep.md (the tables) and trainings/<name>/ (checkpoints)
  --budget-minutes <m>     training time of each training: it stops at the end of the epoch that passes it and
                           keeps its best epoch, as vad run --minutes. A grid training that asks for more minutes
                           is refused before anything trains. Default: 10
  --sort <metric>          order of the tables, by the selection half: ${SORT_METRICS.join(', ')}. Default: pixelAuroc
  -h, --help               this help`;

interface SweepIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function usage(io: SweepIo, message: string): number {
  io.stderr.write(`vad sweep: ${message}\nRun \`vad sweep --help\` for usage.\n`);
  return 2;
}

/** `vad sweep`: returns the exit code (0 done, 1 failed, 2 bad arguments, 130 cancelled). */
export async function sweepMain(argv: readonly string[], io: SweepIo, signal?: AbortSignal): Promise<number> {
  const parsed = await parseSweepArgs(argv);
  if (parsed === 'help') {
    io.stdout.write(`${SWEEP_HELP}\n`);
    return 0;
  }
  if (typeof parsed === 'string') return usage(io, parsed);
  try {
    await runSweep({
      ...parsed,
      log: (line) => io.stderr.write(`${line}\n`),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    return failure(io, error, signal);
  }
  io.stdout.write(`tables: ${sweepPaths(parsed.out).markdown}\n`);
  return 0;
}

type SweepArgs = Omit<SweepOptions, 'log' | 'signal'>;

/** The sweep's options, 'help', or the message of the first bad argument. */
async function parseSweepArgs(argv: readonly string[]): Promise<SweepArgs | 'help' | string> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        data: { type: 'string' },
        grid: { type: 'string' },
        out: { type: 'string' },
        'budget-minutes': { type: 'string', default: '10' },
        sort: { type: 'string', default: 'pixelAuroc' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help === true) return 'help';
  for (const flag of ['data', 'grid', 'out'] as const)
    if (typeof values[flag] !== 'string') return `--${flag} is required`;
  const budgetMinutes = Number(values['budget-minutes']);
  if (!(budgetMinutes > 0)) return `--budget-minutes: must be a number > 0, got ${values['budget-minutes']}`;
  const sort = values.sort as SortMetric;
  if (!SORT_METRICS.includes(sort)) return `--sort: must be one of ${SORT_METRICS.join(', ')}, got ${sort}`;
  const gridPath = values.grid as string;
  if (!existsSync(gridPath)) return `--grid: ${gridPath} does not exist`;
  let grid: Grid;
  try {
    grid = parseGrid(JSON.parse(await readFile(gridPath, 'utf8')));
  } catch (error) {
    return `--grid: ${gridPath}: ${(error as Error).message}`;
  }
  const data = values.data as string;
  try {
    const spec = parseDataSpec(data);
    if (spec.kind === 'folder' && !existsSync(spec.path)) return `--data: ${spec.path} does not exist`;
  } catch (error) {
    if (error instanceof DataSpecError) return `--data: ${error.message}`;
    throw error;
  }
  return { data, grid, out: values.out as string, budgetMinutes, sort };
}

/** The exit code of a sweep that threw: cancelled, bad data or grid (named), or another failure. */
function failure(io: SweepIo, error: unknown, signal: AbortSignal | undefined): number {
  if (error instanceof Error && error.name === 'AbortError' && signal?.aborted === true) {
    io.stderr.write(`cancelled: finished configurations are kept; rerun the same command to continue\n`);
    return 130;
  }
  if (error instanceof DataSpecError || error instanceof DatasetError) return usage(io, `--data: ${error.message}`);
  if (error instanceof ConfigError || error instanceof GridError || error instanceof RangeError)
    return usage(io, `--grid: ${error.message}`);
  io.stderr.write(`vad sweep: error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
