/** The lead shapes the pipeline pages read (GET /api/leads, GET /api/leads/:id). */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface ScoreReason {
  rule: string;
  points: number;
  label?: { es?: string; en?: string };
}

export interface Lead {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  interest: string | null;
  status: LeadStatus;
  score?: number;
  /** Present once lead scoring is on the server. */
  scoreReasons?: ScoreReason[];
  channel: string;
  contactId: string | null;
  conversationId: string | null;
  owner: string | null;
  notes: string | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
}

export interface LeadDetail {
  lead: Lead;
  consent: {
    granted: boolean;
    updatedAt: string | null;
    history: { granted: boolean; at: string | null; by: string; actor: string }[];
  } | null;
  transcript: { id: string; author: string; direction: string; text: string; at: string | null }[];
  otherLeads: Lead[];
  cases: {
    id: string;
    number: string;
    type: string;
    subject: string | null;
    status: string;
    createdAt: string | null;
  }[];
  timeline: {
    at: string | null;
    action: string;
    actor: string;
    actorName: string | null;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }[];
}

export interface LeadOwner {
  id: string;
  name: string;
}

export interface LeadChanges {
  status?: LeadStatus;
  owner?: string | null;
  notes?: string | null;
  tags?: string[];
}
