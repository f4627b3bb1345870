/**
 * The flow runtime: pure functions from (definition, state, answer) to the next state, the replies
 * to send and, at the end, the completion action to run. No I/O: the engine persists the state on
 * Conversation.flow and executes the actions.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Locale, QuickReply } from '../../kernel/contracts/messages.js';
import type { ReplyDraft } from '../outbox.js';
import { fill, say } from '../engine/texts.js';
import type { CompletionAction, FlowDefinition, LocalizedText, SlotDefinition } from './schema.js';
import {
  findTime,
  isCancel,
  isDistinctiveType,
  isSkip,
  parseEmail,
  parsePhone,
  parseSlot,
  parseYesNo,
  type SlotValue,
} from './slots.js';

/** The pending step of the confirmation summary (never a slot name: the schema forbids it). */
export const CONFIRM_STEP = 'confirm';

export interface FlowState {
  name: string;
  /** The slot being asked (or CONFIRM_STEP); null before the first question. */
  slot: string | null;
  /** Captured values; null marks an optional slot the customer skipped. */
  slots: Record<string, SlotValue>;
  /** Invalid answers to the pending slot so far. */
  attempts: number;
}

export interface FlowContext {
  locale: Locale;
  /** What the CRM already knows about the contact, by slot type (for `skipIfKnown`). */
  known?: Partial<Record<'email' | 'phone' | 'name', string>>;
  /** Country for phone numbers given without an international prefix. */
  defaultCountry?: CountryCode;
  now?: Date;
}

export type FlowOutcome =
  | { kind: 'continue'; state: FlowState; replies: ReplyDraft[] }
  | {
      kind: 'complete';
      slots: Record<string, SlotValue>;
      action: CompletionAction;
      /** Completion text for the conversation language; `{number}` is filled by the engine. */
      message: string;
    }
  | { kind: 'cancelled'; replies: ReplyDraft[] }
  /** Too many invalid answers in a flow that hands over to a person: the state is kept for resume. */
  | { kind: 'escalate'; state: FlowState };

const t = (text: LocalizedText, locale: Locale) => text[locale];

function yesNo(locale: Locale): QuickReply[] {
  return [
    { title: say('yes', locale), payload: say('yes', locale) },
    { title: say('no', locale), payload: say('no', locale) },
  ];
}

function slotReplyOptions(slot: SlotDefinition, locale: Locale): QuickReply[] | undefined {
  if (slot.type === 'confirm') return yesNo(locale);
  if (!slot.required) return [{ title: say('skip', locale), payload: say('skip', locale) }];
  return undefined;
}

/** The captured slots, one `label: value` line each, for the confirmation step. */
export function summary(def: FlowDefinition, state: FlowState, locale: Locale): string {
  return def.slots
    .filter((s) => s.type !== 'confirm')
    .map((s) => {
      const v = state.slots[s.name];
      const shown = v === null || v === undefined || v === '' ? say('emptyValue', locale) : v;
      return `${t(s.label, locale)}: ${String(shown)}`;
    })
    .join('\n');
}

function ask(
  def: FlowDefinition,
  state: FlowState,
  locale: Locale,
  which: 'prompt' | 'reprompt',
): ReplyDraft | undefined {
  if (state.slot === CONFIRM_STEP && def.confirmation) {
    return {
      text: fill(t(def.confirmation[which], locale), { summary: summary(def, state, locale) }),
      quickReplies: yesNo(locale),
      awaiting: { flow: def.name, slot: CONFIRM_STEP },
    };
  }
  const slot = def.slots.find((s) => s.name === state.slot);
  if (!slot) return undefined;
  return {
    text: fill(t(slot[which], locale), state.slots),
    quickReplies: slotReplyOptions(slot, locale),
    awaiting: { flow: def.name, slot: slot.name },
  };
}

/** The question for the pending slot, for re-asking after an interruption or a resume. */
export function promptFor(
  def: FlowDefinition,
  state: FlowState,
  locale: Locale,
): ReplyDraft | undefined {
  return ask(def, state, locale, 'prompt');
}

/** Moves to the next unanswered slot, the confirmation, or completion. */
function advance(
  def: FlowDefinition,
  slots: Record<string, SlotValue>,
  ctx: FlowContext,
  before: ReplyDraft[] = [],
): FlowOutcome {
  const filled = { ...slots };
  for (const slot of def.slots) {
    if (slot.name in filled) continue;
    const known =
      slot.type === 'email' || slot.type === 'phone' || slot.type === 'name'
        ? ctx.known?.[slot.type]
        : undefined;
    if (slot.skipIfKnown && known) {
      filled[slot.name] = known;
      continue;
    }
    const state: FlowState = { name: def.name, slot: slot.name, slots: filled, attempts: 0 };
    return { kind: 'continue', state, replies: [...before, ask(def, state, ctx.locale, 'prompt')!] };
  }
  if (def.confirmation) {
    const state: FlowState = { name: def.name, slot: CONFIRM_STEP, slots: filled, attempts: 0 };
    return { kind: 'continue', state, replies: [...before, ask(def, state, ctx.locale, 'prompt')!] };
  }
  return advanceToCompletion(def, filled, ctx);
}

