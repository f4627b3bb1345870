/** What `createCharla` takes besides the config: mostly test knobs (shorter retries and periods). */
import type { Logger } from 'pino';
import type { ChannelAdapter } from '../kernel/contracts/channel-adapter.js';
import type { CrashPoint } from '../pipeline/engine/engine.js';
import type { DeliveryCrashPoint } from '../pipeline/queues/turn-delivery.js';
import type { StaffAuthOptions } from '../features/auth/index.js';
import type { CampaignOptions } from '../features/campaigns/index.js';

export interface CreateOptions {
  logger?: Logger;
  /** Database name inside the MongoDB URI (tests isolate themselves with it). */
  dbName?: string;
  /** Extra adapters (tests inject fakes) added after the registry's. */
  extraAdapters?: ChannelAdapter[];
  /** Outbound retry base; tests shorten it. */
  outboundBackoffMs?: number;
  /** Retry base of the Slack staff-queue jobs; tests shorten it. */
  escalationBackoffMs?: number;
  /** Retry base of webhook deliveries (default 5 s); tests shorten it. */
  webhookBackoffMs?: number;
  /** Staff sign-in: login throttle numbers, setup link lifetime; tests shorten them. */
  auth?: StaffAuthOptions;
  /** The reconciler's period (default 60 s) and the age below which it leaves work alone. */
  reconcileIntervalMs?: number;
  reconcileGraceMs?: number;
  /** How often worker instances look for waiting conversations to assign (default 30 s). */
  assignmentIntervalMs?: number;
  /** The analytics rollup's period (default 60 s). */
  analyticsIntervalMs?: number;
  /** The case SLA monitor's period (default 60 s). */
  slaCheckIntervalMs?: number;
  /** Campaign sending: messages per second per channel, claim lease, sweep period (tests, bench). */
  campaigns?: CampaignOptions;
  /** Test only: throws at a named point of a turn (docs/ARCHITECTURE.md, crash consistency). */
  crashAt?: (point: CrashPoint | DeliveryCrashPoint) => void;
}
