/**
 * A WhatsApp campaign's message (issue 21.2): one of WhatsApp's approved templates as stored at
 * the last sync (a marketer can sync again from WhatsApp), an input per body variable {{1}},
 * {{2}}… (each may use {{contact.name}}), and the body with the values filled for a sample
 * contact. Rendered as text, never as HTML. WhatsApp allows only templates outside the 24-hour
 * window, and Charla cannot add its "reply STOP" line to one: the template must say it.
 */
import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorText } from '../../api/client';
import {
  listWhatsAppTemplates,
  syncWhatsAppTemplates,
  type AudiencePreview,
  type WhatsAppTemplateView,
} from './api';
import type { TemplateForm } from './form';
import { sampleFor } from './Preview';
import { useCampaignT } from './texts';

const NAME = /\{\{\s*contact\.name\s*\}\}/g;
const keyOf = (name: string, language: string | null) => `${name}|${language ?? ''}`;

/** One option per approved template and language, and "each contact's language" per name with several. */
function options(templates: WhatsAppTemplateView[], anyLanguage: string) {
  const approved = templates.filter((x) => x.status === 'APPROVED');
  const names = [...new Set(approved.map((x) => x.name))];
  return names.flatMap((name) => {
    const own = approved.filter((x) => x.name === name);
    return [
      ...(own.length > 1 ? [{ value: keyOf(name, null), label: `${name} (${anyLanguage})` }] : []),
      ...own.map((x) => ({ value: keyOf(name, x.language), label: `${name} (${x.language})` })),
    ];
  });
}

export function TemplateFields({
  template,
  audience,
  canSync,
  onChange,
}: {
  template: TemplateForm;
  audience: AudiencePreview | undefined;
  canSync: boolean;
  onChange(t: TemplateForm): void;
}) {
  const t = useCampaignT();
  const queryClient = useQueryClient();
  const templates = useQuery({
    queryKey: ['whatsapp-templates'],
    queryFn: listWhatsAppTemplates,
  });
  const sync = useMutation({
    mutationFn: syncWhatsAppTemplates,
    onSuccess: (list) => {
      queryClient.setQueryData(['whatsapp-templates'], list);
      notifications.show({ color: 'teal', message: t('templatesSynced', { count: list.length }) });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  const list = templates.data ?? [];
  const approved = list.filter((x) => x.status === 'APPROVED' && x.name === template.name);
  const chosen =
    approved.find((x) => x.language === template.language) ??
    approved.find((x) => x.language.startsWith('es')) ??
    approved[0];
  const count = chosen?.variables ?? 0;
  const sample = sampleFor(audience, chosen?.language.startsWith('en') ? 'en' : 'es');
  const values = template.variables.map((v) => (sample?.name ? v.replace(NAME, sample.name) : v));
  const body = (chosen?.body ?? '').replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => {
    const value = values[Number(n) - 1]?.trim();
    return value ? value : whole;
  });

  return (
    <Stack gap="sm" data-testid="campaign-template">
      <Text size="sm" c="dimmed">
        {t('templateHelp')}
      </Text>
      <Group gap="sm" align="end" wrap="wrap">
        <Select
          label={t('template')}
          placeholder={list.length ? t('templatePlaceholder') : t('templatesNone')}
          required
          searchable
          allowDeselect={false}
          value={template.name ? keyOf(template.name, template.language) : null}
          data={options(list, t('templateAnyLanguage'))}
          onChange={(v) => {
            if (!v) return;
            const [name, language] = v.split('|') as [string, string];
            const picked = list.find(
              (x) =>
                x.name === name &&
                x.status === 'APPROVED' &&
                (!language || x.language === language),
            );
            const n = picked?.variables ?? 0;
            onChange({
              name,
              language: language || null,
              variables: Array.from({ length: n }, (_, i) => template.variables[i] ?? ''),
            });
          }}
          style={{ flex: '1 1 260px', minWidth: 0 }}
          data-testid="campaign-template-select"
        />
        {canSync && (
          <Button
            variant="default"
            onClick={() => sync.mutate()}
            loading={sync.isPending}
            data-testid="campaign-template-sync"
          >
            {t('templatesSync')}
          </Button>
        )}
      </Group>
      {templates.isError && <Alert color="red">{errorText(templates.error)}</Alert>}
      {chosen &&
        Array.from({ length: count }, (_, i) => (
          <TextInput
            key={i}
            label={t('templateVariable', { n: i + 1 })}
            description={i === 0 ? t('templateVariableHelp') : undefined}
            required
            maxLength={1024}
            value={template.variables[i] ?? ''}
            onChange={(e) => {
              const variables = Array.from(
                { length: count },
                (_, j) => template.variables[j] ?? '',
              );
              variables[i] = e.currentTarget.value;
              onChange({ ...template, variables });
            }}
            data-testid={`campaign-template-var-${i + 1}`}
          />
        ))}
      {chosen && (
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {sample?.name ? t('previewFor', { name: sample.name }) : t('previewAsIs')} (
            {chosen.language})
          </Text>
          <Paper
            withBorder
            p="sm"
            radius="md"
            bg="var(--mantine-color-gray-0)"
            data-testid="campaign-template-preview"
          >
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {body}
            </Text>
          </Paper>
        </Stack>
      )}
      <Text size="xs" c="dimmed">
        {t('templateOptOut')}
      </Text>
    </Stack>
  );
}
