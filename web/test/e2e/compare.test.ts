// End to end in headless Chromium: two tiny runs of one dataset with different settings are compared. From the
// dataset's runs list the admin ticks both and opens the compare page, sees the differing settings marked, both
// runs' metrics with the best of each row, both runs' curves overlaid, picks the image the runs disagree on most
// and zooms and switches the map of the synced panels. Screenshots at 390, 820 and 1440 px go to
// web/test-results/screenshots/compare/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { adminCookie, importTextures, signInAdmin, startTinyRun, waitForEvaluatedRun } from '../support/tiny-runs';

let stack: Stack;
let browser: Browser;
let page: Page;
let datasetId: string;
let runIds: string[];
const problems: string[] = [];

before(
  async () => {
    stack = await startStack();
    const cookie = await adminCookie(stack);
    datasetId = await importTextures(stack, cookie);
    // Different epochs and smoothing: two settings that differ, the rest the same.
    runIds = [
      await startTinyRun(stack, cookie, datasetId, 'two epochs', { epochs: 2 }),
      await startTinyRun(stack, cookie, datasetId, 'three epochs, smoothed', { epochs: 3, smoothing: 0.0625 }),
    ];
    for (const id of runIds) await waitForEvaluatedRun(stack, cookie, id);
    mkdirSync(path.join(SCREENSHOTS, 'compare'), { recursive: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
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

/** The figures of one metric row of a table, per run column. */
async function rowValues(table: string, group: string, metric: string): Promise<{ value: string; best: boolean }[]> {
  return page
    .locator(`[data-testid=${table}] tr[data-group="${group}"][data-metric=${metric}] td[data-value]`)
    .evaluateAll((cells) =>
      cells.map((cell) => ({ value: cell.getAttribute('data-value')!, best: cell.hasAttribute('data-best') })),
    );
}

/** Each synced panel's map type and view. */
async function panels(): Promise<{ mapType: string; view: string }[]> {
  return page.locator('[data-testid=synced-map]').evaluateAll((figures) =>
    figures.map((figure) => ({
      mapType: figure.getAttribute('data-map-type')!,
      view: figure.getAttribute('data-view')!,
    })),
  );
}

describe('comparing two runs', { timeout: 240_000 }, () => {
  it("ticks both runs in the dataset's runs list and opens the compare page", async () => {
    await page.goto(`${stack.webUrl}/runs?dataset=${datasetId}`);
    for (const name of ['two epochs', 'three epochs, smoothed']) {
      await page.getByRole('checkbox', { name: `Compare ${name}` }).check();
    }
    await page.click('[data-testid=compare-selected]');
    await page.waitForURL('**/runs/compare?**');
    const asked = new URL(page.url()).searchParams.getAll('runs');
    assert.deepEqual([...asked].sort(), [...runIds].sort());
    await page.waitForSelector('[data-testid=compare-settings]');
  });

  it('marks the settings that differ and only those', async () => {
    const differing = await page
      .locator('[data-testid=compare-settings] tr[data-differs]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-setting')));
    assert.ok(differing.includes('train.epochs'), `differing: ${differing.join(', ')}`);
    assert.ok(differing.includes('explain.smoothing'), `differing: ${differing.join(', ')}`);
    assert.ok(!differing.includes('preset'), 'both runs use the tiny preset');
    const epochs = await page
      .locator('[data-testid=compare-settings] tr[data-setting="train.epochs"] td')
      .allTextContents();
    assert.deepEqual(epochs.slice(1).sort(), ['2', '3']);
    await page.check('input[name=onlyDifferences]');
    const shown = await page.locator('[data-testid=compare-settings] tbody tr').count();
    assert.equal(shown, differing.length, 'only the differing settings are left');
    await page.uncheck('input[name=onlyDifferences]');
  });

  it("shows both runs' metrics by map and by defect type, the best of each row marked", async () => {
    const imageAuroc = await rowValues('compare-by-map', 'attention', 'imageAuroc');
    assert.equal(imageAuroc.length, 2);
    for (const cell of imageAuroc) assert.ok(Number.isFinite(Number(cell.value)) && cell.value !== '', cell.value);
    const top = Math.max(...imageAuroc.map((cell) => Number(cell.value)));
    assert.deepEqual(
      imageAuroc.map((cell) => cell.best),
      imageAuroc.map((cell) => Number(cell.value) === top),
      'the highest figure of the row is marked',
    );
    const scratch = await rowValues('compare-by-defect', 'scratch', 'pixelAuroc');
    assert.equal(scratch.length, 2);
    assert.ok(scratch.some((cell) => cell.best));
  });

  it("overlays both runs' ROC and PRO curves, with a legend", async () => {
    const columns = (await page.locator('[data-testid=compare-by-map] thead th.num').allTextContents()).map((text) =>
      text.trim(),
    );
    assert.deepEqual([...columns].sort(), ['three epochs, smoothed', 'two epochs']);
    for (const chart of ['compare-image-roc', 'compare-pixel-roc', 'compare-pro']) {
      await page.waitForSelector(`[data-testid=${chart}] path`);
      const legend = await page.locator(`[data-testid=${chart}] .legend > span`).allTextContents();
      assert.deepEqual(legend, columns, `${chart}: a series per run, in the tables' order`);
      assert.equal(await page.locator(`[data-testid=${chart}] svg > g > path`).count(), 2, chart);
    }
    await page.selectOption('[data-testid=compare-curves] select >> nth=1', 'stain');
    await page.waitForURL('**defect=stain**');
    await page.waitForSelector(
      '[data-testid=compare-curves] svg[aria-label="Pixel-level ROC of the attention map on stain"]',
    );
  });

  it('picks the image the runs disagree on most and sees both maps of it, zoomed and switched together', async () => {
    const first = page.locator('[data-testid=image-picker] button.compare-image').first();
    const imageId = await first.getAttribute('data-image-id');
    await first.click();
    await page.waitForURL(`**image=${imageId}**`);
    await page.waitForSelector('[data-testid=synced-map] img');
    let shown = await panels();
    assert.equal(shown.length, 2);
    assert.ok(shown.every((panel) => panel.mapType === 'attention'));
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid=synced-map] img')].every(
        (image) => image.complete && image.naturalWidth > 0,
      ),
    );

    await page.getByRole('button', { name: 'Zoom in' }).click();
    shown = await panels();
    assert.equal(shown[0]!.view, '2.0000,-0.5000,-0.5000', 'zoomed about the centre');
    assert.equal(shown[1]!.view, shown[0]!.view, 'both panels zoomed');

    // A drag on the second panel pans the first as well.
    const second = page.locator('[data-testid=synced-map] .synced-frame').nth(1);
    await second.scrollIntoViewIfNeeded();
    const frame = (await second.boundingBox())!;
    await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
    await page.mouse.down();
    await page.mouse.move(frame.x + frame.width / 2 + frame.width / 4, frame.y + frame.height / 2, { steps: 4 });
    await page.mouse.up();
    shown = await panels();
    assert.notEqual(shown[0]!.view, '2.0000,-0.5000,-0.5000', 'the drag panned');
    assert.equal(shown[1]!.view, shown[0]!.view, 'both panels panned');

    await page.selectOption('select[name=syncedMap]', 'residual');
    shown = await panels();
    assert.ok(
      shown.every((panel) => panel.mapType === 'residual'),
      JSON.stringify(shown),
    );
    const sources = await page
      .locator('[data-testid=synced-map] img')
      .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).getAttribute('src')));
    assert.ok(
      sources.every((source) => source?.includes('/residual.png')),
      sources.join(', '),
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid=synced-map] img')].every(
        (image) => image.complete && image.naturalWidth > 0,
      ),
    );
  });

  it('reads at 390, 820 and 1440 px wide', async () => {
    for (const width of [390, 820, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      await screenshot(page, `compare/compare-${width}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      // The outermost elements reaching past the window's right edge (outside boxes that scroll or clip), to say
      // which. No named functions in here: tsx would wrap them in a helper the page does not have.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((element) => !element.closest('.table-wrap, .synced-frame'))
          .filter(
            (element) =>
              element.getBoundingClientRect().right > window.innerWidth + 1 &&
              (element.parentElement?.getBoundingClientRect().right ?? 0) <= window.innerWidth + 1,
          )
          .slice(0, 5)
          .map(
            (element) => `${element.tagName.toLowerCase()}.${element.className} (${element.textContent?.slice(0, 40)})`,
          ),
      );
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px at ${width} px: ${wide.join(', ')}`);
    }
  });

  it("is offered on a run's page, with that run ticked", async () => {
    await page.goto(`${stack.webUrl}/runs/${runIds[0]}`);
    await page.click('[data-testid=compare-run]');
    await page.waitForURL(`**/runs/compare?runs=${runIds[0]}`);
    await page.getByText('Choose the runs to compare').waitFor();
    assert.ok(await page.getByRole('checkbox', { name: 'two epochs' }).isChecked());
    await page.getByRole('checkbox', { name: 'three epochs, smoothed' }).check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    await page.waitForSelector('[data-testid=compare-settings]');
  });

  it('met no missing file, refusal or script error on the way', () => {
    assert.deepEqual(problems, []);
  });
});
