// The annotation workflow end to end in headless Chromium (issue 14, People): an admin adds an annotator on the
// People page and assigns them two images from the dataset page; the annotator finds them in My queue (its count
// in the navigation), opens one in the editor, starts from the hint of the dataset's run, draws and submits; the admin's navigation counts the masks waiting,
// the inbox lists them, Approve lands on the next waiting mask and Reject (which needs a comment) on the emptied
// inbox, and the rejected image is back in the annotator's queue with the comment. The admin's own mask is refused
// until the workspace setting allows self-review. Screenshots go to web/test-results/screenshots/review/ (the
// inbox and a mask under review at 390, 820 and 1440 px, where nothing sticks out sideways).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';

import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { makeTextureDataset } from '../support/dataset';
import { ADMIN, startStack, type Stack } from '../support/stack';
import { apiRequest, sessionCookie } from '../support/tiny-runs';

const ANNOTATOR = { email: 'rita@e2e.local', name: 'Rita Annotator', password: 'rita-draws-masks-42' };

let stack: Stack;
let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;
let annotator: Page;
let adminCookie: string;
let datasetId: string;
let runId: string;
const images: Record<string, string> = {};
const problems: string[] = [];

async function apiLogin(email: string, password: string): Promise<string> {
  return sessionCookie(stack, email, password);
}

/** The API directly (set-up and checks). */
async function api<T>(query: string, variables: Record<string, unknown>, cookie: string): Promise<T> {
  return apiRequest<T>(stack, query, variables, cookie);
}

/** A 32 px mask with a square in it, as base64 PNG. */
async function squareMask(x0: number, y0: number): Promise<string> {
  const pixels = Buffer.alloc(32 * 32);
  for (let y = y0; y < y0 + 6; y++) for (let x = x0; x < x0 + 6; x++) pixels[y * 32 + x] = 255;
  return (
    await sharp(pixels, { raw: { width: 32, height: 32, channels: 1 } })
      .png()
      .toBuffer()
  ).toString('base64');
}

async function submitMask(imageName: string, cookie: string): Promise<string> {
  const saved = await api<{ saveMask: { id: string } }>(
    'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 0, submit: true) { id } }',
    { i: images[imageName], p: await squareMask(4, 4) },
    cookie,
  );
  return saved.saveMask.id;
}

