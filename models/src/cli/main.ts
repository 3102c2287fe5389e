import { existsSync } from 'node:fs';

import { DatasetError } from '../datasets';
import { ConfigError } from '../options';
import { DataSpecError, parseDataSpec } from '../pipeline/data-spec';
import type { MetricSet } from '../pipeline/evaluate';
import { runEvaluate, runExplain, runFromSpec, runTrain } from '../run';
import { plural } from '../pipeline/train';
import type { Report } from '../report/report';
import { FLAG_OF_OPTION, parseCommandLine, UsageError } from './args';
import type { ParsedCommand } from './args';
import { commandHelp, generalHelp } from './help';
import { formatDuration, ProgressRenderer } from './progress';
import type { ProgressStream } from './progress';
import { predictMain } from './predict';
import { sweepMain } from './sweep';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, what shells report for a command stopped by Ctrl-C. */
export const EXIT_CANCELLED = 130;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

const METRIC_COLUMNS: readonly [keyof MetricSet, string][] = [
  ['imageAuroc', 'image AUROC'],
  ['pixelAuroc', 'pixel AUROC'],
  ['aupro', 'AUPRO@0.3'],
  ['f1Max', 'F1-max'],
  ['bestIou', 'best IoU'],
];

export function metricsTable(report: Report): string {
  const names = Object.keys(report.maps);
  const first = Math.max(3, ...names.map((name) => name.length));
  const header = ['map'.padEnd(first), ...METRIC_COLUMNS.map(([, label]) => label.padStart(11))].join('  ');
  const rows = names.map((name) =>
    [
      name.padEnd(first),
      ...METRIC_COLUMNS.map(([key]) => {
        const value = report.maps[name]![key];
        return (value === null ? 'n/a' : value.toFixed(3)).padStart(11);
      }),
    ].join('  '),
  );
  return [header, ...rows].join('\n');
}

function cancelledMessage(out: string, stage: string, command: string): string {
  const how =
    stage === 'train'
      ? `training stopped; the checkpoint is kept. Continue with: vad ${command} --out ${out} --resume`
      : `${stage} stopped. Rerun: vad ${command} --out ${out} --resume`;
  return `cancelled: ${how}\n`;
}

async function execute(parsed: ParsedCommand, io: CliIo, signal: AbortSignal): Promise<number> {
  const out = parsed.out!;
  const renderer = new ProgressRenderer(io.stderr);
  const hooks = { onProgress: (event: Parameters<ProgressRenderer['handle']>[0]) => renderer.handle(event), signal };
  const data = parsed.data === undefined ? {} : { data: parsed.data };
  try {
    switch (parsed.command) {
      case 'run': {
        const result = await runFromSpec({ ...data, out, resume: parsed.resume, options: parsed.options }, hooks);
        renderer.finish();
        if (result.status === 'cancelled') {
          io.stderr.write(cancelledMessage(out, result.stage, 'run'));
          return EXIT_CANCELLED;
        }
        io.stdout.write(`${metricsTable(result.report)}\n\n`);
        io.stdout.write(
          `trained in ${formatDuration(result.report.timings.trainSeconds)}, explained in ` +
            `${formatDuration(result.report.timings.explainSeconds)}; report: ${result.files.markdown}\n`,
        );
        return EXIT_OK;
      }
      case 'train': {
        const result = await runTrain({ ...data, out, resume: parsed.resume, options: parsed.options }, hooks);
        renderer.finish();
        if (result.cancelled) {
          io.stderr.write(cancelledMessage(out, 'train', 'train'));
          return EXIT_CANCELLED;
        }
        io.stdout.write(
          `trained ${plural(result.record.epochsCompleted, 'epoch')} in ${formatDuration(result.record.seconds)} ` +
            `(${result.imagesPerSecond.toFixed(1)} images/s)` +
            (result.record.bestEpoch === undefined
              ? ''
              : `, kept epoch ${result.record.bestEpoch} (lowest validation loss)`) +
            `; checkpoint: ${result.checkpoint}\n`,
        );
        return EXIT_OK;
      }
      case 'explain': {
        const result = await runExplain({ ...data, out, options: parsed.options }, hooks);
        renderer.finish();
        if (result.cancelled) {
          io.stderr.write(`cancelled: explain stopped; rerun vad explain --out ${out}\n`);
          return EXIT_CANCELLED;
        }
        io.stdout.write(
          `explained ${result.count} test images in ${formatDuration(result.seconds)} ` +
            `(${result.imagesPerSecond.toFixed(1)} images/s); maps: ${result.mapTypes.join(', ')}; TIFFs in ${result.mapsDir}\n`,
        );
        return EXIT_OK;
      }
      case 'evaluate': {
        const result = await runEvaluate({ ...data, out }, hooks);
        renderer.finish();
        io.stdout.write(`${metricsTable(result.report)}\n\nreport: ${result.files.markdown}\n`);
        return EXIT_OK;
      }
    }
  } catch (error) {
    renderer.finish();
    if (error instanceof Error && error.name === 'AbortError' && signal.aborted) {
      io.stderr.write(`cancelled: ${parsed.command} stopped\n`);
      return EXIT_CANCELLED;
    }
    throw error;
  }
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`vad: ${message}\nRun \`vad --help\` for usage.\n`);
  return EXIT_USAGE;
}

/**
 * The `vad` command line: returns the exit code (never calls process.exit). Ctrl-C aborts the run cleanly
 * (training stops within a step and keeps its checkpoint); a second Ctrl-C quits at once.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // The sweep and predict take their own flags (a grid file; a run folder and images), not the per-run ones.
  if (argv[0] === 'sweep' || argv[0] === 'predict') {
    const command = argv[0] === 'sweep' ? sweepMain : predictMain;
    const controller = new AbortController();
    const onInterrupt = (): void => controller.abort();
    process.once('SIGINT', onInterrupt);
    try {
      return await command(argv.slice(1), io, controller.signal);
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  }
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    throw error;
  }
  if (parsed.command === null) {
    io.stdout.write(`${generalHelp()}\n`);
    return EXIT_OK;
  }
  if (parsed.help) {
    io.stdout.write(`${commandHelp(parsed.command)}\n`);
    return EXIT_OK;
  }
  try {
    if (parsed.data !== undefined) {
      const spec = parseDataSpec(parsed.data);
      if (spec.kind === 'folder' && !existsSync(spec.path)) return usage(io, `--data: ${spec.path} does not exist`);
    }
  } catch (error) {
    if (error instanceof DataSpecError) return usage(io, `--data: ${error.message}`);
    throw error;
  }

  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) {
      io.stderr.write('\nvad: interrupted again, quitting now\n');
      process.exit(EXIT_CANCELLED);
    }
    io.stderr.write('\nvad: cancelling (finishing the current step; Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await execute(parsed, io, controller.signal);
  } catch (error) {
    if (error instanceof ConfigError) {
      const flag = FLAG_OF_OPTION[error.option] ?? error.option;
      return usage(io, `${flag}: ${error.message.slice(error.option.length + 2)}`);
    }
    // A dataset the readers reject is a bad --data: its message names the file or folder at fault.
    if (error instanceof DataSpecError || error instanceof DatasetError) return usage(io, `--data: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`vad: error: ${message}\n`);
    if (process.env.VAD_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_FAILED;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
