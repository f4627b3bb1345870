/**
 * WhatsApp's approved message templates, as the platform lists them (the adapter's
 * TemplateSender: Graph GET /{waba-id}/message_templates), stored so the console and the
 * campaigns read them without asking Meta each time. A sync replaces the stored list with the
 * platform's (templates deleted there disappear here); it is staff's act, audited.
 */
import { recordAudit } from '../../kernel/audit.js';
import { ChannelSendError, type TemplateSender } from '../../kernel/contracts/channel-adapter.js';
import { conflict, invalid, unavailable } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/roles.js';
import { WhatsAppTemplate, type WhatsAppTemplateDoc } from './models.js';
import type { CampaignTemplate, WhatsAppTemplateView } from './schemas.js';

const view = (t: WhatsAppTemplateDoc): WhatsAppTemplateView => ({
  name: t.name,
  language: t.language,
  status: t.status,
  category: t.category ?? null,
  body: t.body ?? '',
  variables: t.variables ?? 0,
  syncedAt: new Date(t.syncedAt).toISOString(),
});

export async function storedTemplates(): Promise<WhatsAppTemplateView[]> {
  const docs = await WhatsAppTemplate.find({})
    .sort({ name: 1, language: 1 })
    .limit(1000)
    .lean<WhatsAppTemplateDoc[]>();
  return docs.map(view);
}

/** Reads the platform's list and stores it in place of the old one. */
export async function syncTemplates(
  sender: TemplateSender | undefined,
  actor: Actor,
): Promise<WhatsAppTemplateView[]> {
  if (!sender) {
    throw conflict('whatsapp_off', 'WhatsApp Cloud API is not configured: there are no templates.');
  }
  let list;
  try {
    list = await sender.list();
  } catch (err) {
    if (err instanceof ChannelSendError) {
      throw unavailable(
        'whatsapp_unreachable',
        `WhatsApp did not give the templates (${err.message}).`,
      );
    }
    throw err;
  }
  const syncedAt = new Date();
  for (const t of list) {
    await WhatsAppTemplate.updateOne(
      { name: t.name, language: t.language },
      {
        $set: {
          status: t.status,
          category: t.category,
          body: t.body,
          variables: t.variables,
          syncedAt,
        },
      },
      { upsert: true },
    );
  }
  // Gone from the platform: gone here (a campaign cannot name it any more).
  await WhatsAppTemplate.deleteMany({ syncedAt: { $lt: syncedAt } });
  await recordAudit({
    actor,
    action: 'campaign.templates_sync',
    targetType: 'WhatsAppTemplate',
    targetId: 'whatsapp',
    after: {
      templates: list.length,
      approved: list.filter((t) => t.status === 'APPROVED').length,
    },
  });
  return storedTemplates();
}

/**
 * Checks a WhatsApp campaign's template against the stored list: an approved template of that
 * name (and language, when given) whose body takes exactly the variables given. 400 otherwise,
 * with what to fix.
 */
export async function checkTemplate(ref: CampaignTemplate): Promise<void> {
  const named = await WhatsAppTemplate.find({
    name: ref.name,
    ...(ref.language ? { language: ref.language } : {}),
  }).lean<WhatsAppTemplateDoc[]>();
  const where = ref.language ? `${ref.name} (${ref.language})` : ref.name;
  if (!named.length) {
    throw invalid(
      'unknown_template',
      `There is no WhatsApp template ${where} in the stored list: sync the templates from WhatsApp, or pick one of them.`,
    );
  }
  const approved = named.filter((t) => t.status === 'APPROVED');
  if (!approved.length) {
    throw invalid(
      'template_not_approved',
      `The WhatsApp template ${where} is ${named[0]!.status}: only templates Meta approved can be sent.`,
    );
  }
  const wrong = approved.find((t) => (t.variables ?? 0) !== ref.variables.length);
  if (wrong) {
    throw invalid(
      'template_variables',
      `The WhatsApp template ${wrong.name} (${wrong.language}) takes ${wrong.variables ?? 0} variable(s); ${ref.variables.length} given.`,
    );
  }
}

/**
 * The approved template a contact gets now: the campaign's language, else the one matching the
 * contact's (`es` matches `es` and `es_ES`), else the first approved. Null: none approved any more.
 */
export async function templateFor(
  ref: CampaignTemplate,
  locale: string,
): Promise<WhatsAppTemplateDoc | null> {
  const approved = await WhatsAppTemplate.find({
    name: ref.name,
    status: 'APPROVED',
    ...(ref.language ? { language: ref.language } : {}),
  })
    .sort({ language: 1 })
    .lean<WhatsAppTemplateDoc[]>();
  const mine = approved.find((t) => t.language === locale || t.language.startsWith(`${locale}_`));
  return mine ?? approved[0] ?? null;
}
