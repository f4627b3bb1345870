/**
 * The orders API's shapes, declared once: the routes validate and document with them, the
 * service returns their types, the console imports the types (console/README.md). A schema file:
 * it imports only zod and other schema files.
 */
import { z } from 'zod';
import { objectId, pageOf, type Endpoints } from '../../http/schemas.js';
import { ORDER_STATUSES } from '../../kernel/vocabulary.js';

/** Orders one POST may carry. */
export const MAX_ORDERS_PER_CALL = 10_000;
export const MAX_ITEMS_PER_ORDER = 500;

const text = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), 'must be an http(s) URL');

export const orderItemInput = z
  .object({
    sku: text(100).optional(),
    name: text(300),
    quantity: z.number().int().min(1).max(1_000_000),
    unitPrice: z.number().min(0).max(1e9).optional(),
  })
  .strict();

/** Who placed the order: at least one of email, phone or the shop's customer id. */
export const orderCustomerInput = z
  .object({
    email: z.email().max(254).optional(),
    /** International form (+34…) is safest; a national number is read with DEFAULT_COUNTRY. */
    phone: z.string().trim().min(5).max(40).optional(),
    externalId: text(200).optional(),
    name: text(200).optional(),
  })
  .strict()
  .refine(
    (c) => c.email !== undefined || c.phone !== undefined || c.externalId !== undefined,
    'needs an email, a phone or an externalId',
  );

export const orderInput = z
  .object({
    /** The shop's id: the same id again updates the order (status, tracking…), never adds one. */
    externalId: text(200),
    /** The number the customer sees, when it differs from the external id. */
    number: text(100).optional(),
    customer: orderCustomerInput,
    placedAt: z.iso.datetime({ offset: true }),
    amount: z.number().min(0).max(1e12),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .transform((v) => v.toUpperCase()),
    status: z.enum(ORDER_STATUSES).default('placed'),
    trackingUrl: httpUrl.nullable().optional(),
    items: z.array(orderItemInput).max(MAX_ITEMS_PER_ORDER).optional(),
  })
  .strict();
export type OrderInput = z.infer<typeof orderInput>;

export const ordersBody = z
  .object({ orders: z.array(orderInput).min(1).max(MAX_ORDERS_PER_CALL) })
  .strict();
export type OrdersBody = z.infer<typeof ordersBody>;

export const ordersImportResponse = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    contactsCreated: z.number().int(),
    baseCurrency: z.string(),
  })
  .meta({ id: 'OrdersImport' });
export type OrdersImportResult = z.infer<typeof ordersImportResponse>;

export const orderItemSchema = z.object({
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number(),
  unitPrice: z.number().nullable(),
});

export const orderSchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    number: z.string(),
    contactId: z.string(),
    placedAt: z.string(),
    amount: z.number(),
    currency: z.string(),
    /** The amount in BASE_CURRENCY. */
    baseAmount: z.number(),
    baseCurrency: z.string(),
    status: z.enum(ORDER_STATUSES),
    trackingUrl: z.string().nullable(),
    items: z.array(orderItemSchema),
    history: z.array(z.object({ at: z.string(), status: z.enum(ORDER_STATUSES) })),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderSchema>;

export const orderListQuery = z.object({
  contactId: objectId,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The order fields a CSV column can feed (the import page's mapping). */
export const CSV_ORDER_FIELDS = [
  'externalId',
  'number',
  'email',
  'phone',
  'customerId',
  'customerName',
  'placedAt',
  'amount',
  'currency',
  'status',
  'trackingUrl',
] as const;
export type CsvOrderField = (typeof CSV_ORDER_FIELDS)[number];

/** Field → the CSV column (header name) it is read from; fields left out are not read. */
export const csvMapping = z.partialRecord(z.enum(CSV_ORDER_FIELDS), z.string().max(200));
export type CsvMapping = z.infer<typeof csvMapping>;

/** The CSV import (console): 32 MB of text at most (the route's body limit). */
export const ordersCsvBody = z
  .object({
    csv: z.string().min(1),
    /** Left out: guessed from the header names (the answer says which). */
    mapping: csvMapping.optional(),
    /** true: check every row and say what would happen; nothing is written. */
    dryRun: z.boolean().default(true),
  })
  .strict();
export type OrdersCsvBody = z.infer<typeof ordersCsvBody>;

export const CSV_ROW_ERROR_CODES = [
  'required',
  'customer_required',
  'invalid_amount',
  'invalid_date',
  'invalid_status',
  'unknown_currency',
  'invalid_phone',
  'invalid_email',
  'invalid_url',
  'duplicate_external_id',
  'invalid',
] as const;

export const csvRowError = z.object({
  /** The line in the file (the header is line 1). */
  line: z.number().int(),
  field: z.enum(CSV_ORDER_FIELDS),
  code: z.enum(CSV_ROW_ERROR_CODES),
  /** The cell as read (at most 80 characters); for a repeated id, the line it first appeared on. */
  value: z.string(),
});
export type CsvRowError = z.infer<typeof csvRowError>;

/** Row errors listed in one answer at most (the count is always complete). */
export const MAX_CSV_ERRORS_SHOWN = 500;

export const ordersCsvResponse = z
  .object({
    dryRun: z.boolean(),
    /** Amounts without a currency column are in it; every amount is also stored in it. */
    baseCurrency: z.string(),
    columns: z.array(z.string()),
    mapping: csvMapping,
    rows: z.number().int(),
    valid: z.number().int(),
    /** Orders whose id is already stored (an import updates them if anything changed). */
    existing: z.number().int(),
    errorCount: z.number().int(),
    errors: z.array(csvRowError),
    /** What the import did (null on a dry run). */
    result: ordersImportResponse.nullable(),
  })
  .meta({ id: 'OrdersCsvImport' });
export type OrdersCsvResult = z.infer<typeof ordersCsvResponse>;

export const orderEndpoints = {
  'GET /api/orders': { query: orderListQuery, response: pageOf(orderSchema) },
  'POST /api/orders': { body: ordersBody, response: ordersImportResponse },
  'POST /api/orders/import': { body: ordersCsvBody, response: ordersCsvResponse },
} as const satisfies Endpoints;
