import pg from 'pg';

import { createFreshDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { parseDatabaseUrl } from '../../src/db/pg-adapter';

/** The migrated test database scripts/test.ts prepared; its copies give each test file a clean slate. */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run tests with `node --import tsx scripts/test.ts <files>`');
  return url;
}

/**
 * A fresh, migrated database named `vad_test_<name>`: a copy of the test database when it is idle (50 ms),
 * otherwise created and migrated (about 2 s).
 */
export async function isolatedDatabase(name: string): Promise<string> {
  const base = testDatabaseUrl();
  const template = parseDatabaseUrl(base).database;
  const database = `vad_test_${name}`;
  const admin = new pg.Client({ ...parseDatabaseUrl(base), database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)} TEMPLATE ${pg.escapeIdentifier(template)}`);
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  } catch {
    // The template is in use (another test file connected to it): build the database the slow way.
  } finally {
    await admin.end();
  }
  const url = await createFreshDatabase(base, database);
  await migrate(url);
  return url;
}
