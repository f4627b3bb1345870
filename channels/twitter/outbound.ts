/**
 * OutboundMessage → X DM text, and X API errors → ChannelSendError. X API v2 DMs have no buttons,
 * so quick replies are offered as a numbered list the customer answers by number or title (see
 * quick-replies.ts for the way back).
 */
import { ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';
import type { QuickReply } from '../../src/kernel/contracts/messages.js';

/** X's limit for one DM. */
export const X_MAX_DM_TEXT = 10_000;
/** Upper bound for a reset hint, so a skewed clock cannot park a message for hours. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

export function dmText(text: string, quickReplies: QuickReply[] | undefined): string {
  const list = (quickReplies ?? []).map((q, i) => `${i + 1}. ${q.title || q.payload}`);
  const full = list.length > 0 ? `${text}\n\n${list.join('\n')}` : text;
  return full.length > X_MAX_DM_TEXT ? `${full.slice(0, X_MAX_DM_TEXT - 1)}…` : full;
}

/** Milliseconds until the x-rate-limit-reset epoch (seconds), at least 1 s. */
export function resetDelayMs(err: ApiResponseError, now = Date.now()): number {
  const header = err.headers?.['x-rate-limit-reset'];
  const reset = err.rateLimit?.reset ?? (typeof header === 'string' ? Number(header) : NaN);
  if (!Number.isFinite(reset)) return 60_000;
  return Math.min(Math.max(reset * 1000 - now, 1000), MAX_RETRY_AFTER_MS);
}

/** 429 → retry at the reset time; 5xx/network → retry; other 4xx → give up. */
export function toSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof ApiResponseError) {
    const detail = err.data?.detail ?? err.data?.title ?? err.data?.error ?? '';
    const message = `x ${err.code}${detail ? `: ${detail}` : ''}`;
    if (err.code === 429) {
      return new ChannelSendError(message, {
        retryable: true,
        retryAfterMs: resetDelayMs(err),
        status: 429,
      });
    }
    return new ChannelSendError(message, { retryable: err.code >= 500, status: err.code });
  }
  if (err instanceof ApiRequestError) {
    return new ChannelSendError(`x request failed: ${err.requestError.message}`, {
      retryable: true,
    });
  }
  const text = err instanceof Error ? err.message : String(err);
  return new ChannelSendError(`x request failed: ${text}`, { retryable: true });
}
