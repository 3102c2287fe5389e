// Limits before work (issue 12): oversized and amplified requests are refused with a 4xx in bounded time, before
// anything parses them whole, and the API keeps answering. Requests without credentials get far smaller limits.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { ANONYMOUS_LIMITS } from '../../src/graphql/request-limits';
import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { subscribe } from '../support/subscriptions';

let api: TestApi;
let admin: TestUser;

before(async () => {
  api = await startTestApi('request_limits');
  admin = await api.user('ADMIN');
});
after(() => api.close());

interface Refusal {
  status: number;
  code: string | undefined;
  message: string | undefined;
  ms: number;
}

/** POSTs a raw body to /graphql and times the answer. */
async function post(body: string, cookie?: string): Promise<Refusal> {
  const started = performance.now();
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body,
  });
  const json = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  const ms = performance.now() - started;
  return { status: response.status, code: json.errors?.[0]?.extensions?.code, message: json.errors?.[0]?.message, ms };
}

/** The API still answers a normal query, and at once. */
async function stillServing(): Promise<void> {
  const started = performance.now();
  const data = await api.ok<{ me: { id: string } }>('{ me { id } }', {}, { cookie: admin.cookie });
  assert.equal(data.me.id, admin.id);
  assert.ok(performance.now() - started < 1000);
}

/** `{ me { id id id ... } }`, the attack, of about `bytes` characters. */
function repeatedFieldQuery(bytes: number): string {
  return `{ me { ${'id '.repeat(Math.ceil(bytes / 3))}} }`;
}

describe('requests without credentials', () => {
  it('refuses a 3 MB repeated-field query with 413 before reading it whole', async () => {
    const refusal = await post(JSON.stringify({ query: repeatedFieldQuery(3_000_000) }));
    assert.equal(refusal.status, 413);
    assert.equal(refusal.code, 'PAYLOAD_TOO_LARGE');
    assert.ok(refusal.ms < 2000, `took ${refusal.ms} ms`);
    await stillServing();
  });

  it("refuses the issue's 31.5 MB query streamed without a declared length, in bounded time and memory", async () => {
    // 10.5 M repeated fields, made as they are sent: the server must stop at its limit, not buffer the whole body
    // (before, it parsed it for 85 s and died of heap exhaustion).
    const chunk = new TextEncoder().encode('id '.repeat(21_845));
    const chunks = Math.ceil(10_500_000 / 21_845);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ me { '));
      },
      pull(controller) {
        if (sent === chunks) {
          controller.enqueue(new TextEncoder().encode('} }"}'));
          controller.close();
          return;
        }
        sent++;
        controller.enqueue(chunk);
      },
    });
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
    const started = performance.now();
    try {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      const sentAtAnswer = sent;
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      const ms = performance.now() - started;
      assert.ok(sentAtAnswer < chunks / 2, `answered after ${sentAtAnswer} of ${chunks} chunks were sent`);
      assert.equal(response.status, 413);
      assert.equal(body.errors?.[0]?.extensions?.code, 'PAYLOAD_TOO_LARGE');
      assert.ok(ms < 5000, `took ${ms} ms`);
    } finally {
      clearInterval(sampler);
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const grewMb = (rssPeak - rssBefore) / 2 ** 20;
    // Client and server share this process: what the body's 31.5 MB would take whole is well over this.
    assert.ok(grewMb < 64, `the process grew by ${grewMb.toFixed(0)} MB`);
    await stillServing();
  });

  it('refuses a query over the anonymous size and token limits, which signed-in users may send', async () => {
    const query = repeatedFieldQuery(ANONYMOUS_LIMITS.maxQueryBytes + 100);
    const large = await post(JSON.stringify({ query }));
    assert.equal(large.status, 413);
    assert.equal(large.code, 'PAYLOAD_TOO_LARGE');
    assert.match(large.message ?? '', /for requests without credentials/);

    const manyTokens = `{ me { ${'id '.repeat(ANONYMOUS_LIMITS.maxQueryTokens)}} }`;
    const tokens = await post(JSON.stringify({ query: manyTokens }));
    assert.equal(tokens.status, 400);
    assert.equal(tokens.code, 'QUERY_TOO_COMPLEX');
    assert.match(tokens.message ?? '', /more than 500 tokens/);

    const signedIn = await post(JSON.stringify({ query: manyTokens }), admin.cookie);
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.code, undefined);
  });

  it('refuses login aliased many times (one request, many guesses)', async () => {
    const guesses = Array.from(
      { length: 20 },
      (_, i) => `g${i}: login(email: "${admin.email}", password: "guess ${i}") { user { id } }`,
    );
    const refusal = await post(JSON.stringify({ query: `mutation { ${guesses.join(' ')} }` }));
    assert.equal(refusal.status, 400);
    assert.equal(refusal.code, 'QUERY_TOO_COMPLEX');
    assert.match(refusal.message ?? '', /20 aliased fields; the limit is 5/);
  });

  it('refuses variables with too many keys without parsing them', async () => {
    const variables = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 1]));
    const refusal = await post(JSON.stringify({ query: '{ me { id } }', variables }));
    assert.equal(refusal.status, 413);
    assert.equal(refusal.code, 'PAYLOAD_TOO_LARGE');
  });
});

