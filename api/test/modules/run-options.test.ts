// Query.runOptions and StartRunInput against the pipeline's option schema: a copy that drifts (a range, a value,
// a description written again by hand) fails here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { OPTION_NAMES, optionSpec } from '@vad/models';

import { startTestApi, type TestApi, type TestUser } from '../support/api';
import { makeMvtecFolder } from '../support/fixtures';

interface RunOptionView {
  name: string;
  flag: string;
  kind: string;
  stage: string;
  description: string;
  min: number | null;
  max: number | null;
  values: { value: string; description: string }[] | null;
  minItems: number | null;
  maxItems: number | null;
  pattern: string | null;
}

interface InputField {
  name: string;
  description: string;
  type: { name: string | null; ofType: { name: string | null; ofType: { name: string | null } | null } | null };
}

let api: TestApi;
let admin: TestUser;
let options: RunOptionView[];
let fields: InputField[];
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-run-options-'));

before(async () => {
  api = await startTestApi('run-options');
  admin = await api.user('ADMIN');
  options = (
    await api.ok<{ runOptions: RunOptionView[] }>(
      '{ runOptions { name flag kind stage description min max values { value description } minItems maxItems pattern } }',
      {},
      { cookie: admin.cookie },
    )
  ).runOptions;
  fields = (
    await api.ok<{ __type: { inputFields: InputField[] } }>(
      '{ __type(name: "StartRunInput") { inputFields { name description type { name ofType { name ofType { name } } } } } }',
      {},
      { cookie: admin.cookie },
    )
  ).__type.inputFields;
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function enumValues(name: string): Promise<string[]> {
  const answer = await api.ok<{ __type: { enumValues: { name: string }[] } }>(
    'query($n: String!) { __type(name: $n) { enumValues { name } } }',
    { n: name },
    { cookie: admin.cookie },
  );
  return answer.__type.enumValues.map((value) => value.name);
}

describe('the run option schema through the API', () => {
  it('serves every option of the schema with its range or values', () => {
    assert.deepEqual(
      options.map((option) => option.name),
      OPTION_NAMES,
    );
    for (const option of options) {
      const spec = optionSpec(option.name as (typeof OPTION_NAMES)[number]);
      assert.equal(option.flag, `--${spec.flag}`);
      assert.equal(option.kind, spec.type.toUpperCase().replace('-', '_'));
      assert.equal(option.description, spec.description);
      const ranged = spec.type === 'integer' || spec.type === 'number';
      assert.equal(option.min, ranged ? spec.min : null, option.name);
      assert.equal(option.max, ranged ? spec.max : null, option.name);
      const choices = spec.type === 'choice' || spec.type === 'choice-list' ? spec.values : null;
      assert.deepEqual(
        option.values?.map((value) => value.value) ?? null,
        choices?.map((value) => value.toUpperCase()) ?? null,
        option.name,
      );
    }
  });

  it("gives StartRunInput one field per option, with the schema's description and enum values", async () => {
    for (const name of OPTION_NAMES) {
      const spec = optionSpec(name);
      const field = fields.find((entry) => entry.name === name);
      assert.ok(field, `StartRunInput.${name}`);
      assert.equal(field.description, spec.description, name);
      if (spec.type === 'choice' || spec.type === 'choice-list') {
        const enumName = field.type.name ?? field.type.ofType?.name ?? field.type.ofType?.ofType?.name;
        assert.deepEqual(
          await enumValues(enumName!),
          spec.values.map((value) => value.toUpperCase()),
          name,
        );
      }
    }
  });

  it('refuses a value just outside each range, naming the field', async () => {
    const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 2, testGood: 1, defects: { crack: 1 } });
    const { importDataset } = await api.ok<{ importDataset: { id: string } }>(
      'mutation($p: String!) { importDataset(input: { path: $p, name: "options" }) { id } }',
      { p: folder },
      { cookie: admin.cookie },
    );
    for (const name of OPTION_NAMES) {
      const spec = optionSpec(name);
      if (spec.type !== 'integer' && spec.type !== 'number') continue;
      const step = spec.type === 'integer' ? 1 : spec.max / 100;
      // Past GraphQL's 32-bit Int, the query itself is refused before any rule of the option is checked.
      const outside = [spec.min - step, spec.max + step].filter((value) => spec.type === 'number' || value < 2 ** 31);
      for (const value of outside) {
        const refused = await api.gql(
          'mutation($input: StartRunInput!) { startRun(input: $input) { id } }',
          { input: { datasetId: importDataset.id, [name]: value } },
          { cookie: admin.cookie },
        );
        assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${name} = ${value}`);
        assert.equal(refused.errors?.[0]?.extensions?.field, name, `${name} = ${value}`);
      }
    }
  });
});
