// Issue 12: a 7000 x 7000 PNG mask was decoded whole before its size was checked. A mask's size is now read from its
// PNG header and a mask of another size than its image (or over the pixel limit) is refused before any pixel
// is decoded: these PNGs have a valid header and pixel data that cannot be decoded, so only a refusal that
// never decodes can name their size.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';

import { headersFor, startTestApi, type TestApi, type TestUser } from '../support/api';
import { grayPng, makeMvtecFolder } from '../support/fixtures';
import { makeZip } from '../support/zip';

let api: TestApi;
let admin: TestUser;
let imageId: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vad-mask-size-'));

before(async () => {
  api = await startTestApi('mask_size');
  admin = await api.user('ADMIN');
  const folder = await makeMvtecFolder(path.join(scratch, 'data'), { train: 1, testGood: 1, defects: {} });
  const imported = await api.ok<{ importDataset: { id: string } }>(
    'mutation($p: String!) { importDataset(input: { path: $p, name: "masks" }) { id } }',
    { p: folder },
    { cookie: admin.cookie },
  );
  const datasetId = imported.importDataset.id;
  imageId = (await api.prisma.image.findFirstOrThrow({ where: { datasetId, split: 'TEST' } })).id;
});
after(async () => {
  await api.close();
  rmSync(scratch, { recursive: true, force: true });
});

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grayscale PNG of that size whose pixel data is `idat` (undecodable garbage unless given). */
function png(width: number, height: number, idat = Buffer.alloc(256, 0xab)): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const save = (bytes: Buffer) =>
  api.gql(
    'mutation($i: ID!, $p: String!) { saveMask(imageId: $i, pngBase64: $p, baseVersion: 0) { id } }',
    { i: imageId, p: bytes.toString('base64') },
    { cookie: admin.cookie },
  );

describe('saveMask', () => {
  it('refuses a 7000 x 7000 mask for a 32 x 32 image from its header, without decoding it', async () => {
    const answer = await save(png(7000, 7000));
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(answer.errors?.[0]?.message, 'the mask is 7000 x 7000; the image is 32 x 32');
    assert.equal(await api.prisma.mask.count({ where: { imageId } }), 0);
  });

  it('refuses a valid 7000 x 7000 mask as fast as a tiny one', async () => {
    // Every row: filter byte 0, then 7000 black pixels; 49 MB of pixels deflate to about 50 kB.
    const valid = png(7000, 7000, deflateSync(Buffer.alloc(7000 * 7001), { level: 9 }));
    const started = performance.now();
    const answer = await save(valid);
    const elapsed = performance.now() - started;
    assert.equal(answer.errors?.[0]?.message, 'the mask is 7000 x 7000; the image is 32 x 32');
    // Decoding it took seconds and hundreds of megabytes; reading the header takes milliseconds.
    assert.ok(elapsed < 1500, `answered in ${Math.round(elapsed)} ms`);
  });

  it('refuses a mask over the pixel limit, saying the limit', async () => {
    const answer = await save(png(10_000, 10_000));
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(
      answer.errors?.[0]?.message ?? '',
      /10000 x 10000, more than the limit of \d+ pixels \(VAD_MAX_IMAGE_PIXELS\)/,
    );
  });

  it('still saves a mask of the image’s size', async () => {
    const answer = await save(await grayPng(32, 5));
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  });
});

describe('importDataset', () => {
  // The folder reader (@vad/models) compares the headers of every image and mask before anything is decoded.
  it('refuses a ground-truth mask of another size than its image from its header, without decoding it', async () => {
    const zip = makeZip([
      { name: 'train/good/000.png', data: await grayPng(32, 1) },
      { name: 'test/good/000.png', data: await grayPng(32, 2) },
      { name: 'test/dent/000.png', data: await grayPng(32, 3) },
      { name: 'ground_truth/dent/000_mask.png', data: png(7000, 7000) },
    ]);
    const sent = await fetch(`${api.url}/uploads?name=big-mask.zip`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', ...headersFor({ cookie: admin.cookie }) },
      body: zip,
    });
    const { id } = (await sent.json()) as { id: string };
    const answer = await api.gql(
      'mutation($u: ID!) { importDataset(input: { uploadId: $u, name: "big mask" }) { id } }',
      { u: id },
      { cookie: admin.cookie },
    );
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(
      answer.errors?.[0]?.message,
      'ground_truth/dent/000_mask.png: mask is 7000 x 7000 but its image test/dent/000.png is 32 x 32',
    );
  });
});
