/** Analytics API calls (src/features/analytics/routes.ts); shapes from its schema file. */
import { call } from '../../api/client';
import type {
  AnalyticsSummary,
  AnalyticsTimeSeries,
  Figures as ServerFigures,
} from '../../../../src/features/analytics/schemas';
import type { AnalyticsMetric } from '../../../../src/kernel/vocabulary';

export { ANALYTICS_METRICS as METRICS } from '../../../../src/kernel/vocabulary';
/** The channels analytics reports (every customer channel, not the studio sandbox). */
export { ANALYTICS_CHANNELS as CHANNELS } from '../../../../src/kernel/vocabulary';
export type Metric = AnalyticsMetric;
export type Figures = ServerFigures;
export type Summary = AnalyticsSummary;
export type TimeSeries = AnalyticsTimeSeries;

export type AnalyticsFilters = {
  from?: string;
  to?: string;
  channel?: string;
  language?: string;
};

export const getSummary = (f: AnalyticsFilters) => call('GET /api/analytics/summary', { query: f });

export const getSeries = (f: AnalyticsFilters & { metric: Metric; interval: 'day' | 'week' }) =>
  call('GET /api/analytics/timeseries', { query: f });
