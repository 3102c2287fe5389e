// Managing people: changing one's password, and admins disabling and enabling users, ending their sessions and
// changing their roles, each taking effect at the next request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestApi, type TestApi, type TestUser } from '../support/api';

let api: TestApi;
let admin: TestUser;

before(async () => {
  api = await startTestApi('users');
  admin = await api.user('ADMIN');
});
after(() => api.close());

const ME = '{ me { id role disabledAt } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { id } }';
const DISABLE = 'mutation($id: ID!) { disableUser(id: $id) { id disabledAt } }';
const ENABLE = 'mutation($id: ID!) { enableUser(id: $id) { id disabledAt } }';
const END_SESSIONS = 'mutation($id: ID!) { endUserSessions(userId: $id) }';
const SET_ROLE = 'mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id role } }';

async function readKey(cookie: string): Promise<string> {
  const created = await api.ok<{ createApiKey: { secret: string } }>(
    'mutation { createApiKey(name: "tool", scopes: [READ]) { secret } }',
    {},
    { cookie },
  );
  return created.createApiKey.secret;
}

async function code(
  query: string,
  variables: Record<string, unknown>,
  credentials: { cookie: string } | { apiKey: string },
) {
  return (await api.gql(query, variables, credentials)).errors?.[0]?.extensions?.code;
}

