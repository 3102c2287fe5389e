// File leases and garbage collection (issue 12): a file being written is kept until the rows naming it commit,
// even when it was stored long ago and the last committed row naming it goes meanwhile; collection waits for
// no one but never interleaves with a lease; expired leases are collected; a lapsed lease fails the commit.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Prisma, PrismaClient } from '@prisma/client';

import { createPrismaClient } from '../../src/db';
import { collectGarbage, STORE_LOCK } from '../../src/files/garbage';
import { FileLease, LeaseLostError } from '../../src/files/leases';
import { FileStore } from '../../src/files/store';
import { isolatedDatabase } from '../support/database';

let prisma: PrismaClient;
let store: FileStore;
const root = mkdtempSync(path.join(os.tmpdir(), 'vad-file-leases-'));

before(async () => {
  prisma = createPrismaClient(await isolatedDatabase('file_leases'));
  store = new FileStore(root);
});
after(async () => {
  await prisma.$disconnect();
  rmSync(root, { recursive: true, force: true });
});

const bytes = () => randomBytes(64);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const leaseRows = (key: string) => prisma.fileLease.count({ where: { hash: key } });

/** A dataset with one image naming `contentHash`, created as an import would (in one transaction). */
async function imageNaming(contentHash: string, tx: Prisma.TransactionClient) {
  const dataset = await tx.dataset.create({
    data: { name: `d-${randomBytes(4).toString('hex')}`, layout: 'UNLABELED_FOLDER', category: 'c', channels: 1 },
  });
  return tx.image.create({
    data: {
      datasetId: dataset.id,
      name: 'test/unlabeled/a',
      split: 'TEST',
      label: 'UNLABELED',
      defectType: 'unlabeled',
      width: 8,
      height: 8,
      channels: 1,
      contentHash,
      mimeType: 'image/png',
      byteSize: 64,
    },
  });
}

describe('file leases', () => {
  it('keep a file stored long ago from collection until the rows naming it commit', async () => {
    const content = bytes();
    const key = await store.put(content); // stored long ago, by a dataset since deleted: no row names it
    const lease = new FileLease(prisma, store);
    assert.equal(await lease.put(content), key);
    assert.equal(await collectGarbage(prisma, store, [key]), 0);
    assert.ok(store.has(key), 'the leased file stays');
    await prisma.$transaction(async (tx) => {
      await imageNaming(key, tx);
      await lease.commit(tx);
    });
    await lease.release();
    assert.equal(await leaseRows(key), 0, 'the commit gave the lease up');
    assert.equal(await collectGarbage(prisma, store, [key]), 0);
    assert.ok(store.has(key), 'the committed row keeps it');
  });

  it('give back, on release, what no commit took, and collect it', async () => {
    const lease = new FileLease(prisma, store);
    const key = await lease.put(bytes());
    // A transaction that fails after the commit step: its lease deletion is rolled back with it.
    await assert.rejects(
      prisma.$transaction(async (tx) => {
        await lease.commit(tx);
        throw new Error('the import failed after storing');
      }),
      /the import failed/,
    );
    assert.equal(await leaseRows(key), 1);
    await lease.release();
    assert.equal(await leaseRows(key), 0);
    assert.equal(store.has(key), false, 'a failed write leaves no unreferenced file');
    await assert.rejects(lease.put(bytes()), /released/);
  });

  it('wait while a collection holds the store lock, then write the file that collection removed', async () => {
    const content = bytes();
    const key = await store.put(content);
    let releaseCollector!: () => void;
    const collectorHolds = new Promise<void>((resolve) => (releaseCollector = resolve));
    let collectorLocked!: () => void;
    const locked = new Promise<void>((resolve) => (collectorLocked = resolve));
    // A collection between its check (no row, no lease) and its commit, with the file removed.
    const collector = prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(${STORE_LOCK})::text`;
        await store.remove(key);
        collectorLocked();
        await collectorHolds;
      },
      { timeout: 30_000 },
    );
    await locked;
    const lease = new FileLease(prisma, store);
    let settled = false;
    const put = lease.put(content).finally(() => (settled = true));
    await sleep(300);
    assert.equal(settled, false, 'the lease waits for the collection to end');
    releaseCollector();
    await collector;
    assert.equal(await put, key);
    assert.ok(store.has(key), 'found missing after the collection, the file is written again');
    await lease.release();
  });

  it('are renewed while their holder works', async () => {
    const lease = new FileLease(prisma, store, { ttlMs: 400, renewMs: 50 });
    const key = await lease.put(bytes());
    await sleep(900);
    assert.equal(await collectGarbage(prisma, store, [key]), 0);
    assert.ok(store.has(key));
    await lease.release();
    assert.equal(store.has(key), false);
  });

  it('lapse when their holder stops renewing: collection takes the file, and the commit then fails', async () => {
    const lease = new FileLease(prisma, store, { ttlMs: 50, renewMs: 3_600_000 });
    const key = await lease.put(bytes());
    await sleep(150);
    // The expired lease's file is a candidate of any collection, whatever keys it was asked about.
    assert.equal(await collectGarbage(prisma, store, []), 1);
    assert.equal(store.has(key), false);
    assert.equal(await leaseRows(key), 0, 'the expired lease went with the collection that removed its file');
    await assert.rejects(
      prisma.$transaction(async (tx) => {
        await imageNaming(key, tx);
        await lease.commit(tx);
      }),
      (error: unknown) => error instanceof LeaseLostError && /collected while this work ran/.test(error.message),
    );
    assert.equal(await prisma.image.count({ where: { contentHash: key } }), 0, 'no row names a missing file');
    await lease.release();
  });

  it('commit after a lapse when the file is still there', async () => {
    const lease = new FileLease(prisma, store, { ttlMs: 50, renewMs: 3_600_000 });
    const key = await lease.put(bytes());
    await sleep(150);
    await prisma.$transaction(async (tx) => {
      await imageNaming(key, tx);
      await lease.commit(tx);
    });
    await lease.release();
    assert.ok(store.has(key));
  });
});

describe('collectGarbage', () => {
  it('keeps files that an image, a mask, a result map or a reconstruction names, and removes the rest', async () => {
    const [imageKey, maskKey, mapKey, reconstructionKey, loose] = await Promise.all(
      Array.from({ length: 5 }, () => store.put(bytes())),
    );
    const image = await prisma.$transaction((tx) => imageNaming(imageKey!, tx));
    await prisma.mask.create({
      data: {
        imageId: image.id,
        datasetId: image.datasetId,
        version: 1,
        source: 'IMPORTED',
        status: 'APPROVED',
        contentHash: maskKey!,
        width: 8,
        height: 8,
        defectPixels: 0,
      },
    });
    const run = await prisma.run.create({ data: { datasetId: image.datasetId, options: {} } });
    await prisma.result.create({
      data: {
        runId: run.id,
        imageId: image.id,
        score: 1,
        mapKeys: [{ mapType: 'attention', key: mapKey! }],
        reconstructionKey,
      },
    });
    const keys = [imageKey!, maskKey!, mapKey!, reconstructionKey!, loose!];
    assert.equal(await collectGarbage(prisma, store, keys), 1);
    assert.deepEqual(
      keys.map((key) => store.has(key)),
      [true, true, true, true, false],
    );
    await prisma.dataset.delete({ where: { id: image.datasetId } });
    assert.equal(await collectGarbage(prisma, store, keys.slice(0, 4)), 4);
    assert.ok(keys.every((key) => !store.has(key)));
  });
});
