// End to end in headless Chromium: a dataset page lists the mask exports made before, newest first, under the
// export button. Five exports made through the API fill the first page; the admin exports once more on the page,
// sees it join the top of the list with who asked and its size, downloads its zip from the list, and pages to the
// oldest and back. Screenshots go to web/test-results/screenshots/exports/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { adminCookie, apiRequest, importTextures, signInAdmin } from '../support/tiny-runs';

let stack: Stack;
let browser: Browser;
let page: Page;
let cookie: string;
let datasetId: string;
const problems: string[] = [];
/** The exports made through the API, oldest first. */
const earlier: string[] = [];

/** Waits until every mask export of the dataset has ended, and answers their statuses. */
async function waitForExports(): Promise<string[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { exports } = await apiRequest<{ exports: { edges: { node: { status: string } }[] } }>(
      stack,
      'query($d: ID!) { exports(datasetId: $d, kind: MASKS, first: 50) { edges { node { status } } } }',
      { d: datasetId },
      cookie,
    );
    const statuses = exports.edges.map((edge) => edge.node.status);
    if (statuses.every((status) => status === 'SUCCEEDED' || status === 'FAILED')) return statuses;
    assert.ok(Date.now() < deadline, `exports still running: ${statuses.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

before(
  async () => {
    stack = await startStack();
    cookie = await adminCookie(stack);
    datasetId = await importTextures(stack, cookie, 'export-textures');
    for (let i = 0; i < 5; i += 1) {
      const { exportMasks } = await apiRequest<{ exportMasks: { id: string } }>(
        stack,
        'mutation($d: ID!) { exportMasks(datasetId: $d, which: LATEST) { id } }',
        { d: datasetId },
        cookie,
      );
      earlier.push(exportMasks.id);
    }
    assert.deepEqual(await waitForExports(), Array(5).fill('SUCCEEDED'));
    mkdirSync(path.join(SCREENSHOTS, 'exports'), { recursive: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    await signInAdmin(page, stack.webUrl);
  },
  { timeout: 420_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The ids of the listed exports, top to bottom, read from their download links. */
async function listed(): Promise<string[]> {
  const links = await page
    .locator('[data-testid=past-export] a')
    .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  return links.map((href) => /\/files\/exports\/([0-9a-f-]{36})\.zip$/.exec(href)?.[1] ?? href);
}

describe("a dataset's past mask exports", { timeout: 180_000 }, () => {
  it('lists the earlier exports newest first, with who asked and their size', async () => {
    await page.goto(`${stack.webUrl}/datasets/${datasetId}`);
    const list = page.locator('[data-testid=past-exports]');
    await list.getByText('Past exports (5)').waitFor();
    assert.deepEqual(await listed(), [...earlier].reverse());
    const first = list.locator('[data-testid=past-export]').first();
    assert.match(await first.innerText(), /files, [\d.]+ (B|KB|MB)/);
    // The first admin is made with this name (user.service.ts, ensureAdmin).
    assert.match(await first.innerText(), /Administrator/);
    assert.match(await first.innerText(), /Latest of each image/, 'the API asked for LATEST');
    assert.ok(await list.getByRole('button', { name: 'Older' }).isDisabled(), 'five fit on one page');
    assert.ok(await list.getByRole('button', { name: 'Newer' }).isDisabled());
  });

  it('adds a new export at the top once it has succeeded, and its zip downloads from the list', async () => {
    await page.click('[data-testid=export-masks]');
    await page.waitForSelector('[data-testid=mask-export][data-status=SUCCEEDED]', { timeout: 120_000 });
    const list = page.locator('[data-testid=past-exports]');
    await list.getByText('Past exports (6)').waitFor();
    const ids = await listed();
    assert.equal(ids.length, 5);
    assert.ok(!earlier.includes(ids[0]!), 'the new export is on top');
    assert.match(await list.locator('[data-testid=past-export]').first().innerText(), /Approved/, "the page's choice");
    assert.deepEqual(ids.slice(1), [...earlier].reverse().slice(0, 4));
    await list.locator('[data-testid=past-export]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'exports/dataset-past-exports');

    const href = (await list.locator('[data-testid=past-export] a').first().getAttribute('href'))!;
    const response = await page.request.get(`${stack.webUrl}${href}`);
    assert.equal(response.status(), 200);
    assert.equal((await response.body()).subarray(0, 2).toString('latin1'), 'PK', 'a zip');
  });

  it('pages to the oldest export and back', async () => {
    const list = page.locator('[data-testid=past-exports]');
    const newest = await listed();
    await list.getByRole('button', { name: 'Older' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=past-export]').length === 1);
    assert.deepEqual(await listed(), [earlier[0]]);
    assert.ok(await list.getByRole('button', { name: 'Older' }).isDisabled());
    await list.getByRole('button', { name: 'Newer' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=past-export]').length === 5);
    assert.deepEqual(await listed(), newest);
    assert.ok(await list.getByRole('button', { name: 'Newer' }).isDisabled());
    assert.deepEqual(problems, []);
  });
});
