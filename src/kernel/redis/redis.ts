import { Redis } from 'ioredis';

/** A Redis connection as BullMQ wants it: commands wait for reconnection instead of failing. */
export function createRedis(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  // Connection errors surface through readiness checks and job failures; an unhandled 'error'
  // event would crash the process instead.
  client.on('error', () => undefined);
  return client;
}
