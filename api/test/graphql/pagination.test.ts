// Connections page both ways: `last`/`before` walks a list from its end and meets every item once, in the same
// order as the forward walk, at any page size; pageInfo says on both sides whether items lie beyond the page; the
// arguments are checked (first with last, sizes, cursors of another list or forged) before anything is read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { seedResults, type Seeded } from '../../bench/seed';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let seeded: Seeded;
let viewer: TestUser;

const IMAGES = 23;

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: PageInfo;
  totalCount: number;
}

before(async () => {
  api = await startTestApi('pagination', () => {});
  seeded = await seedResults(api.databaseUrl, { images: IMAGES, runs: 1, anomalousEvery: 3 }, 'pagination');
  viewer = await api.user('VIEWER');
  // Ties: the id must break them the same way in both directions.
  const results = await api.prisma.result.findMany({ where: { runId: seeded.runIds[0] }, orderBy: { id: 'asc' } });
  for (const result of results.slice(0, 8)) {
    await api.prisma.result.update({ where: { id: result.id }, data: { score: 0.5 } });
  }
});
after(() => api.close());

/** The run's results as one connection, read with any page arguments. */
async function resultPage(args: Record<string, unknown>, orderBy = 'SCORE_DESC'): Promise<Page> {
  const data = await api.ok<{ run: { results: Page } }>(
    `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $orderBy: ResultOrder) {
       run(id: $id) { results(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
         edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }`,
    { id: seeded.runIds[0], orderBy, ...args },
    { cookie: viewer.cookie },
  );
  return data.run.results;
}

async function imagePage(args: Record<string, unknown>): Promise<Page> {
  const data = await api.ok<{ dataset: { images: Page } }>(
    `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
       dataset(id: $id) { images(first: $first, after: $after, last: $last, before: $before) {
         edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }`,
    { id: seeded.datasetId, ...args },
    { cookie: viewer.cookie },
  );
  return data.dataset.images;
}

type Read = (args: Record<string, unknown>) => Promise<Page>;

async function walkForward(read: Read, size: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: Page = await read({ first: size, after: cursor });
    ids.push(...page.edges.map((edge) => edge.node.id));
    assert.equal(page.pageInfo.hasPreviousPage, cursor !== null, 'a forward page after a cursor has items before it');
    if (!page.pageInfo.hasNextPage) return ids;
    cursor = page.pageInfo.endCursor;
  }
  throw new Error('the forward walk does not end');
}

/** The list walked from its end with last/before, each page's items in list order, put back together. */
async function walkBackward(read: Read, size: number): Promise<string[]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  for (let count = 0; count < 100; count++) {
    const page: Page = await read({ last: size, before: cursor });
    assert.ok(page.edges.length <= size);
    pages.unshift(page.edges.map((edge) => edge.node.id));
    assert.equal(page.pageInfo.hasNextPage, cursor !== null, 'a backward page before a cursor has items after it');
    assert.equal(page.pageInfo.startCursor, page.edges[0]?.cursor ?? null);
    assert.equal(page.pageInfo.endCursor, page.edges.at(-1)?.cursor ?? null);
    if (!page.pageInfo.hasPreviousPage) return pages.flat();
    assert.equal(page.edges.length, size, 'only the list’s first page is short');
    cursor = page.pageInfo.startCursor;
  }
  throw new Error('the backward walk does not end');
}

