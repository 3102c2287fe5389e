import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  imageQueryToSearch,
  maskCoverage,
  parseImageQuery,
  toImageFilter,
  type DatasetSummary,
} from '../../../lib/domain/datasets';

describe('image grid filters', () => {
  it('round-trip through the URL and ignore values that are not filters', () => {
    const query = parseImageQuery({ split: 'TEST', label: 'ANOMALOUS', defect: 'crack', mask: 'SUBMITTED', x: '1' });
    assert.deepEqual(query, { split: 'TEST', label: 'ANOMALOUS', defectType: 'crack', mask: 'SUBMITTED' });
    assert.equal(imageQueryToSearch(query).toString(), 'split=TEST&label=ANOMALOUS&defect=crack&mask=SUBMITTED');
    assert.deepEqual(parseImageQuery({ split: 'VALIDATION', label: ['NORMAL'], mask: 'drop table' }), {
      split: undefined,
      label: undefined,
      defectType: undefined,
      mask: undefined,
    });
  });

  it('become the API filter: "none"/"any" ask for masks by presence, statuses by the latest version', () => {
    assert.deepEqual(toImageFilter({ mask: 'none' }), { hasMask: false });
    assert.deepEqual(toImageFilter({ mask: 'any', split: 'TRAIN' }), { split: 'TRAIN', hasMask: true });
    assert.deepEqual(toImageFilter({ mask: 'APPROVED', defectType: 'good' }), {
      defectType: 'good',
      maskStatus: 'APPROVED',
    });
    assert.deepEqual(toImageFilter({}), {});
  });
});

describe('maskCoverage', () => {
  const dataset = (anomalous: number, withMask: number) =>
    ({ counts: { anomalous }, anomalousWithMask: { totalCount: withMask } }) as DatasetSummary;

  it('is the share of anomalous images with a mask, or null without anomalous images', () => {
    assert.equal(maskCoverage(dataset(8, 6)), 0.75);
    assert.equal(maskCoverage(dataset(0, 0)), null);
  });
});
