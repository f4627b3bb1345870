/** Shapes the console reads from the API (see docs/console-api.md and GET /api/openapi.json). */
export type Role = 'admin' | 'marketer' | 'agent' | 'viewer';
export const ROLES: Role[] = ['admin', 'marketer', 'agent', 'viewer'];

export type ChannelId = 'webchat' | 'whatsapp' | 'telegram' | 'twitter' | 'slack' | 'botframework';
export const CHANNELS: ChannelId[] = [
  'webchat',
  'whatsapp',
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
