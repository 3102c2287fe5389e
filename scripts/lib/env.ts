import { EnvironmentError } from '@vad/api';

/** Reads an optional TCP port from the environment, naming the variable when the value is not a port. */
export function portFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EnvironmentError(`${name}=${raw} is not a TCP port (1-65535)`);
  }
  return port;
}
