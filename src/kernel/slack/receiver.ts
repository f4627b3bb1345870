/**
 * A Bolt Receiver on our own fastify server: Slack's events, interactive actions and slash
 * commands arrive on fixed routes, are verified (v0 signature, ±5 min clock skew), and are handed
 * to `app.processEvent`. Slack wants an answer within 3 s: we answer when a listener acks, or by
 * ourselves after `ackTimeoutMs` so a slow listener never makes Slack retry.
 */
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { verifySlackSignature } from './signature.js';
import { storable } from '../storable-text.js';

export const SLACK_ROUTES = {
  events: '/webhooks/slack/events',
  actions: '/webhooks/slack/actions',
  commands: '/webhooks/slack/commands',
} as const;
type RouteKind = keyof typeof SLACK_ROUTES;

/** Slack gives up after 3 s; leave room for the network. */
export const DEFAULT_ACK_TIMEOUT_MS = 2500;

interface AckOutcome {
  status: number;
  body?: unknown;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Turns the parsed request body into the payload Bolt expects, or undefined when malformed. */
function slackPayload(kind: RouteKind, parsed: unknown): Record<string, unknown> | undefined {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (kind === 'events') return fields;
  // Interactive payloads (and some command integrations) wrap JSON in a `payload` form field.
  if (typeof fields.payload === 'string') {
    try {
      // The JSON inside the form field escaped the HTTP layer's pass: clean it here.
      const inner: unknown = storable(JSON.parse(fields.payload));
      return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
        ? (inner as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  if (kind === 'commands' && typeof fields.command === 'string') return fields;
  return undefined;
}

export class FastifyReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly opts: {
      signingSecret: string;
      logger: Logger;
      ackTimeoutMs?: number;
    },
  ) {}

  init(app: App): void {
    this.app = app;
  }

  /** The fastify server is started by the composition root; nothing to do here. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  mount(server: FastifyInstance): void {
    // Slack posts actions and commands as forms: the form parser exists in this scope only, so
    // no other route (sign-in above all) can be reached by a cross-site HTML form.
    void server.register(async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (req, body, done) => {
          const text = body as string;
          req.rawBody = text;
          done(null, Object.fromEntries(new URLSearchParams(text)));
        },
      );
      for (const kind of Object.keys(SLACK_ROUTES) as RouteKind[]) {
        scope.post(SLACK_ROUTES[kind], (req, reply) => this.handle(kind, req, reply));
      }
    });
  }

  private async handle(kind: RouteKind, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const check = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      rawBody: req.rawBody ?? '',
    });
    if (!check.ok) {
      await reply.status(401).send({ error: { code: check.code, message: check.message } });
      return;
    }
    // Slack checks a slash command's certificate with a signed `ssl_check=1`: just say OK.
    if (kind === 'commands' && (req.body as Record<string, unknown> | undefined)?.ssl_check) {
      await reply.send('');
      return;
    }
    const body = slackPayload(kind, req.body);
    if (!body) {
      await reply.status(400).send({
        error: { code: 'invalid_payload', message: `This is not a Slack ${kind} payload.` },
      });
      return;
    }
    if (body.type === 'url_verification') {
      await reply.send({ challenge: typeof body.challenge === 'string' ? body.challenge : '' });
      return;
    }
    const app = this.app;
    if (!app) {
      await reply
        .status(503)
        .send({ error: { code: 'not_ready', message: 'The Slack app is not ready yet.' } });
      return;
    }

    const outcome = await new Promise<AckOutcome>((resolve) => {
      let settled = false;
      const settle = (o: AckOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const timer = setTimeout(
        () => settle({ status: 200 }),
        this.opts.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS,
      );
      const retryNum = Number(header(req, 'x-slack-retry-num'));
      const event: ReceiverEvent = {
        body,
        retryNum: Number.isFinite(retryNum) ? retryNum : undefined,
        retryReason: header(req, 'x-slack-retry-reason'),
        // Bolt's AckFn: the first ack answers Slack; later ones (or after our timeout) are no-ops.
        // Bolt acks Events API requests before any listener runs; we answer those only once the
        // listeners are done (a customer message is stored and queued), so a failure becomes a
        // 500 and Slack redelivers instead of the message being lost.
        ack: async (response?: unknown) => {
          if (kind !== 'events') settle({ status: 200, body: response });
        },
      };
      app.processEvent(event).then(
        () => settle({ status: 200 }),
        (err: unknown) => {
          this.opts.logger.error({ err, route: kind }, 'slack listener failed');
          // Not acked yet: a 500 makes Slack retry the delivery.
          settle({
            status: 500,
            body: { error: { code: 'internal', message: 'Something went wrong on our side.' } },
          });
        },
      );
    });

    reply.status(outcome.status);
    if (outcome.body === undefined || outcome.body === '') {
      await reply.send('');
    } else if (typeof outcome.body === 'string') {
      await reply.type('text/plain; charset=utf-8').send(outcome.body);
    } else {
      await reply.send(outcome.body);
    }
  }
}
