// End to end in headless Chromium: housekeeping (issue 14). An admin searches and sorts the dataset list (the
// state in the URL, the server searching), renames a dataset (a taken name refused), is told a duplicate name
// before any upload starts, sees a zip without images named as uploaded, deletes a dataset after being told what
// goes with it, finds only the CPU offered by a CPU-only worker, follows a one-epoch run to its end (its loss chart
// on its own scale), renames it and deletes it. No page asks for something it does not get (the favicon included).
// Screenshots of the datasets page and the run page at 390, 820 and 1440 px, and of the renamed dataset, the
// run's deletion question and the run list after it, go to web/test-results/screenshots/housekeeping/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { makeZip } from '../../../api/test/support/zip';
import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { adminCookie, apiRequest, importTextures, signInAdmin } from '../support/tiny-runs';

const WIDTHS = [390, 820, 1440] as const;

let stack: Stack;
let browser: Browser;
let page: Page;
let cookie: string;
const problems: string[] = [];
/** Requests the page made to /uploads: a refused name must start none. */
const uploads: string[] = [];
const ids: Record<string, string> = {};

/** The API directly (set-up and checks), as the admin. */
async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return apiRequest<T>(stack, query, variables, cookie);
}

/** The names in the datasets table, top to bottom. */
async function rowNames(): Promise<string[]> {
  return page.locator('table[data-testid=datasets] tbody tr td:first-child a').allTextContents();
}

/** Waits for the table to list these names; in any order where the sort leaves them tied. */
async function waitForRows(expected: string[], { anyOrder = false } = {}): Promise<void> {
  await page.waitForFunction(
    ({ names, anyOrder }) => {
      const shown = [...document.querySelectorAll('table[data-testid=datasets] tbody tr td:first-child a')].map(
        (link) => link.textContent ?? '',
      );
      return JSON.stringify(anyOrder ? shown.sort() : shown) === JSON.stringify(anyOrder ? [...names].sort() : names);
    },
    { names: expected, anyOrder },
  );
}

