/**
 * The escalation state machine (bot → queued → assigned → bot), persisted on the Conversation
 * with statusHistory and escalation.{queuedAt, assignedAt, closedAt} so wait times can be
 * reported. Every transition is one conditional MongoDB update, so concurrent staff actions
 * (two claims, a claim and a close) have exactly one effect. A staff tool plugs in through
 * StaffNotifier; without one, conversations still queue and are listed by the admin API.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type {
  ClaimResult,
  CustomerActivity,
  EscalationReason,
  Escalator,
  RelayOutcome,
  StaffMember,
} from '../../kernel/contracts/escalation.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type {
  ConsoleEventPublisher,
  ConversationUpdatedEvent,
} from '../../kernel/console-events.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { findMessage } from '../../kernel/db/messages.js';
import { Message } from '../../kernel/db/models/message.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import {
  describeOpening,
  isOpen,
  nextOpening,
  parseBusinessHours,
  type BusinessHours,
} from '../../kernel/time/business-hours.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { customerTexts, isCallbackChoice } from './texts.js';
import { escalatedEvent, publishEvent } from '../webhooks/events.js';

/** What a staff tool hears about; each call should only enqueue work (the tool may be down). */
export interface StaffNotifier {
  /** A new queue item: bot → queued. */
  queued(conversationId: string): Promise<void>;
  /** The item changed (claimed, closed): re-render it and say who did what in its thread. */
  changed(
    conversationId: string,
    change: { kind: 'claimed' | 'closed' | 'callback' | 'frustrated'; by?: StaffMember | 'admin' },
  ): Promise<void>;
  /** A customer message was appended to escalation.pendingRelay. */
  customerMessage(conversationId: string, messageId: string): Promise<void>;
  /** Staff wrote from elsewhere (the console): show the message in the item's thread. */
  staffMessage?(conversationId: string, messageId: string): Promise<void>;
}

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
  /** Queues a customer notice for `sendDeferredNotice`; without it notices go out at once. */
  /** Queues a notice for after the escalating turn; `episode` (queuedAt ms) makes it once only. */
  defer?: (conversationId: string, notice: DeferredNotice, episode: number) => Promise<void>;
  /** The console's live stream: one event per transition (best effort, no reads). */
  events?: ConsoleEventPublisher;
  now?: () => Date;
}

export type DeferredNotice = 'after-hours';

/** The engine is still handling the turn that escalated; try again shortly. */
export class TurnInProgress extends Error {
  constructor() {
    super('the engine has not finished the escalating turn');
    this.name = 'TurnInProgress';
  }
}

export interface EscalatorWithInternals extends Escalator {
  readonly businessHours: BusinessHours | undefined;
  sendDeferredNotice(conversationId: string, notice: DeferredNotice): Promise<void>;
}

const ACTIVE = ['queued', 'assigned'] as const;

