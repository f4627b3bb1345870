/**
 * One HTTP attempt of a delivery: POST with a timeout, redirects never followed (a 3xx is a
 * failure that names the location's host, so a URL cannot be bounced to another host), and the
 * outcome classified: delivered (2xx), retryable (5xx, 408, 429, network errors, timeouts) or
 * refused for good (any other 4xx, a redirect).
 */
export interface Attempt {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retryable' | 'refused'; statusCode?: number; error: string };

const RETRYABLE_4XX = new Set([408, 429]);

function classify(res: Response): AttemptOutcome {
  const statusCode = res.status;
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  if (statusCode >= 300 && statusCode < 400) {
    let host = 'unknown';
    try {
      host = new URL(res.headers.get('location') ?? '', 'http://x').host || host;
    } catch {
      // an unparsable Location: keep 'unknown'
    }
    return { kind: 'refused', statusCode, error: `redirect_not_followed:${host}` };
  }
  if (statusCode >= 400 && statusCode < 500 && !RETRYABLE_4XX.has(statusCode)) {
    return { kind: 'refused', statusCode, error: `http_${statusCode}` };
  }
  return { kind: 'retryable', statusCode, error: `http_${statusCode}` };
}

export async function attemptDelivery(a: Attempt): Promise<AttemptOutcome> {
  try {
    const res = await fetch(a.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...a.headers },
      body: a.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(a.timeoutMs),
    });
    // Read (and drop) the answer so the connection is released; its content is not kept.
    await res.arrayBuffer().catch(() => undefined);
    return classify(res);
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { kind: 'retryable', error: 'timeout' };
    }
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { kind: 'retryable', error: `network_error${cause ? `:${cause}` : ''}` };
  }
}
