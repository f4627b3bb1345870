/**
 * The campaigns feature's public module (issue 21): marketing messages to a saved segment's
 * contacts who agreed to them on the channel and can be reached there, each recipient exactly
 * once, tracked to the reply and the lead. Routes in routes.ts and sending-routes.ts, the public
 * links in public-routes.ts, the shapes in schemas.ts. Other features (sequences) send through
 * `sendMarketingMessage`, which re-checks consent and reachability right before each send and
 * refuses otherwise; build its deps with `marketingDeps(ctx)`.
 */
import type { TemplateSender } from '../../kernel/contracts/channel-adapter.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Outbox } from '../../pipeline/outbox.js';
import type { OutreachLookup } from '../outreach/index.js';
import { linkKeys } from './links.js';
import { mountPublicLinkRoutes } from './public-routes.js';
import {
  createCampaignQueues,
  createCampaignWorkers,
  DEFAULT_RATES,
  type CampaignQueues,
  type SendChannel,
} from './queue.js';
import { mountCampaignRoutes } from './routes.js';
import { mountOngoingRoutes } from './ongoing-routes.js';
import type { MarketingDeps } from './send.js';
import { runSend, runStart, sweep, type SenderDeps } from './sending.js';
import { mountSendingRoutes } from './sending-routes.js';
import { onConsentWithdrawn, onLeadCreated, onReceipt, onTurn } from './tracking.js';

export { sendMarketingMessage } from './send.js';
export type { MarketingDeps, MarketingInput, MarketingResult } from './send.js';
export type { CampaignChannel, CampaignMessage, ExclusionReason } from './schemas.js';
export { isStopKeyword } from './tracking.js';
export { campaignTouches, type CampaignTouch } from './touches.js';

export interface CampaignOptions {
  /** Messages per second per channel, all instances together (default DEFAULT_RATES). */
  ratePerSecond?: Partial<Record<SendChannel, number>>;
  /** How long a claimed send may stay unfinished before it counts as interrupted (5 min). */
  leaseMs?: number;
  /** How often worker instances run the recovery sweep (60 s). */
  sweepIntervalMs?: number;
}

export type CampaignsContext = KernelContext & {
  mail: MailTransport | undefined;
  outbox: Outbox;
  outreach: OutreachLookup;
  /** A channel's approved message templates (WhatsApp Cloud), from its adapter. */
  templates: (channel: ChannelId) => TemplateSender | undefined;
  options: { campaigns?: CampaignOptions };
};

/** What sendMarketingMessage needs, from a feature's context. */
export function marketingDeps(ctx: Omit<CampaignsContext, 'options'>): MarketingDeps {
  const base = ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`;
  return {
    mail: ctx.mail,
    outbox: ctx.outbox,
    outreach: ctx.outreach,
    links: linkKeys(ctx.config.secretKey, base),
    templates: () => ctx.templates('whatsapp'),
  };
}

export interface CampaignsApi {
  /** sendMarketingMessage's deps in this app (tests, scripts). */
  marketing: MarketingDeps;
  queues: CampaignQueues;
  /** Runs the recovery sweep now (tests, the chaos scenario). */
  sweep(): Promise<void>;
}

export const campaignsFeature = defineFeature<CampaignsContext, CampaignsApi>({
  name: 'campaigns',
  create(ctx) {
    const marketing = marketingDeps(ctx);
    const queues = createCampaignQueues(ctx.redis, ctx.config.queuePrefix, ctx.install.installId);
    const opts = ctx.options.campaigns ?? {};
    const sender: SenderDeps = {
      queues,
      marketing,
      lookup: ctx.outreach,
      bus: ctx.bus,
      logger: ctx.logger,
      leaseMs: opts.leaseMs ?? 5 * 60_000,
      defaultTimeZone: ctx.config.defaultTimeZone,
    };
    let timer: NodeJS.Timeout | undefined;
    const runSweep = () =>
      sweep(sender).catch((err: unknown) => ctx.logger.warn({ err }, 'campaign sweep failed'));
    return {
      api: { marketing, queues, sweep: () => sweep(sender) },
      mount(server) {
        mountOngoingRoutes(server);
        mountCampaignRoutes(server, ctx.outreach, () => ctx.templates('whatsapp'));
        mountSendingRoutes(server, sender);
        mountPublicLinkRoutes(server, { keys: marketing.links, bus: ctx.bus });
      },
      subscriptions: {
        'conversation.turn': ({ conversation, messageId, text, at }) =>
          onTurn(ctx.bus, conversation, messageId, { text, at }),
        'lead.created': async ({ lead }) => {
          if (lead.contactId) await onLeadCreated(ctx.bus, lead.contactId);
        },
        'message.receipt': (receipt) => onReceipt(ctx.bus, receipt),
        'contact.consent_changed': async ({ contactId, granted }) => {
          if (!granted) await onConsentWithdrawn(ctx.bus, contactId);
        },
      },
      startWorkers(host) {
        const workers = createCampaignWorkers({
          connection: ctx.redis,
          prefix: ctx.config.queuePrefix,
          install: ctx.install,
          logger: ctx.logger,
          rates: { ...DEFAULT_RATES, ...opts.ratePerSecond },
          start: (job) => runStart(sender, job),
          send: (job, token) => runSend(sender, job, token),
        });
        for (const w of workers) host(w);
        timer = setInterval(runSweep, opts.sweepIntervalMs ?? 60_000);
        timer.unref();
        void runSweep();
      },
      async stop() {
        if (timer) clearInterval(timer);
        await queues.close();
      },
    };
  },
});
