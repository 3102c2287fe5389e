// `npm run restore -- <folder | file.tar.gz>`: puts a backup made by `npm run backup` in place of the platform's
// database and file store. The platform must be stopped; what the restore replaces is kept beside it.
import path from 'node:path';

import { exitOnError } from '@vad/api';

import { restore } from './lib/backup';
import { platformPaths } from './lib/platform';

const ROOT = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]?.startsWith('-')) {
    console.error('usage: npm run restore -- <a backup folder, or a .tar.gz or .tar file made by npm run backup>');
    process.exit(2);
  }
  const source = args[0] as string;
  const summary = await restore(source, platformPaths(ROOT), (line) => console.log(`==> ${line}`));
  console.log(`==> Restored the backup of ${summary.manifest.createdAt} from ${path.resolve(source)}.`);
  for (const kept of [summary.keptDatabase, summary.keptFiles]) {
    if (kept) console.log(`    What it replaced is kept in ${kept}: delete it once the restored platform is checked.`);
  }
  console.log('    Start the platform with npm start (it applies any newer migrations).');
}

main().catch(exitOnError);
