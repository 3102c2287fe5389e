import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { GENERATED_FILE, generate } from '../../scripts/codegen';

describe('typed GraphQL operations', () => {
  it('validate against api/schema.graphql and are what is committed (run `npm run codegen -w web` if not)', async () => {
    const expected = await generate();
    assert.equal(
      readFileSync(GENERATED_FILE, 'utf8'),
      expected,
      'web/lib/graphql/generated.ts is stale: run `npm run codegen -w web`',
    );
  });
});
