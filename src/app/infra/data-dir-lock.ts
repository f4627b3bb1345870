/**
 * One server per data directory: a lock file records the Node process that owns it and the process
 * group of the server it started. A start that finds the owner alive refuses; one that finds the
 * owner dead (kill -9, OOM) kills whatever is left of the old server group and takes over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export interface LockInfo {
  ownerPid: number;
  /** Start time of the owner (Linux /proc), so a reused pid is not taken for the owner. */
  ownerStart: string | undefined;
  /** Process group of the server (its wrapper is the group leader), once started. */
  serverGroup?: number;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data directory is in use by process ${ownerPid} (lock file ${lockFile}). Stop that ` +
        'process, or give this one another DATA_DIR.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** Process start time in clock ticks (field 22 of /proc/<pid>/stat), undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerAlive(info: LockInfo): boolean {
  if (!isAlive(info.ownerPid)) return false;
  const start = processStartTime(info.ownerPid);
  return info.ownerStart === undefined || start === undefined || start === info.ownerStart;
}

function readLockText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readLockText(file) ?? '') as LockInfo;
  } catch {
    return undefined;
  }
}

async function killGroup(group: number): Promise<void> {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && isAlive(group)) await new Promise((r) => setTimeout(r, 50));
}

export interface DataDirLock {
  file: string;
  /** Records the server's process group, so a successor can clean up after a crash. */
  setServerGroup(group: number): void;
  release(): void;
}

/** Takes the lock or throws DataDirInUseError; clears a stale lock and its orphaned server. */
export async function acquireDataDirLock(file: string): Promise<DataDirLock> {
  const mine: LockInfo = { ownerPid: process.pid, ownerStart: processStartTime(process.pid) };
  const write = (info: LockInfo, flag: 'wx' | 'w') => {
    const fd = openSync(file, flag);
    try {
      writeSync(fd, JSON.stringify(info));
    } finally {
      closeSync(fd);
    }
  };
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      write(mine, 'wx');
      let released = false;
      return {
        file,
        setServerGroup(group) {
          if (!released) write({ ...mine, serverGroup: group }, 'w');
        },
        release() {
          if (released) return;
          released = true;
          const current = readLock(file);
          if (current?.ownerPid === process.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const text = readLockText(file);
    const held = readLock(file);
    if (!held && attempt < 20) {
      // A starter is between creating the file and writing it: give it a moment.
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    if (held && ownerAlive(held)) throw new DataDirInUseError(file, held.ownerPid);
    if (held?.serverGroup) await killGroup(held.serverGroup);
    // Remove only the stale lock we judged: a concurrent starter may have replaced it meanwhile.
    if (readLockText(file) === text) {
      try {
        unlinkSync(file);
      } catch {
        // another starter removed it first; the next attempt decides
      }
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
