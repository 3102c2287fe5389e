import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

import { BadInputError } from './errors';
import { isUuid } from './ids';

// Relay connections with keyset (cursor) pagination: a cursor holds the sort value and the id of a row, so a
// page costs one indexed range scan whatever its depth, and rows added meanwhile never shift the pages.

// Relay connections with keyset (cursor) pagination: a cursor holds the sort value and the id of a row, so a
// page costs one indexed range scan whatever its depth, and rows added meanwhile never shift the pages. Pages are
// counted from the start (`first`, after `after`) or from the end (`last`, before `before`); a backward page is
// the same range scan in the opposite order, turned round.

// Not simple resolvers: hasNextPage and hasPreviousPage may be promises (asked of the database only when the query
// selects them), which executors await from resolvers only.
@ObjectType({ description: 'Where a page lies in its list (Relay).' })
export class PageInfo {
  @Field(() => Boolean, { description: 'True when items follow this page in the whole list.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when items precede this page in the whole list.' })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the first item of the page: pass it as `before` for the page before.',
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last item: pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

/** The page size when a query gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description:
      `Page size counted from the start of the list (after \`after\`), 1 to the server maximum (100 by default); ` +
      `${DEFAULT_PAGE_SIZE} when neither first nor last is given. Not together with last.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'An `endCursor` from a previous page of the same list.' })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Page size counted from the end of the list (before `before`), 1 to the server maximum: pages backwards. ' +
      'Not together with first.',
  })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'A `startCursor` from a page of the same list.' })
  before?: string | null;
}

/** The page arguments of a connection field, as a resolver passes them on. */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page's place in its list: the two flags may be promises, each asked of the database when first read. */
export interface PageInfoValue {
  readonly hasNextPage: boolean | Promise<boolean>;
  readonly hasPreviousPage: boolean | Promise<boolean>;
  startCursor: string | null;
  endCursor: string | null;
}

/** What a connection field resolves to; `totalCount` is a getter that counts only when the query asks for it. */
export interface ConnectionValue<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoValue;
  readonly totalCount: Promise<number> | number;
}

export interface ConnectionClass<T> {
  new (): ConnectionValue<T>;
}

/** `<Name>Connection` and `<Name>Edge` object types around a node type. */
export function connectionType<T extends object>(name: string, node: ClassType<T>, what: string): ClassType<object> {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.`, simpleResolvers: true })
  class EdgeType {
    @Field(() => String, {
      description: 'Opaque position of this item; pass it as `after` to continue after it, `before` to go back.',
    })
    cursor!: string;

    @Field(() => node, { description: `The ${what}.` })
    node!: T;
  }

  // Not simple resolvers: totalCount may be a promise, which executors await from resolvers only.
  @ObjectType(`${name}Connection`, { description: `A page of ${what}s (Relay connection).` })
  class Connection {
    @Field(() => [EdgeType], { description: `The ${what}s of this page, in the list's order (backward pages too).` })
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

export type CursorArgument = 'after' | 'before';

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.value, key.id])).toString('base64url');
}

function notACursor(argument: CursorArgument): BadInputError {
  return new BadInputError(`${argument} is not a cursor from this list`, argument);
}

/** A cursor's sort value and row id; BAD_USER_INPUT for anything that is not a cursor, before a database sees it. */
export function decodeCursor(cursor: string, argument: CursorArgument = 'after'): CursorKey {
  let parsed: unknown;
  try {
    // Cursors are short: a long one is not one, whatever it holds.
    parsed = cursor.length <= 1024 ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    throw notACursor(argument);
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
  throw notACursor(argument);
}

/** What a list's sort values are: a cursor of another list (a score where a date belongs) is refused. */
export type CursorValueKind = 'text' | 'number' | 'date';

/** A cursor of a list whose sort values are of `kind`: BAD_USER_INPUT for any other, rather than a database error. */
export function decodeCursorOf(cursor: string, kind: CursorValueKind, argument: CursorArgument): CursorKey {
  const key = decodeCursor(cursor, argument);
  const fits =
    kind === 'number'
      ? typeof key.value === 'number'
      : kind === 'date'
        ? typeof key.value === 'string' && !Number.isNaN(Date.parse(key.value))
        : typeof key.value === 'string';
  if (!fits) throw notACursor(argument);
  return key;
}

function checkSize(size: number, argument: 'first' | 'last', maxPageSize: number): number {
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new BadInputError(`${argument} must be between 1 and ${maxPageSize}, got ${size}`, argument);
  }
  return size;
}

