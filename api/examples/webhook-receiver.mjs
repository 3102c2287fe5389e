// A webhook receiver that checks signatures (Node 20 or later, no packages):
//   VAD_URL=http://localhost:4000 VAD_KEY=vad_... node webhook-receiver.mjs
// The key needs the WRITE scope and an admin owner. It listens on a free local port, registers itself as a webhook
// for the test event, asks the platform for one, checks the request's X-VAD-Signature with the secret it was
// given, prints what arrived, then deletes the webhook. A real receiver keeps the secret and runs the same check.
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { clearTimeout, setTimeout } from 'node:timers';

const { VAD_URL, VAD_KEY } = process.env;

async function graphql(query, variables) {
  const response = await fetch(`${VAD_URL}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${VAD_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  if (answer.errors) throw new Error(answer.errors.map((error) => error.message).join('; '));
  return answer.data;
}

/** True when `header` (X-VAD-Signature) signs `rawBody` with `secret`, made within `toleranceSeconds`. */
function verifyVadSignature(secret, rawBody, header, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(',').map((part) => part.trim().split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let secret;
let arrived;
const received = new Promise((resolve) => (arrived = resolve));
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    // The signature covers the bytes as sent: check it before parsing them.
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verifyVadSignature(secret, body, request.headers['x-vad-signature'] ?? '')) {
      response.writeHead(400).end('bad signature');
      arrived({ refused: 'its X-VAD-Signature does not match the secret' });
      return;
    }
    // 2xx: delivered. Anything else and the platform sends the same delivery (X-VAD-Delivery) again later.
    response.writeHead(204).end();
    arrived({ delivery: request.headers['x-vad-delivery'], event: JSON.parse(body) });
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/vad`;

const { createWebhook } = await graphql(
  'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }',
  { input: { url, description: 'webhook-receiver.mjs', events: ['WEBHOOK_TEST'] } },
);
secret = createWebhook.secret;
const webhookId = createWebhook.webhook.id;
try {
  await graphql('mutation($id: ID!) { sendTestWebhook(id: $id) { id } }', { id: webhookId });
  const timeout = setTimeout(() => arrived(null), 60_000);
  const got = await received;
  clearTimeout(timeout);
  if (!got) throw new Error('no event arrived within a minute: is a worker running?');
  if (got.refused) throw new Error(`an event arrived but ${got.refused}`);
  console.log(`verified ${got.event.type} ${got.event.id} (delivery ${got.delivery})`);
} finally {
  await graphql('mutation($id: ID!) { deleteWebhook(id: $id) }', { id: webhookId });
  server.close();
}
