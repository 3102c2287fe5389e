import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { describeDraft, DraftStore, type StoredDraft } from '../../../lib/mask/draft-store';
import { FakeIndexedDb } from '../../support/fake-indexeddb';

function draft(imageId: string, baseVersion = 2, width = 4, height = 3): StoredDraft {
  const pixels = new Uint8Array(width * height);
  pixels[5] = 1;
  return { imageId, baseVersion, width, height, pixels, savedAt: 1_700_000_000_000 };
}

describe('DraftStore', () => {
  it('keeps one draft per image across store instances (a reload), until it is deleted', async () => {
    const browser = new FakeIndexedDb();
    await new DraftStore(browser.factory).put(draft('a'));
    await new DraftStore(browser.factory).put(draft('b', 0));
    const reloaded = new DraftStore(browser.factory);
    const kept = await reloaded.get('a', 4, 3);
    assert.deepEqual(kept, draft('a'));
    assert.ok(kept!.pixels instanceof Uint8Array, 'the pixels come back as bytes');
    await reloaded.put({ ...draft('a', 3), savedAt: 1 });
    assert.equal((await reloaded.get('a', 4, 3))?.baseVersion, 3, 'a later draft replaces the earlier one');
    await reloaded.delete('a');
    assert.equal(await reloaded.get('a', 4, 3), null);
    assert.equal((await reloaded.get('b', 4, 3))?.baseVersion, 0, "another image's draft stays");
  });

  it('opens the database once per store', async () => {
    const browser = new FakeIndexedDb();
    const store = new DraftStore(browser.factory);
    await Promise.all([store.get('x', 4, 3), store.put(draft('y')), store.delete('z')]);
    assert.equal(browser.opened, 1);
  });

  it('answers null for a draft of another size than the image, and keeps it', async () => {
    const browser = new FakeIndexedDb();
    const store = new DraftStore(browser.factory);
    await store.put(draft('a'));
    assert.equal(await store.get('a', 8, 3), null);
    assert.ok(await store.get('a', 4, 3));
  });

  it('refuses a draft whose pixels do not match its size, and reports a refused write', async () => {
    const browser = new FakeIndexedDb();
    const store = new DraftStore(browser.factory);
    await assert.rejects(store.put({ ...draft('a'), width: 5 }), /draft of image a needs one byte per pixel/);
    browser.failWrites = true;
    await assert.rejects(store.put(draft('a')), /QuotaExceededError/);
    assert.equal(await store.get('a', 4, 3), null, 'nothing half-written');
  });

  it('says so where the browser has no IndexedDB', async () => {
    const store = new DraftStore(undefined);
    assert.equal(store.available, false);
    await assert.rejects(store.get('a', 4, 3), /keeps no drafts \(no IndexedDB\)/);
  });
});

describe('describeDraft', () => {
  it('says whether the draft builds on the latest version', () => {
    assert.deepEqual(describeDraft({ baseVersion: 3 }, 3), {
      stale: false,
      text: 'Unsaved changes based on version 3, the latest.',
    });
    assert.deepEqual(describeDraft({ baseVersion: 0 }, 0), {
      stale: false,
      text: 'Unsaved changes drawn on no saved mask, the latest.',
    });
    const stale = describeDraft({ baseVersion: 1 }, 3);
    assert.equal(stale.stale, true);
    assert.match(stale.text, /based on version 1, older than the latest \(version 3\)/);
  });
});
