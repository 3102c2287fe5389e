import type { ApiKeyScope, Dataset, Evaluation, Image, Mask, Role, Run, User } from '@prisma/client';
import pg from 'pg';

import { parseDatabaseUrl } from '../db/pg-adapter';

/**
 * The hot read paths in hand-written SQL on a plain pg pool: objects by id (what DataLoaders batch), a page
 * of results joined with its images and their current masks, and credential checks. Prisma adds several
 * milliseconds of CPU to every statement here, which a page of results pays five times per request; writes
 * and everything else stay on Prisma. Rows come back shaped like Prisma's models (same column names and
 * types), so callers cannot tell the two apart.
 */
export class Reads {
  readonly #pool: pg.Pool;

  constructor(url: string, options: { onQuery?: (sql: string) => void; max?: number } = {}) {
    this.#pool = new pg.Pool({
      ...parseDatabaseUrl(url),
      max: options.max ?? 10,
      idleTimeoutMillis: 10_000,
      types: TYPES,
    });
    // An idle connection dropped by the server (restart, admin command) must not crash the process: the pool
    // replaces it on the next query.
    this.#pool.on('error', () => {});
    const observe = options.onQuery;
    if (observe) {
      this.#pool.on('connect', (client) => {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          const first = args[0];
          observe(typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? ''));
          return query(...args);
        };
      });
    }
  }

  /** Named statements are parsed and planned once per connection, then only executed. */
  private async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return (await this.#pool.query<T & pg.QueryResultRow>({ name, text, values })).rows;
  }

  // Prisma reads a NULL list column as [], and writes one when a list is never set: so do these.
  async runs(ids: readonly string[]): Promise<Run[]> {
    const rows = await this.rows<Run>('runs', 'SELECT * FROM "Run" WHERE id = ANY($1::uuid[])', [ids]);
    for (const row of rows) row.layers ??= [];
    return rows;
  }

  images(ids: readonly string[]): Promise<Image[]> {
    return this.rows('images', IMAGE_SELECT + ' WHERE i.id = ANY($1::uuid[])', [ids]);
  }

  masks(ids: readonly string[]): Promise<Mask[]> {
    return this.rows('masks', 'SELECT * FROM "Mask" WHERE id = ANY($1::uuid[])', [ids]);
  }

  async datasets(ids: readonly string[]): Promise<Dataset[]> {
    const rows = await this.rows<Dataset>('datasets', 'SELECT * FROM "Dataset" WHERE id = ANY($1::uuid[])', [ids]);
    for (const row of rows) {
      row.defectTypes ??= [];
      row.warnings ??= [];
    }
    return rows;
  }

  users(ids: readonly string[]): Promise<User[]> {
    return this.rows('users', 'SELECT * FROM "User" WHERE id = ANY($1::uuid[])', [ids]);
  }

  evaluationsOfRuns(runIds: readonly string[]): Promise<Evaluation[]> {
    return this.rows(
      'evaluationsOfRuns',
      'SELECT * FROM "Evaluation" WHERE "runId" = ANY($1::uuid[]) ORDER BY "createdAt" DESC, id DESC',
      [runIds],
    );
  }

  /**
   * One page of a run's results in score order after a keyset cursor, with each result's image and that
   * image's current mask in the same statement (`take` rows: the caller asks one more than it shows).
   */
  async resultPage(page: ResultPageQuery): Promise<ResultPageRow[]> {
    const descending = page.direction === 'desc';
    const beyond = descending ? '<' : '>';
    const order = descending ? 'DESC' : 'ASC';
    const conditions = ['r."runId" = $1'];
    const values: unknown[] = [page.runId, page.take];
    if (page.cursor) {
      values.push(page.cursor.score, page.cursor.id);
      conditions.push(`(r.score, r.id) ${beyond} ($3::float8, $4::uuid)`);
    }
    if (page.label) {
      values.push(page.label);
      conditions.push(`i.label = $${values.length}::"ImageLabel"`);
    }
    if (page.defectType) {
      values.push(page.defectType);
      conditions.push(`i."defectType" = $${values.length}`);
    }
    const name = `resultPage:${order}:${page.cursor ? 'c' : ''}${page.label ? 'l' : ''}${page.defectType ? 'd' : ''}`;
    // The page comes back as one JSON array of positional rows, built by Postgres and read by one JSON.parse:
    // a hundred rows of thirty columns cost several times more to decode column by column, and key names
    // repeated in every row would double the text.
    const [row] = await this.rows<{ page: unknown[][] }>(
      name,
      `SELECT coalesce(json_agg(p.row ORDER BY p.score ${order}, p.id ${order}), '[]') AS page
       FROM (
         SELECT r.score, r.id, json_build_array(${PAGE_COLUMNS}) AS row
         FROM "Result" AS r
         JOIN "Image" AS i ON i.id = r."imageId"
         LEFT JOIN "Mask" AS m ON m.id = i."currentMaskId"
         WHERE ${conditions.join(' AND ')}
         ORDER BY r.score ${order}, r.id ${order}
         LIMIT $2
       ) AS p`,
      values,
    );
    return (row?.page ?? []).map(toPageRow);
  }

  /** The user and scopes behind an API key prefix (scopes as text: pg has no parser for enum arrays). */
  async apiKey(prefix: string): Promise<ApiKeyCredential | null> {
    const [row] = await this.rows<ApiKeyCredential>(
      'apiKey',
      `SELECT k.id, k."secretHash", k.scopes::text[] AS scopes, k."revokedAt", k."lastUsedAt",
              u.id AS "userId", u.email, u.name, u.role
       FROM "ApiKey" AS k JOIN "User" AS u ON u.id = k."userId"
       WHERE k.prefix = $1`,
      [prefix],
    );
    if (row) row.scopes ??= [];
    return row ?? null;
  }

  async session(tokenHash: string): Promise<SessionCredential | null> {
    const [row] = await this.rows<SessionCredential>(
      'session',
      `SELECT s.id, s."expiresAt", s."lastSeenAt", u.id AS "userId", u.email, u.name, u.role
       FROM "Session" AS s JOIN "User" AS u ON u.id = s."userId"
       WHERE s."tokenHash" = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export interface ResultPageQuery {
  runId: string;
  direction: 'asc' | 'desc';
  cursor: { score: number; id: string } | null;
  take: number;
  label?: string | null | undefined;
  defectType?: string | null | undefined;
}

/** A result as pages show it: which stored files it has, not their keys (the file routes look those up). */
export interface ResultRow {
  id: string;
  runId: string;
  imageId: string;
  score: number;
  scores: unknown;
  hasAttentionMap: boolean;
  hasResidualMap: boolean;
  hasReconstruction: boolean;
}

export interface ResultPageRow {
  result: ResultRow;
  image: Image;
  mask: Mask | null;
}

export interface ApiKeyCredential {
  id: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface SessionCredential {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  userId: string;
  email: string;
  name: string;
  role: Role;
}

// Prisma stores DateTime as `timestamp(3)` (no time zone) holding UTC; pg would read it as local time.
const TIMESTAMP = 1114;
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP
      ? (value: string) => new Date(value.replace(' ', 'T') + 'Z')
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const IMAGE_FIELDS = [
  'id',
  'datasetId',
  'name',
  'split',
  'label',
  'defectType',
  'width',
  'height',
  'channels',
  'contentHash',
  'mimeType',
  'byteSize',
  'maskVersion',
  'currentMaskId',
  'maskStatus',
  'createdAt',
];
const IMAGE_SELECT = `SELECT ${IMAGE_FIELDS.map((field) => `i."${field}"`).join(', ')} FROM "Image" AS i`;

const RESULT_COLUMNS = ['r.id', 'r."runId"', 'r."imageId"', 'r.score', 'r.scores'];
const IMAGE_FIELDS_JSON = IMAGE_FIELDS.map((field) => `i."${field}"`);
const MASK_FIELDS = [
  'id',
  'imageId',
  'version',
  'datasetId',
  'authorId',
  'source',
  'status',
  'contentHash',
  'width',
  'height',
  'defectPixels',
  'createdAt',
];
const PAGE_COLUMNS = [
  ...RESULT_COLUMNS,
  'r."attentionMapKey" IS NOT NULL',
  'r."residualMapKey" IS NOT NULL',
  'r."reconstructionKey" IS NOT NULL',
  ...IMAGE_FIELDS_JSON,
  ...MASK_FIELDS.map((field) => `m."${field}"`),
].join(', ');

/** A positional page row back into its result, image and mask (in PAGE_COLUMNS order). */
function toPageRow(values: unknown[]): ResultPageRow {
  const result: ResultRow = {
    id: values[0] as string,
    runId: values[1] as string,
    imageId: values[2] as string,
    score: values[3] as number,
    scores: values[4],
    hasAttentionMap: values[5] as boolean,
    hasResidualMap: values[6] as boolean,
    hasReconstruction: values[7] as boolean,
  };
  let at = 8;
  const image: Record<string, unknown> = {};
  for (const field of IMAGE_FIELDS) image[field] = values[at++];
  image.createdAt = utc(image.createdAt as string);
  let mask: Record<string, unknown> | null = null;
  if (values[at] !== null) {
    mask = {};
    for (const field of MASK_FIELDS) mask[field] = values[at++];
    mask.createdAt = utc(mask.createdAt as string);
  }
  return { result, image: image as unknown as Image, mask: mask as unknown as Mask | null };
}

/** JSON from Postgres writes Prisma's timestamp(3) columns, which hold UTC, without a zone. */
function utc(text: string): Date {
  return new Date(text.endsWith('Z') ? text : `${text}Z`);
}
