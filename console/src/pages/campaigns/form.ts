/** The editor's form state and its translation to and from the API's campaign. */
import type { CampaignBody, CampaignChannel, CampaignMessage, CampaignView } from './api';

export type Language = 'es' | 'en';
export const LANGUAGES: readonly Language[] = ['es', 'en'];
export interface ContentForm {
  subject: string;
  text: string;
}
export type MessageForm = Record<Language, ContentForm>;
export interface VariantForm {
  name: string;
  weight: number;
  message: MessageForm;
}
/** WhatsApp: an approved template (language null: each contact's) and its body's values. */
export interface TemplateForm {
  name: string | null;
  language: string | null;
  variables: string[];
}
export interface CampaignForm {
  name: string;
  segmentId: string | null;
  channel: CampaignChannel;
  message: MessageForm;
  template: TemplateForm;
  variants: VariantForm[];
  /** now: on Send; later: one instant (sendAt); local: each contact's own clock (sendAtLocal). */
  when: 'now' | 'later' | 'local';
  /** `YYYY-MM-DDTHH:mm`: the browser's time zone for `later`, each contact's for `local`. */
  sendAt: string;
  /** No sending between start and end (HH:MM, each contact's local time). */
  quiet: { on: boolean; start: string; end: string };
}

const blankContent = (): ContentForm => ({ subject: '', text: '' });
export const blankMessage = (): MessageForm => ({ es: blankContent(), en: blankContent() });

export const blankForm = (): CampaignForm => ({
  name: '',
  segmentId: null,
  channel: 'email',
  message: blankMessage(),
  template: { name: null, language: null, variables: [] },
  variants: [],
  when: 'now',
  sendAt: '',
  quiet: { on: false, start: '21:00', end: '09:00' },
});

const pad = (n: number) => String(n).padStart(2, '0');
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function messageForm(m: CampaignMessage): MessageForm {
  const of = (c?: { subject?: string; text: string }) => ({
    subject: c?.subject ?? '',
    text: c?.text ?? '',
  });
  return { es: of(m.es), en: of(m.en) };
}

export function formOf(c: CampaignView): CampaignForm {
  return {
    name: c.name,
    segmentId: c.segmentId,
    channel: c.channel,
    message: messageForm(c.message),
    template: c.template
      ? { ...c.template, variables: [...c.template.variables] }
      : { name: null, language: null, variables: [] },
    variants: c.variants.map((v) => ({
      name: v.name,
      weight: v.weight,
      message: messageForm(v.message),
    })),
    when: c.sendAtLocal ? 'local' : c.sendAt ? 'later' : 'now',
    sendAt: c.sendAtLocal ?? localInput(c.sendAt),
    quiet: c.quietHours
      ? { on: true, ...c.quietHours }
      : { on: false, start: '21:00', end: '09:00' },
  };
}

/** Drops a language left empty, and the subject outside email. */
function messageOf(m: MessageForm, channel: CampaignChannel): CampaignMessage {
  const out: CampaignMessage = {};
  for (const l of LANGUAGES) {
    const text = m[l].text.trim();
    if (!text) continue;
    const subject = m[l].subject.trim();
    out[l] = { text, ...(channel === 'email' && subject ? { subject } : {}) };
  }
  return out;
}

export function sendAtOf(f: CampaignForm): string | null {
  if (f.when !== 'later' || !f.sendAt) return null;
  const d = new Date(f.sendAt);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

type Schedule = {
  sendAt: string | null;
  sendAtLocal: string | null;
  quietHours: { start: string; end: string } | null;
};

/** WhatsApp sends a template and no text or variants; other channels the text and no template. */
export function bodyOf(
  f: CampaignForm,
): Omit<CampaignBody, 'sendAt' | 'sendAtLocal' | 'quietHours'> & Schedule {
  const whatsapp = f.channel === 'whatsapp';
  return {
    name: f.name.trim(),
    segmentId: f.segmentId ?? '',
    channel: f.channel,
    ...(whatsapp
      ? {
          template: {
            name: f.template.name ?? '',
            ...(f.template.language ? { language: f.template.language } : {}),
            variables: f.template.variables.map((v) => v.trim()),
          },
        }
      : { message: messageOf(f.message, f.channel) }),
    variants: whatsapp
      ? []
      : f.variants.map((v) => ({
          name: v.name.trim(),
          weight: v.weight,
          message: messageOf(v.message, f.channel),
        })),
    sendAt: sendAtOf(f),
    sendAtLocal: f.when === 'local' && f.sendAt ? f.sendAt.slice(0, 16) : null,
    quietHours: f.quiet.on ? { start: f.quiet.start, end: f.quiet.end } : null,
  };
}
