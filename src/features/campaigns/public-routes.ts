/**
 * The links in marketing messages, public (the token is the credential: HMAC-signed, links.ts):
 *   GET  /u/:token   a small page (es/en) with one button to unsubscribe (no change on GET: mail
 *                    scanners follow links)
 *   POST /u/:token   unsubscribes at once — the RFC 8058 one-click POST (`List-Unsubscribe=
 *                    One-Click`) from the mail client, or the page's button: marketing consent
 *                    withdrawn on every channel, recorded as the customer's consent change
 *   GET  /c/:token   records the click on the recipient, then 302 to the link's URL
 * An unknown or forged token is a 404 page; nothing personal is shown either way.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Types } from 'mongoose';
import { setMarketingConsent } from '../../kernel/db/contacts.js';
import type { EventPublisher } from '../../kernel/events.js';
import { survivorOf } from './eligibility.js';
import { campaignLinks, verifyLink, type LinkKeys } from './links.js';
import { Campaign, CampaignRecipient, type CampaignDoc, type RecipientDoc } from './models.js';
import { variantsOf } from './variants.js';
import { markStep } from './tracking.js';

const TEXTS = {
  es: {
    title: 'Darse de baja',
    ask: '¿Quieres dejar de recibir nuestros mensajes comerciales?',
    button: 'Darme de baja',
    done: 'Hecho: no te enviaremos más mensajes comerciales.',
    bad: 'Este enlace no es válido.',
  },
  en: {
    title: 'Unsubscribe',
    ask: 'Do you want to stop receiving our marketing messages?',
    button: 'Unsubscribe me',
    done: 'Done: we will not send you marketing messages any more.',
    bad: 'This link is not valid.',
  },
} as const;

const langOf = (req: FastifyRequest): 'es' | 'en' =>
  /^\s*en\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'es';

/** A minimal page; every text is ours (no customer text), the action is the request's own path. */
function page(reply: FastifyReply, status: number, lang: 'es' | 'en', body: string) {
  const t = TEXTS[lang];
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${t.title}</title></head><body style="font-family:sans-serif;max-width:32rem;` +
        `margin:3rem auto;padding:0 1rem"><main><h1>${t.title}</h1>${body}</main></body></html>`,
    );
}

const TOKEN = /^[\w-]+\.[\w-]+$/;

export function mountPublicLinkRoutes(
  server: FastifyInstance,
  deps: { keys: LinkKeys; bus: EventPublisher },
): void {
  const claimsOf = (req: FastifyRequest<{ Params: { token: string } }>) =>
    TOKEN.test(req.params.token) ? verifyLink(deps.keys, req.params.token) : null;

  void server.register(async (scope) => {
    // The one-click POST is form-encoded (RFC 8058); only this scope reads such bodies.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, body, done) => done(null, body),
    );

    scope.get<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const lang = langOf(req);
      const t = TEXTS[lang];
      if (!claimsOf(req)) return page(reply, 404, lang, `<p>${t.bad}</p>`);
      return page(
        reply,
        200,
        lang,
        `<p>${t.ask}</p><form method="post"><input type="hidden" name="List-Unsubscribe" ` +
          `value="One-Click"><button type="submit">${t.button}</button></form>`,
      );
    });

    scope.post<{ Params: { token: string } }>('/u/:token', async (req, reply) => {
      const lang = langOf(req);
      const claims = claimsOf(req);
      if (!claims) return page(reply, 404, lang, `<p>${TEXTS[lang].bad}</p>`);
      const contact = await survivorOf(new Types.ObjectId(claims.contactId));
      if (contact) {
        await setMarketingConsent(contact._id, false, {
          actor: 'customer',
          channel: 'email',
          wording: 'List-Unsubscribe',
          details: { campaignId: claims.campaignId, link: 'unsubscribe' },
        });
        await deps.bus.publish('contact.consent_changed', {
          contactId: contact._id,
          granted: false,
        });
      }
      return page(reply, 200, lang, `<p role="status">${TEXTS[lang].done}</p>`);
    });

    scope.get<{ Params: { token: string } }>('/c/:token', async (req, reply) => {
      const lang = langOf(req);
      const claims = claimsOf(req);
      const c =
        claims?.campaignId && claims.link !== undefined
          ? await Campaign.findById(claims.campaignId).lean<CampaignDoc>()
          : null;
      const url = c ? campaignLinks(variantsOf(c).map((v) => v.message))[claims!.link!] : undefined;
      if (!claims || !c || !url) return page(reply, 404, lang, `<p>${TEXTS[lang].bad}</p>`);
      const r = await CampaignRecipient.findOne({
        campaignId: c._id,
        contactId: new Types.ObjectId(claims.contactId),
      }).lean<RecipientDoc>();
      if (r) await markStep(deps.bus, r, 'clicked');
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    });
  });
}
