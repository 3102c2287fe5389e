// The mask editor end to end in headless Chromium against the real API, worker and database: after a tiny run
// on a small dataset, an admin opens an anomalous image from the dataset (not from the run) at 390, 820 and
// 1440 px wide, where the canvas has a size and every tool is reachable; starts from the run's attention hint
// with the threshold slider, draws, reloads and restores the kept draft, saves it, opens the imported version
// read-only and restores it as a new version; a draft older than the latest version says so. Screenshots of the
// editor at each width go to web/test-results/screenshots/editor/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';

import { resizeLevels } from '../../lib/maps';
import { defaultHintThreshold, maskFromHint } from '../../lib/mask/hint';
import { launchBrowser, SCREENSHOTS } from '../support/browser';
import { makeTextureDataset } from '../support/dataset';
import { ADMIN, startStack, type Stack } from '../support/stack';
import { apiRequest, sessionCookie } from '../support/tiny-runs';

const ANNOTATOR = { email: 'editor-annotator@e2e.local', password: 'annotator-password', name: 'Edith Annotator' };
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 820, height: 1180 },
  { width: 1440, height: 900 },
];

let stack: Stack;
let browser: Browser;
let page: Page;
let adminCookie: string;
let datasetId: string;
let image: { id: string; maskVersion: number; currentMask: { defectPixels: number } };

async function api<T>(query: string, variables: Record<string, unknown>, cookie: string): Promise<T> {
  return apiRequest<T>(stack, query, variables, cookie);
}

async function apiLogin(email: string, password: string): Promise<string> {
  return sessionCookie(stack, email, password);
}

