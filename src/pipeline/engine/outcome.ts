/** What a flow step leads to: the next prompt, a cancel, a hand-over or the flow's completion. */
import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EscalationReason } from '../../kernel/contracts/escalation.js';
import type { FlowDefinition } from '../flows/schema.js';
import type { FlowContext, FlowOutcome } from '../flows/runtime.js';
import { asCountry, plausibleRegions } from '../flows/regions.js';
import { HUMAN_AGENT_FLOW, HUMAN_OFFER_FLOW } from './flow-state.js';
import { handOver, planOf, reply, saveFlow } from './plan.js';
import { fill } from './texts.js';
import type { Turn } from './turn.js';

const countryOfPhone = (phone: string | undefined): CountryCode | undefined =>
  phone ? parsePhoneNumberFromString(phone)?.country : undefined;

/**
 * What a flow may already know of the customer (their contact) and where a national phone number
 * is likely from: the contact's own phone, the channel's number, the contact's country, the
 * conversation language, DEFAULT_COUNTRY (flows/regions.ts).
 */
export async function flowContext(turn: Turn): Promise<FlowContext> {
  const contact = await turn.env.store.findContact(turn.conversation.contactId);
  const phone = contact?.phones?.[0];
  const replyContext = turn.conversation.replyContext as Record<string, string> | null | undefined;
  return {
    locale: turn.locale,
    known: {
      email: contact?.emails?.at(-1),
      phone,
      name: contact?.name ?? undefined,
    },
    regions: plausibleRegions({
      contactPhone: countryOfPhone(phone),
      channelNumber: countryOfPhone(replyContext?.channelNumber),
      contact: asCountry(contact?.country),
      locale: turn.locale,
      fallback: turn.env.defaultCountry,
    }),
  };
}

/** Why a flow that completes by handing over does so. */
function handOverReason(def: FlowDefinition): EscalationReason {
  if (def.name === HUMAN_OFFER_FLOW) return 'fallback';
  if (def.name === HUMAN_AGENT_FLOW) return 'customer_request';
  return 'flow';
}

/** A completed flow: its record action runs (idempotently) and its message is filled in. */
async function complete(
  turn: Turn,
  def: FlowDefinition,
  outcome: Extract<FlowOutcome, { kind: 'complete' }>,
): Promise<void> {
  if (outcome.action === 'escalate') {
    saveFlow(turn, null);
    planOf(turn).escalate = handOverReason(def);
    reply(turn, [{ text: outcome.message }]);
    return;
  }
  const vars =
    outcome.action === 'none'
      ? {}
      : await turn.env.records.runRecordAction(outcome.action, outcome.slots, turn);
  saveFlow(turn, null);
  const contactId = ('contactId' in vars && vars.contactId) || turn.conversation.contactId;
  if (outcome.consent) await turn.env.records.recordConsent?.(contactId, outcome.consent, turn);
  // A merge may have moved the conversation to another contact: the replies follow it.
  if ('contactId' in vars && vars.contactId) planOf(turn).contactId = vars.contactId;
  // Saved with the turn's state: later turns of this conversation rescore the lead.
  if ('leadId' in vars && vars.leadId) planOf(turn).set.leadId = vars.leadId;
  reply(turn, [{ text: 'reply' in vars && vars.reply ? vars.reply : fill(outcome.message, vars) }]);
}

export async function applyOutcome(
  turn: Turn,
  def: FlowDefinition,
  outcome: FlowOutcome,
): Promise<void> {
  switch (outcome.kind) {
    case 'continue':
      saveFlow(turn, outcome.state, turn.conversation.flow);
      reply(turn, outcome.replies);
      return;
    case 'cancelled':
      saveFlow(turn, null);
      reply(turn, outcome.replies);
      return;
    case 'escalate':
      handOver(turn, 'flow', outcome.state);
      return;
    case 'complete':
      await complete(turn, def, outcome);
      return;
  }
}
