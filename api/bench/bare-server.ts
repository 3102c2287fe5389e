// The baseline: a bare Node HTTP server answering the same page with one hand-written SQL query and the same
// JSON as the GraphQL API, without GraphQL, authentication or an ORM. Prints {"port": n} once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import pg from 'pg';

import { exitOnError } from '../src/db';
import { parseDatabaseUrl } from '../src/db/pg-adapter';

const PAGE_SQL = `
  SELECT r.id, r.score, r."mapKeys" @> '[{"mapType": "attention"}]' AS "hasAttention",
         i.id AS "imageId", i.name, i.label, i."defectType", i.width, i.height,
         m.id AS "maskId", m.version, m.status,
         run."resultCount"
  FROM "Run" AS run
  JOIN "Result" AS r ON r."runId" = run.id
  JOIN "Image" AS i ON i.id = r."imageId"
  LEFT JOIN "Mask" AS m ON m.id = i."currentMaskId"
  WHERE run.id = $1
  ORDER BY r.score DESC, r.id DESC
  LIMIT $2`;

interface Row {
  id: string;
  score: number;
  hasAttention: boolean;
  imageId: string;
  name: string;
  label: string;
  defectType: string;
  width: number;
  height: number;
  maskId: string | null;
  version: number | null;
  status: string | null;
  resultCount: number;
}

const cursor = (row: Row) => Buffer.from(JSON.stringify([row.score, row.id])).toString('base64url');

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  // Planned once per connection, as the API's own statements are (see src/db/reads.ts).
  const pool = new pg.Pool({ ...parseDatabaseUrl(url), max: 10, options: '-c plan_cache_mode=force_generic_plan' });
  const server = http.createServer((request, response) => {
    const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const runId = params.get('runId') ?? '';
    const first = Number(params.get('first') ?? 100);
    pool
      .query<Row>({ name: 'page', text: PAGE_SQL, values: [runId, first + 1] })
      .then(({ rows }) => {
        const page = rows.slice(0, first);
        const edges = page.map((row) => ({
          cursor: cursor(row),
          node: {
            id: row.id,
            score: row.score,
            attentionMapUrl: row.hasAttention ? `/files/results/${row.id}/attention.png` : null,
            image: {
              id: row.imageId,
              name: row.name,
              label: row.label,
              defectType: row.defectType,
              width: row.width,
              height: row.height,
              thumbnailUrl: `/files/images/${row.imageId}/thumbnail?size=256`,
              currentMask: row.maskId ? { id: row.maskId, version: row.version, status: row.status } : null,
            },
          },
        }));
        const body = JSON.stringify({
          data: {
            run: {
              results: {
                totalCount: rows[0]?.resultCount ?? 0,
                pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
                edges,
              },
            },
          },
        });
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
      })
      .catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
  });
  server.listen(0, () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
  process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

main().catch(exitOnError);
