// End to end in headless Chromium against the real API, worker and database: an admin signs in, imports a small
// dataset (a server folder, and a zip through the upload), launches a tiny run and watches it finish, opens the
// top-scoring anomalous image, draws a stroke, undoes and redoes it, saves into a conflict with a parallel save
// without losing the stroke, saves it anyway, approves it, re-evaluates and sees the metrics change. It exports the
// run and downloads the zip, exports the dataset's masks and imports them back, seeing the count. On the People
// page the admin adds an annotator (the password policy's refusals shown under the field), who signs in and
// changes their password; the admin makes them a viewer and disables them, and they can no longer sign in. Then a
// viewer sees no editing controls and the API refuses the viewer's writes. Screenshots of each main page go to
// web/test-results/screenshots.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';

import { passwordProblem } from '../../../api/src/auth/password-policy';
import { extractZip } from '../../../api/src/files/zip';
import { makeZip } from '../../../api/test/support/zip';
import { bytes } from '../../lib/format';
import { launchBrowser, screenshot } from '../support/browser';
import { makeTextureDataset, type TextureDataset } from '../support/dataset';
import { ADMIN, startStack, type Stack } from '../support/stack';
import { apiRequest, sessionCookie } from '../support/tiny-runs';

const VIEWER = { email: 'viewer@e2e.local', password: 'viewer-password', name: 'Vera Viewer' };
const ANNOTATOR = { email: 'annotator@e2e.local', password: 'annotator-password', name: 'Ann Otator' };
/**
 * The annotator the admin adds on the People page; they change their password to `newPassword`, then the admin
 * resets it to `resetPassword`.
 */
const NEWCOMER = {
  email: 'newcomer@e2e.local',
  password: 'tulip-kettle-42',
  newPassword: 'cobalt-meadow-19',
  resetPassword: 'amber-harbor-73',
  name: 'Nico Newcomer',
};
/** Refused by the API's policy as a common password, though long enough. */
const COMMON_PASSWORD = 'password123';

let stack: Stack;
let browser: Browser;
/** What the admin's pages asked for and did not get (a favicon, a map, a chunk). */
const notFound: string[] = [];
let admin: BrowserContext;
let page: Page;
let data: TextureDataset;
let adminCookie: string;

/** The API directly (test set-up and checks), as a signed-in user. */
async function api<T>(query: string, variables: Record<string, unknown>, cookie: string): Promise<T> {
  return apiRequest<T>(stack, query, variables, cookie);
}

/** Writes a file into the stack's scratch folder, giving its path. */
async function writeScratch(name: string, data: Buffer): Promise<string> {
  const file = path.join(stack.scratch, name);
  await writeFile(file, data);
  return file;
}

async function apiLogin(email: string, password: string): Promise<string> {
  return sessionCookie(stack, email, password);
}

async function signIn(target: Page, email: string, password: string): Promise<void> {
  await target.goto(`${stack.webUrl}/datasets`);
  await target.waitForURL('**/sign-in');
  await target.fill('input[name=email]', email);
  await target.fill('input[name=password]', password);
  await target.click('button[type=submit]');
  await target.waitForURL('**/datasets');
}

/** The editor's mask pixel count once it has settled on a value other than `not` (React renders after input). */
async function maskPixels(not?: number): Promise<number> {
  if (not !== undefined) {
    await page.waitForFunction(
      (old) => Number(document.querySelector('[data-testid=mask-editor]')?.getAttribute('data-mask-pixels')) !== old,
      not,
    );
  }
  return Number(await page.getAttribute('[data-testid=mask-editor]', 'data-mask-pixels'));
}

async function attentionMetrics(): Promise<Record<string, string>> {
  const cells = page.locator('[data-testid=metrics-by-map] tr[data-map=attention] td[data-metric]');
  const values: Record<string, string> = {};
  for (const cell of await cells.all()) {
    values[(await cell.getAttribute('data-metric'))!] = (await cell.getAttribute('data-value'))!;
  }
  return values;
}

