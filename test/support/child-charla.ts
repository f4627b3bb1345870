/**
 * Runs Charla as a real child process (`node --import tsx src/main.ts`, or a compiled
 * `node dist/src/main.js` when `opts.main` names one), the way an operator does, so tests and the
 * chaos suite can run several instances, several installs, or kill one with SIGKILL. Not tied to
 * vitest: the chaos suite (chaos/) and bench/startup.bench.ts use it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ChildCharla {
  url: string;
  pid: number;
  process: ChildProcess;
  /** Parsed pino lines the child wrote (most recent last, bounded). */
  logs: Array<Record<string, unknown>>;
  /** SIGTERM and wait for the exit (clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: no shutdown code runs, as with the OOM killer. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** A MongoDB URI naming database `db` on the server of `uri`. */
export function withDatabase(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}

const MAX_LOG_LINES = 2000;

export async function startChildCharla(
  env: Record<string, string | undefined>,
  opts: { startTimeoutMs?: number; main?: string; entry?: string } = {},
): Promise<ChildCharla> {
  // `entry`: another TypeScript entry run like src/main.ts (chaos/campaign-charla.ts).
  const args = opts.main ? [opts.main] : ['--import', 'tsx', opts.entry ?? 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });

  const up = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child Charla did not start in time; stderr: ${stderr}`)),
      opts.startTimeoutMs ?? 150_000,
    );
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (logs.length > MAX_LOG_LINES) logs.shift();
        const msg = typeof entry.msg === 'string' ? entry.msg : '';
        const up = /^Charla is up on (\S+)/.exec(msg);
        if (up) {
          clearTimeout(timer);
          resolve(up[1]!);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      // A failed start says why in its last (fatal) log line, on stdout.
      const last = logs
        .slice(-3)
        .map((l) => String(l.msg ?? ''))
        .join(' | ');
      reject(
        new Error(`child Charla exited with ${code} before it was up: ${last}; stderr: ${stderr}`),
      );
    });
  });

  let url: string;
  try {
    url = await up;
  } catch (err) {
    // Never leave a half-started process behind.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw err;
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    url,
    pid: child.pid!,
    process: child,
    logs,
    exited,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}
