/**
 * Structured logging (pino). Secrets and personal data never reach the log: tokens, message
 * texts, emails and phones are redacted by path wherever they appear in a logged object.
 *
 * Two formats: JSON lines (what log collectors read, the default when stdout is a pipe or a file)
 * and pretty lines for a developer's terminal (the default when stdout is a TTY). LOG_FORMAT
 * (config.logFormat) overrides either way. Redaction happens in pino before either format sees the line, so a
 * pretty line hides exactly what a JSON line hides. A line written inside a traced span carries
 * `trace_id` and `span_id` (OpenTelemetry, src/kernel/tracing.ts).
 */
import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import { traceFields } from './tracing.js';

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

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** json or pretty (config's LOG_FORMAT); unset: pretty on a terminal, JSON otherwise. */
  format?: LogFormat;
}

/** The format asked for, else pretty when stdout is a terminal and JSON otherwise. */
export function chooseLogFormat(
  asked: LogFormat | undefined,
  isTerminal: boolean = process.stdout.isTTY === true,
): LogFormat {
  return asked ?? (isTerminal ? 'pretty' : 'json');
}

type PrettyFactory = (options: PrettyOptions) => (line: string) => string;

/**
 * pino-pretty is a devDependency: the production image has none, and logs JSON even when run
 * in a terminal. Loaded on demand so that its absence is a fallback, not a crash.
 */
function loadPrettyFactory(): PrettyFactory | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require('pino-pretty') as { prettyFactory: PrettyFactory }).prettyFactory;
  } catch {
    return undefined;
  }
}

/**
 * A destination that formats each JSON line pino writes, synchronously (as pino's own stdout
 * destination is), so the last lines before process.exit are not lost.
 */
function prettyDestination(
  factory: PrettyFactory,
  out: pino.DestinationStream,
  colorize: boolean,
): pino.DestinationStream {
  const format = factory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return { write: (line: string) => out.write(format(line)) };
}

/**
 * A logger at `level`. With a `destination` (tests capture lines), the format is JSON unless
 * `options.format` asks for pretty; without one, lines go to stdout in the chosen format.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  // Inside a traced span every line carries trace_id and span_id (src/kernel/tracing.ts).
  const base = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: traceFields,
  };
  const format = destination ? (options.format ?? 'json') : chooseLogFormat(options.format);
  if (format === 'json') return pino(base, destination);
  const factory = loadPrettyFactory();
  if (!factory) {
    const logger = pino(base, destination);
    // Said only when pretty was asked for; a terminal alone just gets JSON.
    if (options.format === 'pretty') {
      logger.warn(
        'LOG_FORMAT=pretty needs the pino-pretty package (a devDependency): logging JSON',
      );
    }
    return logger;
  }
  const out = destination ?? pino.destination({ fd: 1, sync: true });
  const colorize = !destination && process.stdout.isTTY === true;
  return pino(base, prettyDestination(factory, out, colorize));
}
export type { Logger };
