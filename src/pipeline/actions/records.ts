/** The record actions bound to their effects (event bus, case SLA): what the engine runs. */
import { runBuiltin } from './builtins.js';
import { runRecordAction } from './completion.js';
import { recordConsent } from './consent.js';
import { recordRating } from './csat.js';
import type { RecordEffects } from './effects.js';

export function createRecordActions(effects: RecordEffects) {
  return {
    runRecordAction: (...[action, slots, ctx]: Parameters<typeof runRecordAction>) =>
      runRecordAction(action, slots, ctx, effects),
    runBuiltin: (...[name, ctx]: Parameters<typeof runBuiltin>) => runBuiltin(name, ctx, effects),
    recordRating,
    recordConsent: (...[contactId, answer, ctx]: Parameters<typeof recordConsent>) =>
      recordConsent(contactId, answer, ctx, effects),
  };
}
