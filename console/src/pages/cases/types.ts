/** The cases API's answers (docs/console-api.md, "Cases"). */
import type { Message } from '../../api/types';

export const CASE_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];
export const CASE_TYPES = ['support', 'privacy', 'callback'] as const;

export interface Person {
  id: string;
  name: string | null;
}

export interface SlaTarget {
  dueAt: string | null;
  state: SlaState;
  metAt: string | null;
}

export interface CaseSummary {
  id: string;
  number: string;
  type: string;
  subject: string | null;
  description: string | null;
  email: string | null;
  phone: string | null;
  preferredTime: string | null;
  status: CaseStatus;
  priority: CasePriority;
  channel: string | null;
  contactId: string | null;
  conversationId: string | null;
  contact: Person | null;
  assignee: Person | null;
  sla: {
    state: SlaState;
    firstResponse: SlaTarget;
    resolution: SlaTarget;
    nextDueAt: string | null;
  };
  csat: { rating: number | null; requestedAt: string | null; at: string | null } | null;
  resolvedAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface CaseDetail extends CaseSummary {
  customer: {
    id: string;
    name: string | null;
    emails: string[];
    phones: string[];
    channels: string[];
    tags: string[];
    locale: 'es' | 'en' | null;
  } | null;
  conversation: { id: string; channel: string; status: string; locale: string | null } | null;
  messages: Message[];
  notes: { id: string; text: string; by: Person | null; at: string }[];
  timeline: {
    at: string;
    kind: string;
    by: Person | null;
    from: string | null;
    to: string | null;
  }[];
}

export interface CasePatch {
  status?: CaseStatus;
  priority?: CasePriority;
  assignee?: string | null;
  note?: string;
}
