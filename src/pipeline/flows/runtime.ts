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
  looksLikeCompany,
  normalise,
  parseEmail,
  parsePhone,
  parseSlot,
  parseYesNo,
  type SlotValue,
} from './slots.js';

/** The pending step of the confirmation summary (never a slot name: the schema forbids it). */
export const CONFIRM_STEP = 'confirm';
/** The pending step "which detail do you want to change?" after a "no" to the summary. */
export const CHANGE_STEP = '#change';
/** Invalid answers to a required slot after which a person is offered beside the question. */
export const OFFER_PERSON_AFTER = 2;

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
  /** Regions to read a national phone number in, most likely first (regions.ts). */
  regions?: readonly CountryCode[];
  now?: Date;
}

export interface ConsentAnswer {
  granted: boolean;
  /** The question as the customer saw it. */
  wording: string;
  language: Locale;
}

export type FlowOutcome =
  | { kind: 'continue'; state: FlowState; replies: ReplyDraft[] }
  | {
      kind: 'complete';
      slots: Record<string, SlotValue>;
      action: CompletionAction;
      /** Completion text for the conversation language; `{number}` is filled by the engine. */
      message: string;
      /** The marketing opt-in answered in the flow (a `consent` slot): recorded with its wording. */
      consent?: ConsentAnswer;
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

const button = (title: string): QuickReply => ({ title, payload: title });

function slotReplyOptions(slot: SlotDefinition, locale: Locale): QuickReply[] | undefined {
  if (slot.type === 'confirm' || slot.type === 'consent') return yesNo(locale);
  if (!slot.required) return [button(say('skip', locale))];
  return undefined;
}

/** Slots shown in the summary and offered for change (a confirm slot is a gate, not a detail). */
const detailSlots = (def: FlowDefinition) => def.slots.filter((s) => s.type !== 'confirm');

/** The captured slots, one `label: value` line each, for the confirmation step. */
export function summary(def: FlowDefinition, state: FlowState, locale: Locale): string {
  return detailSlots(def)
    .map((s) => {
      const v = state.slots[s.name];
      const shown =
        v === null || v === undefined || v === ''
          ? say('emptyValue', locale)
          : typeof v === 'boolean'
            ? say(v ? 'yes' : 'no', locale)
            : v;
      return `${t(s.label, locale)}: ${String(shown)}`;
    })
    .join('\n');
}

/** "Which one do you want to change?" with one button per detail and one for "none". */
function askWhichToChange(def: FlowDefinition, locale: Locale, reprompt = false): ReplyDraft {
  return {
    text: say(reprompt ? 'whichToChangeAgain' : 'whichToChange', locale),
    quickReplies: [
      ...detailSlots(def).map((s) => button(t(s.label, locale))),
      button(say('nothingToChange', locale)),
    ],
    awaiting: { flow: def.name, slot: CHANGE_STEP },
  };
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
  if (state.slot === CHANGE_STEP) return askWhichToChange(def, locale, which === 'reprompt');
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
          ? parsePhone(trigger, ctx.regions)
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
  if (isCancel(text) || isPersonPick(text)) return true;
  if (state.slot === CONFIRM_STEP) return parseYesNo(text) !== undefined;
  if (state.slot === CHANGE_STEP) return changeTarget(def, text) !== undefined;
  const slot = def.slots.find((s) => s.name === state.slot);
  if (!slot) return false;
  if (!slot.required && isSkip(text)) return true;
  return isDistinctiveType(slot.type) && parseSlot(slot.type, text, ctx).ok;
}

/** The "talk to a person" button offered after repeated invalid answers, in either language. */
export function isPersonPick(text: string): boolean {
  const n = normalise(text);
  return n === normalise(say('talkToPerson', 'es')) || n === normalise(say('talkToPerson', 'en'));
}

function invalid(def: FlowDefinition, state: FlowState, ctx: FlowContext): FlowOutcome {
  const attempts = state.attempts + 1;
  const slot = def.slots.find((s) => s.name === state.slot);
  const next = { ...state, attempts };
  if (attempts >= def.maxAttempts) {
    if (slot?.type === 'consent') return advance(def, { ...state.slots, [slot.name]: false }, ctx);
    if (slot && !slot.required) return advance(def, { ...state.slots, [slot.name]: null }, ctx);
    if (def.onMaxAttempts === 'escalate') return { kind: 'escalate', state: next };
    return { kind: 'cancelled', replies: [{ text: say('tooManyAttempts', ctx.locale) }] };
  }
  const again = ask(def, next, ctx.locale, 'reprompt')!;
  // A required detail the customer cannot get past: a person is offered, the flow is kept.
  const required = slot ? slot.required && slot.type !== 'consent' : true;
  if (attempts < OFFER_PERSON_AFTER || !required) {
    return { kind: 'continue', state: next, replies: [again] };
  }
  const offer = button(say('talkToPerson', ctx.locale));
  const text = `${again.text}\n${say('offerPerson', ctx.locale)}`;
  const quickReplies = [...(again.quickReplies ?? []), offer];
  return { kind: 'continue', state: next, replies: [{ ...again, text, quickReplies }] };
}

/** The slot a "which one?" answer names: its label in either language, its name or its number. */
function changeTarget(def: FlowDefinition, text: string): SlotDefinition | undefined {
  const n = normalise(text);
  const slots = detailSlots(def);
  if (/^\d+$/.test(n)) return slots[Number(n) - 1];
  return slots.find(
    (s) => normalise(s.label.es) === n || normalise(s.label.en) === n || normalise(s.name) === n,
  );
}

const saysNothingToChange = (text: string) =>
  parseYesNo(text) === true ||
  [say('nothingToChange', 'es'), say('nothingToChange', 'en')]
    .map(normalise)
    .includes(normalise(text));

/** The answer to "which detail do you want to change?": that slot is asked, the rest kept. */
function stepChange(
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): FlowOutcome {
  if (saysNothingToChange(text)) return advance(def, state.slots, ctx);
  const target = changeTarget(def, text);
  if (target) {
    const asking: FlowState = { ...state, slot: target.name, attempts: 0 };
    return { kind: 'continue', state: asking, replies: [ask(def, asking, ctx.locale, 'prompt')!] };
  }
  // A new email or phone typed straight away replaces that detail.
  for (const s of detailSlots(def)) {
    if (s.type !== 'email' && s.type !== 'phone') continue;
    const parsed = parseSlot(s.type, text, ctx);
    if (parsed.ok) return advance(def, { ...state.slots, [s.name]: parsed.value }, ctx);
  }
  return invalid(def, state, ctx);
}

/** "No" to the summary: ask which detail to change (the rest is kept), restart, or cancel. */
function rejectSummary(def: FlowDefinition, state: FlowState, ctx: FlowContext): FlowOutcome {
  const confirmation = def.confirmation!;
  const rejected = { text: t(confirmation.rejected, ctx.locale) };
  if (confirmation.onReject === 'cancel') return { kind: 'cancelled', replies: [rejected] };
  if (confirmation.onReject === 'restart') return advance(def, {}, ctx, [rejected]);
  const choosing: FlowState = { ...state, slot: CHANGE_STEP, attempts: 0 };
  return { kind: 'continue', state: choosing, replies: [askWhichToChange(def, ctx.locale)] };
}

/** Whether an answer is plainly the value of this (other) slot: an email, a phone, "Acme Ltd". */
function fitsOther(slot: SlotDefinition, text: string, ctx: FlowContext): boolean {
  if (slot.type === 'email' || slot.type === 'phone') return parseSlot(slot.type, text, ctx).ok;
  return slot.type === 'company' && looksLikeCompany(text);
}

/**
 * An answer that does not fit the pending slot but is plainly the value of another one still to
 * come ("Acme Widgets Ltd" or an email when asked for a phone): kept for that slot, and the
 * pending one asked again, with no attempt counted.
 */
function answerForAnotherSlot(
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): FlowOutcome | undefined {
  const other = def.slots.find(
    (s) => s.name !== state.slot && !(s.name in state.slots) && fitsOther(s, text, ctx),
  );
  const parsed = other ? parseSlot(other.type, text, ctx) : undefined;
  if (!other || !parsed?.ok) return undefined;
  const next: FlowState = { ...state, slots: { ...state.slots, [other.name]: parsed.value } };
  const label = t(other.label, ctx.locale).toLowerCase();
  const noted = { text: say('notedOther', ctx.locale, { value: String(parsed.value), label }) };
  return { kind: 'continue', state: next, replies: [noted, ask(def, next, ctx.locale, 'prompt')!] };
}

/** The answer to a slot (not the summary, not "which to change"). */
function stepSlot(
  def: FlowDefinition,
  state: FlowState,
  slot: SlotDefinition,
  text: string,
  ctx: FlowContext,
): FlowOutcome {
  if (slot.type === 'consent') {
    // Explicit opt-in: only a yes grants; a no or a skip is a no.
    const yes = parseYesNo(text) ?? (isSkip(text) ? false : undefined);
    if (yes === undefined) return invalid(def, state, ctx);
    return advance(def, { ...state.slots, [slot.name]: yes }, ctx);
  }
  if (!slot.required && isSkip(text)) return advance(def, { ...state.slots, [slot.name]: null }, ctx);
  const parsed = parseSlot(slot.type, text, ctx);
  if (!parsed.ok) return answerForAnotherSlot(def, state, text, ctx) ?? invalid(def, state, ctx);
  if (slot.type === 'confirm' && parsed.value === false) {
    return { kind: 'cancelled', replies: [{ text: t(slot.declined!, ctx.locale) }] };
  }
  return advance(def, { ...state.slots, [slot.name]: parsed.value }, ctx);
}

/** Takes the customer's answer to the pending step. */
export function stepFlow(
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): FlowOutcome {
  if (isCancel(text)) return { kind: 'cancelled', replies: [{ text: say('cancelled', ctx.locale) }] };
  if (isPersonPick(text)) return { kind: 'escalate', state };
  if (state.slot === CONFIRM_STEP && def.confirmation) {
    const yes = parseYesNo(text);
    if (yes === undefined) return invalid(def, state, ctx);
    return yes ? advanceToCompletion(def, state.slots, ctx) : rejectSummary(def, state, ctx);
  }
  if (state.slot === CHANGE_STEP) return stepChange(def, state, text, ctx);
  const slot = def.slots.find((s) => s.name === state.slot);
  // The definition changed under a running flow: carry on from what is still missing.
  if (!slot) return advance(def, state.slots, ctx);
  return stepSlot(def, state, slot, text, ctx);
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
    ...consentOf(def, slots, ctx.locale),
  };
}

/** The answered opt-in of a flow with a `consent` slot, with the question as it was shown. */
function consentOf(
  def: FlowDefinition,
  slots: Record<string, SlotValue>,
  locale: Locale,
): { consent: ConsentAnswer } | Record<string, never> {
  const slot = def.slots.find((s) => s.type === 'consent' && typeof slots[s.name] === 'boolean');
  if (!slot) return {};
  const wording = fill(t(slot.prompt, locale), slots);
  return { consent: { granted: slots[slot.name] === true, wording, language: locale } };
}