const objectId = (id: string): Types.ObjectId | undefined =>
  Types.ObjectId.isValid(id) && /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : undefined;

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export function createEscalator(deps: EscalatorDeps): EscalatorWithInternals {
  const now = deps.now ?? (() => new Date());
  const businessHours = deps.businessHours ? parseBusinessHours(deps.businessHours) : undefined;
  const localeOf = (c: Pick<ConversationDoc, 'locale'>): Locale =>
    (c.locale as Locale | undefined) ?? deps.defaultLocale;
  const notifier = () => deps.notifier?.();
  const lock: ConversationLock = deps.lock ?? ((_id, fn) => fn());

  /** Tells consoles (GET /api/stream) about a transition; never fails it. */
  function announce(
    conversationId: string,
    status: string,
    change: ConversationUpdatedEvent['change'],
    assignee?: { id: string; name?: string | null },
  ): void {
    void deps.events?.publish({
      type: 'conversation.updated',
      id: conversationId,
      status,
      assignee: assignee ? { id: assignee.id, name: assignee.name ?? null } : null,
      change,
      at: now().toISOString(),
    });
  }

  /** Customer notices are best effort: a failure to queue one must not undo a transition. */
  async function tell(
    conversation: ConversationDoc,
    drafts: Parameters<Outbox['send']>[1],
  ): Promise<void> {
    try {
      await deps.outbox.send(conversation, drafts, { kind: 'system' });
    } catch (err) {
      deps.logger.error(
        { err, conversationId: String(conversation._id) },
        'escalation notice not queued',
      );
    }
  }

  async function escalate(conversationId: string, reason: EscalationReason): Promise<void> {
    const _id = objectId(conversationId);
    if (!_id) return;
    const at = now();
    const afterHours = businessHours ? !isOpen(businessHours, at) : false;
    const updated = await Conversation.findOneAndUpdate(
      { _id, status: 'bot' },
      {
        $set: {
          status: 'queued',
          escalation: { reason, queuedAt: at, afterHours, pendingRelay: [] },
        },
        $unset: { assignee: 1 },
        $push: { statusHistory: { status: 'queued', at, reason } },
      },
      { returnDocument: 'after' },
    ).lean<ConversationDoc>();
    if (!updated) return finishAnnouncing(conversationId, _id, reason);
    deps.logger.info({ conversationId, reason, afterHours }, 'conversation escalated');
    announce(conversationId, 'queued', 'queued');
    await publishEvent('conversation.escalated', escalatedEvent(updated, at));

    const locale = localeOf(updated);
    if (reason === 'admin') await tell(updated, [{ text: customerTexts.adminEscalated(locale) }]);
    if (afterHours) {
      // The engine announces the hand-over right after this returns; the after-hours notice
      // (with its callback button) must come after that, so it is sent by a job when possible.
      if (deps.defer) await deps.defer(conversationId, 'after-hours', at.getTime());
      else await sendAfterHoursNotice(updated);
    }
    await notifier()?.queued(conversationId);
  }

  /**
   * The same escalation again (a turn replayed after a crash between the state write above and
   * the staff notification): the conversation is already queued for this reason, so finish what
   * may not have happened. Both steps are idempotent per episode (job ids carry `queuedAt`), so a
   * replay after everything went out posts nothing twice.
   */
  async function finishAnnouncing(
    conversationId: string,
    _id: Types.ObjectId,
    reason: EscalationReason,
  ): Promise<void> {
    const current = await Conversation.findById(_id, {
      status: 1,
      escalation: 1,
    }).lean<ConversationDoc>();
    const episode = current?.escalation;
    if (current?.status !== 'queued' || episode?.reason !== reason || !episode.queuedAt) return;
    if (episode.afterHours && deps.defer) {
      await deps.defer(conversationId, 'after-hours', new Date(episode.queuedAt).getTime());
    }
    await notifier()?.queued(conversationId);
  }

  async function sendAfterHoursNotice(conversation: ConversationDoc): Promise<void> {
    if (!businessHours) return;
    const locale = localeOf(conversation);
    const at = now();
    const opening = nextOpening(businessHours, at);
    const when = opening ? describeOpening(opening, at, businessHours.timeZone, locale) : undefined;
    await tell(conversation, [
      {
        text: customerTexts.afterHours(locale, when, businessHours.timeZone),
        quickReplies: customerTexts.callbackQuickReplies(locale),
      },
    ]);
  }

  /**
   * Sends a notice deferred by `escalate`, once the engine has finished the turn that escalated
   * (every customer message up to the escalation is processed). Throws TurnInProgress to be
   * retried; does nothing when the conversation is no longer waiting.
   */
  async function sendDeferredNotice(conversationId: string, notice: DeferredNotice): Promise<void> {
    const conversation = await findConversation(conversationId);
    const queuedAt = conversation?.escalation?.queuedAt;
    if (!conversation || conversation.status !== 'queued' || !queuedAt) return;
    const unfinished = await Message.exists({
      conversationId: conversation._id,
      direction: 'in',
      status: 'received',
      createdAt: { $lte: queuedAt },
    });
    if (unfinished) throw new TurnInProgress();
    if (notice === 'after-hours') await sendAfterHoursNotice(conversation);
  }

  async function handBackForCallback(conversation: ConversationDoc): Promise<boolean> {
    const at = now();
    const res = await Conversation.updateOne(
      { _id: conversation._id, status: 'queued' },
      {
        $set: { status: 'bot', 'escalation.closedAt': at },
        $push: { statusHistory: { status: 'bot', at, by: 'customer', reason: 'callback' } },
      },
    );
    if (res.modifiedCount !== 1) return false;
    announce(String(conversation._id), 'bot', 'callback');
    await notifier()?.changed(String(conversation._id), { kind: 'callback' });
    return true;
  }

  async function relayCustomerMessage(
    conversationId: string,
    messageId: string,
    activity?: CustomerActivity,
  ): Promise<RelayOutcome> {
    const conversation = await findConversation(conversationId);
    const _mid = objectId(messageId);
    if (!conversation || !_mid) return 'relayed';
    if (!ACTIVE.includes(conversation.status as (typeof ACTIVE)[number])) return 'handed_back';

    if (conversation.status === 'queued' && conversation.escalation?.afterHours) {
      const message = await findMessage(_mid);
      if (
        message &&
        isCallbackChoice(message.text ?? '') &&
        (await handBackForCallback(conversation))
      ) {
        return 'handed_back';
      }
    }
    const staff = notifier();
    // This message made the customer read as frustrated: the queue item says so (after the write).
    const frustrated = !!activity?.sentiment?.frustratedAt && !conversation.sentiment?.frustratedAt;
    // One write either way: the relay list (for the staff tool) and the console's last message.
    if (!staff) {
      if (activity) {
        await Conversation.updateOne(
          { _id: conversation._id, status: { $in: ACTIVE } },
          { $set: { ...activity } },
        );
      }
      if (frustrated) announce(conversationId, conversation.status, 'frustrated');
      return 'relayed';
    }
    const res = await Conversation.updateOne(
      { _id: conversation._id, status: { $in: ACTIVE } },
      {
        $addToSet: { 'escalation.pendingRelay': _mid },
        ...(activity ? { $set: { ...activity } } : {}),
      },
    );
    if (res.matchedCount === 0) return 'handed_back';
    await staff.customerMessage(conversationId, messageId);
    if (frustrated) {
      announce(conversationId, conversation.status, 'frustrated');
      await staff.changed(conversationId, { kind: 'frustrated' });
    }
    return 'relayed';
  }

  async function claim(conversationId: string, staffMember: StaffMember): Promise<ClaimResult> {
    const _id = objectId(conversationId);
    if (!_id) return { outcome: 'not_escalated' };
    const assignee = { id: staffMember.id, name: staffMember.name ?? staffMember.id };
    const { updated, current } = await lock(conversationId, async () => {
      const at = now();
      const doc = await Conversation.findOneAndUpdate(
        { _id, status: 'queued' },
        {
          $set: { status: 'assigned', assignee, 'escalation.assignedAt': at },
          $push: { statusHistory: { status: 'assigned', at, by: staffMember.id } },
        },
        { returnDocument: 'after' },
      ).lean<ConversationDoc>();
      return { updated: doc, current: doc ? doc : await findConversation(_id) };
    });
    if (!updated) {
      if (current?.status === 'assigned' && current.assignee?.id) {
        return {
          outcome: 'already_assigned',
          assignee: { id: current.assignee.id, name: current.assignee.name ?? undefined },
        };
      }
      return { outcome: 'not_escalated' };
    }
    deps.logger.info({ conversationId, staff: staffMember.id }, 'escalation claimed');
    announce(conversationId, 'assigned', 'claimed', assignee);
    await tell(updated, [{ text: customerTexts.staffJoined(localeOf(updated), assignee.name) }]);
    await notifier()?.changed(conversationId, { kind: 'claimed', by: staffMember });
    return { outcome: 'claimed' };
  }

  async function close(conversationId: string, by: StaffMember | 'admin'): Promise<boolean> {
    const _id = objectId(conversationId);
    if (!_id) return false;
    // Resuming writes the conversation's flow state too: all of it under the lock.
    return lock(conversationId, () => closeLocked(conversationId, _id, by));
  }

  async function closeLocked(
    conversationId: string,
    _id: Types.ObjectId,
    by: StaffMember | 'admin',
  ): Promise<boolean> {
    const at = now();
    const updated = await Conversation.findOneAndUpdate(
      { _id, status: { $in: ACTIVE } },
      {
        $set: { status: 'bot', 'escalation.closedAt': at },
        $push: {
          statusHistory: {
            status: 'bot',
            at,
            by: by === 'admin' ? 'admin' : by.id,
            reason: 'closed',
          },
        },
      },
      { returnDocument: 'after' },
    ).lean<ConversationDoc>();
    if (!updated) return false;
    deps.logger.info({ conversationId }, 'escalation closed');
    announce(conversationId, 'bot', 'closed');
    await tell(updated, [{ text: customerTexts.backWithBot(localeOf(updated)) }]);
    await notifier()?.changed(conversationId, { kind: 'closed', by });
    try {
      await deps.resume(conversationId);
    } catch (err) {
      deps.logger.error({ err, conversationId }, 'engine could not resume after close');
    }
    return true;
  }

  async function staffWrote(conversationId: string, messageId: string): Promise<void> {
    await notifier()?.staffMessage?.(conversationId, messageId);
  }

  return {
    escalate,
    relayCustomerMessage,
    claim,
    close,
    staffWrote,
    businessHours,
    sendDeferredNotice,
  };
}
