/**
 * SPF, DKIM and DMARC of an inbound mail (mailauth), recorded and never blocking: a DNS lookup
 * that fails or times out gives `temperror`/`none`, and the mail is still delivered. A sender that
 * fails (SPF fail, DKIM fail without a passing signature, DMARC fail) is `suspicious`: marked for
 * staff and not trusted for identity merges.
 */
import { promises as dns } from 'node:dns';
import { authenticate } from 'mailauth';

export interface MailAuthResult {
  spf: string;
  dkim: string;
  dmarc: string;
  suspicious: boolean;
}

const DNS_TIMEOUT_MS = 5_000;

type Resolver = (domain: string, rrtype: string) => Promise<string[][] | string[]>;

/** The system resolver with a timeout: an unreachable DNS costs seconds, never a hang. */
const systemResolver: Resolver = (domain, rrtype) =>
  Promise.race([
    dns.resolve(domain, rrtype) as Promise<string[][] | string[]>,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })),
        DNS_TIMEOUT_MS,
      ).unref(),
    ),
  ]);

export async function checkMailAuth(
  raw: Buffer,
  envelope: { ip?: string; helo?: string; sender?: string; mta: string },
  resolver: Resolver = systemResolver,
): Promise<MailAuthResult> {
  try {
    const result = await authenticate(raw, {
      ip: envelope.ip ?? '127.0.0.1',
      helo: envelope.helo,
      sender: envelope.sender,
      mta: envelope.mta,
      resolver,
      disableArc: true,
      disableBimi: true,
    });
    const spf = result.spf ? result.spf.status.result : 'none';
    const signatures = result.dkim?.results ?? [];
    const dkim = signatures.some((s) => s.status.result === 'pass')
      ? 'pass'
      : (signatures[0]?.status.result ?? 'none');
    const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
    return {
      spf,
      dkim,
      dmarc,
      suspicious: spf === 'fail' || dkim === 'fail' || dmarc === 'fail',
    };
  } catch {
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', suspicious: false };
  }
}
