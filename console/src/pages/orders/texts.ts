/** The orders import page's texts in Spanish and English; `useOrdersT()` follows the language switch. */
import { pageTexts, type PageT } from '../../i18n/page-texts';

const en = {
  title: 'Import orders',
  intro:
    'Load a CSV exported from your shop (one order per row, a header row first). Map its columns, check it with a dry run — nothing is saved — and import. Importing the same file again does not duplicate orders: each order id is imported once and later updated. After an import the customer value model is refitted in the background.',
  file: 'CSV file',
  text: 'Or paste the CSV',
  read: 'Read columns',
  mappingTitle: 'Columns',
  mappingHint:
    'Which column holds each field. Order id, date and amount are required, and at least one of email, phone or customer id. Without a currency column, amounts are in {currency}.',
  notMapped: 'Not in the file',
  check: 'Check (dry run)',
  import: 'Import {count} orders',
  importOne: 'Import 1 order',
  checked:
    '{rows} rows: {valid} can be imported ({existing} already imported, updated if changed), {errors} problems.',
  noErrors: 'No problems found. Nothing has been saved yet.',
  errorsTitle: 'Rows with problems',
  errorsMore: 'Showing the first {shown} of {count} problems.',
  line: 'Line',
  field: 'Field',
  problem: 'Problem',
  value: 'Value',
  done: 'Imported: {created} new, {updated} updated, {unchanged} unchanged; {contacts} new contacts.',
  refit: 'The customer value model will be refitted in a moment.',
  changed: 'The file or the columns changed: check again before importing.',
  'field.externalId': 'Order id',
  'field.number': 'Order number (customer-facing)',
  'field.email': 'Customer email',
  'field.phone': 'Customer phone',
  'field.customerId': 'Shop customer id',
  'field.customerName': 'Customer name',
  'field.placedAt': 'Placed at',
  'field.amount': 'Amount',
  'field.currency': 'Currency',
  'field.status': 'Status',
  'field.trackingUrl': 'Tracking link',
  'code.required': 'Missing',
  'code.customer_required': 'Needs an email, a phone or a customer id',
  'code.invalid_amount': 'Not an amount',
  'code.invalid_date':
    'Not a date (use 2026-11-02 or 2026-11-02 10:30, UTC unless an offset is given)',
  'code.invalid_status': 'Unknown status (placed, shipped, delivered, cancelled, returned)',
  'code.unknown_currency': 'No exchange rate for this currency',
  'code.invalid_phone': 'Not a valid phone number',
  'code.invalid_email': 'Not a valid email',
  'code.invalid_url': 'Not an http(s) link',
  'code.duplicate_external_id': 'The same order id again (first on line {value})',
  'code.invalid': 'Not valid',
};

export type OrdersKey = keyof typeof en;

const es: Record<OrdersKey, string> = {
  title: 'Importar pedidos',
  intro:
    'Carga un CSV exportado de tu tienda (un pedido por fila, con una fila de cabecera). Asigna sus columnas, compruébalo con una prueba —no se guarda nada— e impórtalo. Importar el mismo archivo otra vez no duplica pedidos: cada id de pedido se importa una vez y después se actualiza. Tras importar, el modelo de valor de cliente se vuelve a ajustar en segundo plano.',
  file: 'Archivo CSV',
  text: 'O pega el CSV',
  read: 'Leer columnas',
  mappingTitle: 'Columnas',
  mappingHint:
    'Qué columna contiene cada dato. Son obligatorios el id del pedido, la fecha y el importe, y al menos uno de correo, teléfono o id de cliente. Sin columna de moneda, los importes están en {currency}.',
  notMapped: 'No está en el archivo',
  check: 'Comprobar (prueba)',
  import: 'Importar {count} pedidos',
  importOne: 'Importar 1 pedido',
  checked:
    '{rows} filas: {valid} se pueden importar ({existing} ya importados, se actualizan si cambiaron), {errors} problemas.',
  noErrors: 'No hay problemas. Todavía no se ha guardado nada.',
  errorsTitle: 'Filas con problemas',
  errorsMore: 'Se muestran los primeros {shown} de {count} problemas.',
  line: 'Línea',
  field: 'Campo',
  problem: 'Problema',
  value: 'Valor',
  done: 'Importado: {created} nuevos, {updated} actualizados, {unchanged} sin cambios; {contacts} contactos nuevos.',
  refit: 'El modelo de valor de cliente se volverá a ajustar en un momento.',
  changed: 'El archivo o las columnas han cambiado: vuelve a comprobar antes de importar.',
  'field.externalId': 'Id del pedido',
  'field.number': 'Número de pedido (el que ve el cliente)',
  'field.email': 'Correo del cliente',
  'field.phone': 'Teléfono del cliente',
  'field.customerId': 'Id de cliente en la tienda',
  'field.customerName': 'Nombre del cliente',
  'field.placedAt': 'Fecha del pedido',
  'field.amount': 'Importe',
  'field.currency': 'Moneda',
  'field.status': 'Estado',
  'field.trackingUrl': 'Enlace de seguimiento',
  'code.required': 'Falta',
  'code.customer_required': 'Necesita un correo, un teléfono o un id de cliente',
  'code.invalid_amount': 'No es un importe',
  'code.invalid_date':
    'No es una fecha (usa 2026-11-02 o 2026-11-02 10:30, UTC salvo que indique zona)',
  'code.invalid_status':
    'Estado desconocido (placed, shipped, delivered, cancelled, returned o enviado, entregado…)',
  'code.unknown_currency': 'No hay tipo de cambio para esta moneda',
  'code.invalid_phone': 'No es un teléfono válido',
  'code.invalid_email': 'No es un correo válido',
  'code.invalid_url': 'No es un enlace http(s)',
  'code.duplicate_external_id': 'El mismo id de pedido otra vez (primero en la línea {value})',
  'code.invalid': 'No es válido',
};

export type OrdersT = PageT<OrdersKey>;

export const useOrdersT = pageTexts<OrdersKey>(en, es);
