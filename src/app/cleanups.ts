/** What the app must undo at stop, undone in reverse order; a failing step is logged, not fatal. */
import type { Logger } from 'pino';

export interface Cleanups {
  add(fn: () => Promise<unknown>): void;
  runAll(): Promise<void>;
}

export function createCleanups(logger: Logger): Cleanups {
  const steps: Array<() => Promise<unknown>> = [];
  return {
    add: (fn) => void steps.push(fn),
    async runAll() {
      for (const fn of steps.reverse()) {
        try {
          await fn();
        } catch (err) {
          logger.warn({ err }, 'error during shutdown');
        }
      }
      steps.length = 0;
    },
  };
}