async function editorScreenshot(name: string): Promise<void> {
  const folder = path.join(SCREENSHOTS, 'editor');
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`) });
}

const editor = '[data-testid=mask-editor]';

async function attribute(name: string): Promise<string> {
  return (await page.getAttribute(editor, name)) ?? '';
}

/** The mask's pixel count once it differs from `not` (React renders after input). */
async function maskPixels(not?: number): Promise<number> {
  if (not !== undefined) {
    await page.waitForFunction(
      ([selector, old]) => Number(document.querySelector(selector)?.getAttribute('data-mask-pixels')) !== old,
      [editor, not] as const,
    );
  }
  return Number(await attribute('data-mask-pixels'));
}

async function pixelsBecome(count: number): Promise<void> {
  await page.waitForFunction(
    ([selector, want]) => Number(document.querySelector(selector)?.getAttribute('data-mask-pixels')) === want,
    [editor, count] as const,
  );
}

/** The image's attention levels (0-255) as the API serves them for the hint, at the image's size (32 x 32). */
async function hintLevels(): Promise<Uint8Array> {
  const data = await api<{ image: { latestResult: { maps: { mapType: string; levelsUrl: string }[] } } }>(
    'query($id: ID!) { image(id: $id) { latestResult { maps { mapType levelsUrl } } } }',
    { id: image.id },
    adminCookie,
  );
  const map = data.image.latestResult.maps.find((entry) => entry.mapType === 'attention')!;
  // An absolute URL on the origin asked (the API here).
  const response = await fetch(map.levelsUrl, { headers: { cookie: adminCookie } });
  assert.equal(response.status, 200);
  const { data: grey, info } = await sharp(Buffer.from(await response.arrayBuffer()))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return resizeLevels(new Uint8Array(grey), info.width, info.height, 32, 32);
}

/** Waits until the tools are off (`true`) or on: the stage's lock reaches React on its next frame. */
async function toolsOff(off: boolean): Promise<void> {
  const brush = '.editor-bar button:text-is("Brush")';
  await page.waitForSelector(off ? `${brush}[disabled]` : `${brush}:not([disabled])`, { timeout: 5_000 });
}

async function openEditor(): Promise<void> {
  await page.goto(`${stack.webUrl}/annotate/${image.id}?dataset=${datasetId}`);
  await page.waitForSelector(`${editor}[data-ready=true]`);
}

/** A brush stroke across the canvas, from and to fractions of its size. */
async function stroke(from: [number, number], to: [number, number]): Promise<void> {
  const box = (await page.locator('[data-testid=editor-canvas]').boundingBox())!;
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 10 });
  await page.mouse.up();
}

/**
 * Whether the element is shown entirely, label included, inside the viewport and inside every ancestor that
 * clips or scrolls (a tool bar that scrolls its Polygon button half out of sight does not count).
 */
async function inViewport(selector: string): Promise<boolean> {
  const element = page.locator(selector).first();
  if (!(await element.isVisible())) return false;
  // Only plain data crosses to the browser and no named function: tsx would wrap it in a helper the page lacks.
  const { box, clips, labelCut } = await element.evaluate((target) => {
    const found = [{ left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight }];
    for (let parent = target.parentElement; parent; parent = parent.parentElement) {
      const { overflowX, overflowY } = getComputedStyle(parent);
      if (overflowX === 'visible' && overflowY === 'visible') continue;
      const rect = parent.getBoundingClientRect();
      const left = rect.left + parent.clientLeft;
      const top = rect.top + parent.clientTop;
      found.push({ left, top, right: left + parent.clientWidth, bottom: top + parent.clientHeight });
    }
    return {
      box: target.getBoundingClientRect().toJSON() as { left: number; top: number; right: number; bottom: number },
      clips: found,
      // Its own label cut off (a button narrower than its text) counts as clipped too.
      labelCut: target.scrollWidth > target.clientWidth + 1,
    };
  });
  return (
    !labelCut &&
    clips.every(
      (outer) =>
        box.left >= outer.left - 0.5 &&
        box.top >= outer.top - 0.5 &&
        box.right <= outer.right + 0.5 &&
        box.bottom <= outer.bottom + 0.5,
    )
  );
}

before(
  async () => {
    stack = await startStack();
    const data = await makeTextureDataset(path.join(stack.scratch, 'textures'));
    adminCookie = await apiLogin(ADMIN.email, ADMIN.password);
    await api(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { ...ANNOTATOR, role: 'ANNOTATOR' } },
      adminCookie,
    );
    const imported = await api<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "editor textures" }) { id } }',
      { p: data.root },
      adminCookie,
    );
    datasetId = imported.importDataset.id;
    const started = await api<{ startRun: { id: string } }>(
      'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 2, name: "hint run" }) { id } }',
      { d: datasetId },
      adminCookie,
    );
    const deadline = Date.now() + 180_000;
    let status = 'QUEUED';
    while (Date.now() < deadline && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (
        await api<{ run: { status: string } }>(
          'query($id: ID!) { run(id: $id) { status } }',
          { id: started.startRun.id },
          adminCookie,
        )
      ).run.status;
    }
    assert.equal(status, 'SUCCEEDED', 'the run that gives the hint finished');
    const images = await api<{ dataset: { images: { edges: { node: typeof image }[] } } }>(
      `query($d: ID!) { dataset(id: $d) { images(first: 1, filter: { label: ANOMALOUS }) {
        edges { node { id maskVersion currentMask { defectPixels } } } } } }`,
      { d: datasetId },
      adminCookie,
    );
    image = images.dataset.images.edges[0]!.node;
    assert.equal(image.maskVersion, 1, 'the imported mask is version 1');

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: WIDTHS[2]! });
    page = await context.newPage();
    await page.goto(`${stack.webUrl}/datasets`);
    await page.waitForURL('**/sign-in');
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL('**/datasets');
  },
  { timeout: 420_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the mask editor', { timeout: 300_000 }, () => {
  it('fits 390, 820 and 1440 px wide screens: the canvas has a size and every tool is reachable', async () => {
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      await openEditor();
      const canvas = (await page.locator('[data-testid=editor-canvas]').boundingBox())!;
      const at = `at ${viewport.width} px`;
      assert.ok(canvas.width >= viewport.width * 0.5, `the canvas is ${canvas.width} px wide ${at}`);
      assert.ok(canvas.height >= viewport.height * 0.4, `the canvas is ${canvas.height} px tall ${at}`);
      const tools = ['Brush', 'Eraser', 'Polygon', 'Undo', 'Redo', 'Next →'];
      for (const name of tools) {
        const selector = `.editor-bar button:text-is("${name}")`;
        assert.ok(await inViewport(selector), `${name} is on screen ${at}`);
      }
      assert.ok(await inViewport('input[aria-label="Brush size"]'), `the brush size is on screen ${at}`);
      await page.getByRole('button', { name: 'Polygon' }).click();
      // Pressed once the stage's next frame has reached React.
      await page.waitForSelector('.editor-bar button:text-is("Polygon")[aria-pressed=true]', { timeout: 5_000 });
      await page.getByRole('button', { name: 'Brush', exact: true }).click();
      // The side panels: beside the canvas, or in the drawer on a phone.
      const toggle = page.locator('[data-testid=toggle-panels]');
      if (await toggle.isVisible()) {
        assert.equal(await inViewport('[data-testid=save-mask]'), false, 'the drawer is closed at first');
        await toggle.click();
        await page.locator('[data-testid=save-mask]').waitFor({ state: 'visible', timeout: 5_000 });
      }
      assert.ok(await inViewport('[data-testid=save-mask]'), `Save is on screen ${at}`);
      assert.ok(await inViewport('[data-testid=start-from-hint]'), `Start from hint is on screen ${at}`);
      await page.waitForSelector('[data-testid=hint-panel][data-hint=shown]');
      await editorScreenshot(`editor-${viewport.width}`);
      if (await toggle.isVisible()) {
        await toggle.click();
        await page.locator('[data-testid=save-mask]').waitFor({ state: 'hidden', timeout: 5_000 }); // the drawer closes
      }
    }
  });

  it("starts from the dataset's latest run's hint, thresholded with the slider, and edits it", async () => {
    const imported = await maskPixels();
    assert.equal(imported, image.currentMask.defectPixels);
    const hintBox = page.getByRole('checkbox', { name: 'Show the hint' });
    assert.equal(await hintBox.isChecked(), false, 'off until asked for');
    await hintBox.check();
    await page.fill('input[aria-label="Hint opacity"]', '0.7');
    assert.match(
      (await page.textContent('[data-testid=hint-panel]')) ?? '',
      /Attention map of run “hint run”/,
      'the hint comes from the dataset’s latest succeeded run',
    );
    // What each threshold should mark, from the levels the API serves.
    const levels = await hintLevels();
    const marked = (threshold: number) => maskFromHint(levels, threshold).reduce((sum, value) => sum + value, 0);
    await page.click('[data-testid=start-from-hint]');
    await page.waitForSelector('[data-testid=hint-threshold]');
    const slider = 'input[aria-label="Hint threshold"]';
    const chosen = Number(await page.inputValue(slider));
    assert.equal(chosen, defaultHintThreshold(levels), "the slider starts at Otsu's split of the hint");
    assert.ok(marked(chosen) > 0, 'which marks part of the image');
    await pixelsBecome(marked(chosen));
    await toolsOff(true); // tools wait for the threshold
    for (const threshold of [1, 200, chosen]) {
      await page.fill(slider, String(threshold));
      await pixelsBecome(marked(threshold));
    }
    await editorScreenshot('hint-threshold-1440');
    await page.click('[data-testid=keep-hint-mask]');
    await toolsOff(false);
    // The hint's mask is one step over the imported version.
    await page.keyboard.press('Control+z');
    await pixelsBecome(imported);
    await page.keyboard.press('Control+Shift+z');
    await pixelsBecome(marked(chosen));
  });

  let drawn: number;

  it('draws, and after a reload offers the kept draft, which restores exactly', async () => {
    const before = await maskPixels();
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await stroke([0.1, 0.9], [0.9, 0.9]);
    drawn = await maskPixels(before);
    assert.ok(drawn > before, `the stroke adds pixels (${before} -> ${drawn})`);
    await page.waitForSelector(`${editor}[data-draft-kept=kept]`);
    await page.reload();
    await page.waitForSelector(`${editor}[data-ready=true]`);
    const offer = page.locator('[data-testid=draft-offer]');
    await offer.waitFor();
    assert.equal(await offer.getAttribute('data-stale'), 'false');
    assert.match((await offer.textContent()) ?? '', /based on version 1, the latest/);
    assert.equal(await maskPixels(), image.currentMask.defectPixels, 'the saved version until restored');
    await page.click('[data-testid=restore-draft]');
    assert.equal(await maskPixels(image.currentMask.defectPixels), drawn);
    assert.equal(await attribute('data-dirty'), 'true');
    assert.equal(await attribute('data-base-version'), '1');
  });

  it('saves the draft as version 2, after which no draft is kept', async () => {
    await page.click('[data-testid=save-mask]');
    await page.getByText('Saved as version 2').waitFor();
    await page.waitForSelector(`${editor}[data-draft-kept=none]`);
    await page.reload();
    await page.waitForSelector(`${editor}[data-ready=true][data-draft-looked-up=true]`);
    assert.equal(await page.locator('[data-testid=draft-offer]').count(), 0);
    assert.equal(await maskPixels(), drawn);
  });

  it('opens version 1 read-only and restores it as version 3', async () => {
    await page.click('button[aria-label="View version 1"]');
    const banner = page.locator('[data-testid=version-view][data-version="1"]');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /Version 1, read-only/);
    await toolsOff(true);
    assert.equal(await page.isDisabled('[data-testid=save-mask]'), true);
    await stroke([0.1, 0.1], [0.9, 0.1]);
    assert.equal(await attribute('data-dirty'), 'false', 'drawing does nothing');
    assert.equal(await maskPixels(), drawn, 'the mask being edited stays as it was');
    await editorScreenshot('version-read-only-1440');
    await page.click('[data-testid=restore-version]');
    await page.getByText('Version 1 restored as version 3').waitFor();
    await page.waitForSelector('[data-testid=current-mask][data-version="3"]');
    assert.equal(await maskPixels(drawn), image.currentMask.defectPixels);
    assert.equal(await attribute('data-dirty'), 'false');
    await toolsOff(false); // tools are back
    await page.waitForSelector('[data-testid=version-row][data-version="3"]');
    const stored = await api<{ image: { maskVersion: number; currentMask: { defectPixels: number } } }>(
      'query($id: ID!) { image(id: $id) { maskVersion currentMask { defectPixels } } }',
      { id: image.id },
      adminCookie,
    );
    assert.deepEqual(stored.image, { maskVersion: 3, currentMask: { defectPixels: image.currentMask.defectPixels } });
  });

  it('says so when a kept draft is older than the latest version, and discards it', async () => {
    const before = await maskPixels();
    await stroke([0.2, 0.5], [0.8, 0.5]);
    await maskPixels(before);
    await page.waitForSelector(`${editor}[data-draft-kept=kept]`);
    // Someone else saves version 4 meanwhile.
    const annotatorCookie = await apiLogin(ANNOTATOR.email, ANNOTATOR.password);
    const square = Buffer.alloc(32 * 32);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) square[y * 32 + x] = 255;
    const png = await sharp(square, { raw: { width: 32, height: 32, channels: 1 } })
      .png()
      .toBuffer();
    await api(
      'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 3) { version } }',
      { i: image.id, p: png.toString('base64') },
      annotatorCookie,
    );
    await page.reload();
    const offer = page.locator('[data-testid=draft-offer][data-stale=true]');
    await offer.waitFor();
    assert.match((await offer.textContent()) ?? '', /based on version 3, older than the latest \(version 4\)/);
    await page.click('[data-testid=discard-draft]');
    await offer.waitFor({ state: 'detached' });
    assert.equal(await maskPixels(), 16, "version 4's square");
    await page.reload();
    await page.waitForSelector(`${editor}[data-ready=true][data-draft-looked-up=true]`);
    assert.equal(await page.locator('[data-testid=draft-offer]').count(), 0, 'the discarded draft is gone');
  });
});
