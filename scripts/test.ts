// `npm test` after set-up: a fresh test database (embedded unless DATABASE_URL is set), then every
// package's tests in one run of Node's test runner, so that one summary closes the output.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

import { exitOnError, openDatabase, portFromEnv } from '@vad/api';

const ROOT = path.resolve(__dirname, '..');
const TEST_ROOTS = ['native/test', 'models/test', 'api/test', 'web/test', 'test'];

function findTests(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  // A folder given on the command line stands for the tests under it.
  const files = (only.length > 0 ? only : TEST_ROOTS)
    .flatMap((entry) =>
      entry.endsWith('.test.ts') ? [path.resolve(ROOT, entry)] : findTests(path.resolve(ROOT, entry)),
    )
    .sort();
  if (files.length === 0) throw new Error('no test files found');

  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'postgres-test'),
    database: 'vad_test',
    url: process.env.DATABASE_URL,
    port: portFromEnv('VAD_DB_PORT'),
    fresh: true,
    log: (line) => console.log(`==> ${line}`),
  });
  let code = 1;
  try {
    code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...files], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: database.url, VAD_TEST: '1' },
      });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward).on('SIGTERM', forward);
      child.on('error', reject);
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
  } finally {
    await database.stop();
  }
  process.exit(code);
}

main().catch(exitOnError);
