/** The value page's calls (docs/console-api.md, "Customer value"). Shapes: src/features/value/schemas.ts. */
import { call, isApiError } from '../../api/client';

export const getModel = () => call('GET /api/value/model');
export const getOverview = () => call('GET /api/value/overview', { query: { top: 10 } });
export const getAtRisk = () => call('GET /api/value/at-risk', { query: { limit: 50 } });
export const getBacktest = (calibrationEnd?: string, holdoutEnd?: string) =>
  call('GET /api/value/backtest', {
    query: {
      ...(calibrationEnd ? { calibrationEnd } : {}),
      ...(holdoutEnd ? { holdoutEnd } : {}),
    },
  });
/** The lead propensity model; null before its first run (404). */
export const getPropensity = () =>
  call('GET /api/value/propensity').catch((e: unknown) => {
    if (isApiError(e, 404)) return null;
    throw e;
  });