/**
 * Values the message that started the flow already gives ("call me tomorrow at 10 on +34…"):
 * only for slot types recognisable inside a sentence (email, phone, time).
 */
function prefill(def: FlowDefinition, trigger: string, ctx: FlowContext): Record<string, SlotValue> {
  const slots: Record<string, SlotValue> = {};
  for (const slot of def.slots) {
    const value =
      slot.type === 'email'
        ? parseEmail(trigger)
        : slot.type === 'phone'
          ? parsePhone(trigger, ctx.defaultCountry)
          : slot.type === 'time'
            ? findTime(trigger, ctx.locale, ctx.now)
            : undefined;
    if (value !== undefined) slots[slot.name] = value;
  }
  return slots;
}

/**
 * Starts a flow: asks its first slot (or completes at once when it has nothing to ask). `trigger`
 * is the customer's message that started it, whose email/phone/time answer slots in advance.
 */
export function startFlow(def: FlowDefinition, ctx: FlowContext, trigger?: string): FlowOutcome {
  return advance(def, trigger ? prefill(def, trigger, ctx) : {}, ctx);
}

/**
 * True when the answer clearly belongs to the pending step (a cancel word, an email for an email
 * slot, yes/no for a confirmation, a skip word for an optional slot). The engine checks other
 * intents (an FAQ mid-flow) only when this is false.
 */
export function answersPendingStep(
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): boolean {
  if (isCancel(text)) return true;
  if (state.slot === CONFIRM_STEP) return parseYesNo(text) !== undefined;
  const slot = def.slots.find((s) => s.name === state.slot);
  if (!slot) return false;
  if (!slot.required && isSkip(text)) return true;
  return isDistinctiveType(slot.type) && parseSlot(slot.type, text, ctx).ok;
}

function invalid(def: FlowDefinition, state: FlowState, ctx: FlowContext): FlowOutcome {
  const attempts = state.attempts + 1;
  const slot = def.slots.find((s) => s.name === state.slot);
  if (attempts >= def.maxAttempts) {
    if (slot && !slot.required) return advance(def, { ...state.slots, [slot.name]: null }, ctx);
    if (def.onMaxAttempts === 'escalate') return { kind: 'escalate', state: { ...state, attempts } };
    return { kind: 'cancelled', replies: [{ text: say('tooManyAttempts', ctx.locale) }] };
  }
  const next = { ...state, attempts };
  return { kind: 'continue', state: next, replies: [ask(def, next, ctx.locale, 'reprompt')!] };
}

/** Takes the customer's answer to the pending step. */
export function stepFlow(
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): FlowOutcome {
  if (isCancel(text)) return { kind: 'cancelled', replies: [{ text: say('cancelled', ctx.locale) }] };

  if (state.slot === CONFIRM_STEP && def.confirmation) {
    const yes = parseYesNo(text);
    if (yes === undefined) return invalid(def, state, ctx);
    if (yes) return advanceToCompletion(def, state.slots, ctx);
    const rejected = { text: t(def.confirmation.rejected, ctx.locale) };
    if (def.confirmation.onReject === 'cancel') return { kind: 'cancelled', replies: [rejected] };
    return advance(def, {}, ctx, [rejected]);
  }

  const slot = def.slots.find((s) => s.name === state.slot);
  // The definition changed under a running flow: carry on from what is still missing.
  if (!slot) return advance(def, state.slots, ctx);

  if (!slot.required && isSkip(text)) return advance(def, { ...state.slots, [slot.name]: null }, ctx);
  const parsed = parseSlot(slot.type, text, ctx);
  if (!parsed.ok) return invalid(def, state, ctx);
  if (slot.type === 'confirm' && parsed.value === false) {
    return { kind: 'cancelled', replies: [{ text: t(slot.declined!, ctx.locale) }] };
  }
  return advance(def, { ...state.slots, [slot.name]: parsed.value }, ctx);
}

function advanceToCompletion(
  def: FlowDefinition,
  slots: Record<string, SlotValue>,
  ctx: FlowContext,
): FlowOutcome {
  return {
    kind: 'complete',
    slots,
    action: def.completion.action,
    message: fill(t(def.completion.messages, ctx.locale), { ...slots, number: '{number}' }),
  };
}
