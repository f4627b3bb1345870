/**
 * Where webhooks may connect: public unicast addresses only, unless the admin's allow-list
 * (WEBHOOK_ALLOW_HOSTS) names the host or a range holding the address. Refused: loopback, private
 * (10/8, 172.16/12, 192.168/16), link-local (169.254/16 with the cloud metadata address,
 * fe80::/10), unique-local (fc00::/7), CGNAT (100.64/10), unspecified (0.0.0.0, ::), multicast,
 * broadcast, reserved and documentation ranges, and IPv6 forms that carry an IPv4 address
 * (`::ffff:a.b.c.d`, NAT64, 6to4, Teredo) — judged by the IPv4 inside where there is one. The
 * ranges are ipaddr.js's. Spellings such as `0x7f000001`, `2130706433` or `0177.0.0.1` are
 * normalised by the URL parser before they get here.
 *
 * Checked twice: when a webhook is saved (`checkUrl`: every address the host resolves to must be
 * allowed) and on every connection (`lookup` for the socket, plus the connected socket's remote
 * address), so a name that resolves elsewhere later (DNS rebinding) is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { WebhookAllowList } from '../../kernel/config/webhook-allow-hosts.js';
import { invalid } from '../../kernel/errors.js';

export interface AddressPolicy {
  /** Whether a connection to `address` (for the URL host `host`) is allowed. */
  allows(address: string, host: string): boolean;
  /** A `lookup` for http(s).request that resolves `host` and lets only allowed addresses through. */
  lookup: typeof dnsLookup;
  /** 400 `webhook_url_refused` unless every address of the URL's host is allowed. */
  checkUrl(url: string): Promise<void>;
}

/** An error a refused connection fails with (code `EWEBHOOKREFUSED`): recorded as "refused". */
export class AddressRefusedError extends Error {
  readonly code = 'EWEBHOOKREFUSED';
  constructor() {
    super('refused: not a public address');
  }
}

/** The URL's host as Node connects to it: lower case, IPv6 without brackets, no final dot. */
export const hostOf = (url: URL) =>
  url.hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');

/** Public unicast, judged by the IPv4 address inside an IPv6 one that carries it. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

const refusedUrl = () =>
  invalid(
    'webhook_url_refused',
    'The URL must reach a public address; private, loopback, link-local and metadata addresses are refused unless WEBHOOK_ALLOW_HOSTS names them.',
  );

/** Resolves a host name to all its addresses (dns.lookup; tests pass a rebinding one). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, found) => (err ? reject(err) : resolve(found))),
  );

export function createAddressPolicy(
  allow: WebhookAllowList,
  resolve: Resolver = systemResolver,
): AddressPolicy {
  const ranges = allow.cidrs.map((c) => ipaddr.parseCIDR(c));
  const hosts = new Set(allow.hosts);
  const inRanges = (address: string) => {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.process(address); // ::ffff:a.b.c.d → a.b.c.d
    return ranges.some(([net, bits]) => parsed.kind() === net.kind() && parsed.match(net, bits));
  };
  const allows = (address: string, host: string) =>
    isPublicAddress(address) ||
    hosts.has(host.toLowerCase().replace(/\.$/, '')) ||
    inRanges(address);

  const lookup = ((hostname: string, options: unknown, callback: unknown) => {
    const cb = (typeof options === 'function' ? options : callback) as (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    const opts = (typeof options === 'object' && options ? options : {}) as {
      all?: boolean;
      family?: number | string;
    };
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : Number(opts.family);
    resolve(hostname).then(
      (addresses) => {
        const allowed = addresses.filter(
          (a) => allows(a.address, hostname) && (!family || a.family === family),
        );
        if (allowed.length === 0) return cb(new AddressRefusedError(), opts.all ? [] : '', 0);
        if (opts.all) return cb(null, allowed);
        return cb(null, allowed[0]!.address, allowed[0]!.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, opts.all ? [] : '', 0),
    );
  }) as typeof dnsLookup;

  return {
    allows,
    lookup,
    async checkUrl(url) {
      const host = hostOf(new URL(url));
      if (hosts.has(host)) return;
      const addresses = isIP(host)
        ? [host]
        : await resolve(host).then(
            (found) => found.map((a) => a.address),
            () => [],
          );
      if (addresses.length === 0) {
        throw invalid('webhook_url_unresolvable', "The URL's host name does not resolve.");
      }
      if (!addresses.every((a) => allows(a, host))) throw refusedUrl();
    },
  };
}
