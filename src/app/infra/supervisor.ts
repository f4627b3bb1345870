/**
 * Runs a database server as a supervised child: tied to this process's life, restarted when it
 * dies, one per data directory.
 *
 * Tied to our life: the server runs under a tiny `sh` wrapper whose stdin is a pipe from us. When
 * this process exits for any reason (kill -9 and the OOM killer included) the kernel closes the
 * pipe, the wrapper reads EOF and stops the server (stop signal, then SIGKILL after a grace
 * period). The wrapper leads its own process group, so a successor can kill a stale group whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

/** $1: stop signal, $2: grace seconds, rest: the command. Prints the server pid first. */
const WRAPPER = `
sig=$1; grace=$2; shift 2
exec 3<&0
"$@" </dev/null >/dev/null &
server=$!
echo "$server"
( read -r _ <&3; kill -"$sig" "$server" 2>/dev/null; sleep "$grace"; kill -9 "$server" 2>/dev/null ) &
watcher=$!
exec 3<&-
wait "$server"
code=$?
kill "$watcher" 2>/dev/null
exit "$code"
`;

export interface SupervisedSpec {
  /** Shown in errors and logs, e.g. "PostgreSQL". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Run as this user (root cannot run PostgreSQL). */
  uid?: number;
  gid?: number;
  /** Signal that asks the server to shut down cleanly (PostgreSQL: SIGINT, fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Resolves true once the server answers, false after its own timeout. */
  ready(): Promise<boolean>;
  /** Lock file that keeps a second server off the same data directory. */
  lockFile: string;
  /** Restart delays in ms (the last one repeats). */
  restartDelaysMs?: number[];
}

export interface SupervisedEvents {
  /** The server died unexpectedly; a restart is scheduled. */
  down: [code: number | null];
  /** The server answers again after a restart. */
  up: [];
}

export interface Supervised extends EventEmitter<SupervisedEvents> {
  readonly name: string;
  /** Pid of the server process itself (not its wrapper). */
  serverPid(): number | undefined;
  isUp(): boolean;
  restarts(): number;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  serverPid: Promise<number | undefined>;
}

/** Child pipes are sockets; unref'd, they do not keep this process alive. */
function unrefPipe(stream: unknown): void {
  (stream as Partial<Socket> | null)?.unref?.();
}

function launch(spec: SupervisedSpec, onStderr: (text: string) => void): Running {
  const signal = (spec.stopSignal ?? 'SIGTERM').replace(/^SIG/, '');
  const child = spawn('sh', ['-c', WRAPPER, 'sh', signal, '10', spec.command, ...spec.args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: spec.env ?? process.env,
    uid: spec.uid,
    gid: spec.gid,
  });
  // Our end of the wrapper's stdin must not keep the event loop alive; it is closed by exit.
  unrefPipe(child.stdin);
  child.unref();
  child.stderr?.on('data', (d: Buffer) => onStderr(d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? (sig ? 128 : null))),
  );
  const serverPid = new Promise<number | undefined>((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      resolve(Number(out.split('\n')[0]) || undefined);
      unrefPipe(child.stdout);
    });
    void exited.then(() => resolve(undefined));
  });
  unrefPipe(child.stderr);
  return { child, exited, serverPid };
}

/** Starts the server and keeps it running until `stop()`; throws when the first start fails. */
export async function supervise(spec: SupervisedSpec): Promise<Supervised> {
  const lock: DataDirLock = await acquireDataDirLock(spec.lockFile);
  const emitter = new EventEmitter<SupervisedEvents>();
  let stderr = '';
  const keepTail = (text: string) => {
    stderr = (stderr + text).slice(-4000);
  };
  let current: Running | undefined;
  let pid: number | undefined;
  let up = false;
  let stopping = false;
  let restartCount = 0;
  const delays = spec.restartDelaysMs ?? [200, 500, 1000, 2000, 5000];

  const startOnce = async (): Promise<boolean> => {
    const running = launch(spec, keepTail);
    current = running;
    if (running.child.pid) lock.setServerGroup(running.child.pid);
    pid = await running.serverPid;
    const ok = await Promise.race([spec.ready(), running.exited.then(() => false)]);
    if (!ok && running.child.exitCode === null) killGroup(running.child);
    if (ok) watch(running);
    return ok;
  };

  const watch = (running: Running) => {
    void running.exited.then(async (code) => {
      if (stopping || current !== running) return;
      up = false;
      emitter.emit('down', code);
      for (let attempt = 0; !stopping; attempt++) {
        await new Promise((r) => setTimeout(r, delays[Math.min(attempt, delays.length - 1)]));
        if (stopping) return;
        restartCount += 1;
        if (await startOnce()) {
          up = true;
          emitter.emit('up');
          return;
        }
      }
    });
  };

  if (!(await startOnce())) {
    lock.release();
    throw new Error(`${spec.name} did not start: ${stderr.trim().slice(-1500) || 'no output'}`);
  }
  up = true;

  return Object.assign(emitter, {
    name: spec.name,
    serverPid: () => pid,
    isUp: () => up,
    restarts: () => restartCount,
    async stop() {
      if (stopping) return;
      stopping = true;
      up = false;
      const running = current;
      if (running && running.child.exitCode === null && running.child.signalCode === null) {
        // EOF on the wrapper's stdin is the stop request (the same path as our death).
        running.child.stdin?.end();
        const timer = setTimeout(() => killGroup(running.child), 15_000);
        await running.exited;
        clearTimeout(timer);
      }
      lock.release();
    },
  });
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
