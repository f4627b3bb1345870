/**
 * What every part of the escalator shares: its dependencies, the clock, business hours, the
 * conversation lock, and the two side effects of a transition — telling the consoles
 * (announce) and telling the customer (tell). Both are best effort: they never undo a transition.
 */
import type { EventPublisher } from '../../kernel/events.js';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { StaffMember } from '../../kernel/contracts/escalation.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type {
  ConsoleEventPublisher,
  ConversationUpdatedEvent,
} from '../../kernel/console-events.js';
import type { Outbox } from '../../pipeline/outbox.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { parseBusinessHours, type BusinessHours } from '../../kernel/time/business-hours.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { Metrics } from '../../kernel/metrics.js';

/** What a staff tool hears about; each call should only enqueue work (the tool may be down). */
export interface StaffNotifier {
  /** A new queue item: bot → queued. */
  queued(conversationId: string): Promise<void>;
  /** The item changed (claimed, closed): re-render it and say who did what in its thread. */
  changed(
    conversationId: string,
    change: {
      kind: 'claimed' | 'requeued' | 'closed' | 'callback' | 'frustrated';
      by?: StaffMember | 'admin';
      /** The team's name, for `requeued`. */
      team?: string;
    },
  ): Promise<void>;
  /** A customer message was appended to escalation.pendingRelay. */
  customerMessage(conversationId: string, messageId: string): Promise<void>;
  /** Staff wrote from elsewhere (the console): show the message in the item's thread. */
  staffMessage?(conversationId: string, messageId: string): Promise<void>;
}

export type DeferredNotice = 'after-hours';

export interface EscalatorDeps {
  outbox: Outbox;
  logger: Logger;
  defaultLocale: Locale;
  /** BUSINESS_HOURS as configured (already validated by loadConfig). */
  businessHours?: string;
  /** Set once the staff tool is known (it needs the escalator itself to be built). */
  notifier?: () => StaffNotifier | undefined;
  /**
   * The engine resumes the flow step the conversation was in (engine.resume). Called while the
   * conversation lock is held (like engine.handle), so it must not take that lock itself.
   */
  resume: (conversationId: string) => Promise<void>;
  /** Serialises staff actions with the engine (see conversation-lock.ts); none in unit use. */
  lock?: ConversationLock;
  /** Queues a notice for after the escalating turn; `episode` (queuedAt ms) makes it once only. */
  defer?: (conversationId: string, notice: DeferredNotice, episode: number) => Promise<void>;
  /** The console's live stream: one event per transition (best effort, no reads). */
  events?: ConsoleEventPublisher;
  /** The event bus: conversation.escalated (webhooks). */
  bus?: EventPublisher;
  /** Observes how long conversations waited in the queue (GET /metrics); none in unit use. */
  metrics?: Pick<Metrics, 'escalationWaitSeconds'>;
  now?: () => Date;
}

export type WaitOutcome = 'assigned' | 'closed' | 'callback';

/**
 * Seconds of the queue stint a transition just ended, read from statusHistory: the `queued`
 * entry is the last one (`doc` read before the write, the stint ends at `endedAt`) or the one
 * before it (`doc` returned by the write, which appended the entry that ends it). Undefined when
 * the transition did not end a stint (a reassignment between staff, a close of an assigned one).
 */
export function queueStintSeconds(
  doc: Pick<ConversationDoc, 'statusHistory'>,
  endedAt: Date,
): number | undefined {
  const history = doc.statusHistory ?? [];
  const at = history.findLastIndex((entry) => entry.status === 'queued');
  if (at < 0 || at < history.length - 2) return undefined;
  const end = at === history.length - 1 ? endedAt : history[at + 1]!.at;
  return Math.max(0, (end.getTime() - history[at]!.at.getTime()) / 1000);
}

/** A conversation id from a caller (staff tool, console): undefined unless a real object id. */
export const objectId = (id: string): Types.ObjectId | undefined =>
  Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : undefined;

export interface EscalationContext {
  deps: EscalatorDeps;
  now: () => Date;
  businessHours: BusinessHours | undefined;
  lock: ConversationLock;
  notifier: () => StaffNotifier | undefined;
  localeOf(c: Pick<ConversationDoc, 'locale'>): Locale;
  /** Tells consoles (GET /api/stream) about a transition; never fails it. */
  announce(
    conversationId: string,
    status: string,
    change: ConversationUpdatedEvent['change'],
    assignee?: { id: string; name?: string | null },
  ): void;
  /** Queues customer notices; a failure is logged, not thrown (the transition stands). */
  tell(conversation: ConversationDoc, drafts: Parameters<Outbox['send']>[1]): Promise<void>;
  /** A transition out of the queue: observes the wait it ended (see queueStintSeconds). */
  waitEnded(conversation: ConversationDoc, outcome: WaitOutcome): void;
}

export function createEscalationContext(deps: EscalatorDeps): EscalationContext {
  const now = deps.now ?? (() => new Date());
  return {
    deps,
    now,
    businessHours: deps.businessHours ? parseBusinessHours(deps.businessHours) : undefined,
    lock: deps.lock ?? ((_id, fn) => fn()),
    notifier: () => deps.notifier?.(),
    localeOf: (c) => (c.locale as Locale | undefined) ?? deps.defaultLocale,
    announce(conversationId, status, change, assignee) {
      void deps.events?.publish({
        type: 'conversation.updated',
        id: conversationId,
        status,
        assignee: assignee ? { id: assignee.id, name: assignee.name ?? null } : null,
        change,
        at: now().toISOString(),
      });
    },
    async tell(conversation, drafts) {
      try {
        await deps.outbox.send(conversation, drafts, { kind: 'system' });
      } catch (err) {
        deps.logger.error(
          { err, conversationId: String(conversation._id) },
          'escalation notice not queued',
        );
      }
    },
    waitEnded(conversation, outcome) {
      const seconds = queueStintSeconds(conversation, now());
      if (seconds === undefined || !deps.metrics) return;
      const labels = {
        channel: conversation.channel,
        reason: conversation.escalation?.reason ?? 'unknown',
        outcome,
      };
      deps.metrics.escalationWaitSeconds.observe(labels, seconds);
    },
  };
}