describe('backward pagination', () => {
  for (const orderBy of ['SCORE_DESC', 'SCORE_ASC']) {
    it(`walks a run's results (${orderBy}) backwards at several page sizes, matching the forward walk`, async () => {
      const read: Read = (args) => resultPage(args, orderBy);
      const forward = await walkForward(read, 100);
      assert.equal(forward.length, IMAGES);
      assert.equal(new Set(forward).size, IMAGES);
      for (const size of [1, 2, 5, 7, 22, 23, 24, 100]) {
        assert.deepEqual(await walkForward(read, size), forward, `forward, pages of ${size}`);
        assert.deepEqual(await walkBackward(read, size), forward, `backward, pages of ${size}`);
      }
    });
  }

  it("walks a dataset's images (a Prisma list) backwards the same way", async () => {
    const forward = await walkForward(imagePage, 100);
    assert.equal(forward.length, IMAGES);
    for (const size of [1, 4, 9, 23, 50]) {
      assert.deepEqual(await walkBackward(imagePage, size), forward, `pages of ${size}`);
    }
  });

  it('answers the window between after and before, from either end', async () => {
    const all = await resultPage({ first: 100 });
    const ids = all.edges.map((edge) => edge.node.id);
    const from = all.edges[3]!.cursor;
    const to = all.edges[12]!.cursor;
    const head = await resultPage({ first: 4, after: from, before: to });
    assert.deepEqual(
      head.edges.map((edge) => edge.node.id),
      ids.slice(4, 8),
    );
    assert.deepEqual([head.pageInfo.hasPreviousPage, head.pageInfo.hasNextPage], [true, true]);
    const tail = await resultPage({ last: 4, after: from, before: to });
    assert.deepEqual(
      tail.edges.map((edge) => edge.node.id),
      ids.slice(8, 12),
    );
    assert.deepEqual([tail.pageInfo.hasPreviousPage, tail.pageInfo.hasNextPage], [true, true]);
    const whole = await resultPage({ last: 100, after: from, before: to });
    assert.deepEqual(
      whole.edges.map((edge) => edge.node.id),
      ids.slice(4, 12),
    );
    assert.equal(whole.totalCount, IMAGES, 'totalCount is the whole list, not the window');
  });

  it('says whether items lie before a forward page and after a backward one', async () => {
    const firstPage = await resultPage({ first: 5 });
    assert.deepEqual([firstPage.pageInfo.hasPreviousPage, firstPage.pageInfo.hasNextPage], [false, true]);
    const lastPage = await resultPage({ last: 5 });
    assert.deepEqual([lastPage.pageInfo.hasPreviousPage, lastPage.pageInfo.hasNextPage], [true, false]);
    const back = await resultPage({ last: 5, before: firstPage.pageInfo.startCursor });
    assert.deepEqual(back.edges, []);
    assert.deepEqual([back.pageInfo.hasPreviousPage, back.pageInfo.hasNextPage], [false, true]);
    const beyond = await resultPage({ first: 5, after: lastPage.pageInfo.endCursor });
    assert.deepEqual(beyond.edges, []);
    assert.deepEqual([beyond.pageInfo.hasPreviousPage, beyond.pageInfo.hasNextPage], [true, false]);
  });

  it('refuses first with last, sizes out of bounds and foreign cursors, naming the argument', async () => {
    const images = await imagePage({ first: 1 });
    const refusals: [Record<string, unknown>, string][] = [
      [{ first: 2, last: 2 }, 'last'],
      [{ last: 0 }, 'last'],
      [{ last: 101 }, 'last'],
      [{ first: 0 }, 'first'],
      [{ last: 2, before: 'not-a-cursor' }, 'before'],
      [{ first: 2, after: 'not-a-cursor' }, 'after'],
      // An image cursor holds a name where a score belongs.
      [{ last: 2, before: images.pageInfo.endCursor }, 'before'],
    ];
    for (const [args, field] of refusals) {
      const answer = await api.gql(
        `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
           run(id: $id) { results(first: $first, after: $after, last: $last, before: $before) { totalCount } } }`,
        { id: seeded.runIds[0], ...args },
        { cookie: viewer.cookie },
      );
      assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(args));
      assert.equal(answer.errors?.[0]?.extensions?.field, field, JSON.stringify(args));
    }
    const users = await api.gql('{ users(first: 1, last: 1) { totalCount } }', {}, { cookie: viewer.cookie });
    assert.ok(users.errors?.length, 'users is refused one way or another');
  });
});