export function checkPageSize(first: number, maxPageSize: number): number {
  return checkSize(first, 'first', maxPageSize);
}

/** A page request once checked: how many rows, from which end, between which cursors. */
export interface PageWindow {
  size: number;
  /** Counted from the end (`last`): the rows nearest `before`, or the list's last rows. */
  fromEnd: boolean;
  after: CursorKey | null;
  before: CursorKey | null;
}

/**
 * Checks a page request: `first` or `last` (not both; neither is the first DEFAULT_PAGE_SIZE), each within the
 * server maximum, and its cursors, all BAD_USER_INPUT naming the argument before a database sees them.
 */
export function pageWindow(request: PageRequest, maxPageSize: number, kind: CursorValueKind): PageWindow {
  const { first, last } = request;
  if (first != null && last != null) {
    throw new BadInputError(
      'first and last cannot be given together: first pages forward (with after), last backward (with before)',
      'last',
    );
  }
  const fromEnd = last != null;
  const size = fromEnd
    ? checkSize(last, 'last', maxPageSize)
    : checkSize(first ?? DEFAULT_PAGE_SIZE, 'first', maxPageSize);
  return {
    size,
    fromEnd,
    after: request.after ? decodeCursorOf(request.after, kind, 'after') : null,
    before: request.before ? decodeCursorOf(request.before, kind, 'before') : null,
  };
}

export type Direction = 'asc' | 'desc';

/** Which side of a cursor, in the list's order. */
export type Side = 'after' | 'before';

/**
 * The Prisma `where` of the rows on one side of a cursor in order (field direction, id direction):
 * (field beyond value) OR (field = value AND id beyond id); `inclusive` keeps the cursor's own row.
 */
export function keysetWhere(
  field: string,
  direction: Direction,
  cursor: CursorKey | null,
  side: Side = 'after',
  inclusive = false,
): object {
  if (!cursor) return {};
  const ahead = (direction === 'desc') === (side === 'after') ? 'lt' : 'gt';
  const value = field === 'createdAt' ? new Date(cursor.value) : cursor.value;
  return {
    OR: [{ [field]: { [ahead]: value } }, { [field]: value, id: { [inclusive ? `${ahead}e` : ahead]: cursor.id } }],
  };
}

/** What a page of a list needs of the list, whatever holds it (a Prisma model, hand-written SQL). */
export interface KeysetSource<Row> {
  /**
   * Up to `take` rows strictly between the cursors, in the list's order, or in the opposite order from `before`
   * (or the end) when `reverse`.
   */
  rows(range: { after: CursorKey | null; before: CursorKey | null; reverse: boolean; take: number }): Promise<Row[]>;
  /** Whether any row lies on `side` of `key` in the list's order (`key`'s own row included). */
  any(side: Side, key: CursorKey): Promise<boolean>;
  count(): Promise<number> | number;
  sortValue(row: Row): string | number | Date;
}

/** A value computed once, when first asked for. A real Promise: Prisma's are thenables, which graphql-jit does not await. */
function lazy<T>(compute: () => Promise<T> | T): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= Promise.resolve().then(compute));
}

