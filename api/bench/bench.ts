// `npm run bench -w api`: throughput and latency of a page of 100 results (with images and current masks)
// through the GraphQL API, beside a bare Node HTTP server giving the same JSON from one hand-written SQL
// query, on a database holding 100 000 results. Both servers run in their own processes; autocannon drives
// them from this one. The GraphQL path should reach at least half the bare path's throughput.
//
// Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_RESULTS (default
// 100000). DATABASE_URL: use that server (a fresh database vad_bench is made beside it); otherwise the
// embedded PostgreSQL in .data/postgres-bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { deepStrictEqual } from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import autocannon from 'autocannon';

import { hashPassword } from '../src/auth/password';
import { newApiKey, sha256 } from '../src/auth/tokens';
import { createPrismaClient, exitOnError, openDatabase } from '../src/db';
import { RESULTS_PAGE } from './page-query';
import { seedResults } from './seed';

const ROOT = path.resolve(__dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RESULTS = Number(process.env.BENCH_RESULTS ?? 100_000);
const RUNS = 10;

interface Server {
  child: ChildProcess;
  port: number;
}

function startServer(script: string, databaseUrl: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=<folder>: CPU profiles of both servers, to see where a request's time goes.
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(__dirname, script)], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: 'production',
        VAD_ADMIN_EMAIL: 'bench@vad.local',
        VAD_ADMIN_PASSWORD: 'bench-password',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((text) => text.startsWith('{"port"'));
      if (line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

/** CPU seconds a process has used (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The embedded PostgreSQL's processes: the postmaster (first line of postmaster.pid) and its children. */
function postgresPids(dataDir: string): number[] {
  try {
    const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pids = [postmaster];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        if (parent === postmaster) pids.push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
    return pids;
  } catch {
    return [];
  }
}

/** CPU seconds of each process that can be read now, by pid. */
function cpuOf(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    const value = cpuSeconds(pid);
    if (value !== null) seconds.set(pid, value);
  }
  return seconds;
}

/** CPU used between two readings by the processes present in both (connections come and go). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number | null {
  if (before.size === 0) return null;
  let total = 0;
  for (const [pid, start] of before) {
    const end = after.get(pid);
    if (end !== undefined) total += end - start;
  }
  return total;
}

interface Cost {
  /** Milliseconds of CPU per request in the server process, and in PostgreSQL (embedded only). */
  server: number | null;
  database: number | null;
}

async function run(options: autocannon.Options, seconds: number): Promise<autocannon.Result> {
  return autocannon({ ...options, duration: seconds });
}

/**
 * Alternates the two paths (GraphQL, bare, GraphQL, bare...) so that both see the same machine: on a shared
 * machine the load of other processes drifts, and a path measured only at a bad moment would look worse.
 */
