// `npm run backup -- [folder | file.tar.gz]`: a backup of the platform on the embedded database, running or not
// (scripts/lib/backup.ts says how). Without an argument it goes to .data/backups/<date and time>.
import path from 'node:path';

import { exitOnError } from '@vad/api';

import { backup } from './lib/backup';
import { platformPaths } from './lib/platform';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0]?.startsWith('-')) {
    console.error('usage: npm run backup -- [a new folder, or a file ending in .tar.gz or .tar]');
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = args[0] ?? path.join(ROOT, '.data', 'backups', stamp);
  const started = performance.now();
  const { target: written, manifest } = await backup(target, platformPaths(ROOT), (line) => console.log(`==> ${line}`));
  const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  console.log(
    `==> Backup written to ${written} in ${((performance.now() - started) / 1000).toFixed(1)} s: PostgreSQL ` +
      `${manifest.postgres.serverVersion} cluster (${mb(manifest.postgres.bytes)}), ${manifest.files.count} stored ` +
      `file(s) (${mb(manifest.files.bytes)}). Restore it with: npm run restore -- ${written}`,
  );
}

main().catch(exitOnError);
