// `npm run test:unit`: the fast tier, for the edit-test loop. The tests that need no database, no browser and no
// model training (readers, metrics, maps, options, the CLI's parsing, the web's pure functions), in under a
// minute; `npm test` runs them again with everything else.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Folders whose every test is fast and self-contained. */
const UNIT_FOLDERS = [
  'models/test/datasets',
  'models/test/io',
  'models/test/maps',
  'models/test/metrics',
  'models/test/options',
  'models/test/pipeline',
  'web/test/lib',
];
/** Single files of folders that also hold slow tests. */
const UNIT_FILES = [
  'models/test/cli/args.test.ts',
  'models/test/cli/progress.test.ts',
  'models/test/sweep/grid.test.ts',
  'models/test/sweep/transforms.test.ts',
  'native/test/losses.test.ts',
  'native/test/metrics.test.ts',
  'native/test/metrics-aupro.test.ts',
  'native/test/metrics-errors.test.ts',
  'test/folder-cycles.test.ts',
];

function testsUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testsUnder(relative);
    return entry.name.endsWith('.test.ts') ? [relative] : [];
  });
}

const files = [...UNIT_FOLDERS.flatMap(testsUnder), ...UNIT_FILES].sort();
// Both cores: the files are independent, and most of their time is decoding and native work.
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: ROOT,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
