/**
 * WEBHOOK_ALLOW_HOSTS: the admin's exceptions to "webhooks only reach public addresses" (a
 * receiver on the private network). A comma list of host names (`crm.internal`, matched exactly,
 * any case), addresses (`10.0.0.5`, `::1`) or CIDR ranges (`10.20.0.0/16`, `fd00::/8`). Parsed
 * once at start-up; a value it cannot read stops start-up naming the entry.
 */
import ipaddr from 'ipaddr.js';

export interface WebhookAllowList {
  /** Host names as written in a webhook URL (lower case). */
  hosts: string[];
  /** Addresses and ranges, as `address/prefix` (a single address: the full prefix). */
  cidrs: string[];
}

export const EMPTY_ALLOW_LIST: WebhookAllowList = { hosts: [], cidrs: [] };

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

export function parseWebhookAllowHosts(value: string | undefined): WebhookAllowList {
  const list: WebhookAllowList = { hosts: [], cidrs: [] };
  for (const raw of (value ?? '').split(',')) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (!entry) continue;
    if (entry.includes('/')) {
      try {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        list.cidrs.push(`${addr.toString()}/${bits}`);
      } catch {
        throw new Error(`WEBHOOK_ALLOW_HOSTS: "${entry}" is not a CIDR range`);
      }
    } else if (ipaddr.isValid(entry) && /^[0-9a-f.:]+$/.test(entry)) {
      const addr = ipaddr.parse(entry);
      list.cidrs.push(`${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}`);
    } else if (HOST_NAME.test(entry) && !/^[0-9.]+$/.test(entry)) {
      list.hosts.push(entry);
    } else {
      throw new Error(`WEBHOOK_ALLOW_HOSTS: "${entry}" is not a host name, address or CIDR range`);
    }
  }
  return list;
}
