/**
 * The message as a customer will read it: their language's text with `{{contact.name}}` filled
 * for a sample contact of the audience (else shown as written) and the footer every marketing
 * message carries (the same words as src/features/campaigns/content.ts). Rendered as text, never
 * as HTML: whatever the marketer typed shows literally.
 */
import { Paper, Stack, Text } from '@mantine/core';
import type { AudiencePreview, CampaignChannel } from './api';
import { useCampaignT } from './texts';

type Language = 'es' | 'en';

/** What content.ts appends: keep the two in step. */
const FOOTER = {
  chat: {
    es: 'Para no recibir más mensajes como este, responde BAJA.',
    en: 'To stop messages like this, reply STOP.',
  },
  email: {
    es: 'Para no recibir más correos como este, date de baja aquí:',
    en: 'To stop emails like this, unsubscribe here:',
  },
} as const;

const NAME = /\{\{\s*contact\.name\s*\}\}/g;

/** A sample contact to fill the variables for: one of that language first, with a name. */
export function sampleFor(audience: AudiencePreview | undefined, language: Language) {
  const named = (audience?.sample ?? []).filter((s) => s.name);
  return named.find((s) => s.language === language) ?? named[0] ?? null;
}

export function MessagePreview({
  channel,
  language,
  subject,
  text,
  sampleName,
}: {
  channel: CampaignChannel;
  language: Language;
  subject: string;
  text: string;
  sampleName: string | null;
}) {
  const t = useCampaignT();
  const fill = (s: string) => (sampleName ? s.replace(NAME, sampleName) : s);
  const email = channel === 'email';
  const footer = email ? `--\n${FOOTER.email[language]} https://…/u/…` : FOOTER.chat[language];
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {sampleName ? t('previewFor', { name: sampleName }) : t('previewAsIs')}
      </Text>
      <Paper
        withBorder
        p="sm"
        radius="md"
        bg="var(--mantine-color-gray-0)"
        lang={language}
        data-testid={`campaign-preview-${language}`}
      >
        {!text.trim() ? (
          <Text size="sm" c="dimmed">
            {t('previewEmpty')}
          </Text>
        ) : (
          <>
            {email && (
              <Text size="sm" fw={600} mb={6} style={{ overflowWrap: 'anywhere' }}>
                {t('previewSubject')}: {fill(subject)}
              </Text>
            )}
            <Text
              size="sm"
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="campaign-preview-text"
            >
              {`${fill(text.trim())}\n\n${footer}`}
            </Text>
          </>
        )}
      </Paper>
    </Stack>
  );
}
