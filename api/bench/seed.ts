import pg from 'pg';

import { parseDatabaseUrl } from '../src/db/pg-adapter';

export interface SeedShape {
  /** Images in the dataset; every run scores all of them. */
  images: number;
  runs: number;
  /** Every n-th image is anomalous and has an approved mask. */
  anomalousEvery: number;
}

export interface Seeded {
  datasetId: string;
  runIds: string[];
  results: number;
}

/**
 * Fills a database with a dataset, its images and masks, and runs with one result per image, in a few
 * set-based statements (100 000 results take seconds). The rows are shaped like real ones; the file keys
 * point nowhere, which list queries never notice.
 */
export async function seedResults(url: string, shape: SeedShape, name = 'bench'): Promise<Seeded> {
  const client = new pg.Client(parseDatabaseUrl(url));
  await client.connect();
  try {
    await client.query('BEGIN');
    const dataset = await client.query<{ id: string }>(
      `INSERT INTO "Dataset" (id, name, layout, category, channels, "defectTypes", warnings,
         "imageCount", "trainCount", "testCount", "normalCount", "anomalousCount")
       VALUES (gen_random_uuid(), $1, 'MVTEC', $1, 1, ARRAY['crack'], ARRAY[]::text[], $2::int, 0, $2::int, $2::int - $2::int / $3::int, $2::int / $3::int)
       RETURNING id`,
      [name, shape.images, shape.anomalousEvery],
    );
    const datasetId = dataset.rows[0]!.id;
    await client.query(
      `INSERT INTO "Image" (id, "datasetId", name, split, label, "defectType", width, height, channels,
         "contentHash", "mimeType", "byteSize")
       SELECT gen_random_uuid(), $1,
         CASE WHEN g % $3::int = 0 THEN 'test/crack/' ELSE 'test/good/' END || lpad(g::text, 6, '0'),
         'TEST',
         (CASE WHEN g % $3::int = 0 THEN 'ANOMALOUS' ELSE 'NORMAL' END)::"ImageLabel",
         CASE WHEN g % $3::int = 0 THEN 'crack' ELSE 'good' END,
         256, 256, 1, md5(g::text) || md5('i' || g::text), 'image/png', 40000
       FROM generate_series(1, $2::int) AS g`,
      [datasetId, shape.images, shape.anomalousEvery],
    );
    await client.query(
      `INSERT INTO "Mask" (id, "imageId", version, "datasetId", source, status, "contentHash", width, height, "defectPixels")
       SELECT gen_random_uuid(), id, 1, $1, 'IMPORTED', 'APPROVED', md5(id::text) || md5('m' || id::text), 256, 256, 300
       FROM "Image" WHERE "datasetId" = $1 AND label = 'ANOMALOUS'`,
      [datasetId],
    );
    await client.query(
      `UPDATE "Image" AS i SET "maskVersion" = 1, "currentMaskId" = m.id, "maskStatus" = 'APPROVED'
       FROM "Mask" AS m WHERE m."imageId" = i.id AND i."datasetId" = $1`,
      [datasetId],
    );
    const runIds: string[] = [];
    for (let r = 0; r < shape.runs; r++) {
      const run = await client.query<{ id: string }>(
        `INSERT INTO "Run" (id, "datasetId", name, options, status, progress, phase, layers, attempt, "resultCount", "finishedAt")
         VALUES (gen_random_uuid(), $1, $2, '{"preset":"small"}', 'SUCCEEDED', 1, 'done',
                 ARRAY['enc1','enc2','enc3','enc4','bottleneck'], 1, $3, now())
         RETURNING id`,
        [datasetId, `bench run ${r + 1}`, shape.images],
      );
      const runId = run.rows[0]!.id;
      await client.query(
        `INSERT INTO "Result" (id, "runId", "imageId", score, scores, "mapKeys", "reconstructionKey")
         SELECT gen_random_uuid(), $1::uuid, id, score, jsonb_build_object('attention', score),
                jsonb_build_array(
                  jsonb_build_object('mapType', 'attention', 'key', md5('a' || id::text) || md5($1::text || id::text)),
                  jsonb_build_object('mapType', 'residual', 'key', md5('r' || id::text) || md5($1::text || id::text))),
                md5('c' || id::text) || md5($1::text || id::text)
         FROM (SELECT id, random() AS score FROM "Image" WHERE "datasetId" = $2) AS scored`,
        [runId, datasetId],
      );
      runIds.push(runId);
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { datasetId, runIds, results: shape.images * shape.runs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
