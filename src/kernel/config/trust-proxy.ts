/**
 * TRUST_PROXY → fastify's `trustProxy`. Which hops may set X-Forwarded-For decides what `req.ip`
 * is, and with it every per-client limit and log line: trusting any client would let it pick its
 * own IP (and a fresh rate-limit budget) per request.
 *   unset, '' or 'false' → false: X-Forwarded-For is ignored, req.ip is the socket's peer
 *   'true'               → true: every hop is trusted (only behind a proxy that overwrites XFF)
 *   '<n>'                → the n nearest hops are trusted (0 = none)
 *   'a,b,…'              → the listed proxies: IPs, CIDRs, or proxy-addr's names
 *                          loopback | linklocal | uniquelocal
 */
import { isIP } from 'node:net';

export type TrustProxy = boolean | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validProxyEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Throws an Error naming the bad entry; config.ts turns it into a ConfigError. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops === 0 ? false : hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !validProxyEntry(e));
  if (bad !== undefined) {
    throw new Error(
      `TRUST_PROXY: "${bad}" is not an IP, a CIDR or loopback|linklocal|uniquelocal ` +
        '(or use true, false or a hop count)',
    );
  }
  return entries;
}
