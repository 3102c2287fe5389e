// Sign-in protection: guesses counted per account and per client address (aliases in one request included), a
// locked account refusing the right password, the password policy, and the demo admin refused in production.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SIGN_IN_LIMITS } from '../../src/auth/sign-in-throttle';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from '../../src/config';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let admin: TestUser;

before(async () => {
  api = await startTestApi('sign_in');
  admin = await api.user('ADMIN');
});
after(() => api.close());

const LIMIT = SIGN_IN_LIMITS.account.guesses;
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { id } } }';

/** One request holding one aliased login per password, in order. */
function aliasedLogins(email: string, passwords: string[]): string {
  const fields = passwords.map(
    (password, index) => `a${index}: login(email: ${JSON.stringify(email)}, password: ${JSON.stringify(password)}) {
      user { id }
    }`,
  );
  return `mutation { ${fields.join('\n')} }`;
}

describe('throttling', () => {
  // Every alias runs, but an answer shows only the first failure (login answers a non-null type): what each guess
  // did shows in the cookie and in what the account answers afterwards. Sent with a session, whose requests may
  // hold more aliases than anonymous ones.
  it('counts every alias of one request: under the limit the right password still gets in', async () => {
    const user = await api.user('VIEWER');
    const passwords = [...Array.from({ length: LIMIT - 1 }, (_, i) => `wrong guess ${i}`), user.password];
    const answer = await api.gql(aliasedLogins(user.email, passwords), {}, { cookie: admin.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(answer.headers.get('set-cookie') ?? '', /^vad_session=/, 'the last alias signed in');
  });

  it('counts every alias of one request: past the limit even the right password is refused', async () => {
    const user = await api.user('VIEWER');
    const passwords = [...Array.from({ length: LIMIT + 5 }, (_, i) => `wrong guess ${i}`), user.password];
    const answer = await api.gql(aliasedLogins(user.email, passwords), {}, { cookie: admin.cookie });
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(answer.headers.get('set-cookie'), null, 'no session for the right password');
    const later = await api.gql(LOGIN, { e: user.email, p: user.password });
    const extensions = later.errors?.[0]?.extensions;
    assert.equal(extensions?.code, 'TOO_MANY_ATTEMPTS');
    assert.ok(Number(extensions?.retryAfterSeconds) > 14 * 60 && Number(extensions?.retryAfterSeconds) <= 15 * 60);
    assert.match(
      later.errors?.[0]?.message ?? '',
      /Too many failed sign-ins for this account: try again in 15 minutes/,
    );
    assert.equal(await api.prisma.session.count({ where: { userId: user.id } }), 1, 'only the session of api.user');
  });

  it('counts guesses across requests, and the right password is refused while locked', async () => {
    const user = await api.user('VIEWER');
    for (let guess = 0; guess < LIMIT; guess++) {
      const answer = await api.gql(LOGIN, { e: user.email, p: `wrong ${guess}` });
      assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    }
    const locked = await api.gql(LOGIN, { e: user.email.toUpperCase(), p: user.password });
    assert.equal(locked.errors?.[0]?.extensions?.code, 'TOO_MANY_ATTEMPTS');
    assert.equal(locked.data ?? null, null);
    assert.equal(locked.headers.get('set-cookie'), null);
    // Other accounts are not affected.
    await api.login(admin.email, admin.password);
  });

  it('a success resets the account: failures must come in a row to lock it', async () => {
    const user = await api.user('ANNOTATOR');
    for (let round = 0; round < 3; round++) {
      const wrong = Array.from({ length: LIMIT - 1 }, (_, i) => `no ${round} ${i}`);
      const answer = await api.gql(aliasedLogins(user.email, [...wrong, user.password]), {}, { cookie: admin.cookie });
      assert.match(answer.headers.get('set-cookie') ?? '', /^vad_session=/, `round ${round}`);
    }
  });

  it('unknown emails are counted like known ones (no account probing)', async () => {
    const email = 'nobody-at-all@test.local';
    const guesses = Array.from({ length: LIMIT }, (_, i) => `guess ${i}`);
    await api.gql(aliasedLogins(email, guesses), {}, { cookie: admin.cookie });
    const next = await api.gql(LOGIN, { e: email, p: 'one more guess' });
    assert.equal(next.errors?.[0]?.extensions?.code, 'TOO_MANY_ATTEMPTS');
  });

  it('counts guesses per client address across accounts', async () => {
    const sessions = api.app.services.sessions;
    const address = '203.0.113.7';
    const user = await api.user('VIEWER');
    for (let guess = 0; guess < SIGN_IN_LIMITS.address.guesses; guess++) {
      await assert.rejects(sessions.login(`spray-${guess}@test.local`, 'Summer2024!x', address), {
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    await assert.rejects(sessions.login(user.email, user.password, address), (error: Error) => {
      assert.match(error.message, /from your address/);
      return (error as { extensions?: { code?: string } }).extensions?.code === 'TOO_MANY_ATTEMPTS';
    });
    const elsewhere = await sessions.login(user.email, user.password, '198.51.100.2');
    assert.equal(elsewhere.user.id, user.id);
  });
});

describe('password policy', () => {
  const CREATE = 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }';
  const input = (email: string, password: string) => ({ i: { email, name: 'P', role: 'VIEWER', password } });

  for (const [password, message] of [
    ['password', /password must be longer than or equal to 10 characters/],
    [' '.repeat(8), /password must be longer than or equal to 10 characters/],
    [' '.repeat(12), /password must not be only whitespace/],
    ['Password123', /password is one of the most common passwords/],
    ['QWERTYUIOP', /password is one of the most common passwords/],
    [DEMO_ADMIN_PASSWORD, /password is the published demo password/],
    ['weak@test.local', /password must not be the email address/],
  ] as const) {
    it(`createUser refuses ${JSON.stringify(password)}`, async () => {
      const answer = await api.gql(CREATE, input('weak@test.local', password), { cookie: admin.cookie });
      assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(answer.errors?.[0]?.message ?? '', message);
      assert.equal(await api.prisma.user.count({ where: { email: 'weak@test.local' } }), 0);
    });
  }

  it('accepts a long uncommon password', async () => {
    await api.ok(CREATE, input('strong@test.local', 'tulip ladder 7 orbit'), { cookie: admin.cookie });
    await api.login('strong@test.local', 'tulip ladder 7 orbit');
  });

  it('the first admin from the environment must pass it too', async () => {
    await assert.rejects(api.app.services.users.ensureAdmin('env-admin@test.local', 'password123'), {
      name: 'EnvironmentError',
      message: /VAD_ADMIN_PASSWORD .* is one of the most common passwords/,
    });
  });
});

describe('the demo admin', () => {
  it('signs in outside production', async () => {
    await api.app.services.users.ensureAdmin(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
    await api.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
  });

  it('is refused under NODE_ENV=production until its password is changed', async () => {
    const production = await startTestApi('sign_in_production', (config) => {
      config.production = true;
    });
    try {
      const users = production.app.services.users;
      await users.ensureAdmin(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD);
      const refused = await production.gql(LOGIN, { e: DEMO_ADMIN_EMAIL, p: DEMO_ADMIN_PASSWORD });
      assert.equal(refused.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
      assert.match(refused.errors?.[0]?.message ?? '', /demo password .* production refuses/);
      assert.equal(refused.headers.get('set-cookie'), null);
      // The operator's password for that account replaces the demo one at the next start.
      await users.ensureAdmin(DEMO_ADMIN_EMAIL, 'an operator chosen secret');
      await production.login(DEMO_ADMIN_EMAIL, 'an operator chosen secret');
      const stale = await production.gql(LOGIN, { e: DEMO_ADMIN_EMAIL, p: DEMO_ADMIN_PASSWORD });
      assert.equal(stale.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    } finally {
      await production.close();
    }
  });
});
