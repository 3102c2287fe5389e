// labelImage: the rules of labels and defect types, the dataset's counts and defect types kept with them (also
// under concurrent labelling), who may label, and the imageLabelChanged subscription.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { compareNames } from '@vad/models';

import { startTestApi, type Credentials, type GraphqlAnswer, type TestApi, type TestUser } from '../support/api';
import { makeFlatFolder, makeMvtecFolder } from '../support/fixtures';
import { subscribe } from '../support/subscriptions';

const MISSING = '00000000-0000-4000-8000-000000000000';

const LABEL = `mutation($id: ID!, $label: ImageLabel!, $defectType: String) {
  labelImage(imageId: $id, label: $label, defectType: $defectType) { id name split label defectType dataset { id } }
}`;

interface Labelled {
  labelImage: { id: string; name: string; split: string; label: string; defectType: string; dataset: { id: string } };
}

interface DatasetState {
  normal: number;
  anomalous: number;
  unlabeled: number;
  images: number;
  train: number;
  test: number;
  defectTypes: string[];
}

let api: TestApi;
let admin: TestUser;
let annotator: TestUser;
let viewer: TestUser;
let flatId: string;
let flatImages: string[];
let mvtecId: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-labels-'));

async function importFolder(folder: string, name: string): Promise<string> {
  const data = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!, $n: String!) { importDataset(input: { path: $p, name: $n }) { id } }',
    { p: folder, n: name },
    { cookie: admin.cookie },
  );
  return data.importDataset.id;
}

async function imageId(datasetId: string, name: string): Promise<string> {
  return (await api.prisma.image.findFirstOrThrow({ where: { datasetId, name } })).id;
}

function label(
  id: string,
  value: string,
  defectType?: string | null,
  credentials: Credentials = { cookie: annotator.cookie },
): Promise<GraphqlAnswer<Labelled>> {
  return api.gql<Labelled>(LABEL, { id, label: value, defectType }, credentials);
}

async function labelled(id: string, value: string, defectType?: string | null): Promise<Labelled['labelImage']> {
  const answer = await label(id, value, defectType);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.labelImage;
}

/** The dataset as the API shows it, checked against a count of its images made here. */
async function state(datasetId: string): Promise<DatasetState> {
  const data = await api.ok<{
    dataset: { defectTypes: string[]; counts: Omit<DatasetState, 'defectTypes'> };
  }>(
    'query($id: ID!) { dataset(id: $id) { defectTypes counts { images train test normal anomalous unlabeled } } }',
    { id: datasetId },
    { cookie: viewer.cookie },
  );
  const images = await api.prisma.image.findMany({ where: { datasetId } });
  const count = (labelName: string) => images.filter((image) => image.label === labelName).length;
  const shown = { ...data.dataset.counts, defectTypes: data.dataset.defectTypes };
  assert.deepEqual(shown, {
    images: images.length,
    train: images.filter((image) => image.split === 'TRAIN').length,
    test: images.filter((image) => image.split === 'TEST').length,
    normal: count('NORMAL'),
    anomalous: count('ANOMALOUS'),
    unlabeled: count('UNLABELED'),
    defectTypes: [
      ...new Set(images.filter((image) => image.label === 'ANOMALOUS').map((image) => image.defectType)),
    ].sort(compareNames),
  });
  return shown;
}

function assertBadInput(answer: GraphqlAnswer<unknown>, field: string, mentions: RegExp): void {
  assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(answer.errors));
  assert.equal(answer.errors?.[0]?.extensions?.field, field);
  assert.match(answer.errors![0]!.message, mentions);
  assert.equal(answer.data ?? null, null);
}

