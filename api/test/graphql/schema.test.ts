// The schema is a public contract: the committed api/schema.graphql must be what the code builds, and every
// type, field, argument and enum value must be described.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLSchema,
} from 'graphql';

import { printApiSchema, SCHEMA_FILE } from '../../src/emit-schema';
import { createSchema } from '../../src/schema';

function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (
      type.name.startsWith('__') ||
      (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
    ) {
      continue;
    }
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && !type.description) missing.push(type.name);
  }
  return missing;
}

describe('schema contract', () => {
  it('api/schema.graphql is up to date (run `npm run schema -w api` after changing the API)', async () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), await printApiSchema());
  });

  it('describes every type, field, argument and enum value', async () => {
    assert.deepEqual(undescribed(await createSchema()), []);
  });
});
