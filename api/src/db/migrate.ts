import { spawn } from 'node:child_process';
import path from 'node:path';

const DONE = /All migrations have been successfully applied|No pending migrations to apply/;
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Applies every pending migration in prisma/migrations (`prisma migrate deploy`), printing Prisma's output. */
export async function migrate(url: string, log: (line: string) => void = () => {}): Promise<void> {
  const cli = require.resolve('prisma/build/index.js', { paths: [REPO_ROOT] });
  const output: string[] = [];
  let finishing: NodeJS.Timeout | undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      output.push(chunk.toString());
      // Prisma 6's WebAssembly schema engine leaves a 10 s timer behind after its work is done: once the
      // CLI has said the outcome, stop waiting for it.
      if (!finishing && DONE.test(output.join(''))) finishing = setTimeout(() => child.kill('SIGTERM'), 200).unref();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => resolve(signal === 'SIGTERM' && DONE.test(output.join('')) ? 0 : exitCode));
  });
  const text = output.join('');
  if (code !== 0) throw new Error(`database migration failed:\n${text.trim()}`);
  log(`Migrations: ${text.match(DONE)?.[0] ?? 'applied'}`);
}
