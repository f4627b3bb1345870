/**
 * What the record actions need besides the database: where they announce what they wrote (the
 * event bus: webhooks, scoring) and the SLA settings new cases get their deadlines from. The
 * composition root binds them once (`createRecordActions`); a sandbox uses NO_RECORD_EFFECTS.
 */
import type { MailTransport } from '../../kernel/contracts/mail.js';
import { NO_EVENTS, type EventPublisher } from '../../kernel/events.js';
import { DEFAULT_CASE_SLA, type CaseSlaSettings } from '../../kernel/time/sla.js';

export interface RecordEffects {
  events: EventPublisher;
  caseSla: CaseSlaSettings;
  /** ORDER_LATE_DAYS: an undelivered order older than this opens a case (order_status). */
  orderLateDays?: number;
  /** The mail transport (SMTP_URL): a transcript on request (send_transcript); none without it. */
  mail?: MailTransport;
}

export const NO_RECORD_EFFECTS: RecordEffects = { events: NO_EVENTS, caseSla: DEFAULT_CASE_SLA };
