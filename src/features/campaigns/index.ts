/**
 * The campaigns feature's public module (issue 21): marketing messages to a saved segment's
 * contacts who agreed to them on the channel and can be reached there. Routes in routes.ts, the
 * shapes in schemas.ts. Other features (sequences) send through `sendMarketingMessage`, which
 * re-checks consent and reachability right before each send and refuses otherwise; build its deps
 * with `marketingDeps(ctx)`.
 */
import type { MailTransport } from '../../kernel/contracts/mail.js';
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Outbox } from '../../pipeline/outbox.js';
import type { OutreachLookup } from '../outreach/index.js';
import { linkKeys } from './links.js';
import { mountCampaignRoutes } from './routes.js';
import type { MarketingDeps } from './send.js';

export { sendMarketingMessage } from './send.js';
export type { MarketingDeps, MarketingInput, MarketingResult } from './send.js';
export type { CampaignChannel, CampaignMessage, ExclusionReason } from './schemas.js';

export type CampaignsContext = KernelContext & {
  mail: MailTransport | undefined;
  outbox: Outbox;
  outreach: OutreachLookup;
};

/** What sendMarketingMessage needs, from a feature's context. */
export function marketingDeps(ctx: CampaignsContext): MarketingDeps {
  const base = ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`;
  return {
    mail: ctx.mail,
    outbox: ctx.outbox,
    outreach: ctx.outreach,
    links: linkKeys(ctx.config.secretKey, base),
  };
}

export interface CampaignsApi {
  /** sendMarketingMessage's deps in this app (tests, scripts). */
  marketing: MarketingDeps;
}

export const campaignsFeature = defineFeature<CampaignsContext, CampaignsApi>({
  name: 'campaigns',
  create(ctx) {
    const marketing = marketingDeps(ctx);
    return {
      api: { marketing },
      mount(server) {
        mountCampaignRoutes(server, ctx.outreach);
      },
    };
  },
});