async function measureBoth(
  paths: { options: autocannon.Options; pid: number }[],
  databasePids: () => number[],
): Promise<{ measured: Measured; cost: Cost }[]> {
  const rounds = 3;
  const slice = Math.max(2, Math.round(SECONDS / rounds));
  // Warm-up outside the measured window: JIT, connection pools and Postgres' caches.
  for (const path of paths) await run(path.options, 2);
  const totals = paths.map(() => ({
    requests: 0,
    seconds: 0,
    errors: 0,
    p50: [] as number[],
    p99: [] as number[],
    server: 0,
    database: 0,
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, path] of paths.entries()) {
      const serverBefore = cpuSeconds(path.pid);
      const pids = databasePids();
      const databaseBefore = cpuOf(pids);
      const result = await run(path.options, slice);
      const serverAfter = cpuSeconds(path.pid);
      const databaseUsed = cpuBetween(databaseBefore, cpuOf(pids));
      const total = totals[i]!;
      total.requests += result.requests.total;
      total.seconds += result.duration;
      total.errors += result.errors + result.non2xx;
      total.p50.push(result.latency.p50);
      total.p99.push(result.latency.p99);
      total.server += serverBefore === null || serverAfter === null ? NaN : serverAfter - serverBefore;
      total.database += databaseUsed ?? NaN;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return totals.map((total) => ({
    measured: {
      requestsPerSecond: total.requests / total.seconds,
      p50: median(total.p50),
      p99: median(total.p99),
      errors: total.errors,
      requests: total.requests,
    },
    cost: {
      server: Number.isFinite(total.server) ? (total.server * 1000) / total.requests : null,
      database: Number.isFinite(total.database) && total.database > 0 ? (total.database * 1000) / total.requests : null,
    },
  }));
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`==> ${line}`);
  const database = await openDatabase({
    dataDir: path.join(ROOT, '.data', 'postgres-bench'),
    database: 'vad_bench',
    ...(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {}),
    fresh: true,
    log,
  });
  const servers: Server[] = [];
  try {
    const images = Math.ceil(RESULTS / RUNS);
    log(`Seeding ${images * RUNS} results (${RUNS} runs x ${images} images, every 4th anomalous with a mask)`);
    const started = performance.now();
    const seeded = await seedResults(database.url, { images, runs: RUNS, anomalousEvery: 4 });
    log(`Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const prisma = createPrismaClient(database.url);
    const user = await prisma.user.create({
      data: {
        email: 'reader@vad.local',
        name: 'Reader',
        role: 'VIEWER',
        passwordHash: await hashPassword('bench-password'),
      },
    });
    const key = newApiKey();
    await prisma.apiKey.create({
      data: { name: 'bench', prefix: key.prefix, secretHash: sha256(key.secret), scopes: ['READ'], userId: user.id },
    });
    await prisma.$disconnect();

    const runId = seeded.runIds[0]!;
    const graphql = await startServer('graphql-server.ts', database.url);
    servers.push(graphql);
    const bare = await startServer('bare-server.ts', database.url);
    servers.push(bare);

    const graphqlRequest = {
      url: `http://127.0.0.1:${graphql.port}/graphql`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
      body: JSON.stringify({ query: RESULTS_PAGE, variables: { runId, first: 100 } }),
    };
    const bareUrl = `http://127.0.0.1:${bare.port}/?runId=${runId}&first=100`;

    const fromGraphql = (await (await fetch(graphqlRequest.url, graphqlRequest)).json()) as {
      data: unknown;
      errors?: unknown;
    };
    if (fromGraphql.errors) throw new Error(`the GraphQL page failed: ${JSON.stringify(fromGraphql.errors)}`);
    const fromBare = (await (await fetch(bareUrl)).json()) as { data: unknown };
    deepStrictEqual(fromBare, fromGraphql, 'the two servers must answer the same JSON');
    log('Both servers answer the same JSON for the page (100 results, images, current masks)');

    log(`Measuring: ${CONNECTIONS} connections, ${SECONDS} s per path in alternating rounds`);
    const embeddedDir = process.env.DATABASE_URL ? null : path.join(ROOT, '.data', 'postgres-bench');
    const [viaGraphql, viaBare] = await measureBoth(
      [
        { options: { ...graphqlRequest, connections: CONNECTIONS }, pid: graphql.child.pid! },
        { options: { url: bareUrl, connections: CONNECTIONS }, pid: bare.child.pid! },
      ],
      () => (embeddedDir ? postgresPids(embeddedDir) : []),
    );

    const ratio = viaGraphql!.measured.requestsPerSecond / viaBare!.measured.requestsPerSecond;
    const ms = (value: number | null) => (value === null ? '   n/a' : value.toFixed(2).padStart(6));
    const row = (name: string, { measured: m, cost }: { measured: Measured; cost: Cost }) =>
      `| ${name.padEnd(16)} | ${m.requestsPerSecond.toFixed(1).padStart(8)} | ${String(m.p50).padStart(6)} | ${String(m.p99).padStart(6)} | ${ms(cost.server)} | ${ms(cost.database)} | ${String(m.errors).padStart(6)} |`;
    console.log('');
    console.log(`Page of 100 results with images and current masks; ${seeded.results} results in the database.`);
    console.log('| path             | req/s    | p50 ms | p99 ms | CPU ms/req server | CPU ms/req Postgres | errors |');
    console.log('|------------------|----------|--------|--------|--------|--------|--------|');
    console.log(row('GraphQL', viaGraphql!));
    console.log(row('bare HTTP + SQL', viaBare!));
    console.log(`GraphQL / bare throughput: ${ratio.toFixed(2)} (target: at least 0.50)`);
    const load = os.loadavg()[0]!;
    if (load > os.availableParallelism()) {
      console.log(
        `note: load average ${load.toFixed(1)} on ${os.availableParallelism()} CPUs: other processes compete; ` +
          'the CPU columns are the load-independent cost',
      );
    }
    if (viaGraphql!.measured.errors > 0 || viaBare!.measured.errors > 0)
      throw new Error('requests failed during the benchmark');
    if (ratio < 0.5) process.exitCode = 1;
  } finally {
    for (const server of servers) await stopServer(server);
    await database.stop();
  }
}

main().catch(exitOnError);
