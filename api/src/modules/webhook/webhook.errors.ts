import { BadInputError } from '../../graphql/errors';

/**
 * A webhook URL that cannot be POSTed to: not a URL, or not http/https. BAD_USER_INPUT on field `url`, with
 * `extensions.reason` INVALID_WEBHOOK_URL for clients that tell it apart from other bad input.
 */
export class InvalidWebhookUrlError extends BadInputError {
  constructor(url: string, problem: string) {
    super(`url ${JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}...` : url)} ${problem}`, 'url');
    this.extensions.reason = 'INVALID_WEBHOOK_URL';
  }
}

/**
 * A given signing secret too short or too long to be one (16 to 200 characters). BAD_USER_INPUT on field
 * `secret`, `extensions.reason` INVALID_WEBHOOK_SECRET.
 */
export class InvalidWebhookSecretError extends BadInputError {
  constructor(problem: string) {
    super(`secret ${problem}`, 'secret');
    this.extensions.reason = 'INVALID_WEBHOOK_SECRET';
  }
}
