/** The revenue report per day as a CSV file (like agents.csv: csv-stringify, a UTF-8 BOM, CRLF). */
import { stringify } from 'csv-stringify/sync';
import type { RevenueReport } from './schemas.js';

const HEADERS = {
  en: [
    'date',
    'orders',
    'revenue',
    'campaign orders',
    'campaign revenue',
    'conversation orders',
    'conversation revenue',
    'unattributed orders',
    'unattributed revenue',
    'currency',
  ],
  es: [
    'fecha',
    'pedidos',
    'ingresos',
    'pedidos por campaña',
    'ingresos por campaña',
    'pedidos por conversación',
    'ingresos por conversación',
    'pedidos sin atribuir',
    'ingresos sin atribuir',
    'moneda',
  ],
} as const;

const cents = (x: number) => Math.round(x * 100) / 100;

export function revenueCsv(report: RevenueReport, locale: 'es' | 'en'): string {
  const rows = report.perDay.map((d) => [
    d.date,
    d.orders,
    d.revenue,
    d.campaignOrders,
    d.campaignRevenue,
    d.conversationOrders,
    d.conversationRevenue,
    d.orders - d.campaignOrders - d.conversationOrders,
    cents(d.revenue - d.campaignRevenue - d.conversationRevenue),
    report.currency,
  ]);
  return `\uFEFF${stringify([[...HEADERS[locale]], ...rows], { record_delimiter: '\r\n' })}`;
}
