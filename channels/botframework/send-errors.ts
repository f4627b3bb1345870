/**
 * Bot Connector failures → ChannelSendError. The connector's HTTP pipeline already retries 429
 * (honouring Retry-After) and 5xx a few times; what still fails here is retried by the outbound
 * queue when transient, and marks the message failed otherwise.
 */
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';

interface RestErrorLike {
  name?: string;
  code?: string;
  statusCode?: number;
  errorCode?: string;
  response?: { status?: number; headers?: { get?(name: string): string | undefined } };
}

/** MSAL answers that mean the app id/password are wrong: retrying will not help. */
const BAD_CREDENTIALS = new Set(['invalid_client', 'unauthorized_client', 'invalid_request']);

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function sendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  const e = (err ?? {}) as RestErrorLike;
  const status = e.statusCode ?? e.response?.status;
  if (status === undefined) {
    // No HTTP answer from the connector: token acquisition or the network failed.
    const code = e.errorCode ?? e.code ?? e.name ?? 'error';
    return new ChannelSendError(`botframework send failed (${code})`, {
      retryable: !BAD_CREDENTIALS.has(code),
    });
  }
  const retryable = status === 429 || status === 408 || status >= 500;
  return new ChannelSendError(`botframework ${status}${e.code ? ` (${e.code})` : ''}`, {
    retryable,
    retryAfterMs: retryable ? retryAfterMs(e.response?.headers?.get?.('retry-after')) : undefined,
    status,
  });
}
