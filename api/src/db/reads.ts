import type { ApiKeyScope, Dataset, Evaluation, Image, Mask, Role, Run, User } from '@prisma/client';
import type { MapTypeName } from '@vad/models';
import { createHash } from 'node:crypto';

import pg from 'pg';

import { observeQueries, parseDatabaseUrl } from './pg-adapter';

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
      // These statements are prepared once per connection; left to choose, Postgres re-plans the page query at
      // every execution (its LIMIT is a parameter), which cost more than running it.
      options: '-c plan_cache_mode=force_generic_plan',
    });
    // An idle connection dropped by the server (restart, admin command) must not crash the process: the pool
    // replaces it on the next query.
    this.#pool.on('error', () => {});
    if (options.onQuery) observeQueries(this.#pool, options.onQuery);
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
   * Each run's scoring: the image threshold of its latest succeeded evaluation (of the main map, whose image score
   * is a result's `score`), and its lowest and highest score, each one walk of the (runId, score) index.
   */
  scoringOfRuns(runIds: readonly string[]): Promise<RunScoring[]> {
    return this.rows(
      'scoringOfRuns',
      `SELECT evaluated.*,
              (SELECT min(r.score) FROM "Result" AS r
                 WHERE r."runId" = evaluated."runId" AND r.score::float4 >= evaluated."evaluatedThreshold"::float4
              ) AS "evaluatedScore"
       FROM (
         SELECT wanted.id AS "runId",
                (SELECT (e.metrics -> 'maps' -> $2 -> 'overall' ->> 'imageThreshold')::float8
                   FROM "Evaluation" AS e WHERE e."runId" = wanted.id AND e.status = 'SUCCEEDED'
                   ORDER BY e."createdAt" DESC, e.id DESC LIMIT 1) AS "evaluatedThreshold",
                (SELECT r.score FROM "Result" AS r WHERE r."runId" = wanted.id ORDER BY r.score ASC LIMIT 1) AS "scoreMin",
                (SELECT r.score FROM "Result" AS r WHERE r."runId" = wanted.id ORDER BY r.score DESC LIMIT 1) AS "scoreMax"
         FROM unnest($1::uuid[]) AS wanted(id)
       ) AS evaluated`,
      [runIds, MAIN_MAP],
    );
  }

  /** Results by id, without their images: a `Result` resolves its image through the image loader. */
  results(ids: readonly string[]): Promise<ResultRow[]> {
    return this.rows(
      'results',
      `SELECT r.id, r."runId", r."imageId", r.score, r.scores,
              ${MAP_TYPES} AS "mapTypes",
              r."reconstructionKey" IS NOT NULL AS "hasReconstruction"
       FROM "Result" AS r WHERE r.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /**
   * An image's result in the latest SUCCEEDED run of its dataset that scored it (latest to finish), or none:
   * the dataset's succeeded runs, each looked up by its (runId, imageId) key.
   */
  async latestResultOfImage(imageId: string): Promise<ResultRow | null> {
    const [row] = await this.rows<ResultRow>(
      'latestResultOfImage',
      `SELECT r.id, r."runId", r."imageId", r.score, r.scores,
              ${MAP_TYPES} AS "mapTypes",
              r."reconstructionKey" IS NOT NULL AS "hasReconstruction"
       FROM "Image" AS i
       JOIN "Run" AS run ON run."datasetId" = i."datasetId" AND run.status = 'SUCCEEDED'
       JOIN "Result" AS r ON r."runId" = run.id AND r."imageId" = i.id
       WHERE i.id = $1
       ORDER BY run."finishedAt" DESC NULLS LAST, run."createdAt" DESC, run.id DESC
       LIMIT 1`,
      [imageId],
    );
    return row ?? null;
  }

  /**
   * One page of a run's results in score order after a keyset cursor (`take` rows: the caller asks one more than
   * it shows), each joined with the columns of its image, and of that image's current mask, that the caller
   * asks for: a page of 100 that reads only what the client selected costs the database a third of one that
   * reads whole rows.
   */
  async resultPage(page: ResultPageQuery): Promise<ResultRow[]> {
    // A backward page (`reverse`) walks the same index the other way from `before`, and its caller turns it round.
    const descending = (page.direction === 'desc') !== page.reverse;
    const order = descending ? 'DESC' : 'ASC';
    const conditions = ['r."runId" = $1'];
    const values: unknown[] = [page.runId, page.take];
    if (page.after) conditions.push(scoreKeyset(page.direction, page.after, 'after', false, values));
    if (page.before) conditions.push(scoreKeyset(page.direction, page.before, 'before', false, values));
    addFilter(page, conditions, values);
    const { image, mask, scores } = page.columns;
    // The run and the image id are known without reading them again (`image` starts with the image's id).
    const selected = [
      ...RESULT_PAGE_COLUMNS,
      ...(scores ? ['r.scores'] : []),
      ...image.map((column) => `i."${column}"`),
      ...(mask ?? []).map((column) => `m."${column}"`),
    ];
    const text = `SELECT ${selected.join(', ')}
       FROM "Result" AS r
       JOIN "Image" AS i ON i.id = r."imageId"
       ${mask ? 'LEFT JOIN "Mask" AS m ON m.id = i."currentMaskId"' : ''}
       WHERE ${conditions.join(' AND ')}
       ORDER BY r.score ${order}, r.id ${order}
       LIMIT $2`;
    // Positional rows: no key object per row.
    const { rows } = await this.#pool.query<unknown[]>({ name: statementName(text), text, values, rowMode: 'array' });
    return rows.map((row) => toResultRow(row, page.runId, page.columns));
  }

  /**
   * Whether a filter keeps any of a run's results on one side of a cursor in the list's order (the cursor's own
   * result included): what tells a page whether items lie before or after it.
   */
  async resultExists(query: ResultExistsQuery): Promise<boolean> {
    const conditions = ['r."runId" = $1'];
    const values: unknown[] = [query.runId];
    conditions.push(scoreKeyset(query.direction, query.key, query.side, true, values));
    addFilter(query, conditions, values);
    const text = `SELECT EXISTS (SELECT 1 FROM "Result" AS r JOIN "Image" AS i ON i.id = r."imageId"
       WHERE ${conditions.join(' AND ')}) AS found`;
    const [row] = await this.rows<{ found: boolean }>(statementName(text), text, values);
    return row!.found;
  }

  /**
   * How many of a run's results a filter keeps. Through pg, not Prisma, whose engine may read a float parameter a
   * rounding step off: a score threshold must compare exactly as the page's does.
   */
  async resultCount(filter: ResultFilterQuery): Promise<number> {
    const conditions = ['r."runId" = $1'];
    const values: unknown[] = [filter.runId];
    addFilter(filter, conditions, values);
    const text = `SELECT count(*)::int AS count FROM "Result" AS r JOIN "Image" AS i ON i.id = r."imageId"
       WHERE ${conditions.join(' AND ')}`;
    // One prepared statement per combination of conditions, as for pages.
    const [row] = await this.rows<{ count: number }>(statementName(text), text, values);
    return row!.count;
  }

  /** The user and scopes behind an API key prefix (scopes as text: pg has no parser for enum arrays). */
  async apiKey(prefix: string): Promise<ApiKeyCredential | null> {
    const [row] = await this.rows<ApiKeyCredential>(
      'apiKey',
      `SELECT k.id, k."secretHash", k.scopes::text[] AS scopes, k."revokedAt", k."lastUsedAt", k."expiresAt",
              u.id AS "userId", u.email, u.name, u.role, u."disabledAt"
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
      `SELECT s.id, s."expiresAt", s."lastSeenAt", u.id AS "userId", u.email, u.name, u.role, u."disabledAt"
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

/** The conditions on a run's results a page or a count narrows by. */
export interface ResultFilterQuery {
  runId: string;
  label?: string | null | undefined;
  defectType?: string | null | undefined;
  /** Only the result of this image (a run scores an image once). */
  imageId?: string | null | undefined;
  /** Only results scoring at least this (called anomalous at this threshold) or below it (called normal). */
  score?: { atLeast: number } | { below: number } | undefined;
}

/** A result's place in a list by score: its score and id. */
export interface ScoreKey {
  score: number;
  id: string;
}

export interface ResultPageQuery extends ResultFilterQuery {
  /** The list's order. */
  direction: 'asc' | 'desc';
  /** Only results strictly after this one, or strictly before that one, in the list's order. */
  after: ScoreKey | null;
  before: ScoreKey | null;
  /** Read from `before` (or the end) backwards: the rows come in the opposite order. */
  reverse: boolean;
  take: number;
  columns: PageColumns;
}

export interface ResultExistsQuery extends ResultFilterQuery {
  direction: 'asc' | 'desc';
  key: ScoreKey;
  side: 'after' | 'before';
}

/** (score, id) on one side of a key in a list sorted `direction`, its parameters appended to `values`. */
function scoreKeyset(
  direction: 'asc' | 'desc',
  key: ScoreKey,
  side: 'after' | 'before',
  inclusive: boolean,
  values: unknown[],
): string {
  const ahead = (direction === 'desc') === (side === 'after') ? '<' : '>';
  values.push(key.score, key.id);
  return `(r.score, r.id) ${ahead}${inclusive ? '=' : ''} ($${values.length - 1}::float8, $${values.length}::uuid)`;
}

/** Appends a filter's conditions (results as `r`, their images as `i`) and their parameters. */
function addFilter(filter: ResultFilterQuery, conditions: string[], values: unknown[]): void {
  if (filter.label) {
    values.push(filter.label);
    conditions.push(`i.label = $${values.length}::"ImageLabel"`);
  }
  if (filter.defectType) {
    values.push(filter.defectType);
    conditions.push(`i."defectType" = $${values.length}`);
  }
  if (filter.imageId) {
    values.push(filter.imageId);
    conditions.push(`r."imageId" = $${values.length}::uuid`);
  }
  if (filter.score && 'atLeast' in filter.score) {
    values.push(filter.score.atLeast);
    conditions.push(`r.score >= $${values.length}::float8`);
  } else if (filter.score) {
    values.push(filter.score.below);
    conditions.push(`r.score < $${values.length}::float8`);
  }
}

/** The map a result's `score` comes from. Every map type of the run is stored with each result. */
export const MAIN_MAP = 'attention';

/** What a run's decision is made of: its latest evaluation's image threshold and the range of its scores. */
export interface RunScoring {
  runId: string;
  evaluatedThreshold: number | null;
  scoreMin: number | null;
  scoreMax: number | null;
  /**
   * The lowest score the evaluation's threshold calls anomalous. The evaluation compared float32 scores, and its
   * threshold comes back from JSON within a rounding step of one: matched in float32, a result at the threshold
   * stays anomalous, and every later comparison is exact in the scores' own doubles.
   */
  evaluatedScore: number | null;
}

export type ImageColumn = (typeof IMAGE_COLUMNS)[number];
export type MaskColumn = (typeof MASK_COLUMNS)[number];

/**
 * What a page reads besides each result's own columns: `image` and `mask` start with `id`; `mask: null` leaves
 * the current mask out.
 */
export interface PageColumns {
  image: readonly ImageColumn[];
  mask: readonly MaskColumn[] | null;
  scores: boolean;
}

/** A result as pages show it: which stored files it has, not their keys (the file routes look those up). */
export interface ResultRow {
  id: string;
  runId: string;
  imageId: string;
  score: number;
  scores: unknown;
  /** The types of its stored maps, in the pipeline's order. */
  mapTypes: MapTypeName[];
  hasReconstruction: boolean;
  /** From a page: the image with the columns the page read, and its current mask (undefined if not read). */
  joinedImage?: JoinedImage;
}

export type JoinedImage = Partial<Image> & { id: string; joinedMask?: Partial<Mask> | null };

export interface ApiKeyCredential {
  id: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  userId: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
}

export interface SessionCredential {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  userId: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
}

// Prisma stores DateTime as `timestamp(3)` (no time zone) holding UTC; pg would read it as local time.
const TIMESTAMP = 1114;
const TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP
      ? (value: string) => new Date(value.replace(' ', 'T') + 'Z')
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Every column of Image that the API reads (not the stored file's key). */
export const IMAGE_COLUMNS = [
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
] as const;
const IMAGE_SELECT = `SELECT ${IMAGE_COLUMNS.map((field) => `i."${field}"`).join(', ')} FROM "Image" AS i`;

/** Every column of Mask that the API reads (not the stored file's key). */
export const MASK_COLUMNS = [
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
] as const;

/** A result's map types, in order, from its list of stored maps (files/result-maps.ts). */
const MAP_TYPES = `jsonb_path_query_array(r."mapKeys", '$[*].mapType')`;

const RESULT_PAGE_COLUMNS = ['r.id', 'r.score', MAP_TYPES, 'r."reconstructionKey" IS NOT NULL'];

const statementNames = new Map<string, string>();

/** Named statements are planned once per connection; Postgres keeps the first 63 bytes of a name. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `page:${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    if (statementNames.size < 1000) statementNames.set(text, name);
  }
  return name;
}

/** A positional page row (in the order resultPage selects) back into its result, image and mask. */
function toResultRow(values: unknown[], runId: string, columns: PageColumns): ResultRow {
  let at = columns.scores ? 5 : 4;
  const image: Record<string, unknown> = {};
  for (const column of columns.image) image[column] = values[at++];
  if (columns.mask) {
    let mask: Record<string, unknown> | null = null;
    if (values[at] !== null) {
      mask = {};
      for (const column of columns.mask) mask[column] = values[at++];
    }
    image.joinedMask = mask;
  }
  return {
    id: values[0] as string,
    runId,
    imageId: image.id as string,
    score: values[1] as number,
    mapTypes: values[2] as MapTypeName[],
    hasReconstruction: values[3] as boolean,
    scores: columns.scores ? values[4] : null,
    joinedImage: image as JoinedImage,
  };
}
