/** A problem with the environment that the user must fix; its message is one line, fit to print as is. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Ends a command-line entry point: an environment problem as one line, anything else with its stack. */
export function exitOnError(error: unknown): never {
  console.error(error instanceof EnvironmentError ? `error: ${error.message}` : error);
  process.exit(1);
}
