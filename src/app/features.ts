/**
 * The back office, third step of `createCharla`: one list of feature modules (like the channel
 * adapters' ADAPTER_FACTORIES), created with one context, then mounted, subscribed to the event
 * bus, started and — where ROLE runs workers — given their workers. Adding a feature is one
 * import and one line in FEATURES.
 */
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Feature, FeatureModule, KernelContext } from '../kernel/contracts/feature.js';
import type { Escalator } from '../kernel/contracts/escalation.js';
import type { ReplyCheck, TemplateSender } from '../kernel/contracts/channel-adapter.js';
import type { ChannelId } from '../kernel/contracts/messages.js';
import { subscribeAll } from '../kernel/events.js';
import type { CaseSlaSettings, SlaKind } from '../kernel/time/sla.js';
import { analyticsFeature, type AnalyticsApi } from '../features/analytics/index.js';
import { assignmentFeature, type AssignmentApi } from '../features/assignment/index.js';
import { authFeature } from '../features/auth/index.js';
import { campaignsFeature, type CampaignsApi } from '../features/campaigns/index.js';
import { sequencesFeature, type SequencesApi } from '../features/sequences/index.js';
import { cannedRepliesFeature } from '../features/canned-replies/index.js';
import { casesFeature } from '../features/cases/index.js';
import { catalogueFeature } from '../features/catalogue/index.js';
import { contactsFeature } from '../features/contacts/index.js';
import { conversationsFeature } from '../features/conversations/index.js';
import { searchFeature } from '../features/search/index.js';
import { ordersFeature } from '../features/orders/index.js';
import { propensityFeature } from '../features/propensity/index.js';
import { valueFeature, type ValueJobs } from '../features/value/index.js';
import { leadsFeature } from '../features/leads/index.js';
import { outreachFeature, replyRefusal, type OutreachLookup } from '../features/outreach/index.js';
import type { Scoring } from '../features/leads/scoring/queue.js';
import { webhooksFeature, type Webhooks } from '../features/webhooks/index.js';
import type { Cleanups } from './cleanups.js';
import type { Infrastructure } from './infrastructure.js';
import type { CreateOptions } from './options.js';
import type { Pipeline } from './pipeline.js';

/** Everything a feature may be given: each module takes the part it declares. */
export interface FeatureContext extends KernelContext, Infrastructure {
  outbox: Pipeline['outbox'];
  catalogue: Pipeline['catalogue'];
  nlu: Pipeline['nlu'];
  escalator: Escalator;
  caseSla: CaseSlaSettings;
  alertStaff: (caseId: string, kind: SlaKind) => Promise<void>;
  options: CreateOptions;
  /** Each channel's outreach rule (issue 19.3), from its adapter; off when not configured. */
  outreach: OutreachLookup;
  /** The console reply's channel check (the outreach rules, given to the conversations feature). */
  replyCheck: ReplyCheck;
  /** A channel's approved message templates (WhatsApp Cloud), from its adapter. */
  templates: (channel: ChannelId) => TemplateSender | undefined;
}

/** The back-office features, in mounting order (auth first: it decorates the server). */
export const FEATURES = [
  authFeature,
  webhooksFeature,
  leadsFeature,
  contactsFeature,
  casesFeature,
  catalogueFeature,
  analyticsFeature,
  conversationsFeature,
  ordersFeature,
  outreachFeature,
  valueFeature,
  propensityFeature,
  cannedRepliesFeature,
  assignmentFeature,
  campaignsFeature,
  searchFeature,
  sequencesFeature,
] as const satisfies ReadonlyArray<FeatureModule<FeatureContext, unknown>>;

/** What the app and the tests reach of the features (CharlaServices). */
export interface FeatureApis {
  webhooks: Webhooks;
  scoring: Scoring;
  analytics: AnalyticsApi;
  value: ValueJobs;
  assignment: AssignmentApi;
  campaigns: CampaignsApi;
  sequences: SequencesApi;
}

export interface RunningFeatures {
  all: Feature[];
  apis: FeatureApis;
}

export function featureContext(
  infra: Infrastructure,
  pipeline: Pipeline,
  logger: Logger,
  options: CreateOptions,
): FeatureContext {
  const { escalator, alertCase } = pipeline.escalation.api;
  const outreach: OutreachLookup = (channel) => {
    const adapter = pipeline.adapters.get(channel);
    return adapter ? { configured: true, rule: adapter.outreach } : { configured: false };
  };
  return {
    ...infra,
    logger,
    slack: pipeline.slack,
    outbox: pipeline.outbox,
    catalogue: pipeline.catalogue,
    nlu: pipeline.nlu,
    escalator,
    // New cases get deadlines from CASE_SLA; the clock pauses outside BUSINESS_HOURS.
    caseSla: { policy: infra.config.caseSla, hours: escalator.businessHours },
    alertStaff: alertCase,
    options,
    outreach,
    replyCheck: (c) => replyRefusal(c, outreach, new Date()),
    templates: (channel) => pipeline.adapters.get(channel)?.templates,
  };
}

/** Creates every feature of FEATURES and subscribes it to the bus; stops are registered. */
export async function createFeatures(
  ctx: FeatureContext,
  cleanups: Cleanups,
  first: Feature[] = [],
): Promise<RunningFeatures> {
  const created = new Map<string, Feature>();
  for (const module of FEATURES as ReadonlyArray<FeatureModule<FeatureContext, unknown>>) {
    created.set(module.name, await module.create(ctx));
  }
  const all = [...first, ...created.values()];
  for (const feature of all) {
    if (feature.stop) cleanups.add(feature.stop);
    if (!feature.subscriptions) continue;
    const unsubscribe = subscribeAll(ctx.bus, feature.subscriptions);
    cleanups.add(async () => unsubscribe());
  }
  const api = <T>(name: string) => created.get(name)!.api as T;
  return {
    all,
    apis: {
      webhooks: api<Webhooks>('webhooks'),
      scoring: api<Scoring>('leads'),
      analytics: api<AnalyticsApi>('analytics'),
      value: api<ValueJobs>('value'),
      assignment: api<AssignmentApi>('assignment'),
      campaigns: api<CampaignsApi>('campaigns'),
      sequences: api<SequencesApi>('sequences'),
    },
  };
}

export async function mountFeatures(features: Feature[], server: FastifyInstance): Promise<void> {
  for (const feature of features) await feature.mount?.(server);
  for (const feature of features) await feature.start?.();
}

/** Starts every feature's jobs and workers; their BullMQ workers join `workers`. */
export async function startFeatureWorkers(features: Feature[], workers: Worker[]): Promise<void> {
  for (const feature of features) await feature.startWorkers?.((w) => workers.push(w));
}
