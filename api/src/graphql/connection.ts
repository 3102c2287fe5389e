import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

import { BadInputError } from './errors';
import { isUuid } from './ids';

// Relay connections with keyset (cursor) pagination: a cursor holds the sort value and the id of a row, so a
// page costs one indexed range scan whatever its depth, and rows added meanwhile never shift the pages.

@ObjectType({ description: 'Where a page lies in its list (Relay).', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when this page was asked for with `after` (items precede it).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item: pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to the server maximum (100 by default).' })
  first!: number;

  @Field(() => String, { nullable: true, description: 'An `endCursor` from a previous page of the same list.' })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What a connection field resolves to; `totalCount` is a getter that counts only when the query asks for it. */
export interface ConnectionValue<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number> | number;
}

export interface ConnectionClass<T> {
  new (): ConnectionValue<T>;
}

/** `<Name>Connection` and `<Name>Edge` object types around a node type. */
export function connectionType<T extends object>(name: string, node: ClassType<T>, what: string): ClassType<object> {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.`, simpleResolvers: true })
  class EdgeType {
    @Field(() => String, { description: 'Opaque position of this item; pass it as `after` to continue after it.' })
    cursor!: string;

    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  // Not simple resolvers: totalCount may be a promise, which executors await from resolvers only.
  @ObjectType(`${name}Connection`, { description: `A page of ${what}s (Relay connection).` })
  class Connection {
    @Field(() => [EdgeType], { description: `The ${what}s of this page, in the requested order.` })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Where this page lies in the whole list.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Items in the whole list (all pages), with the same filters.' })
    totalCount!: number;
  }
  return Connection;
}

/** The sort key of one row: a sortable value and the id that breaks ties. */
export interface CursorKey {
  value: string | number;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.value, key.id])).toString('base64url');
}

function notACursor(): BadInputError {
  return new BadInputError('after is not a cursor from this list', 'after');
}

/** A cursor's sort value and row id; BAD_USER_INPUT for anything that is not a cursor, before a database sees it. */
export function decodeCursor(cursor: string): CursorKey {
  let parsed: unknown;
  try {
    // Cursors are short: a long one is not one, whatever it holds.
    parsed = cursor.length <= 1024 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    throw notACursor();
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    (typeof parsed[0] === 'string' || (typeof parsed[0] === 'number' && Number.isFinite(parsed[0]))) &&
    typeof parsed[1] === 'string' &&
    isUuid(parsed[1])
  ) {
    return { value: parsed[0], id: parsed[1] };
  }
  throw notACursor();
}

/**
 * The cursor of a list sorted by `field`: keyset fields are text, or `createdAt`, whose value must be a date. A
 * cursor of another list (a score where a date belongs) is BAD_USER_INPUT rather than a database error.
 */
function decodeCursorOf(cursor: string, field: string): CursorKey {
  const key = decodeCursor(cursor);
  const fits =
    field === 'createdAt'
      ? typeof key.value === 'string' && !Number.isNaN(Date.parse(key.value))
      : typeof key.value === 'string';
  if (!fits) throw notACursor();
  return key;
}

export function checkPageSize(first: number, maxPageSize: number): number {
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) {
    throw new BadInputError(`first must be between 1 and ${maxPageSize}, got ${first}`, 'first');
  }
  return first;
}

export type Direction = 'asc' | 'desc';

/**
 * The Prisma `where` of the rows after a cursor in order (field direction, id direction):
 * (field beyond value) OR (field = value AND id beyond id).
 */
export function keysetWhere(field: string, direction: Direction, cursor: CursorKey | null): object {
  if (!cursor) return {};
  const beyond = direction === 'desc' ? 'lt' : 'gt';
  const value = field === 'createdAt' ? new Date(cursor.value) : cursor.value;
  return {
    OR: [{ [field]: { [beyond]: value } }, { [field]: value, id: { [beyond]: cursor.id } }],
  };
}

/** Builds the connection from rows fetched with `take: first + 1` (the extra row only says a page follows). */
export function toConnection<Row extends { id: string }, Node = Row>(
  rows: Row[],
  first: number,
  after: string | null | undefined,
  sortValue: (row: Row) => string | number | Date,
  totalCount: () => Promise<number> | number,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
): ConnectionValue<Node> {
  const page = rows.slice(0, first);
  const edges = page.map((row) => {
    const value = sortValue(row);
    return {
      cursor: encodeCursor({ value: value instanceof Date ? value.toISOString() : value, id: row.id }),
      node: toNode(row),
    };
  });
  let counted: Promise<number> | number | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      // A real Promise: Prisma's are thenables, which graphql-jit does not await.
      return (counted ??= Promise.resolve(totalCount()));
    },
  };
}

/** What keysetPage needs of a Prisma model (`prisma.image`, `prisma.user`...). */
export interface KeysetModel<Row> {
  findMany(args: { where: object; orderBy: object[]; take: number }): Promise<Row[]>;
  count(args: { where: object }): Promise<number>;
}

/** A page asked of a list sorted by one field (the id breaks ties). */
export interface KeysetRequest<Field extends string> {
  /** The rows of the whole list; the cursor narrows it to those after it. */
  where?: object;
  field: Field;
  direction: Direction;
  first: number;
  after: string | null | undefined;
  maxPageSize: number;
}

/** One page of a Prisma model as a connection: one indexed range scan, and a count only if the query asks for it. */
export async function keysetPage<Row extends { id: string } & Record<Field, string | Date>, Field extends string>(
  model: KeysetModel<Row>,
  request: KeysetRequest<Field>,
): Promise<ConnectionValue<Row>> {
  const { where = {}, field, direction, first, after } = request;
  checkPageSize(first, request.maxPageSize);
  const cursor = after ? decodeCursorOf(after, field) : null;
  const rows = await model.findMany({
    where: { AND: [where, keysetWhere(field, direction, cursor)] },
    orderBy: [{ [field]: direction }, { id: direction }],
    take: first + 1,
  });
  return toConnection(
    rows,
    first,
    after,
    (row) => row[field],
    () => model.count({ where }),
  );
}
