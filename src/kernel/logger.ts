/**
 * Structured logging (pino). Secrets and personal data never reach the log: tokens, message
 * texts, emails and phones are redacted by path wherever they appear in a logged object.
 */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-slack-signature"]',
  'text',
  '*.text',
  'email',
  '*.email',
  'phone',
  '*.phone',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
export type { Logger };