before(
  async () => {
    stack = await startStack();
    data = await makeTextureDataset(path.join(stack.scratch, 'textures'));
    browser = await launchBrowser();
    admin = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await admin.newPage();
    page.on('response', (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    adminCookie = await apiLogin(ADMIN.email, ADMIN.password);
    for (const user of [
      { ...VIEWER, role: 'VIEWER' },
      { ...ANNOTATOR, role: 'ANNOTATOR' },
    ]) {
      await api(
        'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
        { input: user },
        adminCookie,
      );
    }
  },
  { timeout: 240_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the accounts this suite uses', () => {
  it("have passwords the API's policy accepts: at least 10 characters, not common, not the email", () => {
    const accounts = [
      ADMIN,
      VIEWER,
      ANNOTATOR,
      NEWCOMER,
      { ...NEWCOMER, password: NEWCOMER.newPassword },
      { ...NEWCOMER, password: NEWCOMER.resetPassword },
    ];
    for (const { email, password } of accounts) assert.equal(passwordProblem(password, email), null, email);
    assert.notEqual(passwordProblem(COMMON_PASSWORD), null, "the refusal the People page shows is the API's");
  });
});

describe('an admin', { timeout: 300_000 }, () => {
  let runUrl: string;
  let imageId: string;

  it('signs in and sees their role in the header', async () => {
    await page.goto(`${stack.webUrl}/datasets`);
    await page.waitForURL('**/sign-in');
    await screenshot(page, '01-sign-in');
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').getByText('Wrong email or password').waitFor();
    await page.fill('input[name=password]', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL('**/datasets');
    assert.equal(await page.textContent('[data-testid=current-role]'), 'Admin');
    await page.getByText('No datasets yet').waitFor();
  });

  it('imports a dataset from a server folder and another from a zip upload', async () => {
    await page.click('text=Import dataset');
    await page.fill('input[name=path]', data.root);
    await page.fill('input[name=name]', 'textures');
    await page.click('button[type=submit]');
    await page.getByText('Imported textures: 26 images').waitFor();
    await page.locator('table[data-testid=datasets] a', { hasText: 'textures' }).waitFor();

    const zip = makeZip(
      data.files.map((file) => ({ name: `zipped/${file}`, data: readFileSync(path.join(data.root, file)) })),
    );
    await page.getByRole('tab', { name: 'Upload a zip' }).click();
    await page.setInputFiles('input[name=zip]', { name: 'zipped.zip', mimeType: 'application/zip', buffer: zip });
    await page.fill('input[name=name]', 'textures from a zip');
    await page.click('button[type=submit]');
    await page.getByText('Imported textures from a zip: 26 images').waitFor();
    const rows = page.locator('table[data-testid=datasets] tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table[data-testid=datasets] tbody tr').length === 2);
    assert.match((await rows.first().textContent()) ?? '', /100 %/, 'every anomalous image has a mask');
    await screenshot(page, '02-datasets');
  });

  it('browses the dataset grid and filters it', async () => {
    await page.locator('table[data-testid=datasets] a', { hasText: /^textures$/ }).click();
    await page.waitForSelector('[data-testid=grid-tile]');
    assert.equal(await page.textContent('[data-testid=image-count]'), '26 images');
    await page.selectOption('label:has-text("Label") select', 'ANOMALOUS');
    await page.waitForURL('**label=ANOMALOUS**');
    await page.waitForFunction(() => document.querySelector('[data-testid=image-count]')?.textContent === '6 images');
    assert.equal(await page.locator('[data-testid=grid-tile]').count(), 6);
    // Thumbnails come through the app's /files proxy with the session cookie.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid=grid-tile] img')].every(
        (image) => image.complete && image.naturalWidth > 0,
      ),
    );
    await screenshot(page, '03-dataset-grid');
    // Two filters chosen at once both hold: the second does not undo the first on its way to the URL.
    await page.selectOption('label:has-text("Split") select', 'TEST');
    await page.selectOption('label:has-text("Mask") select', 'any');
    await page.waitForURL(/(?=.*split=TEST)(?=.*mask=any)(?=.*label=ANOMALOUS)/);
    await page.selectOption('label:has-text("Split") select', '');
    await page.selectOption('label:has-text("Mask") select', '');
    await page.waitForURL((url) => !url.search.includes('split') && !url.search.includes('mask'));
  });

  it('launches a tiny run and watches it finish', async () => {
    await page.click('text=Launch a run');
    await page.waitForURL('**/runs/new?dataset=*');
    await page.selectOption('select[name=preset]', 'TINY');
    assert.equal(
      await page.getAttribute('input[name=imageSize]', 'placeholder'),
      '32',
      'the preset fills the defaults',
    );
    assert.equal(await page.getAttribute('input[name=patchSize]', 'placeholder'), '0', 'whole images by default');
    await page.fill('input[name=patchSize]', '12');
    await page.click('button[type=submit]');
    await page.getByRole('alert').getByText('0 (whole images) or a multiple of 8 up to the image size, 32').waitFor();
    await page.fill('input[name=patchSize]', '');
    await page.fill('input[name=epochs]', '3');
    await page.fill('input[name=name]', 'tiny e2e run');
    const layers = await page.locator('select[name=mapLayer] option').allTextContents();
    assert.deepEqual(layers.slice(1), ['enc1', 'enc2', 'enc3', 'bottleneck']);
    assert.equal(await page.getAttribute('input[name=smoothing]', 'placeholder'), '0');
    assert.equal(await page.getAttribute('input[name=smoothing]', 'max'), '0.25', 'the range comes from the API');
    await page.fill('input[name=smoothing]', '0.0625');
    await screenshot(page, '04-launch');
    // Progress comes over graphql-ws, straight from the API.
    let liveEvents = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', (frame) => {
        if (String(frame.payload).includes('"runProgress"')) liveEvents += 1;
      }),
    );
    await page.click('button[type=submit]');
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    runUrl = page.url();
    const started = await api<{ run: { options: { smoothing: number | null } } }>(
      'query($id: ID!) { run(id: $id) { options { smoothing } } }',
      { id: runUrl.split('/').at(-1) },
      adminCookie,
    );
    assert.equal(started.run.options.smoothing, 0.0625, 'the filled-in smoothing is sent');
    const monitor = page.locator('[data-testid=run-monitor]');
    const seen = new Set<string>();
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      const status = (await monitor.getAttribute('data-status'))!;
      seen.add(status);
      if (status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELLED') break;
      await page.waitForTimeout(250);
    }
    assert.equal(await monitor.getAttribute('data-status'), 'SUCCEEDED', `statuses seen: ${[...seen].join(', ')}`);
    assert.equal(await page.textContent('[data-testid=run-progress]'), '100 %');
    assert.ok(liveEvents > 0, 'runProgress events arrived over the socket');
    await page.waitForSelector('[data-testid=loss-chart] path');
    // Two of the 16 training images are held back: the page says which epoch's weights the model kept.
    assert.match(
      (await page.locator('[data-testid=best-epoch]').textContent()) ?? '',
      /keeps the weights of epoch [1-3], its lowest validation loss/,
    );
    await screenshot(page, '05-run');
  });

  it("launches again from a run's page with its options filled in", async () => {
    await page.click('[data-testid=launch-again]');
    await page.waitForURL('**/runs/new?from=*');
    assert.equal(await page.inputValue('select[name=preset]'), 'TINY');
    assert.equal(await page.inputValue('input[name=epochs]'), '3');
    assert.equal(await page.inputValue('input[name=smoothing]'), '0.0625');
    await page.goto(runUrl);
  });

  it('opens the top-scoring anomalous image with its maps, and switches to another map', async () => {
    await page.click('text=Results (10)');
    await page.selectOption('select[name=label]', 'ANOMALOUS');
    await page.waitForURL('**label=ANOMALOUS**');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-card]').length === 6);
    const scores = await page
      .locator('[data-testid=result-card]')
      .evaluateAll((cards) => cards.map((card) => Number(card.getAttribute('data-score'))));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'most anomalous first',
    );
    await screenshot(page, '06-results');
    await page.locator('[data-testid=result-card]').first().click();
    await page.waitForSelector('[data-testid=overlay-canvas]');
    await page.getByText('#1 of 6 by anomaly score').waitFor();
    // The overlay is drawn once the image and maps are in: it is no longer blank.
    await page.waitForFunction(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=overlay-canvas]')!;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      return pixels.some((value, index) => index % 4 !== 3 && value > 0);
    });
    await page.fill('input[aria-label=Threshold]', '0.3');
    await screenshot(page, '07-result');
    // The colour maps come from the API; another one is drawn once its legend is in.
    await page.waitForSelector('[data-testid=overlay-canvas][data-colour-map=inferno]');
    await page.getByLabel('Colour map').selectOption('viridis');
    await page.waitForSelector('[data-testid=overlay-canvas][data-colour-map=viridis]');
    // Every map of the run is offered; another one redraws the overlay and goes into the URL.
    await page.waitForSelector('[data-testid=overlay-canvas][data-map=attention]');
    await page.getByRole('tab', { name: /^ssim/ }).click();
    await page.waitForSelector('[data-testid=overlay-canvas][data-map=ssim]');
    assert.match(page.url(), /[?&]map=ssim/);
  });

  it('draws a stroke, undoes and redoes it, and keeps it through a conflicting save', async () => {
    await page.click('[data-testid=open-editor]');
    await page.waitForSelector('[data-testid=mask-editor][data-ready=true]');
    imageId = /annotate\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const imported = await maskPixels();
    assert.ok(imported > 0, 'the imported mask is loaded');
    const canvas = (await page.locator('[data-testid=editor-canvas]').boundingBox())!;
    await page.keyboard.press(']');
    await page.mouse.move(canvas.x + canvas.width * 0.25, canvas.y + canvas.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.75, canvas.y + canvas.height * 0.2, { steps: 12 });
    await page.mouse.up();
    const drawn = await maskPixels(imported);
    assert.ok(drawn > imported, `the stroke adds pixels (${imported} -> ${drawn})`);
    await page.keyboard.press('Control+z');
    assert.equal(await maskPixels(drawn), imported, 'undo removes the stroke');
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await maskPixels(imported), drawn, 'redo puts it back');
    assert.equal(await page.getAttribute('[data-testid=mask-editor]', 'data-dirty'), 'true');
    await screenshot(page, '08-editor');

    // → to the next image and ← back: the unsaved stroke is kept.
    await page.getByText('1 / 6').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByText('2 / 6').waitFor();
    await page.waitForSelector('[data-testid=mask-editor][data-ready=true]');
    await page.keyboard.press('ArrowLeft');
    await page.getByText('1 / 6').waitFor();
    await page.getByText('Your unsaved changes to this image were kept').waitFor();
    // The notice shows as soon as the draft is found; the raster is drawn from it a moment later.
    await page.waitForFunction(
      (want) => Number(document.querySelector('[data-testid=mask-editor]')?.getAttribute('data-mask-pixels')) === want,
      drawn,
    );
    assert.equal(await maskPixels(), drawn);

    // An annotator saves version 2 of the same mask meanwhile.
    const annotatorCookie = await apiLogin(ANNOTATOR.email, ANNOTATOR.password);
    const square = Buffer.alloc(32 * 32);
    for (let y = 24; y < 30; y++) for (let x = 2; x < 8; x++) square[y * 32 + x] = 255;
    const theirs = await sharp(square, { raw: { width: 32, height: 32, channels: 1 } })
      .png()
      .toBuffer();
    await api(
      'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 1, submit: true) { version } }',
      { i: imageId, p: theirs.toString('base64') },
      annotatorCookie,
    );

    await page.click('[data-testid=save-mask]');
    const conflict = page.locator('[data-testid=conflict]');
    await conflict.waitFor();
    assert.match((await conflict.textContent()) ?? '', /Ann Otator saved version 2/);
    assert.equal(await maskPixels(), drawn, 'the stroke is still there');
    await screenshot(page, '09-conflict');
    await page.getByRole('button', { name: 'Save mine as version 3' }).click();
    await page.getByText('Saved as version 3, submitted for review').waitFor();
    assert.equal(await page.getAttribute('[data-testid=current-mask]', 'data-status'), 'SUBMITTED');
    const stored = await api<{ image: { maskVersion: number; currentMask: { defectPixels: number } } }>(
      'query($id: ID!) { image(id: $id) { maskVersion currentMask { defectPixels } } }',
      { id: imageId },
      adminCookie,
    );
    assert.deepEqual(stored.image, { maskVersion: 3, currentMask: { defectPixels: drawn } });
  });

  it('approves the mask, re-evaluates and sees the metrics change', async () => {
    // The admin drew this version; approving one's own mask is the workspace's choice (review.test.ts covers the
    // refusal), and this test is about the evaluation.
    await api('mutation { updateWorkspaceSettings(allowSelfReview: true) { allowSelfReview } }', {}, adminCookie);
    await page.fill('textarea[aria-label="Review comment"]', 'Covers the stain and the scratch next to it');
    await page.click('[data-testid=approve]');
    await page.waitForSelector('[data-testid=current-mask][data-status=APPROVED]');

    await page.goto(`${runUrl}/evaluation`);
    await page.waitForSelector('[data-testid=metrics-by-map]');
    const before = await attentionMetrics();
    assert.ok(Number(before.imageAuroc) >= 0 && Number(before.imageAuroc) <= 1, JSON.stringify(before));
    await page.waitForSelector('[data-testid=roc-chart] path');
    await page.waitForSelector('[data-testid=score-histogram] rect');
    await page.click('[data-testid=reevaluate]');
    await page.waitForSelector('[data-testid=evaluation-pending]');
    await page.waitForSelector('[data-testid=evaluation-pending]', { state: 'detached', timeout: 90_000 });
    await page.waitForFunction(
      (old) =>
        document
          .querySelector('[data-testid=metrics-by-map] tr[data-map=attention] td[data-metric=pixelAuroc]')
          ?.getAttribute('data-value') !== old,
      before.pixelAuroc,
    );
    const afterwards = await attentionMetrics();
    assert.notEqual(afterwards.pixelAuroc, before.pixelAuroc, 'the new mask changes the pixel-level figures');
    assert.equal(afterwards.imageAuroc, before.imageAuroc, 'image labels did not change');
    assert.match((await page.textContent('select[name=evaluation]')) ?? '', /\(latest\)/);
    await screenshot(page, '10-evaluation');
  });

  // Reading results (issue 14): the gallery shows each image's normalised score and verdict and is narrowed to
  // false positives; the result view draws the evaluation's predicted mask and offers each map's files; an admin
  // sets the run's threshold by hand (the verdicts follow) and resets it to the evaluation's.
  it('reads verdicts in the gallery, switches to heat maps and narrows the list to false positives', async () => {
    const runId = runUrl.split('/').at(-1)!;
    const { run } = await api<{
      run: { decision: { threshold: number; source: string } | null; falsePositives: { totalCount: number } };
    }>(
      `query($id: ID!) { run(id: $id) { decision { threshold source }
         falsePositives: results(first: 1, filter: { label: NORMAL, verdict: ANOMALOUS }) { totalCount } } }`,
      { id: runId },
      adminCookie,
    );
    assert.equal(run.decision?.source, 'EVALUATION', 'the evaluation of normal and anomalous images gave a threshold');
    const { threshold } = run.decision;

    await page.goto(`${runUrl}/results`);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-card]').length === 10);
    const cards = await page.locator('[data-testid=result-card]').evaluateAll((elements) =>
      elements.map((card) => ({
        score: Number(card.getAttribute('data-score')),
        normalized: Number(card.getAttribute('data-normalized-score')),
        shown: card.querySelector('[data-testid=normalized-score]')?.textContent,
        verdict: card.getAttribute('data-verdict'),
        badge: card.querySelector('[data-testid=verdict]')?.textContent,
        label: card.getAttribute('data-label'),
        mistake: card.querySelector('[data-testid=mistake]')?.getAttribute('data-outcome') ?? null,
      })),
    );
    for (const card of cards) {
      assert.ok(card.normalized >= 0 && card.normalized <= 1, `normalised: ${JSON.stringify(card)}`);
      assert.equal(card.shown, card.normalized.toFixed(2), 'the card shows the normalised score, not the raw one');
      assert.equal(card.verdict, card.score >= threshold ? 'ANOMALOUS' : 'NORMAL', JSON.stringify(card));
      assert.equal(card.badge, card.verdict);
      const mistake =
        card.label === 'NORMAL' && card.verdict === 'ANOMALOUS'
          ? 'FALSE_POSITIVE'
          : card.label === 'ANOMALOUS' && card.verdict === 'NORMAL'
            ? 'FALSE_NEGATIVE'
            : null;
      assert.equal(card.mistake, mistake, JSON.stringify(card));
    }
    assert.equal(
      await page.textContent('[data-testid=outcome-false-positives] strong'),
      String(run.falsePositives.totalCount),
    );

    // Heat-map thumbnails: the attention map over each image, and back.
    await page.click('[data-testid=view-heatmap]');
    await page.waitForURL('**view=heatmap**');
    await page.waitForFunction(() => {
      const images = [...document.querySelectorAll<HTMLImageElement>('[data-testid=result-card] img')];
      return (
        images.length === 10 &&
        images.every((image) => image.dataset.view === 'heatmap' && image.complete && image.naturalWidth > 0)
      );
    });
    await screenshot(page, '20-results-heatmaps');
    await page.click('[data-testid=view-image]');
    await page.waitForSelector('[data-testid=result-card] img[data-view=image]');

    // False positives: normal images the threshold calls anomalous, fewer than all ten.
    await page.selectOption('select[name=outcome]', 'FALSE_POSITIVE');
    await page.waitForURL(/(?=.*label=NORMAL)(?=.*verdict=ANOMALOUS)/);
    const falsePositives = run.falsePositives.totalCount;
    assert.ok(falsePositives < 10, 'the filter narrows the list');
    if (falsePositives === 0) await page.getByText('No false positives').waitFor();
    else {
      await page.waitForFunction(
        (want) => document.querySelectorAll('[data-testid=result-card]').length === want,
        falsePositives,
      );
    }
    for (const card of await page.locator('[data-testid=result-card]').all()) {
      assert.equal(await card.getAttribute('data-label'), 'NORMAL');
      assert.equal(await card.getAttribute('data-verdict'), 'ANOMALOUS');
    }
  });

  it("draws a result's predicted mask over the image and offers each map's files", async () => {
    await page.goto(`${runUrl}/results?label=ANOMALOUS`);
    await page.locator('[data-testid=result-card]').first().click();
    await page.waitForSelector('[data-testid=result-reading][data-verdict]');
    await page.waitForSelector('[data-testid=overlay-canvas][data-predicted-mask=shown]');
    await screenshot(page, '21-result-predicted-mask');
    await page.getByRole('checkbox', { name: 'Predicted mask', exact: true }).uncheck();
    await page.waitForSelector('[data-testid=overlay-canvas][data-predicted-mask=hidden]');

    const links = page.locator('[data-testid=map-downloads] tr[data-map=attention] a');
    assert.deepEqual(await links.allTextContents(), ['Values (TIFF)', 'Values (NumPy)', 'Predicted mask (PNG)']);
    // Each file as its format starts: TIFF (little-endian), NumPy, PNG.
    const magic = [
      Buffer.from('II*\0', 'latin1'),
      Buffer.from('\x93NUMPY', 'latin1'),
      Buffer.from('\x89PNG', 'latin1'),
    ];
    for (const [index, link] of (await links.all()).entries()) {
      const href = (await link.getAttribute('href'))!;
      const response = await page.request.get(new URL(href, stack.webUrl).toString());
      assert.equal(response.status(), 200, href);
      const body = await response.body();
      assert.ok(
        body.subarray(0, magic[index]!.length).equals(magic[index]!),
        `${href} starts ${body.subarray(0, 8).toString('hex')}`,
      );
    }
  });

  it('sets the run threshold by hand, which the verdicts follow, and resets it to the evaluation', async () => {
    const runId = runUrl.split('/').at(-1)!;
    const decisionOf = async () =>
      (
        await api<{ run: { decision: { threshold: number; source: string } } }>(
          'query($id: ID!) { run(id: $id) { decision { threshold source } } }',
          { id: runId },
          adminCookie,
        )
      ).run.decision;
    await page.goto(runUrl);
    const panel = page.locator('[data-testid=decision]');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-source'), 'EVALUATION');
    const evaluated = Number(await panel.getAttribute('data-threshold'));
    // At the run's lowest score every image is called anomalous, so every normal test image is a false positive.
    const lowest = (await panel.getAttribute('data-score-min'))!;
    await panel.locator('input[name=threshold]').fill(lowest);
    await panel.getByText(/^Normalised 0\.\d\d \(0\.5 is the current threshold\)$/).waitFor();
    await panel.getByRole('button', { name: 'Save threshold' }).click();
    await page.waitForSelector('[data-testid=decision][data-source=MANUAL]');
    await panel.getByText('Threshold saved').waitFor();
    assert.equal(Number(await panel.getAttribute('data-threshold')), Number(lowest));
    assert.deepEqual(await decisionOf(), { threshold: Number(lowest), source: 'MANUAL' });
    const testGood = String(data.counts.testGood);
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid=outcome-false-positives] strong')?.textContent === want,
      testGood,
    );
    await screenshot(page, '22-decision-manual');

    await panel.locator('[data-testid=outcome-false-positives]').click();
    await page.waitForURL(/(?=.*label=NORMAL)(?=.*verdict=ANOMALOUS)/);
    await page.waitForFunction(
      (want) => document.querySelectorAll('[data-testid=result-card]').length === want,
      data.counts.testGood,
    );
    assert.equal(await page.inputValue('select[name=outcome]'), 'FALSE_POSITIVE');
    assert.equal(
      await page.locator('[data-testid=result-card][data-verdict=ANOMALOUS][data-label=NORMAL]').count(),
      data.counts.testGood,
    );

    await page.goto(runUrl);
    await panel.getByRole('button', { name: 'Reset to evaluation' }).click();
    await page.waitForSelector('[data-testid=decision][data-source=EVALUATION]');
    await panel.getByText("Back to the evaluation's threshold").waitFor();
    assert.equal(Number(await panel.getAttribute('data-threshold')), evaluated);
    assert.deepEqual(await decisionOf(), { threshold: evaluated, source: 'EVALUATION' });
  });

  it('exports the run, and the download link serves the zip with the size it shows', async () => {
    await page.goto(runUrl);
    await page.click('[data-testid=export-run]');
    await page.waitForSelector('[data-testid=run-export][data-status=SUCCEEDED]', { timeout: 120_000 });
    const link = page.locator('[data-testid=run-export] a', { hasText: 'Download the zip' });
    const shown = (await page.textContent('[data-testid=run-export]'))!;
    assert.match(shown, /\(\d+ files, [\d.]+ (B|KB|MB)\)/);
    const response = await page.request.get(new URL((await link.getAttribute('href'))!, stack.webUrl).toString());
    assert.equal(response.status(), 200);
    const body = await response.body();
    assert.ok(body.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')), 'a zip');
    assert.ok(shown.includes(bytes(body.length)), `${shown} gives the size of ${body.length} bytes`);
    await screenshot(page, '23-run-export');
  });

  it("exports a dataset's approved masks and imports them into its twin as new versions", async () => {
    await page.goto(runUrl);
    const datasetHref = (await page.locator('.crumbs a[href^="/datasets/"]').getAttribute('href'))!;
    await page.goto(new URL(datasetHref, stack.webUrl).toString());
    assert.equal(await page.inputValue('[data-testid=mask-export-which]'), 'APPROVED');
    await page.click('[data-testid=export-masks]');
    await page.waitForSelector('[data-testid=mask-export][data-status=SUCCEEDED]', { timeout: 120_000 });
    const href = (await page.locator('[data-testid=mask-export] a').getAttribute('href'))!;
    const response = await page.request.get(new URL(href, stack.webUrl).toString());
    assert.equal(response.status(), 200);
    const zip = await response.body();
    const unzipped = path.join(stack.scratch, 'exported-masks');
    await extractZip(await writeScratch('exported-masks.zip', zip), unzipped, {
      maxEntries: 10_000,
      maxUnzippedBytes: 1e9,
    });
    const masks = readdirSync(path.join(unzipped, 'ground_truth'), { recursive: true }).filter((name) =>
      String(name).endsWith('_mask.png'),
    );
    assert.ok(masks.length > 0, 'the approved masks are in the zip');

    // Into the same images imported from the zip: the masks of "textures" stay as the viewer's checks expect.
    await page.goto(`${stack.webUrl}/datasets`);
    await page.locator('table[data-testid=datasets] a', { hasText: 'textures from a zip' }).click();
    await page.waitForURL((url) => url.pathname !== new URL(datasetHref, stack.webUrl).pathname);
    await page.setInputFiles('[data-testid=mask-import-file]', {
      name: 'exported-masks.zip',
      mimeType: 'application/zip',
      buffer: zip,
    });
    assert.equal(await page.isChecked('[data-testid=mask-import-approve]'), true, 'approved by default');
    await page.click('[data-testid=import-masks]');
    await page.waitForSelector('[data-testid=mask-import][data-status=SUCCEEDED]', { timeout: 120_000 });
    assert.equal(
      (await page.textContent('[data-testid=mask-import]'))?.trim(),
      `Imported ${masks.length} mask versions from PNG masks (approved)`,
    );
    await screenshot(page, '24-mask-import');
  });

  it('creates an API key, sees it once, and revokes it', async () => {
    await page.click('nav >> text=API keys');
    await page.fill('input[name=name]', 'e2e script');
    await page.click('text=Create key');
    const secret = (await page.textContent('[data-testid=new-api-key] .secret'))!;
    assert.match(secret, /^vad_\w+_[\w-]+$/);
    const asKey = await fetch(`${stack.webUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    assert.deepEqual(await asKey.json(), { data: { me: { email: ADMIN.email } } });
    await screenshot(page, '11-api-keys');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('table[data-testid=api-keys] >> text=Revoke');
    await page.locator('table[data-testid=api-keys] .badge', { hasText: 'revoked' }).waitFor();
  });

  it('adds an annotator on the People page, who signs in and changes their password', async () => {
    await page.click('nav >> text=People');
    await page.waitForURL('**/settings/users');
    // The admin's own row offers no role change and no disabling: the API refuses both.
    const own = page.locator(`table[data-testid=users] tr[data-email="${ADMIN.email}"]`);
    await own.waitFor();
    assert.equal(await own.locator('select, button').count(), 0);

    const form = page.getByRole('form', { name: 'Create a user' });
    const password = form.locator('input[name=password]');
    await form.locator('input[name=email]').fill(NEWCOMER.email);
    await form.locator('input[name=name]').fill(NEWCOMER.name);
    await form.locator('select[name=role]').selectOption('ANNOTATOR');
    await password.fill('too-short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('alert').getByText('At least 10 characters').waitFor();
    await password.fill(COMMON_PASSWORD);
    await form.getByRole('button', { name: 'Create user' }).click();
    // The API's refusal, under the field it is about.
    await form.getByRole('alert').getByText('Password is one of the most common passwords: choose another').waitFor();
    await screenshot(page, '13-people-refused');
    await password.fill(NEWCOMER.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.locator(`table[data-testid=users] tr[data-email="${NEWCOMER.email}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-role'), 'ANNOTATOR');
    assert.equal(await password.inputValue(), '', 'the form is cleared for the next person');

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const newcomer = await context.newPage();
    await signIn(newcomer, NEWCOMER.email, NEWCOMER.password);
    assert.equal(await newcomer.textContent('[data-testid=current-role]'), 'Annotator');
    assert.equal(await newcomer.locator('nav >> text=People').count(), 0, 'no People page in their menu');
    await newcomer.click('[data-testid=current-user]');
    await newcomer.waitForURL('**/account');
    const change = newcomer.getByRole('form', { name: 'Change your password' });
    await change.locator('input[name=currentPassword]').fill(NEWCOMER.password);
    await change.locator('input[name=newPassword]').fill(COMMON_PASSWORD);
    await change.locator('input[name=repeated]').fill(COMMON_PASSWORD);
    await change.getByRole('button', { name: 'Change password' }).click();
    await change
      .getByRole('alert')
      .getByText('New password is one of the most common passwords: choose another')
      .waitFor();
    await change.locator('input[name=newPassword]').fill(NEWCOMER.newPassword);
    await change.locator('input[name=repeated]').fill(NEWCOMER.newPassword);
    await change.getByRole('button', { name: 'Change password' }).click();
    await change.getByText('Password changed.').waitFor();
    await screenshot(newcomer, '14-account');
    await apiLogin(NEWCOMER.email, NEWCOMER.newPassword);
    await context.close();
  });

  it('makes the annotator a viewer, resets their password and disables them: signed out, no sign-in', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const newcomer = await context.newPage();
    await signIn(newcomer, NEWCOMER.email, NEWCOMER.newPassword);

    const row = page.locator(`table[data-testid=users] tr[data-email="${NEWCOMER.email}"]`);
    await row.getByLabel(`Role of ${NEWCOMER.name}`).selectOption('VIEWER');
    await page.getByText(`${NEWCOMER.name} is now a viewer`).waitFor();
    assert.equal(await row.getAttribute('data-role'), 'VIEWER');
    await newcomer.reload();
    assert.equal(await newcomer.textContent('[data-testid=current-role]'), 'Viewer', 'from their next request on');

    await row.getByRole('button', { name: 'Reset password' }).click();
    await row.getByLabel(`New password for ${NEWCOMER.name}`).fill(COMMON_PASSWORD);
    await row.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('one of the most common passwords').waitFor();
    await row.getByLabel(`New password for ${NEWCOMER.name}`).fill(NEWCOMER.resetPassword);
    await row.getByRole('button', { name: 'Set password' }).click();
    await page.getByText(`${NEWCOMER.name} has a new password`).waitFor();
    await newcomer.goto(`${stack.webUrl}/datasets`);
    await newcomer.waitForURL('**/sign-in');
    await apiLogin(NEWCOMER.email, NEWCOMER.resetPassword);

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.locator('.badge', { hasText: 'disabled' }).waitFor();
    await page.getByText(`${NEWCOMER.name} is disabled`).waitFor();
    await screenshot(page, '15-people');

    await newcomer.goto(`${stack.webUrl}/datasets`);
    await newcomer.waitForURL('**/sign-in');
    await newcomer.fill('input[name=email]', NEWCOMER.email);
    await newcomer.fill('input[name=password]', NEWCOMER.resetPassword);
    await newcomer.click('button[type=submit]');
    await newcomer.getByRole('alert').getByText('This account is disabled').waitFor();
    await context.close();

    const { users } = await api<{ users: { edges: { node: { email: string; role: string; disabledAt: string } }[] } }>(
      '{ users(first: 100) { edges { node { email role disabledAt } } } }',
      {},
      adminCookie,
    );
    const stored = users.edges.find((edge) => edge.node.email === NEWCOMER.email)?.node;
    assert.equal(stored?.role, 'VIEWER');
    assert.ok(stored?.disabledAt, 'disabled in the database');
  });

  it('asked for nothing the app does not have on the way', () => {
    assert.deepEqual(notFound, []);
  });
});

