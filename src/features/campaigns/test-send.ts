/**
 * A test send: the campaign's message (a language and variant of your choice) to your own staff
 * email address, rendered as a recipient reads it (your name in `{{contact.name}}`, the footer,
 * the List-Unsubscribe headers), subject marked as a test. Never to a customer, so no consent
 * check; links are not tracked. Audited.
 */
import { recordAudit } from '../../kernel/audit.js';
import { conflict, invalid } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/roles.js';
import { contentFor, renderMessage } from './content.js';
import type { CampaignDoc } from './models.js';
import type { MarketingDeps } from './send.js';
import { variantsOf } from './variants.js';

const TEST_MARK = { es: '[Prueba]', en: '[Test]' } as const;

export async function testSend(
  deps: MarketingDeps,
  c: CampaignDoc,
  actor: Actor,
  opts: { language?: 'es' | 'en'; variant?: string },
) {
  if (!actor.email) {
    throw invalid('no_email', 'Your account has no email address to send the test to.');
  }
  if (c.channel === 'whatsapp') {
    throw conflict(
      'whatsapp_test_send',
      'A WhatsApp campaign sends an approved template, which cannot be test-sent by email.',
    );
  }
  if (!deps.mail) throw conflict('mail_off', 'Mail is not set up (SMTP_URL): nothing can be sent.');
  const variant = variantsOf(c).find((v) => v.name === (opts.variant ?? 'A'));
  if (!variant) throw invalid('unknown_variant', 'The campaign has no variant with that name.');
  const { language, content } = contentFor(variant.message, opts.language ?? 'es');
  const rendered = renderMessage({
    content,
    language,
    name: actor.name ?? null,
    channel: c.channel === 'email' ? 'email' : 'chat',
    keys: deps.links,
    contactId: '000000000000000000000000',
    campaignId: null,
  });
  const subject = `${TEST_MARK[language]} ${rendered.subject ?? c.name}`;
  await deps.mail.send({ to: actor.email, subject, text: rendered.text });
  await recordAudit({
    actor,
    action: 'campaign.test_send',
    targetType: 'Campaign',
    targetId: c._id.toHexString(),
    details: { language, variant: variant.name },
  });
  return { to: actor.email, language, subject, text: rendered.text };
}