before(async () => {
  api = await startTestApi('labels');
  admin = await api.user('ADMIN');
  annotator = await api.user('ANNOTATOR');
  viewer = await api.user('VIEWER');
  flatId = await importFolder(await makeFlatFolder(path.join(scratch, 'flat'), 12), 'flat');
  flatImages = (
    await api.prisma.image.findMany({ where: { datasetId: flatId }, orderBy: { name: 'asc' }, select: { id: true } })
  ).map((image) => image.id);
  mvtecId = await importFolder(
    await makeMvtecFolder(path.join(scratch, 'mvtec'), { train: 2, testGood: 1, defects: { crack: 2, hole: 1 } }),
    'mvtec',
  );
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('labelImage on images imported without labels', () => {
  it('starts from a dataset of unlabeled test images', async () => {
    assert.deepEqual(await state(flatId), {
      images: 12,
      train: 0,
      test: 12,
      normal: 0,
      anomalous: 0,
      unlabeled: 12,
      defectTypes: [],
    });
  });

  it('labels an image NORMAL, with the defect type good', async () => {
    const image = await labelled(flatImages[0]!, 'NORMAL');
    assert.deepEqual(
      { label: image.label, defectType: image.defectType, dataset: image.dataset.id },
      { label: 'NORMAL', defectType: 'good', dataset: flatId },
    );
    // `good` may be given too.
    assert.equal((await labelled(flatImages[1]!, 'NORMAL', ' good ')).defectType, 'good');
    const after = await state(flatId);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [2, 0, 10]);
  });

  it('labels an image ANOMALOUS with its defect type, trimmed, and the dataset lists the type', async () => {
    const image = await labelled(flatImages[2]!, 'ANOMALOUS', '  scratch ');
    assert.equal(image.label, 'ANOMALOUS');
    assert.equal(image.defectType, 'scratch');
    await labelled(flatImages[3]!, 'ANOMALOUS', 'dent');
    await labelled(flatImages[4]!, 'ANOMALOUS', 'd'.repeat(100));
    const after = await state(flatId);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [2, 3, 7]);
    assert.deepEqual(after.defectTypes, ['d'.repeat(100), 'dent', 'scratch']);
  });

  it('relabels: a defect type no image has any more leaves the list', async () => {
    await labelled(flatImages[2]!, 'ANOMALOUS', 'dent');
    let after = await state(flatId);
    assert.deepEqual(after.defectTypes, ['d'.repeat(100), 'dent']);
    assert.equal(after.anomalous, 3);
    await labelled(flatImages[4]!, 'NORMAL');
    after = await state(flatId);
    assert.deepEqual(after.defectTypes, ['dent']);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [3, 2, 7]);
  });

  it('UNLABELED clears a label back', async () => {
    const image = await labelled(flatImages[3]!, 'UNLABELED');
    assert.deepEqual([image.label, image.defectType], ['UNLABELED', 'unlabeled']);
    await labelled(flatImages[0]!, 'UNLABELED', '');
    const after = await state(flatId);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [2, 1, 9]);
    assert.deepEqual(after.defectTypes, ['dent']);
  });

  it('setting the label an image already has changes nothing', async () => {
    const before = await state(flatId);
    const image = await labelled(flatImages[2]!, 'ANOMALOUS', 'dent');
    assert.deepEqual([image.label, image.defectType], ['ANOMALOUS', 'dent']);
    assert.deepEqual(await state(flatId), before);
  });

  it('keeps the counts and defect types right when many images are labelled at once', async () => {
    const targets = flatImages.slice(5, 12);
    const answers = await Promise.all(
      targets.map((id, i) => label(id, i % 3 === 2 ? 'NORMAL' : 'ANOMALOUS', i % 3 === 2 ? null : `type-${i}`)),
    );
    for (const answer of answers) assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    const after = await state(flatId);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [4, 6, 2]);
    assert.deepEqual(after.defectTypes, ['dent', 'type-0', 'type-1', 'type-3', 'type-4', 'type-6']);
  });
});

describe('labelImage on a dataset imported with labels', () => {
  it('turns an anomalous test image normal and a normal one anomalous', async () => {
    const hole = await imageId(mvtecId, 'test/hole/000');
    const good = await imageId(mvtecId, 'test/good/000');
    const start = await state(mvtecId);
    assert.deepEqual([start.normal, start.anomalous, start.defectTypes], [3, 3, ['crack', 'hole']]);
    await labelled(hole, 'NORMAL');
    await labelled(good, 'ANOMALOUS', 'crack');
    const after = await state(mvtecId);
    assert.deepEqual([after.normal, after.anomalous, after.unlabeled], [3, 3, 0]);
    assert.deepEqual(after.defectTypes, ['crack']);
  });

  it('refuses to make a training image ANOMALOUS, but lets it be unlabeled and normal again', async () => {
    const train = await imageId(mvtecId, 'train/good/000');
    const before = await state(mvtecId);
    assertBadInput(await label(train, 'ANOMALOUS', 'crack'), 'label', /train\/good\/000 is a training image/);
    assert.deepEqual(await state(mvtecId), before);
    assert.equal((await labelled(train, 'UNLABELED')).label, 'UNLABELED');
    assert.equal((await labelled(train, 'NORMAL')).label, 'NORMAL');
    assert.deepEqual(await state(mvtecId), before);
  });
});

