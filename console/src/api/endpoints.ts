/**
 * Every call the console makes, keyed `METHOD /path` as the server declares it in each feature's
 * schema file (src/features/<x>/schemas.ts). Only types cross over: the console bundles no server
 * code and no zod. A call to a route missing here does not compile.
 */
import type { z } from 'zod';
import type { analyticsEndpoints } from '../../../src/features/analytics/schemas';
import type { assignmentEndpoints } from '../../../src/features/assignment/schemas';
import type { authEndpoints } from '../../../src/features/auth/schemas';
import type { campaignEndpoints, ongoingEndpoints } from '../../../src/features/campaigns/schemas';
import type { cannedEndpoints } from '../../../src/features/canned-replies/schemas';
import type { ssoEndpoints } from '../../../src/features/auth/sso/schemas';
import type { twoFactorEndpoints } from '../../../src/features/auth/two-factor/schemas';
import type { caseEndpoints } from '../../../src/features/cases/schemas';
import type { catalogueEndpoints } from '../../../src/features/catalogue/schemas';
import type { contactEndpoints } from '../../../src/features/contacts/schemas';
import type { conversationEndpoints } from '../../../src/features/conversations/schemas';
import type { leadEndpoints } from '../../../src/features/leads/schemas';
import type { orderEndpoints } from '../../../src/features/orders/schemas';
import type { propensityEndpoints } from '../../../src/features/propensity/schemas';
import type { searchEndpoints } from '../../../src/features/search/schemas';
import type { outreachEndpoints } from '../../../src/features/outreach/schemas';
import type { sequenceEndpoints } from '../../../src/features/sequences/schemas';
import type { webhookEndpoints } from '../../../src/features/webhooks/schemas';
import type { valueEndpoints } from '../../../src/features/value/schemas';

export type ApiEndpoints = typeof analyticsEndpoints &
  typeof assignmentEndpoints &
  typeof authEndpoints &
  typeof campaignEndpoints &
  typeof ongoingEndpoints &
  typeof cannedEndpoints &
  typeof twoFactorEndpoints &
  typeof ssoEndpoints &
  typeof caseEndpoints &
  typeof catalogueEndpoints &
  typeof contactEndpoints &
  typeof conversationEndpoints &
  typeof leadEndpoints &
  typeof orderEndpoints &
  typeof outreachEndpoints &
  typeof propensityEndpoints &
  typeof searchEndpoints &
  typeof sequenceEndpoints &
  typeof webhookEndpoints &
  typeof valueEndpoints;

export type EndpointKey = keyof ApiEndpoints;

type Definition<K extends EndpointKey> = ApiEndpoints[K];

/** What the route answers (204 routes: nothing). */
export type ResponseOf<K extends EndpointKey> = Definition<K>['response'] extends z.ZodNull
  ? void
  : z.output<Definition<K>['response']>;

/** The JSON body the route takes, as the caller writes it (before the server's defaults). */
export type BodyOf<K extends EndpointKey> =
  Definition<K> extends { body: z.ZodType } ? z.input<Definition<K>['body']> : never;

/** The `:name` parts of a route's path, e.g. `{id: string}` for `GET /api/cases/:id`. */
export type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;
export type ParamsOf<K extends EndpointKey> = Record<ParamNames<K>, string | number>;
