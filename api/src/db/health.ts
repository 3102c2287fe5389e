import { readdirSync } from 'node:fs';
import path from 'node:path';

import pg from 'pg';

import { parseDatabaseUrl } from './pg-adapter';

const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');

export interface DatabaseHealth {
  ok: boolean;
  serverVersion: string;
  latencyMs: number;
  appliedMigrations: string[];
  pendingMigrations: string[];
}

/** Answers whether the database is reachable and fully migrated; used at start-up and by the API's /health. */
export async function checkDatabaseHealth(url: string): Promise<DatabaseHealth> {
  const client = new pg.Client({ ...parseDatabaseUrl(url), connectionTimeoutMillis: 5000 });
  const started = performance.now();
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    const latencyMs = performance.now() - started;
    const table = await client.query("SELECT to_regclass('public._prisma_migrations') AS name");
    const applied = table.rows[0]?.name
      ? (
          await client.query<{ migration_name: string }>(
            'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
          )
        ).rows.map((row) => row.migration_name)
      : [];
    const expected = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const pendingMigrations = expected.filter((name) => !applied.includes(name));
    return {
      ok: pendingMigrations.length === 0,
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      latencyMs,
      appliedMigrations: applied,
      pendingMigrations,
    };
  } finally {
    await client.end();
  }
}
