// The demo: the `vad` pipeline on corrupted Fashion-MNIST (sneakers with planted defects), kept under
// .data/demo so that a second start shows the finished report at once instead of training again.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const DEMO_DATA = 'fashion-mnist:sneaker';

interface MapReport {
  imageAuroc: number;
  pixelAuroc: number;
  aupro: number;
  f1Max: number;
  bestIou: number;
}

export async function runDemo(root: string): Promise<number> {
  const out = path.join(root, '.data', 'demo');
  const report = path.join(out, 'report.json');
  if (!existsSync(report)) {
    console.log(`==> Demo: vad run --data ${DEMO_DATA} --out ${path.relative(root, out)}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [path.join(root, 'models', 'bin', 'vad.js'), 'run', '--data', DEMO_DATA, '--out', out],
        { cwd: root, stdio: 'inherit' },
      );
      child.on('error', reject);
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 130 : 1)));
    });
    if (code !== 0) return code;
  } else {
    console.log(
      `==> Demo already run: ${path.relative(root, report)} (delete ${path.relative(root, out)} to run it again)`,
    );
  }
  printSummary(JSON.parse(readFileSync(report, 'utf8')) as { maps: Record<string, MapReport> });
  console.log(`==> Full report: ${path.relative(root, path.join(out, 'report.md'))}`);
  return 0;
}

function printSummary(report: { maps: Record<string, MapReport> }): void {
  const rows = Object.entries(report.maps).map(([map, metrics]) => ({
    map,
    'image AUROC': metrics.imageAuroc.toFixed(3),
    'pixel AUROC': metrics.pixelAuroc.toFixed(3),
    AUPRO: metrics.aupro.toFixed(3),
    'F1-max': metrics.f1Max.toFixed(3),
    'best IoU': metrics.bestIou.toFixed(3),
  }));
  console.table(rows);
}
