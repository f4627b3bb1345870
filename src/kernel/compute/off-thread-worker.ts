/** The worker side of off-thread.ts: imports the named module, runs the export, posts the result. */
import { parentPort, workerData } from 'node:worker_threads';

const { module, exportName, args } = workerData as {
  module: string;
  exportName: string;
  args: unknown[];
};

try {
  const loaded = (await import(module)) as Record<string, unknown>;
  const fn = loaded[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} has no function ${exportName}`);
  const value: unknown = await (fn as (...a: unknown[]) => unknown)(...args);
  parentPort!.postMessage({ ok: true, value });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
