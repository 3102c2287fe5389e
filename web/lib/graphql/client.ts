import type { TypedDocumentString } from './generated';

/** An error the API answered with (or could not answer): `code` is the API's `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Codes that mean "the API could not be asked", not "the API said no". */
export const UNREACHABLE = 'API_UNREACHABLE';
export const BAD_ANSWER = 'API_BAD_ANSWER';

interface GraphqlErrorBody {
  message?: string;
  extensions?: Record<string, unknown>;
}

type VariablesOf<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

export interface GraphqlClient {
  request<R, V>(document: TypedDocumentString<R, V>, ...variables: VariablesOf<V>): Promise<R>;
}

export interface ClientOptions {
  /** The /graphql endpoint: the API itself on the server, the app's proxy in the browser. */
  url: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** A typed GraphQL client over fetch: the one way web code talks to the API. */
export function createGraphqlClient(options: ClientOptions): GraphqlClient {
  const send = options.fetch ?? fetch;
  return {
    async request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: VariablesOf<V>): Promise<R> {
      let response: Response;
      try {
        response = await send(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
          body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch (error) {
        throw new ApiError(`The API could not be reached (${(error as Error).message})`, UNREACHABLE);
      }
      let body: { data?: R | null; errors?: GraphqlErrorBody[] };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new ApiError(`The API answered ${response.status} ${response.statusText} without a result`, BAD_ANSWER);
      }
      const first = body.errors?.[0];
      if (first) {
        const extensions = first.extensions ?? {};
        throw new ApiError(
          first.message ?? 'The API reported an error',
          String(extensions.code ?? BAD_ANSWER),
          extensions,
        );
      }
      if (body.data == null) throw new ApiError(`The API answered ${response.status} without data`, BAD_ANSWER);
      return body.data;
    },
  };
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

/** A sentence for people: the API's own message for refusals, a plain one when it was not reached. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again; if it keeps happening, the server log has the details.';
}
