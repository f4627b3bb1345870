/**
 * One Charla process of bench:pipeline (forked with IPC by pipeline.bench.ts): ROLE=all, web or
 * worker from the environment, plus a bench channel whose webhook (POST /webhooks/bench) ingests
 * like every other channel's and whose `send` reports each reply to the parent. Counts, for the
 * parent's per-message figures: MongoDB commands (driver command monitoring), Redis round trips
 * (every ioredis command sent outside a pipeline, one per pipeline/multi) and process CPU time.
 */
import { Pipeline, Redis } from 'ioredis';
import mongoose from 'mongoose';
import { createCharla } from '../src/app/charla.js';
import { loadConfig } from '../src/kernel/config/config.js';
import type { ChannelAdapter, InboundSink } from '../src/kernel/contracts/channel-adapter.js';
import type { OutboundMessage } from '../src/kernel/contracts/messages.js';
import { createLogger } from '../src/kernel/logger.js';

export type ParentMessage = { t: 'stats' } | { t: 'stop' };
export type ChildMessage =
  | { t: 'ready'; url: string }
  | { t: 'sent'; id: string; conversationId: string; at: number }
  | { t: 'stats'; cpuMs: number; mongoOps: number; redisTrips: number }
  | { t: 'error'; message: string };

const send = (m: ChildMessage) => process.send?.(m);

let redisTrips = 0;
type SendCommand = (this: Redis, command: unknown, stream?: { isPipeline?: boolean }) => unknown;
const originalSend = Redis.prototype.sendCommand as unknown as SendCommand;
(Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = function (
  command,
  stream,
) {
  if (!stream?.isPipeline) redisTrips += 1;
  return originalSend.call(this, command, stream);
};
const originalExec = Pipeline.prototype.exec;
Pipeline.prototype.exec = function (...args: Parameters<typeof originalExec>) {
  redisTrips += 1;
  return originalExec.apply(this, args);
};

let mongoOps = 0;
let sink: InboundSink | undefined;

const adapter: ChannelAdapter = {
  id: 'slack',
  capabilities: { buttons: true, media: false, typing: false, maxTextLength: 4000 },
  mount(server) {
    server.post<{ Body: { id: string; user: string; text: string } }>(
      '/webhooks/bench',
      async (req, reply) => {
        const { id, user, text } = req.body;
        const result = await sink!.ingest({
          channel: 'slack',
          platformMessageId: id,
          platformUserId: user,
          platformConversationId: `D-${user}`,
          text,
        });
        return reply.status(202).send({ conversationId: result.conversationId });
      },
    );
  },
  async send(m: OutboundMessage) {
    send({ t: 'sent', id: m.id, conversationId: m.conversationId, at: Date.now() });
    return { platformMessageId: m.id };
  },
};

async function main() {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const charla = await createCharla(config, {
    logger: createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'),
    extraAdapters: [adapter],
  });
  sink = charla.services.ingest;
  const trace = process.env.BENCH_TRACE_MONGO ? new Map<string, number>() : undefined;
  mongoose.connection.getClient().on('commandStarted', (e) => {
    mongoOps += 1;
    if (trace) {
      const key = `${e.commandName} ${String(e.command[e.commandName] ?? '')}`;
      trace.set(key, (trace.get(key) ?? 0) + 1);
    }
  });
  // BENCH_TRACE_MONGO=1: MongoDB commands by name and collection, printed when the process stops.
  if (trace) {
    process.on('exit', () => {
      const rows = [...trace].sort((a, b) => b[1] - a[1]);
      console.error(rows.map(([k, n]) => `${String(n).padStart(6)}  ${k}`).join('\n'));
    });
  }
  const url = await charla.listen();
  process.on('message', (m: ParentMessage) => {
    if (m.t === 'stats') {
      const cpu = process.cpuUsage();
      send({ t: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, mongoOps, redisTrips });
    } else if (m.t === 'stop') {
      void charla.stop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => {
    void charla.stop().finally(() => process.exit(0));
  });
  send({ t: 'ready', url });
}

main().catch((err: unknown) => {
  send({ t: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
