/** The text of a message (or a variant) in Spanish and English, each with its preview beside it. */
import { SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { AudiencePreview, CampaignChannel } from './api';
import { LANGUAGES, type MessageForm } from './form';
import { MessagePreview, sampleFor } from './Preview';
import { useCampaignT } from './texts';

export function MessageFields({
  message,
  channel,
  audience,
  onChange,
  testId,
}: {
  message: MessageForm;
  channel: CampaignChannel;
  audience: AudiencePreview | undefined;
  onChange(m: MessageForm): void;
  /** Prefix of the inputs' test ids (`campaign` → campaign-text-es). */
  testId: string;
}) {
  const t = useCampaignT();
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {LANGUAGES.map((l) => {
          const language = t(`lang.${l}`);
          const set = (field: 'subject' | 'text', value: string) =>
            onChange({ ...message, [l]: { ...message[l], [field]: value } });
          return (
            <Stack key={l} gap="xs" style={{ minWidth: 0 }}>
              {channel === 'email' && (
                <TextInput
                  label={t('subject', { language })}
                  maxLength={200}
                  value={message[l].subject}
                  onChange={(e) => set('subject', e.currentTarget.value)}
                  data-testid={`${testId}-subject-${l}`}
                />
              )}
              <Textarea
                label={t('text', { language })}
                autosize
                minRows={3}
                maxRows={10}
                maxLength={4000}
                value={message[l].text}
                onChange={(e) => set('text', e.currentTarget.value)}
                data-testid={`${testId}-text-${l}`}
              />
              <Text size="sm" fw={600} mt={4}>
                {t('preview', { language })}
              </Text>
              <MessagePreview
                channel={channel}
                language={l}
                subject={message[l].subject}
                text={message[l].text}
                sampleName={sampleFor(audience, l)?.name ?? null}
              />
            </Stack>
          );
        })}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('textHelp')}
      </Text>
    </Stack>
  );
}