/** Full-page screenshots of the current page at each width, back at 1440 px after. */
async function screenshotsAt(name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    // Nothing may stick out sideways at any width (a long name, a table).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} at ${width} px is ${overflow} px wider than the window`);
    await screenshot(page, `housekeeping/${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

before(
  async () => {
    stack = await startStack();
    cookie = await adminCookie(stack);
    ids.textures = await importTextures(stack, cookie, 'textures');
    ids.zinc = await importTextures(stack, cookie, 'zinc textures');
    ids.empty = (
      await api<{ createDataset: { id: string } }>('mutation { createDataset(input: { name: "empty bench" }) { id } }')
    ).createDataset.id;
    mkdirSync(path.join(SCREENSHOTS, 'housekeeping'), { recursive: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/uploads') uploads.push(request.url());
    });
    page.on('response', (response) => {
      if (response.status() === 404) problems.push(`404 ${response.url()}`);
    });
    await signInAdmin(page, stack.webUrl);
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('datasets', { timeout: 240_000 }, () => {
  it('are searched and sorted by the server, the state in the URL', async () => {
    await waitForRows(['empty bench', 'textures', 'zinc textures']);
    await screenshotsAt('datasets');
    await page.selectOption('label:has-text("Sort") select', 'IMAGE_COUNT_ASC');
    await page.waitForURL('**sort=IMAGE_COUNT_ASC**');
    assert.equal((await rowNames())[0], 'empty bench', 'fewest images first');
    await page.fill('[data-testid=dataset-search]', 'TEXT');
    await page.waitForURL(/q=TEXT/);
    // Both hold the same images: their order by image count is the tie's (by id).
    await waitForRows(['textures', 'zinc textures'], { anyOrder: true });
    assert.match(page.url(), /sort=IMAGE_COUNT_ASC/, 'the sort stays while searching');
    // Two changes in quick succession: both reach the URL.
    await page.fill('[data-testid=dataset-search]', 'zinc');
    await page.selectOption('label:has-text("Sort") select', 'NAME_DESC');
    await page.waitForURL(/(?=.*q=zinc)(?=.*sort=NAME_DESC)/);
    await waitForRows(['zinc textures']);
    // A reload keeps them: the server reads them from the URL.
    await page.reload();
    await waitForRows(['zinc textures']);
    assert.equal(await page.inputValue('[data-testid=dataset-search]'), 'zinc');
    await page.fill('[data-testid=dataset-search]', 'nothing like it');
    await page.getByText('No dataset matches').waitFor();
    await page.goto(`${stack.webUrl}/datasets?sort=NAME_DESC`);
    await waitForRows(['zinc textures', 'textures', 'empty bench']);
  });

  it('is renamed from its page; a name another dataset has is refused', async () => {
    await page.goto(`${stack.webUrl}/datasets/${ids.textures}`);
    const tools = page.locator('[data-testid=dataset-housekeeping]');
    await tools.getByRole('button', { name: 'Rename…' }).click();
    await tools.getByLabel('New name').fill('zinc textures');
    await tools.getByRole('button', { name: 'Save name' }).click();
    await tools.getByRole('alert').getByText('a dataset named "zinc textures" already exists').waitFor();
    await tools.getByLabel('New name').fill('textures renamed');
    await tools.getByRole('button', { name: 'Save name' }).click();
    await page.locator('h1', { hasText: 'textures renamed' }).waitFor();
    await screenshot(page, 'housekeeping/dataset-renamed-1440');
  });

  it('refuses a duplicate name before the upload, and names a zip without images as uploaded', async () => {
    await page.goto(`${stack.webUrl}/datasets`);
    await page.click('text=Import dataset');
    await page.getByRole('tab', { name: 'Upload a zip' }).click();
    const zip = makeZip([
      { name: 'readme.txt', data: Buffer.from('no images in here') },
      { name: 'todo.md', data: Buffer.from('nor here') },
    ]);
    await page.setInputFiles('input[name=zip]', { name: 'notes.zip', mimeType: 'application/zip', buffer: zip });
    await page.fill('input[name=name]', 'zinc textures');
    await page.getByTestId('dataset-name-check').getByText('a dataset named "zinc textures" already exists').waitFor();
    await page.click('button[type=submit]');
    await page.getByRole('alert').getByText('a dataset named "zinc textures" already exists').waitFor();
    assert.deepEqual(uploads, [], 'nothing was uploaded for a taken name');
    await page.fill('input[name=name]', 'notes');
    await page.getByTestId('dataset-name-check').getByText('“notes” is free.').waitFor();
    await page.click('button[type=submit]');
    const refusal = page.getByRole('alert').getByText('holds no images');
    await refusal.waitFor();
    const message = (await refusal.textContent()) ?? '';
    assert.match(message, /notes\.zip/);
    assert.doesNotMatch(message, /extracted|[0-9a-f]{8}-[0-9a-f]{4}/, 'no internal folder in the message');
    assert.equal(uploads.length, 1);
  });

  it('is deleted after the page says what goes with it', async () => {
    await page.goto(`${stack.webUrl}/datasets/${ids.empty}`);
    const tools = page.locator('[data-testid=dataset-housekeeping]');
    await tools.getByRole('button', { name: 'Delete…' }).click();
    const question = tools.getByRole('alertdialog');
    await question.getByText('Deleting empty bench also deletes its 0 images, 0 annotated images, 0 runs').waitFor();
    await question.getByRole('button', { name: 'Delete the dataset' }).click();
    await page.waitForURL(/\/datasets$/);
    await waitForRows(['textures renamed', 'zinc textures']);
    const { dataset } = await api<{ dataset: null }>('query($id: ID!) { dataset(id: $id) { id } }', { id: ids.empty });
    assert.equal(dataset, null);
  });
});

describe('runs', { timeout: 300_000 }, () => {
  let runId: string;

  it('are offered only the devices the workers have', async () => {
    const { workerDevices } = await api<{ workerDevices: { device: string }[] }>('{ workerDevices { device } }');
    assert.deepEqual(
      workerDevices.map((entry) => entry.device),
      ['cpu'],
      "this machine's worker has no GPU",
    );
    await page.goto(`${stack.webUrl}/runs/new?dataset=${ids.textures}`);
    const devices = await page
      .locator('select[name=device] option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    assert.deepEqual(devices, ['AUTO', 'CPU']);
    await page.getByText('1 live worker, CPU only: no GPU to offer.').waitFor();
  });

  it('of one epoch ends with a loss chart on its own scale, and is renamed and deleted', async () => {
    const { startRun } = await api<{ startRun: { id: string } }>(
      'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
      { input: { datasetId: ids.textures, name: 'one epoch', preset: 'TINY', epochs: 1 } },
    );
    runId = startRun.id;
    await page.goto(`${stack.webUrl}/runs/${runId}`);
    const monitor = page.locator('[data-testid=run-monitor]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=run-monitor]')?.getAttribute('data-status') === 'SUCCEEDED',
      undefined,
      { timeout: 180_000 },
    );
    assert.equal(await monitor.locator('[data-status]').first().textContent(), 'succeeded');
    // One epoch is one point: its path is drawn but has no area to be visible.
    await page.waitForSelector('[data-testid=loss-chart] path', { state: 'attached' });
    const yTicks = await page
      .locator('[data-testid=loss-chart] text[text-anchor=end]')
      .evaluateAll((labels) => labels.map((label) => Number(label.textContent)));
    assert.ok(
      yTicks.every((tick) => tick >= 0),
      `a loss axis does not go below zero: ${yTicks.join(', ')}`,
    );
    await screenshotsAt('run');

    const tools = page.locator('[data-testid=run-housekeeping]');
    await tools.getByRole('button', { name: 'Rename…' }).click();
    await tools.getByLabel('New name').fill('baseline, one epoch');
    await tools.getByRole('button', { name: 'Save name' }).click();
    await page.locator('h1', { hasText: 'baseline, one epoch' }).waitFor();

    await tools.getByRole('button', { name: 'Delete…' }).click();
    const question = tools.getByRole('alertdialog');
    await question.getByText(/Deleting baseline, one epoch also deletes its \d+ results/).waitFor();
    await screenshot(page, 'housekeeping/run-delete-asked-1440');
    await question.getByRole('button', { name: 'Delete the run' }).click();
    await page.waitForURL(`**/runs?dataset=${ids.textures}`);
    await screenshot(page, 'housekeeping/run-deleted-1440');
    const { run } = await api<{ run: null }>('query($id: ID!) { run(id: $id) { id } }', { id: runId });
    assert.equal(run, null);
  });

  it('left no page asking for something it did not get, and /favicon.ico is there', async () => {
    const favicon = await fetch(`${stack.webUrl}/favicon.ico`);
    assert.equal(favicon.status, 200);
    assert.deepEqual(problems, []);
  });
});
