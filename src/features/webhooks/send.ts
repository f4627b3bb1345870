/**
 * One HTTP attempt of a delivery: POST with a timeout, over a connection the address policy
 * (address-policy.ts) vets — its `lookup` resolves the host and passes only allowed addresses,
 * and the connected socket's remote address is checked again before a byte is sent, so neither an
 * address literal nor DNS rebinding reaches a refused address. Redirects are never followed. The
 * outcome is classified: delivered (2xx), retryable (5xx, 408, 429, timeouts, network failures)
 * or refused for good (a refused address, any other 4xx, a redirect). What is recorded never
 * names a host, an address, a port or a socket error: `refused`, `failed`, `timeout`,
 * `redirect_not_followed` or `http_<status>`, so the delivery log cannot map a network.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { AddressRefusedError, hostOf, type AddressPolicy } from './address-policy.js';

export interface Attempt {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: AddressPolicy;
}

export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retryable' | 'refused'; statusCode?: number; error: string };

const RETRYABLE_4XX = new Set([408, 429]);

function classify(statusCode: number): AttemptOutcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  if (statusCode >= 300 && statusCode < 400) {
    return { kind: 'refused', statusCode, error: 'redirect_not_followed' };
  }
  if (statusCode >= 400 && statusCode < 500 && !RETRYABLE_4XX.has(statusCode)) {
    return { kind: 'refused', statusCode, error: `http_${statusCode}` };
  }
  return { kind: 'retryable', statusCode, error: `http_${statusCode}` };
}

/** Destroys the socket unless the address it connected to is allowed (literals skip `lookup`). */
function vetSocket(socket: Socket, policy: AddressPolicy, host: string): void {
  const check = () => {
    const remote = socket.remoteAddress;
    if (!remote || !policy.allows(remote, host)) socket.destroy(new AddressRefusedError());
  };
  if (socket.remoteAddress) check();
  else socket.once('connect', check);
}

function post(a: Attempt, signal: AbortSignal): Promise<number> {
  const url = new URL(a.url);
  const host = hostOf(url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // An address literal is connected to without a lookup: vetted here, before any connection.
  if (isIP(host) && !a.policy.allows(host, host)) return Promise.reject(new AddressRefusedError());
  return new Promise<number>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(a.body)),
        ...a.headers,
      },
      agent: false,
      lookup: a.policy.lookup,
      signal,
    });
    req.on('socket', (socket: Socket) => vetSocket(socket, a.policy, host));
    req.on('response', (res: IncomingMessage) => {
      // Read (and drop) the answer so the connection is released; its content is not kept.
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(a.body);
  });
}

export async function attemptDelivery(a: Attempt): Promise<AttemptOutcome> {
  const signal = AbortSignal.timeout(a.timeoutMs);
  try {
    return classify(await post(a, signal));
  } catch (err) {
    if (err instanceof AddressRefusedError) return { kind: 'refused', error: 'refused' };
    if (signal.aborted) return { kind: 'retryable', error: 'timeout' };
    return { kind: 'retryable', error: 'failed' };
  }
}