describe('a viewer', { timeout: 120_000 }, () => {
  let viewerPage: Page;
  let runId: string;
  let datasetId: string;

  before(async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    viewerPage = await context.newPage();
    await signIn(viewerPage, VIEWER.email, VIEWER.password);
  });

  it('sees everything but no editing controls', async () => {
    assert.equal(await viewerPage.textContent('[data-testid=current-role]'), 'Viewer');
    await viewerPage.locator('table[data-testid=datasets] a', { hasText: /^textures$/ }).waitFor();
    assert.equal(await viewerPage.getByText('Import dataset').count(), 0);
    assert.equal(await viewerPage.getByText('API keys').count(), 0, 'no API keys page in the menu');
    assert.equal(await viewerPage.locator('nav >> text=People').count(), 0, 'no People page in the menu');
    await viewerPage.goto(`${stack.webUrl}/settings/users`);
    await viewerPage.getByText('Admins only.').waitFor();
    await viewerPage.goto(`${stack.webUrl}/datasets`);

    await viewerPage.goto(`${stack.webUrl}/runs`);
    await viewerPage.locator('table[data-testid=runs] a', { hasText: 'tiny e2e run' }).click();
    await viewerPage.waitForSelector('[data-testid=run-monitor][data-status=SUCCEEDED]');
    assert.equal(await viewerPage.getByText('Launch a run').count(), 0);
    assert.equal(await viewerPage.getByText('Cancel run').count(), 0);
    runId = /runs\/([0-9a-f-]{36})/.exec(viewerPage.url())![1]!;
    datasetId = /datasets\/([0-9a-f-]{36})/.exec(
      (await viewerPage.locator('.crumbs a[href^="/datasets/"]').getAttribute('href'))!,
    )![1]!;

    await viewerPage.locator('[data-testid=decision][data-source=EVALUATION]').waitFor();
    assert.equal(await viewerPage.locator('[data-testid=decision] input, [data-testid=decision] button').count(), 0);
    await viewerPage.goto(`${viewerPage.url()}/evaluation`);
    await viewerPage.waitForSelector('[data-testid=metrics-by-map]');
    assert.equal(await viewerPage.locator('[data-testid=reevaluate]').count(), 0);

    await viewerPage.goto(viewerPage.url().replace(/evaluation$/, 'results'));
    await viewerPage.locator('[data-testid=result-card]').first().click();
    await viewerPage.getByRole('link', { name: 'View mask' }).click();
    await viewerPage.waitForSelector('[data-testid=mask-editor][data-ready=true]');
    await viewerPage.getByText('Read-only: your role can view masks but not change them.').waitFor();
    for (const control of ['[data-testid=save-mask]', '[data-testid=approve]', 'role=toolbar']) {
      assert.equal(await viewerPage.locator(control).count(), 0, `${control} is not offered`);
    }
    const before = Number(await viewerPage.getAttribute('[data-testid=mask-editor]', 'data-mask-pixels'));
    const canvas = (await viewerPage.locator('[data-testid=editor-canvas]').boundingBox())!;
    await viewerPage.mouse.move(canvas.x + 50, canvas.y + 50);
    await viewerPage.mouse.down();
    await viewerPage.mouse.move(canvas.x + 300, canvas.y + 300, { steps: 5 });
    await viewerPage.mouse.up();
    await viewerPage.keyboard.press('Control+s');
    assert.equal(
      Number(await viewerPage.getAttribute('[data-testid=mask-editor]', 'data-mask-pixels')),
      before,
      'dragging on the canvas draws nothing',
    );
    await screenshot(viewerPage, '12-viewer-editor');
  });

  it('is refused by the API when it writes anyway', async () => {
    const imageId = /annotate\/([0-9a-f-]{36})/.exec(viewerPage.url())![1]!;
    const cookies = await viewerPage.context().cookies();
    const cookie = cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const png = (
      await sharp(Buffer.alloc(32 * 32, 255), { raw: { width: 32, height: 32, channels: 1 } })
        .png()
        .toBuffer()
    ).toString('base64');
    const writes = [
      ['saveMask', `mutation { saveMask(imageId: "${imageId}", pngBase64: "${png}", baseVersion: 3) { id } }`],
      [
        'importDataset',
        `mutation { importDataset(input: { path: ${JSON.stringify(data.root)}, name: "mine" }) { id } }`,
      ],
      ['evaluateRun', `mutation { evaluateRun(runId: "${runId}") { id } }`],
      ['setRunThreshold', `mutation { setRunThreshold(runId: "${runId}", threshold: 1) { id } }`],
      ['startRun', `mutation { startRun(input: { datasetId: "${datasetId}", preset: TINY }) { id } }`],
    ];
    for (const [name, query] of writes) {
      // Through the web app's own /graphql, with the viewer's browser session.
      const response = await fetch(`${stack.webUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${name}: ${JSON.stringify(body)}`);
    }
    const upload = await fetch(`${stack.webUrl}/uploads?name=x.zip`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/zip' },
      body: new Uint8Array(makeZip([{ name: 'a.txt', data: Buffer.from('x') }])),
    });
    assert.equal(upload.status, 403);
    const stored = await api<{ image: { maskVersion: number } }>(
      'query($id: ID!) { image(id: $id) { maskVersion } }',
      { id: imageId },
      adminCookie,
    );
    assert.equal(stored.image.maskVersion, 3, 'nothing was saved');
  });
});