describe('changePassword', () => {
  it('needs the current password, applies the policy, and ends the other sessions only', async () => {
    const user = await api.user('VIEWER');
    const other = await api.login(user.email, user.password);
    const key = await readKey(user.cookie);
    const wrong = await api.gql(CHANGE, { c: 'not my password', n: 'a fresh long secret' }, { cookie: user.cookie });
    assert.equal(wrong.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(wrong.errors?.[0]?.extensions?.field, 'currentPassword');
    const weak = await api.gql(CHANGE, { c: user.password, n: 'password' }, { cookie: user.cookie });
    assert.equal(weak.errors?.[0]?.extensions?.field, 'newPassword');
    assert.match(weak.errors?.[0]?.message ?? '', /at least 10 characters/);
    const blank = await api.gql(CHANGE, { c: user.password, n: ' '.repeat(12) }, { cookie: user.cookie });
    assert.match(blank.errors?.[0]?.message ?? '', /only whitespace/);

    await api.ok(CHANGE, { c: user.password, n: 'a fresh long secret' }, { cookie: user.cookie });
    assert.equal(await code(ME, {}, { cookie: other }), 'UNAUTHENTICATED', 'the other session ended');
    await api.ok(ME, {}, { cookie: user.cookie });
    await api.ok(ME, {}, { apiKey: key });
    await assert.rejects(api.login(user.email, user.password), /Wrong email or password/);
    await api.login(user.email, 'a fresh long secret');
  });

  it('is refused to API keys', async () => {
    const user = await api.user('ANNOTATOR');
    const key = await readKey(user.cookie);
    assert.equal(await code(CHANGE, { c: user.password, n: 'a fresh long secret' }, { apiKey: key }), 'FORBIDDEN');
  });
});

describe('disabling users', () => {
  it("stops the user's session and API key at once, refuses sign-in, and enabling restores the key", async () => {
    const user = await api.user('ANNOTATOR');
    const key = await readKey(user.cookie);
    // Both credentials are proven (and remembered) before the user is disabled.
    await api.ok(ME, {}, { cookie: user.cookie });
    await api.ok(ME, {}, { apiKey: key });

    const disabled = await api.ok<{ disableUser: { disabledAt: string | null } }>(
      DISABLE,
      { id: user.id },
      { cookie: admin.cookie },
    );
    assert.ok(disabled.disableUser.disabledAt);
    assert.equal(await code(ME, {}, { cookie: user.cookie }), 'UNAUTHENTICATED');
    const refusedKey = await api.gql(ME, {}, { apiKey: key });
    assert.equal(refusedKey.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(refusedKey.errors?.[0]?.message ?? '', /disabled/);
    await assert.rejects(api.login(user.email, user.password), /This account is disabled/);

    const enabled = await api.ok<{ enableUser: { disabledAt: string | null } }>(
      ENABLE,
      { id: user.id },
      { cookie: admin.cookie },
    );
    assert.equal(enabled.enableUser.disabledAt, null);
    await api.ok(ME, {}, { apiKey: key });
    assert.equal(await code(ME, {}, { cookie: user.cookie }), 'UNAUTHENTICATED', 'ended sessions stay ended');
    await api.login(user.email, user.password);
  });

  it('admins cannot disable themselves; others cannot disable anyone; unknown ids are NOT_FOUND', async () => {
    assert.equal(await code(DISABLE, { id: admin.id }, { cookie: admin.cookie }), 'FAILED_PRECONDITION');
    const annotator = await api.user('ANNOTATOR');
    assert.equal(await code(DISABLE, { id: admin.id }, { cookie: annotator.cookie }), 'FORBIDDEN');
    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal(await code(DISABLE, { id: missing }, { cookie: admin.cookie }), 'NOT_FOUND');
    assert.equal(await code(ENABLE, { id: 'not-an-id' }, { cookie: admin.cookie }), 'NOT_FOUND');
  });
});

describe('endUserSessions', () => {
  it('ends every session of a user at once and leaves their keys', async () => {
    const user = await api.user('VIEWER');
    const second = await api.login(user.email, user.password);
    const key = await readKey(user.cookie);
    await api.ok(ME, {}, { cookie: second });
    const ended = await api.ok<{ endUserSessions: number }>(END_SESSIONS, { id: user.id }, { cookie: admin.cookie });
    assert.equal(ended.endUserSessions, 2);
    assert.equal(await code(ME, {}, { cookie: user.cookie }), 'UNAUTHENTICATED');
    assert.equal(await code(ME, {}, { cookie: second }), 'UNAUTHENTICATED');
    await api.ok(ME, {}, { apiKey: key });
    const viewer = await api.user('VIEWER');
    assert.equal(await code(END_SESSIONS, { id: admin.id }, { cookie: viewer.cookie }), 'FORBIDDEN');
  });
});

describe('resetUserPassword', () => {
  const RESET = 'mutation($id: ID!, $p: String!) { resetUserPassword(id: $id, newPassword: $p) { id } }';

  it("sets another user's password under the policy and signs them out everywhere", async () => {
    const user = await api.user('ANNOTATOR');
    assert.equal(await code(RESET, { id: user.id, p: 'password123' }, { cookie: admin.cookie }), 'BAD_USER_INPUT');
    await api.ok(RESET, { id: user.id, p: 'a new long passphrase' }, { cookie: admin.cookie });
    assert.equal(await code(ME, {}, { cookie: user.cookie }), 'UNAUTHENTICATED');
    await assert.rejects(api.login(user.email, user.password), /Wrong email or password/);
    await api.login(user.email, 'a new long passphrase');
  });

  it('is for admins, on others: their own goes through changePassword', async () => {
    const viewer = await api.user('VIEWER');
    assert.equal(
      await code(RESET, { id: admin.id, p: 'a new long passphrase' }, { cookie: viewer.cookie }),
      'FORBIDDEN',
    );
    assert.equal(
      await code(RESET, { id: admin.id, p: 'a new long passphrase' }, { cookie: admin.cookie }),
      'FAILED_PRECONDITION',
    );
  });
});

describe('setUserRole', () => {
  it('takes effect at the next request, for sessions and WRITE keys', async () => {
    const user = await api.user('VIEWER');
    const users = '{ users(first: 1) { totalCount } }';
    assert.equal(await code(users, {}, { cookie: user.cookie }), 'FORBIDDEN');
    const changed = await api.ok<{ setUserRole: { role: string } }>(
      SET_ROLE,
      { id: user.id, role: 'ADMIN' },
      { cookie: admin.cookie },
    );
    assert.equal(changed.setUserRole.role, 'ADMIN');
    await api.ok(users, {}, { cookie: user.cookie });
    await api.ok(SET_ROLE, { id: user.id, role: 'VIEWER' }, { cookie: admin.cookie });
    assert.equal(await code(users, {}, { cookie: user.cookie }), 'FORBIDDEN');
  });

  it('admins cannot change their own role', async () => {
    assert.equal(
      await code(SET_ROLE, { id: admin.id, role: 'VIEWER' }, { cookie: admin.cookie }),
      'FAILED_PRECONDITION',
    );
    const me = await api.ok<{ me: { role: string } }>(ME, {}, { cookie: admin.cookie });
    assert.equal(me.me.role, 'ADMIN');
  });
});