/** Full-page screenshots of the current page at each width, back at 1440 px after. */
async function screenshotsAt(page: Page, name: string): Promise<void> {
  for (const width of [390, 820, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} at ${width} px is ${overflow} px wider than the window`);
    await screenshot(page, `review/${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Waits for the run that gives the hint to succeed. */
async function runSucceeded(): Promise<void> {
  const deadline = Date.now() + 240_000;
  let status = 'QUEUED';
  while (Date.now() < deadline && !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status)) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = (
      await api<{ run: { status: string } }>('query($id: ID!) { run(id: $id) { status } }', { id: runId }, adminCookie)
    ).run.status;
  }
  assert.equal(status, 'SUCCEEDED', 'the run that gives the hint finished');
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${stack.webUrl}/sign-in`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/datasets');
}

/** Waits for a navigation count to read `expected` (no badge at all for 0). */
async function countIs(page: Page, kind: 'review' | 'queue', expected: number): Promise<void> {
  const selector = `[data-testid=${kind}-count]`;
  if (expected === 0) await page.waitForSelector(selector, { state: 'detached' });
  else {
    await page.waitForFunction(({ s, n }) => document.querySelector(s)?.textContent === n, {
      s: selector,
      n: `${expected}`,
    });
  }
}

before(
  async () => {
    stack = await startStack();
    adminCookie = await apiLogin(ADMIN.email, ADMIN.password);
    const data = await makeTextureDataset(path.join(stack.scratch, 'textures'), {
      train: 4,
      testGood: 4,
      perDefect: 1,
    });
    datasetId = (
      await api<{ importDataset: { id: string } }>(
        'mutation($p: String!) { importDataset(input: { path: $p, name: "review textures" }) { id } }',
        { p: data.root },
        adminCookie,
      )
    ).importDataset.id;
    const listed = await api<{ dataset: { images: { edges: { node: { id: string; name: string } }[] } } }>(
      'query($d: ID!) { dataset(id: $d) { images(first: 50) { edges { node { id name } } } } }',
      { d: datasetId },
      adminCookie,
    );
    for (const { node } of listed.dataset.images.edges) images[node.name] = node.id;
    // A tiny run, whose attention maps are the editor's hint; it trains while the admin assigns.
    runId = (
      await api<{ startRun: { id: string } }>(
        'mutation($d: ID!) { startRun(input: { datasetId: $d, preset: TINY, epochs: 1, name: "hint run" }) { id } }',
        { d: datasetId },
        adminCookie,
      )
    ).startRun.id;
    mkdirSync(path.join(SCREENSHOTS, 'review'), { recursive: true });
    browser = await launchBrowser();
    adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    admin = await adminContext.newPage();
    annotator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    for (const page of [admin, annotator]) {
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/graphql')) {
          problems.push(`${response.status()} ${response.url()}`);
        }
      });
    }
    await signIn(admin, ADMIN.email, ADMIN.password);
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('assigning and reviewing masks', { timeout: 300_000 }, () => {
  it('an admin adds an annotator and assigns them two images from the dataset page', async () => {
    await admin.goto(`${stack.webUrl}/settings/users`);
    const form = admin.getByRole('form', { name: 'Create a user' });
    await form.locator('input[name=email]').fill(ANNOTATOR.email);
    await form.locator('input[name=name]').fill(ANNOTATOR.name);
    await form.locator('select[name=role]').selectOption('ANNOTATOR');
    await form.locator('input[name=password]').fill(ANNOTATOR.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await admin.getByText(`Created ${ANNOTATOR.name} (annotator)`).waitFor();

    await admin.goto(`${stack.webUrl}/datasets/${datasetId}`);
    const panel = admin.getByRole('region', { name: 'Annotator assignments' });
    await panel.getByTestId('assignment-counts').getByText(`${ANNOTATOR.name}: 0`).waitFor();
    await panel
      .getByLabel('Annotator', { exact: true })
      .selectOption({ label: `${ANNOTATOR.name} (${ANNOTATOR.email})` });
    await panel.getByLabel('Show', { exact: true }).selectOption('good');
    await panel.getByRole('checkbox', { name: 'test/good/000', exact: true }).check();
    await panel.getByRole('checkbox', { name: 'test/good/001', exact: true }).check();
    await screenshot(admin, 'review/01-assign');
    await panel.getByRole('button', { name: `Assign 2 chosen images to ${ANNOTATOR.name}` }).click();
    await panel.getByText(`Assigned 2 images to ${ANNOTATOR.name}`).waitFor();
    await panel.getByTestId('assignment-counts').getByText(`${ANNOTATOR.name}: 2`).waitFor();
    // Only images nobody has are listed: the two are gone from the list.
    await panel.getByRole('checkbox', { name: 'test/good/000', exact: true }).waitFor({ state: 'detached' });

    const assigned = await api<{
      dataset: { images: { edges: { node: { name: string; assignee: { email: string } } }[] } };
    }>(
      'query($d: ID!) { dataset(id: $d) { images(first: 50, filter: { assigned: true }) { edges { node { name assignee { email } } } } } }',
      { d: datasetId },
      adminCookie,
    );
    assert.deepEqual(
      assigned.dataset.images.edges.map(({ node }) => [node.name, node.assignee.email]),
      [
        ['test/good/000', ANNOTATOR.email],
        ['test/good/001', ANNOTATOR.email],
      ],
    );
  });

  it('the annotator opens an assigned image from My queue, draws and submits it', async () => {
    await signIn(annotator, ANNOTATOR.email, ANNOTATOR.password);
    await countIs(annotator, 'queue', 2);
    const nav = annotator.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: /^Review/ }).count(), 0, 'annotators have no review inbox');
    await annotator
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^My queue/ })
      .click();
    await annotator.waitForURL('**/queue');
    const rows = annotator.locator('[data-testid=my-queue] tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(2)').allTextContents(), ['test/good/000', 'test/good/001']);
    await screenshot(annotator, 'review/02-my-queue');

    await runSucceeded();
    await rows.first().getByRole('link', { name: 'Annotate' }).click();
    await annotator.waitForURL(
      (url) => url.pathname === `/annotate/${images['test/good/000']}` && url.searchParams.get('queue') === 'mine',
    );
    await annotator.waitForSelector('[data-testid=mask-editor][data-ready=true]');
    // Previous and Next step through the queue's two images, not the dataset's.
    await annotator.locator('.editor-nav').getByText('1 / 2').waitFor();
    await annotator.getByRole('link', { name: '← My queue' }).waitFor();
    // The hint of the dataset's run, thresholded into a starting mask, then drawn on.
    await annotator.getByRole('checkbox', { name: 'Show the hint' }).check();
    assert.match((await annotator.textContent('[data-testid=hint-panel]')) ?? '', /Attention map of run “hint run”/);
    await annotator.click('[data-testid=start-from-hint]');
    await annotator.waitForSelector('[data-testid=hint-threshold]');
    await annotator.click('[data-testid=keep-hint-mask]');
    const box = (await annotator.locator('[data-testid=editor-canvas]').boundingBox())!;
    await annotator.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await annotator.mouse.down();
    await annotator.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 10 });
    await annotator.mouse.up();
    await annotator.click('[data-testid=save-mask]');
    await annotator.getByText('Saved as version 1, submitted for review').waitFor();
    // The header's count follows the submission at once, without a navigation.
    await countIs(annotator, 'queue', 1);
    await screenshot(annotator, 'review/03-submitted');

    await annotator.goto(`${stack.webUrl}/queue`);
    assert.deepEqual(await rows.locator('td:nth-child(2)').allTextContents(), ['test/good/001']);
    await countIs(annotator, 'queue', 1);
    // The second image is submitted too (through the API), so that the admin has a next one to land on.
    await submitMask('test/good/001', await apiLogin(ANNOTATOR.email, ANNOTATOR.password));
  });

  it("the admin's inbox counts and lists the waiting masks; Approve lands on the next, Reject on the inbox", async () => {
    await admin.goto(`${stack.webUrl}/datasets`);
    await countIs(admin, 'review', 2);
    await admin
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Review/ })
      .click();
    await admin.waitForURL('**/review');
    const rows = admin.locator('[data-testid=review-inbox] tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(2)').allTextContents(), ['test/good/000', 'test/good/001']);
    assert.deepEqual(await rows.locator('td:nth-child(5)').allTextContents(), [ANNOTATOR.name, ANNOTATOR.name]);
    await admin.getByText('2 submitted masks waiting for your review').waitFor();
    await screenshotsAt(admin, '04-inbox');

    await admin.getByTestId('start-review').click();
    await admin.getByTestId('review-image-name').getByText('test/good/000').waitFor();
    // The mask is drawn over the image: its overlay is as big as the image.
    await admin.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid=review-overlay] img');
      return image?.complete && image.naturalWidth === 32;
    });
    await screenshotsAt(admin, '05-mask');
    await admin.fill('textarea[aria-label="Review comment"]', 'Clean outline');
    await admin.getByTestId('approve').click();
    await admin.getByTestId('review-image-name').getByText('test/good/001').waitFor();
    await admin.getByTestId('reviewed-notice').getByText('Approved the mask of test/good/000.').waitFor();
    await countIs(admin, 'review', 1);
    await screenshot(admin, 'review/06-next');

    // Rejecting says why: without a comment nothing is sent.
    await admin.getByTestId('reject').click();
    await admin.getByText('a rejection needs a comment for the annotator').waitFor();
    await admin.fill('textarea[aria-label="Review comment"]', 'The square misses the stain');
    await admin.getByTestId('reject').click();
    await admin.waitForURL((url) => url.pathname === '/review' && url.searchParams.get('rejected') === 'test/good/001');
    await admin.getByText('Nothing to review').waitFor();
    await admin.getByTestId('reviewed-notice').getByText('Rejected the mask of test/good/001').waitFor();
    await countIs(admin, 'review', 0);

    const stored = await api<{ a: { currentMask: { status: string } }; b: { currentMask: { status: string } } }>(
      'query($a: ID!, $b: ID!) { a: image(id: $a) { currentMask { status } } b: image(id: $b) { currentMask { status } } }',
      { a: images['test/good/000'], b: images['test/good/001'] },
      adminCookie,
    );
    assert.equal(stored.a.currentMask.status, 'APPROVED');
    assert.equal(stored.b.currentMask.status, 'REJECTED');

    // The rejected image is back in the annotator's queue, with the reviewer's comment.
    await annotator.goto(`${stack.webUrl}/queue`);
    await annotator.getByText(`v1 rejected by Administrator: “The square misses the stain”`).waitFor();
    await countIs(annotator, 'queue', 1);
  });

  it("refuses the admin's own mask until the workspace allows self-review", async () => {
    const own = await submitMask('test/good/002', adminCookie);
    await admin.goto(`${stack.webUrl}/review`);
    await admin.getByText('Nothing to review').waitFor();
    await admin.getByText('Your own submitted masks are not listed').waitFor();
    await admin.goto(`${stack.webUrl}/review/${own}`);
    await admin.getByTestId('review-refusal').getByText('This is your own mask').waitFor();
    assert.equal(await admin.getByTestId('approve').isDisabled(), true);
    await screenshot(admin, 'review/07-own-mask');

    await admin.getByTestId('review-refusal').getByRole('link', { name: 'workspace settings' }).click();
    await admin.waitForURL('**/settings/workspace');
    await admin.getByLabel(/Allow self-review/).check();
    await admin.getByTestId('settings-outcome').getByText('Self-review is allowed').waitFor();
    await screenshot(admin, 'review/08-settings');

    await admin.goto(`${stack.webUrl}/review`);
    await countIs(admin, 'review', 1);
    await admin.getByTestId('start-review').click();
    await admin.getByTestId('review-image-name').getByText('test/good/002').waitFor();
    await admin.getByTestId('approve').click();
    await admin.waitForURL((url) => url.pathname === '/review' && url.searchParams.get('approved') === 'test/good/002');
    await admin.getByText('Nothing to review').waitFor();
  });

  it('met no page error and no failed request on the way', () => {
    assert.deepEqual(problems, []);
  });
});
