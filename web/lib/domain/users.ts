import { ApiError, type GraphqlClient } from '../graphql/client';
import {
  ChangePasswordDocument,
  CreateUserDocument,
  DisableUserDocument,
  EnableUserDocument,
  EndUserSessionsDocument,
  ResetUserPasswordDocument,
  SetUserRoleDocument,
  UsersDocument,
  type Role,
  type UserFieldsFragment,
  type UsersQuery,
} from '../graphql/generated';

export type UserAccount = UserFieldsFragment;

/** The API's largest page. */
const PAGE_SIZE = 100;

/** Roles from the most to the least a person may do, as the People page offers them. */
export const ROLES: readonly Role[] = ['ADMIN', 'ANNOTATOR', 'VIEWER'];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  ADMIN: 'imports datasets, launches runs, reviews masks, manages people and API keys',
  ANNOTATOR: 'draws and submits masks',
  VIEWER: 'reads everything, changes nothing',
};

/**
 * The API's password policy (api/src/auth/password-policy.ts), the part a form can check before sending: length,
 * not only whitespace, not the email. Whether it is a common password only the API knows; its refusal is shown
 * next to the field like these.
 */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `At least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `At most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'Not only spaces';
  if (email !== undefined && password.toLowerCase() === email.trim().toLowerCase()) {
    return 'Not the email address';
  }
  return null;
}

/** Every account (pages of 100), by email. */
export async function listUsers(client: GraphqlClient): Promise<UserAccount[]> {
  const users: UserAccount[] = [];
  let after: string | null = null;
  for (;;) {
    const { users: page }: UsersQuery = await client.request(UsersDocument, { first: PAGE_SIZE, after });
    users.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return users;
    after = page.pageInfo.endCursor;
  }
}

/** Messages for a form's fields, by field name; `form` holds what belongs to no field. */
export type FieldErrors<F extends string> = Partial<Record<F | 'form', string>>;

/**
 * Puts an API refusal next to the fields it names. The API's messages start with the field ("password must be at
 * least 10 characters", several joined by '; ') or name it in `extensions.field` (a taken email); under the field,
 * its name reads as its label ("Password must be at least 10 characters"). Anything else goes to `form`.
 */
export function fieldErrorsOf<F extends string>(error: ApiError, labels: Record<F, string>): FieldErrors<F> {
  const fields = Object.keys(labels) as F[];
  const errors: FieldErrors<F> = {};
  const named = typeof error.extensions.field === 'string' ? error.extensions.field.split('.').at(-1) : undefined;
  const add = (key: F | 'form', message: string) => {
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  };
  const parts = error.message.split('; ');
  for (const part of parts) {
    const field = fields.find((candidate) => part.startsWith(`${candidate} `));
    if (field) add(field, `${labels[field]} ${part.slice(field.length + 1)}`);
    else if (parts.length === 1 && named && fields.includes(named as F)) add(named as F, sentence(part));
    else add('form', sentence(part));
  }
  return errors;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A form's problems, thrown before anything is sent: `extensions.fields` holds them by field. */
function refuse<F extends string>(errors: FieldErrors<F>): never {
  throw new ApiError(Object.values(errors).join('; '), 'BAD_USER_INPUT', { fields: errors });
}

/**
 * The field errors of a failed create or change below, found by the form before sending or answered by the API;
 * null for failures that are about no field (the API unreachable, too many attempts...).
 */
export function formErrorsOf<F extends string>(error: unknown, labels: Record<F, string>): FieldErrors<F> | null {
  if (!(error instanceof ApiError)) return null;
  const checked = error.extensions.fields;
  if (checked && typeof checked === 'object') return checked as FieldErrors<F>;
  if (error.code !== 'BAD_USER_INPUT' && error.code !== 'CONFLICT') return null;
  return fieldErrorsOf(error, labels);
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export const NEW_USER_LABELS: Record<keyof NewUser, string> = {
  email: 'Email',
  name: 'Name',
  role: 'Role',
  password: 'Password',
};

/** What the create form can tell before asking the API, by field. */
export function newUserProblems(user: NewUser): FieldErrors<keyof NewUser> {
  const errors: FieldErrors<keyof NewUser> = {};
  const email = user.email.trim();
  if (!email) errors.email = 'Enter the sign-in address';
  else if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'An email address, like ann@lab.example';
  const name = user.name.trim();
  if (!name) errors.name = 'Enter the name people will see';
  else if (name.length > 100) errors.name = 'At most 100 characters';
  if (!ROLES.includes(user.role)) errors.role = 'Choose a role';
  const password = passwordProblem(user.password, email);
  if (password) errors.password = password;
  return errors;
}

/** Creates an account; problems come back by field (formErrorsOf), the API's included. */
export async function createUser(client: GraphqlClient, user: NewUser): Promise<UserAccount> {
  const problems = newUserProblems(user);
  if (Object.keys(problems).length > 0) refuse(problems);
  const input = { email: user.email.trim(), name: user.name.trim(), role: user.role, password: user.password };
  return (await client.request(CreateUserDocument, { input })).createUser;
}

export async function setUserRole(client: GraphqlClient, id: string, role: Role): Promise<UserAccount> {
  return (await client.request(SetUserRoleDocument, { id, role })).setUserRole;
}

/** Stops an account at once: no sign-in, its sessions end, its API keys are refused. */
export async function disableUser(client: GraphqlClient, id: string): Promise<UserAccount> {
  return (await client.request(DisableUserDocument, { id })).disableUser;
}

export async function enableUser(client: GraphqlClient, id: string): Promise<UserAccount> {
  return (await client.request(EnableUserDocument, { id })).enableUser;
}

/** Signs a user out everywhere (their API keys stay); answers how many sessions ended. */
export async function endUserSessions(client: GraphqlClient, userId: string): Promise<number> {
  return (await client.request(EndUserSessionsDocument, { userId })).endUserSessions;
}

/**
 * Sets another user's password (they are signed out everywhere); what the policy can tell here is refused
 * before asking, the rest (common passwords) by the API.
 */
export async function resetUserPassword(
  client: GraphqlClient,
  user: UserAccount,
  password: string,
): Promise<UserAccount> {
  const problem = passwordProblem(password, user.email);
  if (problem) throw new ApiError(`The new password: ${problem}`, 'BAD_USER_INPUT');
  return (await client.request(ResetUserPasswordDocument, { id: user.id, newPassword: password })).resetUserPassword;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  /** The new password typed again. */
  repeated: string;
}

export const PASSWORD_CHANGE_LABELS: Record<keyof PasswordChange, string> = {
  currentPassword: 'Current password',
  newPassword: 'New password',
  repeated: 'New password again',
};

export function passwordChangeProblems(change: PasswordChange, email: string): FieldErrors<keyof PasswordChange> {
  const errors: FieldErrors<keyof PasswordChange> = {};
  if (!change.currentPassword) errors.currentPassword = 'Enter the password you signed in with';
  const problem = passwordProblem(change.newPassword, email);
  if (problem) errors.newPassword = problem;
  else if (change.newPassword === change.currentPassword) errors.newPassword = 'Not the current password';
  if (change.repeated !== change.newPassword) errors.repeated = 'Not the same as the new password';
  return errors;
}

/** Changes the signed-in user's password; their other sessions end, this one stays. */
export async function changePassword(client: GraphqlClient, change: PasswordChange, email: string): Promise<void> {
  const problems = passwordChangeProblems(change, email);
  if (Object.keys(problems).length > 0) refuse(problems);
  await client.request(ChangePasswordDocument, {
    currentPassword: change.currentPassword,
    newPassword: change.newPassword,
  });
}
