import type { FieldNode, GraphQLResolveInfo } from 'graphql';

import { IMAGE_COLUMNS, MASK_COLUMNS, type ImageColumn, type MaskColumn, type PageColumns } from '../../db/reads';
import { fieldsAt } from '../../graphql/selection';

/**
 * The columns each field of Image and Mask needs: its own column, or for a field resolver the columns it reads.
 * A field in neither table (a new field nobody listed here) makes the page read every column: always correct,
 * only slower. `test/graphql/selection.test.ts` checks that every field of the schema is listed.
 */
export const IMAGE_FIELD_COLUMNS: Readonly<Record<string, readonly ImageColumn[]>> = {
  ...Object.fromEntries(IMAGE_COLUMNS.map((column) => [column, [column]])),
  __typename: [],
  dataset: ['datasetId'],
  url: [],
  thumbnailUrl: [],
  currentMask: ['currentMaskId'],
  approvedMask: [],
  masks: [],
  latestResult: [],
  assignee: [],
};

export const MASK_FIELD_COLUMNS: Readonly<Record<string, readonly MaskColumn[]>> = {
  ...Object.fromEntries(MASK_COLUMNS.map((column) => [column, [column]])),
  __typename: [],
  image: ['imageId'],
  author: ['authorId'],
  url: [],
  reviews: [],
  // Answers null without reading anything unless the version came from an import.
  maskImport: ['source'],
};

/** The columns a list of requested fields needs (`id` first, always), or all of them if a field is unknown. */
function columnsFor<C extends string>(
  fields: Set<string>,
  byField: Readonly<Record<string, readonly C[]>>,
  all: readonly C[],
): readonly C[] {
  const needed = new Set<C>(['id' as C]);
  for (const field of fields) {
    const columns = byField[field];
    if (!columns) return all;
    for (const column of columns) needed.add(column);
  }
  return [...needed];
}

// graphql-jit and graphql-js hand every execution of one document the same field nodes.
const byDocument = new WeakMap<FieldNode, PageColumns>();

/** What a `results` connection needs to read, from the fields its query selects under `edges.node`. */
export function pageColumns(info: GraphQLResolveInfo): PageColumns {
  const key = info.fieldNodes[0]!;
  const known = byDocument.get(key);
  if (known && info.fieldNodes.length === 1) return known;
  const node = fieldsAt(info.fieldNodes, info.fragments, ['edges', 'node']) ?? new Set<string>();
  const image = fieldsAt(info.fieldNodes, info.fragments, ['edges', 'node', 'image']);
  const mask = fieldsAt(info.fieldNodes, info.fragments, ['edges', 'node', 'image', 'currentMask']);
  const columns: PageColumns = {
    image: image ? columnsFor(image, IMAGE_FIELD_COLUMNS, IMAGE_COLUMNS) : ['id'],
    mask: mask ? columnsFor(mask, MASK_FIELD_COLUMNS, MASK_COLUMNS) : null,
    // A map carries its score.
    scores: node.has('scores') || node.has('maps'),
  };
  if (info.fieldNodes.length === 1) byDocument.set(key, columns);
  return columns;
}