describe('labelImage refuses bad input, naming it', () => {
  it('a defect type for a NORMAL or UNLABELED image', async () => {
    const id = flatImages[1]!;
    assertBadInput(await label(id, 'NORMAL', 'crack'), 'defectType', /NORMAL.*"crack"/);
    assertBadInput(await label(id, 'UNLABELED', 'crack'), 'defectType', /UNLABELED.*"crack"/);
  });

  it('an ANOMALOUS image without a defect type, with a blank, reserved or too long one', async () => {
    const id = flatImages[1]!;
    assertBadInput(await label(id, 'ANOMALOUS'), 'defectType', /needs a defectType/);
    assertBadInput(await label(id, 'ANOMALOUS', '   '), 'defectType', /needs a defectType/);
    assertBadInput(await label(id, 'ANOMALOUS', 'good'), 'defectType', /"good".*reserved for NORMAL/);
    assertBadInput(await label(id, 'ANOMALOUS', 'Unlabeled'), 'defectType', /"Unlabeled".*reserved for UNLABELED/);
    assertBadInput(await label(id, 'ANOMALOUS', 'x'.repeat(101)), 'defectType', /101 characters.*at most 100/);
  });

  it('an image that does not exist is NOT_FOUND', async () => {
    for (const id of [MISSING, 'not-an-id']) {
      const answer = await label(id, 'NORMAL');
      assert.equal(answer.errors?.[0]?.extensions?.code, 'NOT_FOUND', id);
      assert.equal(answer.data ?? null, null);
    }
  });

  it('leaves the image and the dataset as they were', async () => {
    const image = await api.prisma.image.findUniqueOrThrow({ where: { id: flatImages[1]! } });
    assert.deepEqual([image.label, image.defectType], ['NORMAL', 'good']);
    await state(flatId);
  });
});

describe('who may label', () => {
  it('annotators and admins, by session or WRITE key; not viewers, READ keys or anonymous callers', async () => {
    const key = async (cookie: string, scopes: string) =>
      (
        await api.ok<{ createApiKey: { secret: string } }>(
          `mutation { createApiKey(name: "k", scopes: [${scopes}]) { secret } }`,
          {},
          { cookie },
        )
      ).createApiKey.secret;
    const id = flatImages[1]!;
    const callers: [string, Credentials, string | null][] = [
      ['anonymous', null, 'UNAUTHENTICATED'],
      ['viewer session', { cookie: viewer.cookie }, 'FORBIDDEN'],
      ['viewer READ key', { apiKey: await key(viewer.cookie, 'READ') }, 'FORBIDDEN'],
      ['annotator READ key', { apiKey: await key(annotator.cookie, 'READ') }, 'FORBIDDEN'],
      ['admin READ key', { apiKey: await key(admin.cookie, 'READ') }, 'FORBIDDEN'],
      ['annotator session', { cookie: annotator.cookie }, null],
      ['annotator WRITE key', { apiKey: await key(annotator.cookie, 'READ, WRITE') }, null],
      ['admin session', { cookie: admin.cookie }, null],
      ['admin WRITE key', { apiKey: await key(admin.cookie, 'READ, WRITE') }, null],
    ];
    // Each allowed caller flips the label, so every allowed call is a real change.
    let anomalous = false;
    for (const [name, credentials, refusal] of callers) {
      const before = await api.prisma.image.findUniqueOrThrow({ where: { id } });
      anomalous = refusal === null ? !anomalous : anomalous;
      const answer = await label(id, anomalous ? 'ANOMALOUS' : 'NORMAL', anomalous ? 'stain' : null, credentials);
      if (refusal) {
        assert.equal(answer.errors?.[0]?.extensions?.code, refusal, name);
        assert.equal(answer.data ?? null, null, name);
        assert.deepEqual(await api.prisma.image.findUniqueOrThrow({ where: { id } }), before, name);
      } else {
        assert.equal(answer.errors, undefined, `${name}: ${JSON.stringify(answer.errors)}`);
        assert.equal(answer.data!.labelImage.label, anomalous ? 'ANOMALOUS' : 'NORMAL', name);
      }
    }
    await state(flatId);
  });
});

describe('imageLabelChanged', () => {
  it("tells a dataset's subscribers about each change, and nothing about a label set again", async () => {
    const subscription = await subscribe<{ imageLabelChanged: { id: string; label: string; defectType: string } }>(
      api.url,
      'subscription($d: ID!) { imageLabelChanged(datasetId: $d) { id label defectType } }',
      { d: flatId },
      { cookie: viewer.cookie },
    );
    try {
      const id = flatImages[10]!;
      await labelled(id, 'ANOMALOUS', 'burn');
      assert.deepEqual((await subscription.next()).imageLabelChanged, { id, label: 'ANOMALOUS', defectType: 'burn' });
      await labelled(id, 'ANOMALOUS', 'burn');
      // Another dataset's change is not this dataset's event.
      await labelled(await imageId(mvtecId, 'test/crack/001'), 'NORMAL');
      await labelled(id, 'UNLABELED');
      assert.deepEqual((await subscription.next()).imageLabelChanged, {
        id,
        label: 'UNLABELED',
        defectType: 'unlabeled',
      });
      await assert.rejects(subscription.next(300), /no subscription event within/);
    } finally {
      await subscription.close();
    }
  });
});