/**
 * One page of a list as a connection: one range scan for `size + 1` rows (the extra one only says more lie beyond
 * the page on the side it was counted towards). Whether items lie on the other side, or beyond the far cursor, is
 * asked of the database only if the query selects it, and so is the total.
 */
export async function pageOf<Row extends { id: string }, Node = Row>(
  source: KeysetSource<Row>,
  window: PageWindow,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
): Promise<ConnectionValue<Node>> {
  const { size, fromEnd, after, before } = window;
  const rows = await source.rows({ after, before, reverse: fromEnd, take: size + 1 });
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (fromEnd) page.reverse();
  const edges = page.map((row) => {
    const value = source.sortValue(row);
    return {
      cursor: encodeCursor({ value: value instanceof Date ? value.toISOString() : value, id: row.id }),
      node: toNode(row),
    };
  });
  // The page reaches from `after` (or the start) forwards, or from `before` (or the end) backwards: on its far side
  // the extra row tells; on the near side, items lie there when any row is at or beyond the near cursor.
  const beyondBefore = before ? lazy(() => source.any('after', before)) : () => false;
  const beyondAfter = after ? lazy(() => source.any('before', after)) : () => false;
  const hasNext = fromEnd ? beyondBefore : more ? () => true : beyondBefore;
  const hasPrevious = fromEnd ? (more ? () => true : beyondAfter) : beyondAfter;
  const total = lazy(() => source.count());
  return {
    edges,
    pageInfo: {
      get hasNextPage() {
        return hasNext();
      },
      get hasPreviousPage() {
        return hasPrevious();
      },
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      return total();
    },
  };
}

/** What keysetPage needs of a Prisma model (`prisma.image`, `prisma.user`...). */
export interface KeysetModel<Row> {
  findMany(args: { where: object; orderBy: object[]; take: number }): Promise<Row[]>;
  count(args: { where: object }): Promise<number>;
}

/** A page asked of a list sorted by one field (the id breaks ties). */
export interface KeysetRequest<Field extends string> extends PageRequest {
  /** The rows of the whole list; the cursors narrow it. */
  where?: object;
  field: Field;
  direction: Direction;
  maxPageSize: number;
  /** The field holds numbers (a count), so its cursors do. */
  numeric?: boolean;
}

/** A Prisma model's rows sorted by one field (the id breaks ties), as a list pages are cut from. */
export function prismaSource<Row extends { id: string } & Record<Field, string | number | Date>, Field extends string>(
  model: KeysetModel<Row>,
  list: { where: object; field: Field; direction: Direction },
): KeysetSource<Row> {
  const { where, field, direction } = list;
  const reversed: Direction = direction === 'asc' ? 'desc' : 'asc';
  return {
    rows: ({ after, before, reverse, take }) =>
      model.findMany({
        where: {
          AND: [where, keysetWhere(field, direction, after, 'after'), keysetWhere(field, direction, before, 'before')],
        },
        orderBy: [{ [field]: reverse ? reversed : direction }, { id: reverse ? reversed : direction }],
        take,
      }),
    any: async (side, key) =>
      (
        await model.findMany({
          where: { AND: [where, keysetWhere(field, direction, key, side, true)] },
          orderBy: [{ [field]: direction }, { id: direction }],
          take: 1,
        })
      ).length > 0,
    count: () => model.count({ where }),
    sortValue: (row) => row[field],
  };
}

/** One page of a Prisma model as a connection: one indexed range scan, and a count only if the query asks for it. */
export async function keysetPage<
  Row extends { id: string } & Record<Field, string | number | Date>,
  Field extends string,
>(model: KeysetModel<Row>, request: KeysetRequest<Field>): Promise<ConnectionValue<Row>> {
  const { where = {}, field, direction } = request;
  const kind: CursorValueKind = request.numeric ? 'number' : field === 'createdAt' ? 'date' : 'text';
  const window = pageWindow(request, request.maxPageSize, kind);
  return pageOf(prismaSource(model, { where, field, direction }), window);
}
