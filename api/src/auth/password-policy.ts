import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEMO_ADMIN_PASSWORD } from '../config';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

const COMMON = new Set(
  readFileSync(path.join(__dirname, 'common-passwords.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => line !== '' && !line.startsWith('#')),
);

/**
 * Why a new password is refused, or null when it may be set: length, not only whitespace, not a common password,
 * not the demo password (the README publishes it), not the account's email. Sign-in never applies this, so
 * accounts made under an older policy still sign in.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'must not be only whitespace';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords: choose another';
  if (lower === DEMO_ADMIN_PASSWORD) return 'is the published demo password: choose another';
  if (email !== undefined && lower === email.trim().toLowerCase()) return 'must not be the email address';
  return null;
}
