// `npm start` after set-up: the supervisor of the platform. It starts the database (embedded unless DATABASE_URL
// is set), applies the migrations, then keeps the API, a worker and the web app running (scripts/lib/supervisor.ts:
// one that dies is started again; so is the embedded database, scripts/lib/database-watch.ts). SIGINT (Ctrl-C),
// SIGTERM or SIGHUP to it or to its process group, or the end of the npm process that started it, stops the
// children first and the database last; a second signal kills the children at once. A start after a crash stops
// what the dead one left running.
import path from 'node:path';

import { exitOnError, openDatabase, portFromEnv } from '@vad/api';
import type { Database } from '@vad/api/src/db';

import { platformPaths, platformPorts, startPlatform } from './lib/platform';
import { watchDatabase, type DatabaseWatch } from './lib/database-watch';
import { assertNotRunning, stopOrphans, Supervisor } from './lib/supervisor';

const ROOT = path.resolve(__dirname, '..');
const EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

async function main(): Promise<void> {
  const log = (line: string) => console.log(`==> ${line}`);
  const paths = platformPaths(ROOT);
  // A running supervisor first (its ports are taken, but that is not the news), then what a dead one left.
  assertNotRunning(paths.stateFile);
  await stopOrphans(paths.stateFile, log);
  await platformPorts(ROOT);
  const dbPort = portFromEnv('VAD_DB_PORT');

  const supervisor = new Supervisor(paths.stateFile, (line) => console.log(`[supervisor] ${line}`));
  let database: Database | undefined = undefined;
  let opening: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let watch: DatabaseWatch | undefined;
  const stop = (code: number, why: string) => {
    if (stopping) {
      console.log(`\n==> ${why} again: killing the children without waiting`);
      void supervisor.stop({ force: true });
      return;
    }
    console.log(`\n==> ${why}: stopping`);
    stopping = (async () => {
      // A database being started is stopped once it has started; children are stopped first, the database last.
      watch?.stop();
      await opening.catch(() => {});
      await watch?.restarting?.catch(() => {});
      await supervisor.stop();
      await database?.stop();
      process.exit(code);
    })();
  };
  for (const signal of Object.keys(EXIT_CODES) as NodeJS.Signals[]) {
    process.on(signal, () => stop(EXIT_CODES[signal] ?? 1, signal));
  }
  // npm passes no signal on to its script (SIGTERM to npm ends npm alone): its death is the signal.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop(143, `the process that started npm start (${parent}) is gone`);
  }, 1_000).unref();

  const open = (port: number | undefined) =>
    openDatabase({ dataDir: paths.databaseDir, database: 'vad', url: process.env.DATABASE_URL, port, log });
  const opened = open(dbPort);
  opening = opened;
  database = await opened;
  if (stopping) return;
  let platform;
  try {
    platform = await startPlatform(ROOT, database.url, supervisor, log);
  } catch (error) {
    if (stopping) return;
    await supervisor.stop({ force: true });
    await database.stop();
    throw error;
  }
  if (stopping) return;
  if (database.embedded) {
    // The embedded server is restarted if it dies, on its port (scripts/lib/database-watch.ts).
    const port = Number(new URL(database.url).port);
    watch = watchDatabase({
      dataDir: paths.databaseDir,
      port,
      start: async () => {
        database = await open(port);
      },
      restarted: () => supervisor.restartAll('the database was restarted'),
      giveUp: (why) => {
        console.log(`[supervisor] ${why}`);
        stop(1, 'giving up (exit code 1, for an outer supervisor such as systemd or Docker to start npm start again)');
      },
      isStopping: () => stopping !== undefined,
      log: (line) => console.log(`[supervisor] ${line}`),
    });
  }

  console.log('');
  console.log(`  Platform ready: ${platform.webUrl ?? `${platform.apiUrl}/graphql (the web app is not built yet)`}`);
  console.log(`  GraphQL API:    ${platform.apiUrl}/graphql`);
  console.log(
    `  Sign in as:     ${platform.admin.email} / ${platform.admin.password}` +
      (platform.admin.demo ? '  (demo account; set VAD_ADMIN_EMAIL and VAD_ADMIN_PASSWORD to choose your own)' : ''),
  );
  console.log(
    `  Database:       ${database.embedded ? `embedded PostgreSQL, data in ${paths.databaseDir}` : 'DATABASE_URL'}`,
  );
  // The embedded server's port is kept across starts: workers started by hand on this machine can keep this URL.
  if (database.embedded) console.log(`  More workers:   DATABASE_URL=${database.url} npm run worker -w api`);
  console.log('  Ctrl-C stops everything. A worker or an API that dies is started again.');
}

main().catch(exitOnError);
