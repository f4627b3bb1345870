/**
 * Runs a CPU-heavy pure function in a worker thread (node:worker_threads), so the event loop keeps
 * answering requests meanwhile: NLU training and the catalogue report take seconds of CPU.
 *
 * The function is named by module URL and export name; the worker imports that module, calls the
 * export with the (structured-cloned) arguments and posts back its result. One worker per job,
 * ended when the job ends: jobs are rare (a start, a publish) and a worker holds no state.
 *
 * Under TypeScript sources (tsx, vitest) the modules are .ts files: the worker then registers
 * tsx's loader before importing them; the compiled build runs plain JavaScript.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const runsTypeScript = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./off-thread-worker.${runsTypeScript ? 'ts' : 'js'}`, import.meta.url);

/**
 * The worker's entry: the compiled worker file, or — under TypeScript sources — a bootstrap that
 * registers tsx's loader (a development dependency, present wherever .ts files run) first.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (!runsTypeScript) return { entry: WORKER_URL, eval: false };
  // The package's ES module entry (require.resolve finds its CommonJS twin).
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return { entry: code, eval: true };
}

/** `file` (a URL of a sibling module, named without extension) as the running build's file. */
export function moduleUrl(base: string, relative: string): URL {
  return new URL(`${relative}.${base.endsWith('.ts') ? 'ts' : 'js'}`, base);
}

export class OffThreadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffThreadError';
  }
}

let running = 0;
/** Jobs running in worker threads now (the health test watches a publish train off the loop). */
export const activeOffThreadJobs = (): number => running;

/** Calls `exportName` of `module` with `args` in a worker thread and resolves with its result. */
export function runOffThread<T>(module: URL, exportName: string, args: unknown[]): Promise<T> {
  running++;
  return startWorker<T>(module, exportName, args).finally(() => running--);
}

function startWorker<T>(module: URL, exportName: string, args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { entry, eval: isCode } = workerEntry();
    const worker = new Worker(entry, {
      eval: isCode,
      workerData: { module: module.href, exportName, args },
      // Its logs and warnings are the parent's.
      stdout: false,
      stderr: false,
    });
    // A job never keeps the process alive: a stopping app does not wait for its training.
    worker.unref();
    let settled = false;
    worker.once('message', (message: { ok: true; value: T } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.value);
      else reject(new OffThreadError(message.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new OffThreadError(`worker for ${exportName} exited with code ${code}`));
    });
  });
}