describe('signed-in requests', () => {
  it('refuses a 10 MB repeated-field query with 413 quickly, and keeps serving', async () => {
    const refusal = await post(JSON.stringify({ query: repeatedFieldQuery(10_000_000) }), admin.cookie);
    assert.equal(refusal.status, 413);
    assert.equal(refusal.code, 'PAYLOAD_TOO_LARGE');
    assert.match(refusal.message ?? '', /^the query is \d+ characters; the limit is 65536$/);
    assert.ok(refusal.ms < 3000, `took ${refusal.ms} ms`);
    await stillServing();
  });

  it('refuses a variables object with a million keys quickly (counted before JSON.parse)', async () => {
    const keys = Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":1`).join(',');
    const body = `{"query":"{ me { id } }","variables":{${keys}}}`;
    const refusal = await post(body, admin.cookie);
    assert.equal(refusal.status, 413);
    assert.equal(refusal.code, 'PAYLOAD_TOO_LARGE');
    assert.match(refusal.message ?? '', /more than 10000 keys and list items/);
    assert.ok(refusal.ms < 3000, `took ${refusal.ms} ms`);
    await stillServing();
  });

  it('refuses 1,000 aliases of a field', async () => {
    for (const field of ['me { id }', 'datasets(first: 1) { totalCount }']) {
      const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: ${field}`).join(' ');
      const refusal = await post(JSON.stringify({ query: `{ ${aliases} }` }), admin.cookie);
      assert.equal(refusal.status, 400);
      assert.equal(refusal.code, 'QUERY_TOO_COMPLEX');
    }
    await stillServing();
  });

  it('refuses fragments that spread each other twice over (exponentially many fields) in milliseconds', async () => {
    let query = '{ me { ...F0 } }';
    for (let i = 0; i < 40; i++) query += ` fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`;
    query += ' fragment F40 on User { id }';
    const refusal = await post(JSON.stringify({ query }), admin.cookie);
    assert.equal(refusal.status, 400);
    assert.equal(refusal.code, 'QUERY_TOO_COMPLEX');
    assert.match(refusal.message ?? '', /^query complexity is at least \d+/);
    assert.ok(refusal.ms < 1000, `took ${refusal.ms} ms`);
  });
});

describe('graphql-ws', () => {
  it('applies the size limits before parsing a subscription', async () => {
    const query = `subscription($id: ID!) { imageLabelChanged(datasetId: $id) { dataset { id ${'id '.repeat(40_000)}} } }`;
    const subscription = await subscribe<unknown>(api.url, query, { id: randomUUID() }, { cookie: admin.cookie });
    try {
      await assert.rejects(subscription.next(3000), (error: unknown) => {
        const text = error instanceof Error ? error.message : JSON.stringify(error);
        return text.includes('PAYLOAD_TOO_LARGE') && !text.includes('"http"');
      });
    } finally {
      await subscription.close();
    }
  });
});
