import type { Refusal } from '../../auth/sign-in-throttle';
import { DomainError } from '../../graphql/errors';

/**
 * Too many wrong passwords for an account or from an address: the guess was refused without being checked.
 * `extensions.retryAfterSeconds` says when to try again.
 */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'TOO_MANY_ATTEMPTS';
  constructor({ by, retryAfterSeconds }: Refusal) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    const who = by === 'account' ? 'for this account' : 'from your address';
    super(
      `Too many failed sign-ins ${who}: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      'TOO_MANY_ATTEMPTS',
      {
        retryAfterSeconds,
      },
    );
  }
}
