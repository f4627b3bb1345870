/** Shapes the console reads from the API (see docs/console-api.md and GET /api/openapi.json). */
export type Role = 'admin' | 'marketer' | 'agent' | 'viewer';
export const ROLES: Role[] = ['admin', 'marketer', 'agent', 'viewer'];

export type ChannelId =
  'webchat' | 'whatsapp' | 'whatsapp-web' | 'telegram' | 'twitter' | 'slack' | 'botframework';
export const CHANNELS: ChannelId[] = [
  'webchat',
  'whatsapp',
  'whatsapp-web',
  'telegram',
  'twitter',
  'slack',
  'botframework',
];
export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'closed';
export const CONVERSATION_STATUSES: ConversationStatus[] = ['bot', 'queued', 'assigned', 'closed'];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled?: boolean;
  createdAt?: string;
  lastLoginAt?: string | null;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface StaffRef {
  id: string;
  name: string | null;
}

export interface ConversationSummary {
  id: string;
  channel: string;
  status: ConversationStatus;
  locale: 'es' | 'en' | null;
  contact: { id: string; name: string | null };
  lastMessageAt: string | null;
  lastMessageText: string | null;
  lastIntent: string | null;
  assignee: StaffRef | null;
  escalation: { reason: string | null; queuedAt: string | null } | null;
  createdAt: string | null;
  /** `high` once the customer read as frustrated (two negative messages in a row). */
  priority: 'high' | null;
  sentiment: SentimentTrend;
}

/** Scores of the last customer messages (−1 … 1), oldest first. */
export interface SentimentTrend {
  trend: { at: string; score: number }[];
  frustratedAt: string | null;
}

export interface Engagement {
  firstContactAt: string | null;
  lastContactAt: string | null;
  conversations: number;
  channels: string[];
  leads: number;
  cases: number;
  openCases: number;
  csat: { average: number; responses: number } | null;
  sentiment: { average: number | null; frustratedConversations: number };
}

export interface Message {
  id: string;
  conversationId: string;
  channel: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'staff' | 'system';
  text: string;
  status: 'received' | 'processed' | 'pending' | 'sent' | 'failed';
  createdAt: string;
  error?: string;
  internal?: true;
  staff?: StaffRef;
  nlu?: { intent: string | null; confidence: number; language: string };
  sentiment?: number;
  quickReplies?: { title: string; payload: string }[];
  awaiting?: { flow: string; slot: string };
  attachments?: { kind: string; url?: string; mimeType?: string; name?: string }[];
}

export interface ConversationDetail extends Omit<ConversationSummary, 'contact' | 'escalation'> {
  contactId: string;
  contact: {
    id: string;
    name: string | null;
    emails: string[];
    phones: string[];
    channels: string[];
    tags: string[];
    locale: 'es' | 'en' | null;
  };
  flow: {
    name: string;
    slot: string | null;
    slots: Record<string, unknown>;
    attempts: number;
    startedAt: string | null;
  } | null;
  suspendedFlow: { name: string; slot: string | null } | null;
  intentsSeen: string[];
  statusHistory: { status: string; at: string; by: string | null; reason: string | null }[];
  escalation: {
    reason: string | null;
    queuedAt: string | null;
    assignedAt: string | null;
    closedAt: string | null;
    afterHours: boolean;
  } | null;
  messages: Message[];
}

export interface ContactSummary {
  id: string;
  name: string | null;
  emails: string[];
  phones: string[];
  channels: string[];
  tags: string[];
  locale: 'es' | 'en' | null;
  marketingConsent: { granted: boolean; updatedAt: string | null };
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ContactView {
  contact: ContactSummary & {
    identities: { channel: string; platformUserId: string; displayName: string | null }[];
    mergedInto: string | null;
    erasedAt: string | null;
  };
  engagement: Engagement;
  conversations: ConversationSummary[];
  leads: {
    id: string;
    status: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    company: string | null;
    interest: string | null;
    score: number;
    channel: string;
    conversationId: string | null;
    createdAt: string | null;
  }[];
  cases: {
    id: string;
    number: string;
    type: string;
    status: string;
    priority: string;
    subject: string | null;
    channel: string | null;
    conversationId: string | null;
    createdAt: string | null;
    /** Privacy requests: the person's data export (admin only). */
    exportPath: string | null;
  }[];
  consent: {
    marketing: { granted: boolean; updatedAt: string | null };
    history: { action: 'consent.grant' | 'consent.revoke'; at: string; actor: string }[];
  };
  merges: {
    mergedId: string;
    at: string;
    actor: string;
    reason: string | null;
    channels: string[];
  }[];
}

export interface AuditItem {
  id: string;
  at: string;
  actor: string;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

export type StreamEvent =
  | { type: 'hello'; at: string }
  | {
      type: 'conversation.updated';
      id: string;
      status: string;
      assignee: StaffRef | null;
      change: string;
      at: string;
    }
  | {
      type: 'message.created';
      conversationId: string;
      messageId: string;
      direction: 'in' | 'out';
      author: string;
      channel: string;
      internal: boolean;
      preview: string;
      at: string;
    };
