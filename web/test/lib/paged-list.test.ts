import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PagedList, type Page } from '../../lib/paged-list';

/** Pages of `size` over 0..total-1, cursors being the last index; `failAt` makes one request fail once. */
function source(total: number, size: number, failAt?: string | null) {
  const requests: (string | null)[] = [];
  let failed = false;
  const fetchPage = async (after: string | null): Promise<Page<number>> => {
    requests.push(after);
    if (after === failAt && !failed) {
      failed = true;
      throw new Error('network down');
    }
    const start = after === null ? 0 : Number(after) + 1;
    const items = Array.from({ length: Math.min(size, total - start) }, (_, index) => start + index);
    return { items, totalCount: total, endCursor: String(start + items.length - 1), hasNextPage: start + size < total };
  };
  return { fetchPage, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('PagedList', () => {
  it('loads pages in order until the wanted count is there, then stops', async () => {
    const { fetchPage, requests } = source(95, 10);
    const list = new PagedList(fetchPage, await fetchPage(null), String);
    let renders = 0;
    list.subscribe(() => renders++);
    list.ensure(35);
    list.ensure(25);
    await settle();
    assert.deepEqual(
      list.getSnapshot().items,
      Array.from({ length: 40 }, (_, index) => index),
    );
    assert.deepEqual(requests, [null, '9', '19', '29'], 'one request per page, none twice');
    assert.ok(renders > 0);
    assert.equal(list.getSnapshot().loading, false);
  });

  it('marks the list complete at its end and asks for nothing more', async () => {
    const { fetchPage, requests } = source(15, 10);
    const list = new PagedList(fetchPage, await fetchPage(null), String);
    list.ensure(1000);
    await settle();
    assert.equal(list.getSnapshot().items.length, 15);
    assert.equal(list.getSnapshot().complete, true);
    list.ensure(2000);
    await settle();
    assert.equal(requests.length, 2);
  });

  it('stops at an error, says it, and goes on after retry()', async () => {
    const { fetchPage } = source(30, 10, '9');
    const list = new PagedList(fetchPage, await fetchPage(null), (error) => `failed: ${(error as Error).message}`);
    list.ensure(30);
    await settle();
    assert.equal(list.getSnapshot().error, 'failed: network down');
    assert.equal(list.getSnapshot().items.length, 10);
    list.retry();
    await settle();
    assert.equal(list.getSnapshot().error, null);
    assert.equal(list.getSnapshot().items.length, 30);
  });
});
