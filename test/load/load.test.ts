// The short variant of the load under training (issue 12; `npm run soak` runs the long one): the platform as
// `npm start` runs it, annotators opening results pages and saving masks for a few seconds with the worker idle,
// then while it trains. Checked: no errors (a CONFLICT is an expected answer, and counted), both kinds of request
// answered in both phases, the run trained meanwhile, and the API's GET /metrics gave its event-loop delay.
// Absolute times are the long variant's business: on a shared 2-core machine they say little about the code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatReport, measureLoad } from './platform-load';

describe('load under training (short variant)', () => {
  it('answers pages and saves without errors while the worker trains, and reports its event-loop delay', async () => {
    // The defaults, whatever the environment says (an empty value reads as unset).
    const env = { VAD_TRAIN_THREADS: '', VAD_WORKER_NICE: '' };
    const report = await measureLoad({ seconds: 8, concurrency: 5, preset: 'TINY', env });
    const table = formatReport(report);
    console.log(table);
    for (const phase of [report.idle, report.training]) {
      assert.equal(phase.errors.count, 0, `${phase.phase}: ${phase.errors.samples.join('; ')}\n${table}`);
      assert.ok(phase.pages.count > 0 && phase.saves.count > 0, table);
      assert.ok(phase.pages.p50Ms <= phase.pages.p99Ms && phase.pages.p99Ms <= phase.pages.maxMs, table);
      assert.ok(phase.eventLoop.p50Ms !== null && phase.eventLoop.p99Ms !== null, table);
      assert.ok(phase.eventLoop.p99Ms >= phase.eventLoop.p50Ms && phase.eventLoop.p99Ms < 10_000, table);
    }
    assert.ok((report.training.epochs ?? 0) > 0, `the run trained during the second phase\n${table}`);
    // The worker gave way to the API: a lower priority, and a core left free where there are several.
    assert.match(report.workerCpuShare, /^nice 10 \(\d+ thread\(s\)/, table);
    if (report.cpus > 1)
      assert.match(report.workerCpuShare, new RegExp(`, ${report.cpus - 1} training thread\\(s\\)$`));
  });
});
