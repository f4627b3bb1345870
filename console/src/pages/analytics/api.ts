/** Analytics API calls (src/features/analytics/routes.ts) and their shapes. */
import { api } from '../../api/client';

export const METRICS = [
  'conversations',
  'messagesIn',
  'messagesOut',
  'containmentRate',
  'fallbackRate',
  'escalationRate',
  'medianQueueWaitSeconds',
  'medianFirstStaffReplySeconds',
  'leads',
  'qualifiedLeads',
  'wonLeads',
  'cases',
  'casesResolved',
  'csatAverage',
  'csatResponses',
] as const;
export type Metric = (typeof METRICS)[number];
export type Figures = Record<Metric, number | null>;

export interface Summary extends Figures {
  from: string;
  to: string;
  byChannel: Record<string, Figures>;
  byLanguage: Record<string, Figures>;
  topIntents: Array<{ intent: string; count: number }>;
  topUnanswered: Array<{ text: string; count: number }>;
}

export interface TimeSeries {
  metric: Metric;
  interval: 'day' | 'week';
  points: Array<{ date: string; value: number | null }>;
}

export const CHANNELS = [
  'webchat',
  'whatsapp',
  'whatsapp-web',
  'telegram',
  'twitter',
  'slack',
  'botframework',
] as const;

export type AnalyticsFilters = {
  from?: string;
  to?: string;
  channel?: string;
  language?: string;
};

export const getSummary = (f: AnalyticsFilters) =>
  api<Summary>('/api/analytics/summary', { query: f });

export const getSeries = (f: AnalyticsFilters & { metric: Metric; interval: 'day' | 'week' }) =>
  api<TimeSeries>('/api/analytics/timeseries', { query: f });
