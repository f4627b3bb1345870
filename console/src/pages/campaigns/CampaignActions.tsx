/**
 * What a marketer does with a saved campaign: a test send to themselves, send (or schedule),
 * pause, resume, cancel — each change asked for confirmation first; the server decides (409 when
 * the status moved meanwhile).
 */
import {
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  sendCampaign,
  testSend,
  type CampaignView,
} from './api';
import { LANGUAGES, type Language } from './form';
import { useCampaignT } from './texts';

function Confirmed({
  label,
  title,
  message,
  color,
  disabled,
  testId,
  run,
}: {
  label: string;
  title: string;
  message: string;
  color?: string;
  disabled?: boolean;
  testId: string;
  run(): Promise<unknown>;
}) {
  const t = useCampaignT();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const action = useMutation({
    mutationFn: run,
    onSuccess: () => {
      setOpen(false);
      notifications.show({ color: 'teal', message: t('done') });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  return (
    <>
      <Button
        color={color}
        variant={color === 'red' ? 'light' : 'filled'}
        disabled={disabled}
        onClick={() => setOpen(true)}
        data-testid={testId}
      >
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title}>
        <Stack gap="md">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {message}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('keep')}
            </Button>
            <Button
              color={color}
              loading={action.isPending}
              onClick={() => action.mutate()}
              data-testid={`${testId}-confirm`}
            >
              {t('confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function TestSend({ campaign, disabled }: { campaign: CampaignView; disabled: boolean }) {
  const t = useCampaignT();
  const [language, setLanguage] = useState<Language>(campaign.message.es ? 'es' : 'en');
  const [variant, setVariant] = useState('A');
  const send = useMutation({
    mutationFn: () => testSend(campaign.id, { language, variant }),
    onSuccess: (r) => notifications.show({ color: 'teal', message: t('testSent', { to: r.to }) }),
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });
  return (
    <Group gap="xs" wrap="wrap">
      <SegmentedControl
        aria-label={t('testLanguage')}
        value={language}
        onChange={(v) => setLanguage(v as Language)}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
        disabled={disabled}
      />
      {campaign.variants.length > 0 && (
        <Select
          aria-label={t('variant')}
          value={variant}
          allowDeselect={false}
          data={['A', ...campaign.variants.map((v) => v.name)].map((v) => ({
            value: v,
            label: `${t('variant')} ${v}`,
          }))}
          onChange={(v) => setVariant(v ?? 'A')}
          disabled={disabled}
          w={140}
          data-testid="campaign-test-variant"
        />
      )}
      <Button
        variant="default"
        onClick={() => send.mutate()}
        loading={send.isPending}
        disabled={disabled}
        data-testid="campaign-test"
      >
        {t('testSend')}
      </Button>
    </Group>
  );
}

export function CampaignActions({
  campaign,
  audienceCount,
  dirty,
}: {
  campaign: CampaignView;
  audienceCount: number | null;
  dirty: boolean;
}) {
  const t = useCampaignT();
  const { formatDateTime } = useI18n();
  const { id, name, status } = campaign;
  const later = Boolean(
    campaign.sendAtLocal || (campaign.sendAt && new Date(campaign.sendAt).getTime() > Date.now()),
  );
  return (
    <Paper withBorder p="sm" radius="md" data-testid="campaign-actions">
      <Stack gap="xs">
        <Title order={2} fz="h4">
          {t('actions')}
        </Title>
        {dirty && status === 'draft' && (
          <Text size="sm" c="orange.8">
            {t('unsaved')}
          </Text>
        )}
        {status === 'draft' && campaign.channel !== 'whatsapp' && (
          <TestSend campaign={campaign} disabled={dirty} />
        )}
        <Group gap="xs" wrap="wrap">
          {status === 'draft' && (
            <Confirmed
              label={later ? t('schedule_') : t('send')}
              title={t('sendConfirmTitle')}
              message={
                campaign.sendAtLocal
                  ? t('scheduleLocalConfirm', {
                      name,
                      when: campaign.sendAtLocal.replace('T', ' '),
                    })
                  : later
                    ? t('scheduleConfirm', { name, when: formatDateTime(campaign.sendAt) })
                    : t('sendConfirm', { name, count: audienceCount ?? '?' })
              }
              disabled={dirty}
              testId="campaign-send"
              run={() => sendCampaign(id)}
            />
          )}
          {(status === 'scheduled' || status === 'sending') && (
            <Confirmed
              label={t('pause')}
              title={t('pauseConfirmTitle')}
              message={t('pauseConfirm', { name })}
              color="yellow"
              testId="campaign-pause"
              run={() => pauseCampaign(id)}
            />
          )}
          {status === 'paused' && (
            <Confirmed
              label={t('resume')}
              title={t('resumeConfirmTitle')}
              message={t('resumeConfirm', { name })}
              testId="campaign-resume"
              run={() => resumeCampaign(id)}
            />
          )}
          {['draft', 'scheduled', 'sending', 'paused'].includes(status) && (
            <Confirmed
              label={t('cancel')}
              title={t('cancelConfirmTitle')}
              message={t('cancelConfirm', { name })}
              color="red"
              testId="campaign-cancel"
              run={() => cancelCampaign(id)}
            />
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
