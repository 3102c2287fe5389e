// A page of results reads only the image and mask columns its query selects: these tests hold that every field
// still resolves, whatever way the query asks for it (aliases, fragments, alongside a full read of the image).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  isObjectType,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

import { seedResults, type Seeded } from '../../bench/seed';
import { createSchema } from '../../src/schema';
import { fieldsAt } from '../../src/graphql/selection';
import { IMAGE_FIELD_COLUMNS, MASK_FIELD_COLUMNS } from '../../src/modules/result/result.selection';
import { startTestApi, type TestApi, type TestUser } from '../support/api';

function parsed(query: string): { fields: FieldNode[]; fragments: Record<string, FragmentDefinitionNode> } {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments[definition.name.value] = definition;
  }
  return { fields: operation.selectionSet.selections as FieldNode[], fragments };
}

describe('fieldsAt', () => {
  it('follows aliases, named and inline fragments, and says when a path is not selected', () => {
    const { fields, fragments } = parsed(`
      query { results { edges { node { id ...Row ... on Result { shown: image { width } } } } } }
      fragment Row on Result { image { name ...Mask } }
      fragment Mask on Image { currentMask { status } }`);
    assert.deepEqual(fieldsAt(fields, fragments, ['edges', 'node']), new Set(['id', 'image']));
    assert.deepEqual(
      fieldsAt(fields, fragments, ['edges', 'node', 'image']),
      new Set(['name', 'currentMask', 'width']),
    );
    assert.deepEqual(fieldsAt(fields, fragments, ['edges', 'node', 'image', 'currentMask']), new Set(['status']));
    assert.equal(fieldsAt(fields, fragments, ['edges', 'node', 'run']), null);
  });

  it('does not loop on a fragment that spreads itself', () => {
    const { fields, fragments } = parsed('query { a { ...F } } fragment F on A { b ...F }');
    assert.deepEqual(fieldsAt(fields, fragments, []), new Set(['b']));
  });
});

describe('page columns', () => {
  it('knows the columns of every field of Image and Mask in the schema', async () => {
    const schema = await createSchema();
    for (const [typeName, known] of [
      ['Image', IMAGE_FIELD_COLUMNS],
      ['Mask', MASK_FIELD_COLUMNS],
    ] as const) {
      const type = schema.getType(typeName);
      assert.ok(isObjectType(type));
      const missing = Object.keys(type.getFields()).filter((field) => !known[field]);
      assert.deepEqual(missing, [], `${typeName} fields with no columns listed in result.selection.ts`);
    }
  });
});

describe('a page reading some columns', () => {
  let api: TestApi;
  let seeded: Seeded;
  let viewer: TestUser;

  before(async () => {
    api = await startTestApi('selection');
    seeded = await seedResults(api.databaseUrl, { images: 40, runs: 1, anomalousEvery: 2 }, 'selection');
    viewer = await api.user('VIEWER');
  });
  after(() => api.close());

  interface PageImage {
    id: string;
    name?: string;
    label?: string;
    dataset?: { id: string };
    thumbnailUrl?: string;
    currentMask?: { id: string; version: number; status: string; image: { id: string } } | null;
  }

  it('resolves every field it asks for, through fragments, beside a full read of the same image', async () => {
    const query = `query($runId: ID!, $imageId: ID!) {
      run(id: $runId) {
        results(first: 40) {
          edges { node { score scores { mapType } run { id } ...Row } }
        }
      }
      image(id: $imageId) { id name label width height contentHash dataset { id } currentMask { id version } }
    }
    fragment Row on Result { picture: image { id name ... on Image { label dataset { id } } ...Mask } }
    fragment Mask on Image { thumbnailUrl currentMask { id version status image { id } } }`;
    const first = await api.ok<{ run: { results: { edges: { node: { image: { id: string } } }[] } } }>(
      'query($runId: ID!) { run(id: $runId) { results(first: 1) { edges { node { image { id } } } } } }',
      { runId: seeded.runIds[0] },
      { cookie: viewer.cookie },
    );
    const imageId = first.run.results.edges[0]!.node.image.id;
    const data = await api.ok<{
      run: {
        results: {
          edges: { node: { score: number; scores: unknown[]; run: { id: string }; picture: PageImage } }[];
        };
      };
      image: PageImage & { contentHash: string; width: number };
    }>(query, { runId: seeded.runIds[0], imageId }, { cookie: viewer.cookie });

    const rows = data.run.results.edges.map((edge) => edge.node);
    assert.equal(rows.length, 40);
    const datasetId = seeded.datasetId;
    for (const row of rows) {
      assert.equal(row.run.id, seeded.runIds[0]);
      assert.ok(Array.isArray(row.scores));
      const image = row.picture;
      assert.match(image.name!, /\S/);
      assert.ok(image.label === 'NORMAL' || image.label === 'ANOMALOUS');
      assert.equal(image.dataset!.id, datasetId);
      assert.equal(image.thumbnailUrl, `${api.url}/files/images/${image.id}/thumbnail?size=256`);
      if (image.label === 'ANOMALOUS') {
        assert.equal(image.currentMask?.status, 'APPROVED');
        assert.equal(image.currentMask?.image.id, image.id);
      } else {
        assert.equal(image.currentMask, null);
      }
    }
    // The full read of one image is not cut down to the page's columns, and agrees with the page.
    const full = data.image;
    assert.match(full.contentHash, /^[0-9a-f]{64}$/);
    assert.ok(full.width > 0);
    const same = rows.find((row) => row.picture.id === imageId)!.picture;
    assert.equal(same.name, full.name);
    assert.equal(same.currentMask?.id ?? null, full.currentMask?.id ?? null);
  });
});
