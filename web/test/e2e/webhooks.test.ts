// End to end in headless Chromium: on the Webhooks settings page the admin adds a webhook pointing at a receiver
// started here (a bad URL is refused under its field first), sees its secret once, sends a test event and sees
// the receiver's answer in the delivery log; the receiver checks the signature with the secret shown. The admin
// then disables and deletes it, and the page lists all of more webhooks than fit one of its requests' pages.
// Screenshots go to web/test-results/screenshots/webhooks/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { verifySignature } from '../../../api/src/modules/webhook/webhook.signature';
import { launchBrowser, screenshot, SCREENSHOTS } from '../support/browser';
import { startStack, type Stack } from '../support/stack';
import { adminCookie, apiRequest, signInAdmin } from '../support/tiny-runs';

let stack: Stack;
let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const problems: string[] = [];

before(
  async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vad-events`;
    stack = await startStack();
    mkdirSync(path.join(SCREENSHOTS, 'webhooks'), { recursive: true });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
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
  await new Promise<void>((resolve) => receiver?.close(() => resolve()) ?? resolve());
});

describe('webhooks settings', { timeout: 180_000 }, () => {
  it('is linked from the navigation and lists no webhook yet', async () => {
    await page.goto(`${stack.webUrl}/datasets`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL('**/settings/webhooks');
    await page.getByText('No webhooks').waitFor();
  });

  it('refuses a URL that is not http or https under its field', async () => {
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.locator('input[name=url]').fill('ftp://files.lab.example/drop');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await form.getByText('An http or https URL').waitFor();
  });

  it('adds a webhook, shows its secret once, and logs a test event the receiver got signed', async () => {
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.locator('input[name=url]').fill(receiverUrl);
    await form.locator('input[name=description]').fill('e2e receiver');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const secretPanel = page.locator('[data-testid=webhook-secret]');
    await secretPanel.waitFor();
    const secret = (await secretPanel.locator('.secret').innerText()).trim();
    assert.match(secret, /^whsec_/);
    const webhook = page.locator(`[data-testid=webhook][data-url="${receiverUrl}"]`);
    await webhook.waitFor();
    await screenshot(page, 'webhooks/created');
    await secretPanel.getByRole('button', { name: 'I have stored it' }).click();
    assert.equal(await secretPanel.count(), 0, 'the secret is gone once stored');

    await webhook.getByRole('button', { name: 'Send test' }).click();
    // The page follows the log until the worker has sent it.
    const row = webhook.locator('[data-testid=deliveries] tbody tr[data-event="webhook.test"][data-status=DELIVERED]');
    await row.waitFor({ timeout: 60_000 });
    assert.match(await row.locator('[data-testid=delivery-answer]').innerText(), /HTTP 200/);
    await screenshot(page, 'webhooks/delivered');

    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request!.headers['x-vad-event'], 'webhook.test');
    assert.ok(verifySignature(secret, request!.body, String(request!.headers['x-vad-signature'])));
    assert.equal((JSON.parse(request!.body) as { type: string }).type, 'webhook.test');
  });

  it('disables and deletes it', async () => {
    const webhook = page.locator(`[data-testid=webhook][data-url="${receiverUrl}"]`);
    await webhook.getByRole('button', { name: 'Disable' }).click();
    await page.locator(`[data-testid=webhook][data-url="${receiverUrl}"][data-enabled=false]`).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await webhook.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No webhooks').waitFor();
  });

  it('lists every webhook when there are more than a page of them', async () => {
    const cookie = await adminCookie(stack);
    for (let i = 0; i < 30; i += 1) {
      await apiRequest(
        stack,
        'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }',
        { input: { url: `http://127.0.0.1:9/hook-${i}`, description: '', events: ['RUN_FAILED'] } },
        cookie,
      );
    }
    await page.reload();
    await page.locator('[data-testid=webhook]').first().waitFor();
    assert.equal(await page.locator('[data-testid=webhook]').count(), 30);
    assert.deepEqual(problems, []);
  });
});
