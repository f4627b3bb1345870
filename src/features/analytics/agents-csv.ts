/** The agent report as a CSV file (csv-stringify quotes; a UTF-8 BOM so spreadsheets read accents). */
import { stringify } from 'csv-stringify/sync';
import type { AgentReport } from './schemas.js';

const HEADERS = {
  en: [
    'type',
    'name',
    'conversations handled',
    'median first response (s)',
    'median resolution (s)',
    'CSAT average',
    'CSAT responses',
  ],
  es: [
    'tipo',
    'nombre',
    'conversaciones atendidas',
    'mediana primera respuesta (s)',
    'mediana resolución (s)',
    'CSAT medio',
    'respuestas CSAT',
  ],
} as const;
const KINDS = { en: { agent: 'agent', team: 'team' }, es: { agent: 'agente', team: 'equipo' } };

/** A name a spreadsheet would run as a formula gets an apostrophe first. */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function agentReportCsv(report: AgentReport, locale: 'es' | 'en'): string {
  const rows = [...report.agents, ...report.teams].map((r) => [
    KINDS[locale][r.kind],
    safe(r.name),
    r.handled,
    r.medianFirstResponseSeconds ?? '',
    r.medianResolutionSeconds ?? '',
    r.csatAverage ?? '',
    r.csatResponses,
  ]);
  return `\uFEFF${stringify([[...HEADERS[locale]], ...rows], { record_delimiter: '\r\n' })}`;
}
