/** The bot studio's API calls (src/features/catalogue/routes.ts, src/features/catalogue/unanswered-routes.ts) and their shapes. */
import { api, type Query } from '../../api/client';
import type { z } from 'zod';
import type { versionItem } from '../../../../src/features/catalogue/schemas';

export type Locale = 'es' | 'en';
export type IntentAction =
  { type: 'answer' } | { type: 'flow'; flow: string } | { type: 'builtin'; name: string };

export interface Intent {
  name: string;
  action?: IntentAction;
  training: Record<Locale, string[]>;
  answers?: Record<Locale, string[]>;
  quickReplies?: Record<Locale, string[]>;
}

export interface Flow {
  name: string;
  description?: string;
  maxAttempts?: number;
  onMaxAttempts?: 'cancel' | 'escalate';
  onIntent?: 'reask' | 'leave';
  slots?: Array<{ name: string }>;
  completion?: { action: string };
  [key: string]: unknown;
}

export interface Issue {
  path: string;
  message: string;
}

export interface Draft {
  baseVersion: number;
  revision: number;
  changed: boolean;
  updatedAt: string | null;
  intents: Intent[];
  flows: Flow[];
  problems: Issue[];
}

export interface Report {
  folds: number;
  accuracy: number;
  fallbackRate: number;
  intents: Array<{
    intent: string;
    phrases: Record<Locale, number>;
    accuracy: number;
    tested: number;
    fallbacks: number;
  }>;
  confusions: Array<{ intents: [string, string]; count: number }>;
  fewPhrases: Array<{ intent: string; language: Locale; count: number; minimum: number }>;
  duplicates: Array<{ phrase: string; intents: string[] }>;
}

/** A published version as the server lists it (src/features/catalogue/schemas.ts). */
export type VersionItem = z.output<typeof versionItem>;

export interface VersionDiff {
  version: number;
  previous: number | null;
  intents: {
    added: Array<{ name: string }>;
    removed: Array<{ name: string }>;
    changed: Array<{ name: string; fields: string[] }>;
  };
  flows: { added: string[]; removed: string[]; changed: Array<{ name: string }> };
}

export interface ChatTurn {
  sessionId: string;
  replies: Array<{ text: string; quickReplies?: Array<{ title: string; payload: string }> }>;
  nlu: { intent: string | null; confidence: number; language: Locale };
  effects: Array<{ type: string }>;
}

export interface TestResult {
  intent: string | null;
  confidence: number;
  language: Locale;
  alternatives: Array<{ intent: string; confidence: number }>;
}

export interface FaqReport {
  created: string[];
  updated: string[];
  rows: Array<{
    line: number;
    intent: string;
    status: 'created' | 'updated' | 'error';
    errors?: Issue[];
  }>;
}

export interface UnansweredGroup {
  id: string;
  count: number;
  language: Locale;
  examples: Array<{ id: string; text: string; at: string }>;
  messageIds: string[];
  closestIntent: { intent: string; confidence: number } | null;
}

export interface UnansweredList {
  truncated: boolean;
  scanned: number;
  groups: UnansweredGroup[];
}

export const getDraft = () => api<Draft>('/api/catalogue/draft');
export const putDefinition = (kind: 'intents' | 'flows', name: string, body: unknown) =>
  api<Draft>(`/api/catalogue/draft/${kind}/${encodeURIComponent(name)}`, { method: 'PUT', body });
export const deleteDefinition = (kind: 'intents' | 'flows', name: string) =>
  api<Draft>(`/api/catalogue/draft/${kind}/${encodeURIComponent(name)}`, { method: 'DELETE' });
export const validateDefinition = (kind: 'intent' | 'flow', definition: unknown) =>
  api<{ ok: boolean; details: Issue[] }>('/api/catalogue/draft/validate', {
    method: 'POST',
    body: { kind, definition },
  });
export const testDraft = (text: string) =>
  api<TestResult>('/api/catalogue/draft/test', { method: 'POST', body: { text } });
export const chatWithDraft = (text: string, sessionId?: string) =>
  api<ChatTurn>('/api/catalogue/draft/chat', { method: 'POST', body: { text, sessionId } });
export const publish = () =>
  api<{ version: number; report: Report }>('/api/catalogue/publish', { method: 'POST' });
export const listVersions = () => api<VersionItem[]>('/api/catalogue/versions');
export const versionDiff = (version: number) =>
  api<VersionDiff>(`/api/catalogue/versions/${version}/diff`);
export const rollback = (version: number) =>
  api<{ version: number }>('/api/catalogue/rollback', { method: 'POST', body: { version } });
export const importFaq = (csv: string) =>
  api<FaqReport>('/api/catalogue/draft/faq-import', {
    method: 'POST',
    text: { content: csv, contentType: 'text/csv' },
  });
export const listUnanswered = (query: Query) =>
  api<UnansweredList>('/api/nlu/unanswered', { query });
export const addUnanswered = (messageIds: string[], intent: string, language: Locale) =>
  api<{ added: number }>('/api/nlu/unanswered/add', {
    method: 'POST',
    body: { messageIds, intent, language },
  });
export const dismissUnanswered = (ids: string[]) =>
  api<{ dismissed: number }>('/api/nlu/unanswered/dismiss', { method: 'POST', body: { ids } });
