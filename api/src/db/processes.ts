// Processes recorded in a file (the embedded server's owner, the children of `npm start`) and found again after a
// crash. A pid alone is not enough: after a crash or a container restart the same number can belong to another
// program, which must never be signalled. On Linux a process is matched by pid and start time (/proc/<pid>/stat);
// elsewhere by pid only.
import { readFileSync } from 'node:fs';

/** A process as recorded: its pid and, where the system tells it, when it started (in clock ticks after boot). */
export interface ProcessId {
  pid: number;
  startTime: string | null;
}

/** The start time of a process, or null when it is gone or the system does not say. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are space-separated, and the start time
    // is field 22 counting from the pid (so the 20th after the closing parenthesis).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function processId(pid: number): ProcessId {
  return { pid, startTime: processStartTime(pid) };
}

export function currentProcess(): ProcessId {
  return processId(process.pid);
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user (the embedded server runs as 'postgres' when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the recorded process still runs: the same pid, and the same start time where one was recorded. */
export function isRunning(recorded: ProcessId): boolean {
  if (!Number.isInteger(recorded.pid) || recorded.pid <= 0 || !pidExists(recorded.pid)) return false;
  if (recorded.startTime === null) return true;
  const now = processStartTime(recorded.pid);
  // No /proc (not Linux): the pid is all there is to go by.
  return now === null ? true : now === recorded.startTime;
}

/** The arguments a process was started with (Linux), or null when that cannot be read. */
export function commandLine(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part !== '');
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the process has exited; false when it still runs after `timeoutMs`. */
export async function waitForExit(recorded: ProcessId, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(recorded)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

function signalGroupOrProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    // A negative pid is the process group: a child started in its own group takes its own children with it.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a recorded process (and its process group when it leads one): SIGTERM, then SIGKILL after `graceMs`.
 * Does nothing when the pid now belongs to another process. Resolves once it is gone.
 */
export async function stopProcess(recorded: ProcessId, graceMs: number): Promise<void> {
  if (!isRunning(recorded)) return;
  signalGroupOrProcess(recorded.pid, 'SIGTERM');
  if (await waitForExit(recorded, graceMs)) return;
  if (!isRunning(recorded)) return;
  signalGroupOrProcess(recorded.pid, 'SIGKILL');
  await waitForExit(recorded, 5_000);
}
