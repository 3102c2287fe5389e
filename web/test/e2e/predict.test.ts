// End to end in headless Chromium: on a finished tiny run's page, an annotator-or-admin uploads an image in the
// "Score new images" panel, follows the worker's progress and sees the image's verdict, score and maps. The image
// is one of the run's test images, so its score is the one the run's result gave it. Screenshots at 390, 820 and
// 1440 px go to web/test-results/screenshots/predict/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import {
  adminCookie,
  apiRequest,
  importTextures,
  signInAdmin,
  startTinyRun,
  waitForEvaluatedRun,
} from '../support/tiny-runs';

let stack: Stack;
let browser: Browser;
let page: Page;
let cookie: string;
let runId: string;
const problems: string[] = [];

before(
  async () => {
    stack = await startStack();
    cookie = await adminCookie(stack);
    const datasetId = await importTextures(stack, cookie, 'predict-textures');
    runId = await startTinyRun(stack, cookie, datasetId, 'to score with', { epochs: 2 });
    await waitForEvaluatedRun(stack, cookie, runId);
    mkdirSync(path.join(SCREENSHOTS, 'predict'), { recursive: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      // The favicon is the housekeeping issue's (a 404 on every page, reported there).
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico'))
        problems.push(`${response.status()} ${response.url()}`);
    });
    await signInAdmin(page, stack.webUrl);
  },
  { timeout: 420_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('scoring new images on a run page', { timeout: 240_000 }, () => {
  it('uploads an image and sees its score, verdict and maps', async () => {
    // The run's result for test/stain/000: the uploaded copy of that file must score the same.
    const { run } = await apiRequest<{
      run: { results: { edges: { node: { score: number; image: { name: string } } }[] } };
    }>(
      stack,
      'query($id: ID!) { run(id: $id) { results(first: 100) { edges { node { score image { name } } } } } }',
      { id: runId },
      cookie,
    );
    const expected = run.results.edges.map((edge) => edge.node).find((node) => node.image.name === 'test/stain/000');
    assert.ok(expected, 'the run scored test/stain/000');

    await page.goto(`${stack.webUrl}/runs/${runId}`);
    const panel = page.getByRole('region', { name: 'Score new images' });
    await panel.waitFor();
    await panel
      .locator('[data-testid=predict-files]')
      .setInputFiles(path.join(stack.scratch, 'predict-textures', 'test', 'stain', '000.png'));
    await panel.locator('[data-testid=predict-start]').click();
    await panel.locator('[data-testid=prediction][data-status=SUCCEEDED]').waitFor({ timeout: 120_000 });
    const row = panel.locator('[data-testid=predicted-image]');
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-name'), '000.png');
    const score = Number(await row.locator('[data-testid=predicted-score]').getAttribute('data-score'));
    assert.ok(Math.abs(score - expected.score) <= 1e-6 * Math.max(1, Math.abs(expected.score)), `${score}`);
    assert.ok(await row.locator('[data-testid=verdict]').isVisible(), 'the verdict is shown');
    const maps = await row
      .locator('figure img')
      .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
    assert.ok(maps.length >= 3 && maps.every((width) => width > 0), `map thumbnails loaded: ${maps.join(', ')}`);
    const tiff = await row.locator('a', { hasText: 'TIFF' }).first().getAttribute('href');
    const response = await page.request.get(`${stack.webUrl}${tiff}`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'image/tiff');

    for (const width of [390, 820, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `predict/run-page-scored-${width}`);
    }
    assert.deepEqual(problems, []);
  });
});
