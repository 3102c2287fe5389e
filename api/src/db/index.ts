// PostgreSQL, all of it: starting a server (database.ts; the embedded one in embedded.ts), migrations (migrate.ts),
// health (health.ts), the Prisma client for writes and cold reads (client.ts, pg-adapter.ts) and the hot reads in
// hand-written SQL (reads.ts).
import { createFreshDatabase, startDatabase, type Database } from './database';
import { checkDatabaseHealth, type DatabaseHealth } from './health';
import { migrate } from './migrate';

export { createPrismaClient } from './client';
export { freePort, isPortFree, type Database } from './database';
export { EnvironmentError, exitOnError } from './errors';
export { checkDatabaseHealth, type DatabaseHealth } from './health';

export interface OpenDatabaseOptions {
  /** Folder of the embedded cluster, used when `url` is absent. */
  dataDir: string;
  /** Database name on the embedded cluster, or the fresh database made beside `url`'s when `fresh` is set. */
  database: string;
  /** External server (DATABASE_URL); nothing is started when set. */
  url?: string;
  /** Fixed port for the embedded server (VAD_DB_PORT). */
  port?: number;
  /** Drop and recreate the database first (test runs). */
  fresh?: boolean;
  log?: (line: string) => void;
}

export interface OpenDatabase extends Database {
  health: DatabaseHealth;
}

/** Starts or reaches PostgreSQL, applies the migrations and checks the result: what every entry point needs. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenDatabase> {
  const log = options.log ?? (() => {});
  const server = await startDatabase({
    dataDir: options.dataDir,
    database: options.database,
    ...(options.url ? { url: options.url } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    log,
  });
  try {
    const url = options.fresh ? await createFreshDatabase(server.url, options.database) : server.url;
    await migrate(url, log);
    const health = await checkDatabaseHealth(url);
    if (!health.ok) throw new Error(`migrations still pending after migrate: ${health.pendingMigrations.join(', ')}`);
    log(`Database healthy: PostgreSQL ${health.serverVersion}, ${health.appliedMigrations.length} migration(s)`);
    return { ...server, url, health };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
