import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// prisma/prisma#27403: the pg adapter refuses Postgres' catalog types 'char' (18) and 'name' (19) and their
// arrays, which the schema engine reads while migrating. They are plain strings: report them as text.
const CATALOG_TEXT_TYPES = new Map<number, number>([
  [18, 25],
  [19, 25],
  [1002, 1009],
  [1003, 1009],
]);

function retypeCatalogColumns(result: unknown): void {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) {
    field.dataTypeID = CATALOG_TEXT_TYPES.get(field.dataTypeID) ?? field.dataTypeID;
  }
}

class CatalogTextClient extends pg.Client {
  // pg's query() has many overloads: the adapter awaits a promise, pg.Pool passes a callback.
  override query(...args: unknown[]): never {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (!error) retypeResult(result);
        (last as (e: unknown, r: unknown) => void)(error, result);
      };
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    if (pending instanceof Promise) {
      return pending.then((result) => {
        retypeResult(result);
        return result;
      }) as never;
    }
    return pending as never;
  }
}

function retypeResult(result: unknown): void {
  for (const one of Array.isArray(result) ? result : [result]) retypeCatalogColumns(one);
}

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Parses a postgres:// URL into the separate fields the pg adapter needs (it ignores some URL parts). */
export function parseDatabaseUrl(url: string): PgConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: ${url}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  return {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
  };
}

export interface AdapterOptions {
  /** Short for command-line runs, which otherwise linger until idle connections time out. */
  idleTimeoutMillis?: number;
  max?: number;
  /** Sees the text of every SQL statement sent (to count queries in tests and benchmarks). */
  onQuery?: (sql: string) => void;
}

/** Hands `observe` the text of every statement the pool's connections send (to count queries in tests). */
export function observeQueries(pool: pg.Pool, observe: (sql: string) => void): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0];
      observe(typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? ''));
      return query(...args);
    };
  });
}

export function createPgAdapter(url: string, options: AdapterOptions = {}): PrismaPg {
  const pool = new pg.Pool({
    ...parseDatabaseUrl(url),
    Client: CatalogTextClient,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
    max: options.max ?? 10,
  });
  if (options.onQuery) observeQueries(pool, options.onQuery);
  // $disconnect() then ends the pool: otherwise idle connections keep a finished process alive.
  return new PrismaPg(pool, { disposeExternalPool: true });
}
