/** Orders (docs/console-api.md): the CSV import, POST /api/orders/import. Shapes: src/features/orders/schemas.ts. */
import { call } from '../../api/client';
import type { CsvMapping, CsvOrderField } from '../../../../src/features/orders/schemas';

export type {
  CsvMapping,
  CsvOrderField,
  CsvRowError,
  OrdersCsvResult,
} from '../../../../src/features/orders/schemas';

export const importOrdersCsv = (csv: string, mapping: CsvMapping | undefined, dryRun: boolean) =>
  call('POST /api/orders/import', { body: { csv, mapping, dryRun } });

/** The fields a column can feed, in the page's order (typed complete against the server's list). */
const FIELD_SET: Record<CsvOrderField, { required: boolean }> = {
  externalId: { required: true },
  number: { required: false },
  email: { required: false },
  phone: { required: false },
  customerId: { required: false },
  customerName: { required: false },
  placedAt: { required: true },
  amount: { required: true },
  currency: { required: false },
  status: { required: false },
  trackingUrl: { required: false },
};
export const CSV_FIELDS = Object.entries(FIELD_SET).map(([field, v]) => ({
  field: field as CsvOrderField,
  required: v.required,
}));
