// Keeps the processes of `npm start` running: a child that dies is started again after a pause that doubles with
// each quick failure (1 s, 2 s, ... 30 s) and starts over once the child has run for a minute. Each child runs in a
// process group of its own, so a Ctrl-C reaches the supervisor alone, which then stops them all; a child that
// outlives a killed supervisor stops by itself (exit-with-supervisor.cjs), and the pids kept in a state file let
// the next start stop whatever is still left.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { EnvironmentError } from '@vad/api';
import { currentProcess, isRunning, processId, stopProcess, type ProcessId } from '@vad/api/src/db/processes';

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A child that ran this long before dying is restarted after the first delay again. */
const STABLE_MS = 60_000;
/** Loaded into every child (node --require): it stops the child when the supervisor is gone. */
const PARENT_GUARD = path.join(__dirname, 'exit-with-supervisor.cjs');

export interface ServiceSpec {
  name: string;
  /** Node arguments after the executable (the guard is put first). */
  nodeArgs: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long the child may take to stop after SIGTERM before it is killed (a worker checkpoints its run). */
  stopGraceMs: number;
}

interface SupervisorState {
  supervisor: ProcessId;
  children: Record<string, ProcessId>;
}

interface Service {
  spec: ServiceSpec;
  child: ChildProcess | null;
  id: ProcessId | null;
  startedAt: number;
  failures: number;
  timer: NodeJS.Timeout | null;
  /** Why it is being restarted on purpose (restartAll()): its exit is then no failure. */
  restarting: string | null;
}

export class Supervisor {
  private readonly services = new Map<string, Service>();
  private stopping = false;

  constructor(
    private readonly stateFile: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts a service and keeps it running until stop(). */
  add(spec: ServiceSpec): void {
    const service: Service = {
      spec,
      child: null,
      id: null,
      startedAt: 0,
      failures: 0,
      timer: null,
      restarting: null,
    };
    this.services.set(spec.name, service);
    this.launch(service);
  }

  /** The pid of a service's current process (null between a death and its restart). */
  pid(name: string): number | null {
    return this.services.get(name)?.child?.pid ?? null;
  }

  private launch(service: Service): void {
    if (this.stopping) return;
    const { spec } = service;
    const child = spawn(process.execPath, ['--require', PARENT_GUARD, ...spec.nodeArgs], {
      cwd: spec.cwd,
      env: spec.env,
      // The IPC channel is how a child learns that the supervisor is gone (it closes when this process dies).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    service.child = child;
    service.id = child.pid ? processId(child.pid) : null;
    service.startedAt = Date.now();
    this.saveState();
    child.on('error', (error) => this.log(`${spec.name} could not be started: ${error.message}`));
    child.on('exit', (code, signal) => {
      service.child = null;
      service.id = null;
      this.saveState();
      if (this.stopping) return;
      if (service.restarting !== null) {
        this.log(`${spec.name} stopped (${signal ?? `exit code ${code}`}): starting it again, ${service.restarting}`);
        service.restarting = null;
        this.launch(service);
        return;
      }
      const ranMs = Date.now() - service.startedAt;
      if (ranMs >= STABLE_MS) service.failures = 0;
      const delay = Math.min(FIRST_DELAY_MS * 2 ** service.failures, MAX_DELAY_MS);
      service.failures += 1;
      this.log(
        `${spec.name} stopped unexpectedly (${signal ?? `exit code ${code}`}, after ${formatDuration(ranMs)}): ` +
          `restarting in ${formatDuration(delay)}`,
      );
      service.timer = setTimeout(() => {
        service.timer = null;
        this.launch(service);
      }, delay);
    });
  }

  /**
   * Stops every service the way stop() does (a worker hands its run back) and starts it again at once, saying
   * why: after the database came back, so that no connection or listener of the dead server is left.
   */
  async restartAll(reason: string): Promise<void> {
    await Promise.all(
      [...this.services.values()].map(async (service) => {
        if (this.stopping) return;
        if (service.timer) {
          // Waiting out a backoff: start it now instead.
          clearTimeout(service.timer);
          service.timer = null;
          this.launch(service);
          return;
        }
        if (!service.id) return;
        service.restarting = reason;
        await stopProcess(service.id, service.spec.stopGraceMs);
      }),
    );
  }

  /** Stops every service (SIGTERM, then SIGKILL after its grace time) and forgets the state file. */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.services.values()].map(async (service) => {
        if (service.timer) clearTimeout(service.timer);
        service.timer = null;
        if (service.id) await stopProcess(service.id, options.force ? 0 : service.spec.stopGraceMs);
      }),
    );
    rmSync(this.stateFile, { force: true });
  }

  private saveState(): void {
    const children: Record<string, ProcessId> = {};
    for (const [name, service] of this.services) if (service.id) children[name] = service.id;
    const state: SupervisorState = { supervisor: currentProcess(), children };
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    writeFileSync(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }
}

function readState(stateFile: string): SupervisorState | null {
  if (!existsSync(stateFile)) return null;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as SupervisorState;
  } catch {
    return null;
  }
}

/** Whether an `npm start` on these data folders runs now (its pid, or null). */
export function runningSupervisor(stateFile: string): number | null {
  const state = readState(stateFile);
  return state && state.supervisor.pid !== process.pid && isRunning(state.supervisor) ? state.supervisor.pid : null;
}

/** Refuses to start a second supervisor on the same data folders. */
export function assertNotRunning(stateFile: string): void {
  const pid = runningSupervisor(stateFile);
  if (pid !== null) {
    throw new EnvironmentError(
      `npm start is already running on these data folders (process ${pid}): stop it first (Ctrl-C in its terminal, or kill ${pid})`,
    );
  }
}

/**
 * After a supervisor died without stopping its children (SIGKILL, a crash of the machine's OOM killer): stops
 * the children it recorded that still run, so that their ports are free again. Does nothing while it runs.
 */
export async function stopOrphans(stateFile: string, log: (line: string) => void): Promise<void> {
  const state = readState(stateFile);
  if (!state || runningSupervisor(stateFile) !== null) return;
  await Promise.all(
    Object.entries(state.children).map(async ([name, id]) => {
      if (!isRunning(id)) return;
      log(`Stopping the ${name} (pid ${id.pid}) that a previous npm start left running when it died`);
      await stopProcess(id, 30_000);
    }),
  );
  rmSync(stateFile, { force: true });
}

function formatDuration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}
