// Users, sessions and API keys end to end: sign-in, cookies, keys shown once, scopes and revocation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let admin: TestUser;
let viewer: TestUser;

before(async () => {
  api = await startTestApi('auth');
  admin = await api.user('ADMIN');
  viewer = await api.user('VIEWER');
});
after(() => api.close());

const ME = '{ me { id email role apiKeys { id name scopes revokedAt } } }';
const CREATE_KEY =
  'mutation($name: String!, $scopes: [ApiKeyScope!]!) { createApiKey(name: $name, scopes: $scopes) { secret apiKey { id prefix scopes } } }';

describe('sessions', () => {
  it('signs in, sets an httpOnly cookie and answers me', async () => {
    const answer = await api.gql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email role } expiresAt } }',
      {
        e: admin.email.toUpperCase(),
        p: admin.password,
      },
    );
    assert.equal(answer.errors, undefined);
    const cookie = answer.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^vad_session=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const me = await api.ok<{ me: { email: string; role: string } }>(ME, {}, { cookie: cookie.split(';')[0]! });
    assert.equal(me.me.email, admin.email);
    assert.equal(me.me.role, 'ADMIN');
  });

  it('refuses a wrong password and an unknown email with the same UNAUTHENTICATED answer', async () => {
    const wrong = await api.gql(
      'mutation { login(email: "' + admin.email + '", password: "nope-nope") { user { id } } }',
    );
    const unknown = await api.gql(
      'mutation { login(email: "nobody@test.local", password: "nope-nope") { user { id } } }',
    );
    for (const answer of [wrong, unknown]) {
      assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.equal(answer.status, 401, 'the README documents HTTP 401 for a failed sign-in');
      assert.equal(answer.errors?.[0]?.message, 'Wrong email or password');
      assert.equal(answer.headers.get('set-cookie'), null);
    }
  });

  it('logout ends the session: the cookie no longer works', async () => {
    const cookie = await api.login(viewer.email, viewer.password);
    const out = await api.ok<{ logout: boolean }>('mutation { logout }', {}, { cookie });
    assert.equal(out.logout, true);
    const after = await api.gql(ME, {}, { cookie });
    assert.equal(after.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(after.data ?? null, null, 'no data');
  });

  it('a forged or expired cookie is UNAUTHENTICATED', async () => {
    const forged = await api.gql(ME, {}, { cookie: 'vad_session=abc' });
    assert.equal(forged.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const someone = await api.user('VIEWER');
    await api.prisma.session.updateMany({
      where: { userId: someone.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const cookie = someone.cookie;
    const expired = await api.gql(ME, {}, { cookie });
    assert.equal(expired.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(expired.errors?.[0]?.message ?? '', /expired/);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only its hash, and the key authenticates', async () => {
    const created = await api.ok<{ createApiKey: { secret: string; apiKey: { id: string; prefix: string } } }>(
      CREATE_KEY,
      { name: 'ci', scopes: ['READ'] },
      { cookie: admin.cookie },
    );
    const { secret, apiKey } = created.createApiKey;
    assert.match(secret, new RegExp(`^vad_${apiKey.prefix}_`));
    const row = await api.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    assert.ok(!JSON.stringify(row).includes(secret.split('_').at(-1)!), 'the secret is not stored');
    const me = await api.ok<{ me: { email: string; apiKeys: { id: string }[] } }>(ME, {}, { apiKey: secret });
    assert.equal(me.me.email, admin.email);
    assert.ok(me.me.apiKeys.some((key) => key.id === apiKey.id));
  });

  it('a READ key of an admin cannot write; a WRITE key can', async () => {
    const read = (
      await api.ok<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { name: 'r', scopes: ['READ'] },
        { cookie: admin.cookie },
      )
    ).createApiKey.secret;
    const write = (
      await api.ok<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { name: 'w', scopes: ['READ', 'WRITE'] },
        { cookie: admin.cookie },
      )
    ).createApiKey.secret;
    const createUser = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id role } }';
    const input = (email: string) => ({ i: { email, name: 'New', role: 'VIEWER', password: 'long enough pw' } });
    const refused = await api.gql(createUser, input('via-read@test.local'), { apiKey: read });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(refused.data ?? null, null, 'no data');
    assert.equal(await api.prisma.user.count({ where: { email: 'via-read@test.local' } }), 0);
    const done = await api.ok<{ createUser: { role: string } }>(createUser, input('via-write@test.local'), {
      apiKey: write,
    });
    assert.equal(done.createUser.role, 'VIEWER');
  });

  it('keys cannot mint keys, and viewers cannot create WRITE keys', async () => {
    const key = (
      await api.ok<{ createApiKey: { secret: string } }>(
        CREATE_KEY,
        { name: 'k', scopes: ['READ', 'WRITE'] },
        { cookie: admin.cookie },
      )
    ).createApiKey.secret;
    const minted = await api.gql(CREATE_KEY, { name: 'child', scopes: ['READ'] }, { apiKey: key });
    assert.equal(minted.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const viewerWrite = await api.gql(CREATE_KEY, { name: 'v', scopes: ['READ', 'WRITE'] }, { cookie: viewer.cookie });
    assert.equal(viewerWrite.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const empty = await api.gql(CREATE_KEY, { name: 'v', scopes: [] }, { cookie: viewer.cookie });
    assert.equal(empty.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(empty.errors?.[0]?.message ?? '', /scopes must name at least one scope/);
  });

  it('a revoked key, a malformed key and a wrong secret are UNAUTHENTICATED', async () => {
    const created = await api.ok<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      CREATE_KEY,
      { name: 'soon revoked', scopes: ['READ'] },
      { cookie: viewer.cookie },
    );
    const { secret, apiKey } = created.createApiKey;
    await api.ok(
      'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }',
      { id: apiKey.id },
      { cookie: viewer.cookie },
    );
    const revoked = await api.gql(ME, {}, { apiKey: secret });
    assert.equal(revoked.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(revoked.errors?.[0]?.message ?? '', /revoked/);
    const wrongSecret = secret.slice(0, -4) + (secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const bad of [wrongSecret, 'vad_nope', 'not-a-key']) {
      const answer = await api.gql(ME, {}, { apiKey: bad });
      assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', bad);
      assert.equal(answer.data ?? null, null, 'no data');
    }
  });

  it('a key with an expiry works until then and is refused after; expiries must be in the future', async () => {
    const create = (expiresAt: string) =>
      api.gql<{ createApiKey: { secret: string; apiKey: { id: string; expiresAt: string } } }>(
        'mutation($e: DateTimeISO) { createApiKey(name: "short", scopes: [READ], expiresAt: $e) { secret apiKey { id expiresAt } } }',
        { e: expiresAt },
        { cookie: viewer.cookie },
      );
    const past = await create(new Date(Date.now() - 1000).toISOString());
    assert.equal(past.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(past.errors?.[0]?.extensions?.field, 'expiresAt');
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await create(expiresAt);
    const { secret, apiKey } = created.data!.createApiKey;
    assert.equal(apiKey.expiresAt, expiresAt);
    // Proven now, and so remembered by this server, but not beyond the key's expiry.
    await api.ok(ME, {}, { apiKey: secret });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    const expired = await api.gql(ME, {}, { apiKey: secret });
    assert.equal(expired.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(expired.errors?.[0]?.message ?? '', /This API key expired at/);
  });

  it("only the owner and admins see a user's keys; others cannot revoke them", async () => {
    const other = await api.user('ANNOTATOR');
    const created = await api.ok<{ createApiKey: { apiKey: { id: string } } }>(
      CREATE_KEY,
      { name: 'mine', scopes: ['READ'] },
      { cookie: other.cookie },
    );
    const revoke = await api.gql(
      'mutation($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: created.createApiKey.apiKey.id },
      { cookie: viewer.cookie },
    );
    assert.equal(revoke.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    const listed = await api.ok<{ users: { edges: { node: { email: string; apiKeys: unknown[] } }[] } }>(
      '{ users(first: 100) { edges { node { email apiKeys { id } } } } }',
      {},
      { cookie: admin.cookie },
    );
    const row = listed.users.edges.find((edge) => edge.node.email === other.email);
    assert.equal(row?.node.apiKeys.length, 1);
  });
});

describe('users', () => {
  it('createUser validates its input and refuses a taken email', async () => {
    const createUser = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }';
    const bad = await api.gql(
      createUser,
      { i: { email: 'not-an-email', name: '', role: 'VIEWER', password: 'short' } },
      { cookie: admin.cookie },
    );
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const message = bad.errors?.[0]?.message ?? '';
    assert.match(message, /email must be an email address/);
    assert.match(message, /name must be longer than or equal to 1 characters/);
    assert.match(message, /password must be longer than or equal to 10 characters/);
    const taken = await api.gql(
      createUser,
      { i: { email: viewer.email, name: 'x', role: 'VIEWER', password: 'long enough pw' } },
      { cookie: admin.cookie },
    );
    assert.equal(taken.errors?.[0]?.extensions?.code, 'CONFLICT');
  });

  it('the first admin is created from the environment once, and keeps its password afterwards', async () => {
    const users = api.app.services.users;
    assert.deepEqual(await users.ensureAdmin('First@Admin.local', 'first password'), { created: true });
    assert.deepEqual(await users.ensureAdmin('first@admin.local', 'another password'), { created: false });
    const cookie = await api.login('first@admin.local', 'first password');
    const me = await api.ok<{ me: { role: string } }>(ME, {}, { cookie });
    assert.equal(me.me.role, 'ADMIN');
  });
});
