import { NotFoundError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else names nothing, so it is reported as missing rather than as a database error. */
export function checkId(id: string, what: string): string {
  if (!UUID.test(id)) throw new NotFoundError(what, id);
  return id;
}

export function isUuid(id: string): boolean {
  return UUID.test(id);
}
