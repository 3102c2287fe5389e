// `npm run soak`: the long load of issue 12, which the README's "Security and operations" quotes: 60 s of results
// pages and mask saves at concurrency 20 with the worker idle, then 60 s while it trains a run, side by side.
// Options: --seconds <n>, --concurrency <n>, --preset TINY|SMALL|BASE, --json (the figures as JSON).
// The platform runs on scratch folders and free ports; set VAD_TRAIN_THREADS or VAD_WORKER_NICE to compare.
import { parseArgs } from 'node:util';

import { exitOnError } from '@vad/api';

import { formatReport, measureLoad } from '../test/load/platform-load';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '20' },
      preset: { type: 'string', default: 'TINY' },
      json: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const preset = values.preset.toUpperCase();
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error(`--seconds must be a whole number of seconds, got ${values.seconds}`);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`--concurrency must be a positive integer, got ${values.concurrency}`);
  if (preset !== 'TINY' && preset !== 'SMALL' && preset !== 'BASE')
    throw new Error(`--preset must be TINY, SMALL or BASE, got ${values.preset}`);
  const report = await measureLoad({
    seconds,
    concurrency,
    preset,
    log: (line) => console.log(`==> ${line}`),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : `\n${formatReport(report)}`);
  const errors = report.idle.errors.count + report.training.errors.count;
  if (errors > 0) {
    console.error(`${errors} request(s) failed (CONFLICT answers are not counted as failures)`);
    process.exit(1);
  }
}

main().catch(exitOnError);
