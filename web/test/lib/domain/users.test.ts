import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  changePassword,
  createUser,
  fieldErrorsOf,
  formErrorsOf,
  NEW_USER_LABELS,
  newUserProblems,
  PASSWORD_CHANGE_LABELS,
  passwordChangeProblems,
  passwordProblem,
  type NewUser,
} from '../../../lib/domain/users';
import { ApiError, type GraphqlClient } from '../../../lib/graphql/client';

const ann: NewUser = { email: ' ann@lab.example ', name: ' Ann ', role: 'ANNOTATOR', password: 'staple-horse-7' };

/** A client that records what was sent and answers `answer`, or throws it when it is an error. */
function fakeClient(answer: unknown) {
  const sent: { query: string; variables: unknown }[] = [];
  const client: GraphqlClient = {
    request: (async (document: { toString(): string }, variables?: unknown) => {
      sent.push({ query: document.toString(), variables });
      if (answer instanceof Error) throw answer;
      return answer;
    }) as GraphqlClient['request'],
  };
  return { client, sent };
}

describe('passwordProblem', () => {
  it("checks what the API's policy says a form can know", () => {
    assert.equal(passwordProblem('short'), 'At least 10 characters');
    assert.equal(passwordProblem(' '.repeat(12)), 'Not only spaces');
    assert.equal(passwordProblem('x'.repeat(201)), 'At most 200 characters');
    assert.equal(passwordProblem('Ann@Lab.example', 'ann@lab.example'), 'Not the email address');
    assert.equal(passwordProblem('staple-horse-7', 'ann@lab.example'), null);
  });
});

describe('newUserProblems', () => {
  it('names each field at fault', () => {
    assert.deepEqual(newUserProblems({ email: 'ann', name: ' ', role: 'NOBODY' as never, password: 'abc' }), {
      email: 'An email address, like ann@lab.example',
      name: 'Enter the name people will see',
      role: 'Choose a role',
      password: 'At least 10 characters',
    });
    assert.deepEqual(newUserProblems(ann), {});
  });
});

describe('createUser', () => {
  it('sends the account trimmed, the password as typed', async () => {
    const { client, sent } = fakeClient({ createUser: { id: 'u1' } });
    assert.deepEqual(await createUser(client, { ...ann, password: ' staple-horse-7 ' }), { id: 'u1' });
    assert.deepEqual(sent[0]!.variables, {
      input: { email: 'ann@lab.example', name: 'Ann', role: 'ANNOTATOR', password: ' staple-horse-7 ' },
    });
  });

  it('refuses before sending, with the problems by field', async () => {
    const { client, sent } = fakeClient({});
    const failure = await createUser(client, { ...ann, password: 'too short' }).catch((error: unknown) => error);
    assert.deepEqual(formErrorsOf(failure, NEW_USER_LABELS), { password: 'At least 10 characters' });
    assert.equal(sent.length, 0);
  });

  it("puts the API's refusals next to their fields", async () => {
    const common = new ApiError('password is one of the most common passwords: choose another', 'BAD_USER_INPUT', {
      field: 'password',
    });
    const { client } = fakeClient(common);
    const failure = await createUser(client, ann).catch((error: unknown) => error);
    assert.deepEqual(formErrorsOf(failure, NEW_USER_LABELS), {
      password: 'Password is one of the most common passwords: choose another',
    });
    const taken = new ApiError('a user with email ann@lab.example already exists', 'CONFLICT', { field: 'email' });
    assert.deepEqual(formErrorsOf(taken, NEW_USER_LABELS), {
      email: 'A user with email ann@lab.example already exists',
    });
  });
});

describe('fieldErrorsOf', () => {
  it('splits a validation message over the fields it names', () => {
    const error = new ApiError(
      'email must be an email address; password must be longer than or equal to 10 characters',
      'BAD_USER_INPUT',
      { field: 'email' },
    );
    assert.deepEqual(fieldErrorsOf(error, NEW_USER_LABELS), {
      email: 'Email must be an email address',
      password: 'Password must be longer than or equal to 10 characters',
    });
  });

  it('keeps what names no field for the form', () => {
    assert.deepEqual(fieldErrorsOf(new ApiError('something else broke', 'BAD_USER_INPUT'), NEW_USER_LABELS), {
      form: 'Something else broke',
    });
  });

  it('leaves refusals about no field to the caller', () => {
    const tooMany = new ApiError(
      'Too many failed sign-ins for this account: try again in 15 minutes',
      'TOO_MANY_ATTEMPTS',
    );
    assert.equal(formErrorsOf(tooMany, PASSWORD_CHANGE_LABELS), null);
    assert.equal(formErrorsOf(new Error('bug'), PASSWORD_CHANGE_LABELS), null);
  });
});

describe('changePassword', () => {
  const change = { currentPassword: 'old-password-1', newPassword: 'staple-horse-7', repeated: 'staple-horse-7' };

  it('checks the new password and its repetition before sending', () => {
    assert.deepEqual(passwordChangeProblems({ currentPassword: '', newPassword: 'short', repeated: 'shrt' }, 'a@b.c'), {
      currentPassword: 'Enter the password you signed in with',
      newPassword: 'At least 10 characters',
      repeated: 'Not the same as the new password',
    });
    assert.deepEqual(
      passwordChangeProblems({ ...change, newPassword: 'old-password-1', repeated: 'old-password-1' }, 'a@b.c'),
      { newPassword: 'Not the current password' },
    );
    assert.deepEqual(passwordChangeProblems(change, 'a@b.c'), {});
  });

  it('sends both passwords, and shows a wrong current password under its field', async () => {
    const { client, sent } = fakeClient({ changePassword: { id: 'u1' } });
    await changePassword(client, change, 'a@b.c');
    assert.deepEqual(sent[0]!.variables, { currentPassword: 'old-password-1', newPassword: 'staple-horse-7' });
    const wrong = fakeClient(new ApiError('currentPassword is wrong', 'BAD_USER_INPUT', { field: 'currentPassword' }));
    const failure = await changePassword(wrong.client, change, 'a@b.c').catch((error: unknown) => error);
    assert.deepEqual(formErrorsOf(failure, PASSWORD_CHANGE_LABELS), { currentPassword: 'Current password is wrong' });
  });
});
