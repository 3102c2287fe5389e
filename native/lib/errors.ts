// Errors raised in a worker thread reach JS without the caller's stack. These helpers capture the
// stack where the call was made and attach it, so a failed train() or explain() points at its caller.

/** Captures the current JS stack; call it synchronously at the start of the public method. */
export function captureCallSite(): Error {
  const site = new Error('call site');
  Error.captureStackTrace?.(site, captureCallSite);
  return site;
}

/** Gives an error from native code the stack of the call site (keeps its name and message). */
export function withCallSite(error: unknown, site: Error): unknown {
  if (!(error instanceof Error) || !site.stack) return error;
  const frames = site.stack.split('\n').slice(1).join('\n');
  error.stack = `${error.name}: ${error.message}\n${frames}`;
  return error;
}

/** Awaits a native promise and rethrows its error with the caller's stack. */
export async function awaitWithCallSite<T>(promise: () => Promise<T>, site: Error): Promise<T> {
  try {
    return await promise();
  } catch (error) {
    throw withCallSite(error, site);
  }
}
