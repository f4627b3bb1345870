/**
 * /console/campaigns/new and /console/campaigns/:id (issue 21.7): the editor. Name, a saved
 * segment with its live audience (count and who is left out, why), channel, the text per
 * language with a preview as the customer will see it, A/B variants with their split, when to
 * send; once saved, a test send to oneself and send / pause / resume / cancel. A campaign that
 * left draft (or a reader without write rights) shows the same page read-only.
 */
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorText } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useCurrentUser } from '../../shell/current-user';
import {
  createCampaign,
  getCampaign,
  listSegments,
  previewAudience,
  updateCampaign,
  type AudiencePreview,
  type CampaignChannel,
  type CampaignView,
} from './api';
import { AudiencePanel } from './AudiencePanel';
import { CampaignActions } from './CampaignActions';
import { HEADLINE, StatusBadge, canWriteCampaigns } from './CampaignsPage';
import { blankForm, blankMessage, bodyOf, formOf, type CampaignForm } from './form';
import { MessageFields } from './MessageFields';
import { TemplateFields } from './TemplateFields';
import { useCampaignT } from './texts';

/** WhatsApp sends an approved template (TemplateFields) instead of a text. */
const CHANNELS: readonly CampaignChannel[] = ['email', 'telegram', 'webchat', 'whatsapp'];

function Variants({
  form,
  setForm,
  audience,
}: {
  form: CampaignForm;
  setForm(f: CampaignForm): void;
  audience: Parameters<typeof MessageFields>[0]['audience'];
}) {
  const t = useCampaignT();
  const main = 100 - form.variants.reduce((sum, v) => sum + (v.weight || 0), 0);
  const set = (i: number, v: Partial<CampaignForm['variants'][number]>) =>
    setForm({
      ...form,
      variants: form.variants.map((x, j) => (j === i ? { ...x, ...v } : x)),
    });
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('variantsHelp')}
      </Text>
      {form.variants.length > 0 && (
        <Text size="sm" fw={600} c={main < 1 ? 'red' : undefined} data-testid="campaign-main-share">
          {t('mainShare', { percent: main })}
        </Text>
      )}
      {form.variants.map((v, i) => (
        <Paper key={i} withBorder p="sm" radius="md" data-testid="campaign-variant">
          <Stack gap="xs">
            <Group gap="xs" align="end" wrap="wrap">
              <TextInput
                label={t('variantName')}
                maxLength={40}
                value={v.name}
                onChange={(e) => set(i, { name: e.currentTarget.value })}
                w={160}
              />
              <NumberInput
                label={t('variantWeight')}
                min={1}
                max={99}
                value={v.weight}
                onChange={(n) => set(i, { weight: typeof n === 'number' ? n : 1 })}
                w={110}
              />
              <Button
                variant="subtle"
                color="red"
                onClick={() =>
                  setForm({ ...form, variants: form.variants.filter((_, j) => j !== i) })
                }
              >
                {t('removeVariant', { name: v.name || String(i + 2) })}
              </Button>
            </Group>
            <MessageFields
              message={v.message}
              channel={form.channel}
              audience={audience}
              onChange={(message) => set(i, { message })}
              testId={`variant-${i}`}
            />
          </Stack>
        </Paper>
      ))}
      {form.variants.length < 3 && (
        <Group>
          <Button
            variant="default"
            onClick={() =>
              setForm({
                ...form,
                variants: [
                  ...form.variants,
                  {
                    name: String.fromCharCode(66 + form.variants.length),
                    weight: Math.max(1, Math.min(50, main - 1)),
                    message: blankMessage(),
                  },
                ],
              })
            }
            data-testid="campaign-add-variant"
          >
            {t('addVariant')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

type FormProps = { form: CampaignForm; setForm(f: CampaignForm): void };

function AudienceFields({
  form,
  setForm,
  audience,
}: FormProps & { audience: UseQueryResult<AudiencePreview> }) {
  const t = useCampaignT();
  const segments = useQuery({ queryKey: ['segments'], queryFn: listSegments });
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="sm">
        <Title order={2} fz="h4">
          {t('audience')}
        </Title>
        <Group gap="sm" align="end" wrap="wrap">
          <Select
            label={t('segment')}
            placeholder={t('segmentPlaceholder')}
            required
            searchable
            allowDeselect={false}
            value={form.segmentId}
            data={(segments.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            onChange={(v) => setForm({ ...form, segmentId: v })}
            style={{ flex: '1 1 220px', minWidth: 0 }}
            data-testid="campaign-segment"
          />
          <Select
            label={t('channel')}
            allowDeselect={false}
            value={form.channel}
            data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            onChange={(v) => setForm({ ...form, channel: (v ?? 'email') as CampaignChannel })}
            style={{ flex: '0 1 180px' }}
            data-testid="campaign-channel"
          />
        </Group>
        {segments.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('noSegments')}
          </Text>
        )}
        <AudiencePanel query={audience} />
      </Stack>
    </Paper>
  );
}

function Schedule({ form, setForm }: FormProps) {
  const t = useCampaignT();
  const quiet = (q: Partial<CampaignForm['quiet']>) =>
    setForm({ ...form, quiet: { ...form.quiet, ...q } });
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="sm">
        <Radio.Group
          label={t('schedule')}
          value={form.when}
          onChange={(v) => setForm({ ...form, when: v as CampaignForm['when'] })}
        >
          <Group gap="md" mt={4} wrap="wrap">
            <Radio value="now" label={t('scheduleNow')} />
            <Radio value="later" label={t('scheduleLater')} />
            <Radio value="local" label={t('scheduleLocal')} />
          </Group>
        </Radio.Group>
        {form.when !== 'now' && (
          <TextInput
            type="datetime-local"
            label={form.when === 'local' ? t('sendAtLocal') : t('sendAt')}
            description={form.when === 'local' ? t('sendAtLocalHelp') : undefined}
            required
            value={form.sendAt}
            onChange={(e) => setForm({ ...form, sendAt: e.currentTarget.value })}
            w={260}
            maw="100%"
            data-testid="campaign-send-at"
          />
        )}
        <Checkbox
          label={t('quietHours')}
          description={t('quietHoursHelp')}
          checked={form.quiet.on}
          onChange={(e) => quiet({ on: e.currentTarget.checked })}
          data-testid="campaign-quiet"
        />
        {form.quiet.on && (
          <Group gap="sm" wrap="wrap">
            <TextInput
              type="time"
              label={t('quietFrom')}
              required
              value={form.quiet.start}
              onChange={(e) => quiet({ start: e.currentTarget.value })}
              w={130}
              data-testid="campaign-quiet-start"
            />
            <TextInput
              type="time"
              label={t('quietTo')}
              required
              value={form.quiet.end}
              onChange={(e) => quiet({ end: e.currentTarget.value })}
              w={130}
              data-testid="campaign-quiet-end"
            />
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function Editor({ campaign }: { campaign: CampaignView | null }) {
  const t = useCampaignT();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = useMemo(() => (campaign ? formOf(campaign) : blankForm()), [campaign]);
  const [form, setForm] = useState<CampaignForm>(initial);
  const editable = canWriteCampaigns(user.role) && (!campaign || campaign.status === 'draft');
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  const audience = useQuery({
    queryKey: ['campaign-audience', form.segmentId, form.channel],
    queryFn: () => previewAudience(form.segmentId!, form.channel),
    enabled: Boolean(form.segmentId),
  });

  const save = useMutation({
    mutationFn: async () => {
      const { sendAt, sendAtLocal, quietHours, ...body } = bodyOf(form);
      if (campaign) {
        // Moving to or from WhatsApp drops the other kind of message.
        const other = form.channel === 'whatsapp' ? { message: null } : { template: null };
        return updateCampaign(campaign.id, { ...body, ...other, sendAt, sendAtLocal, quietHours });
      }
      return createCampaign({
        ...body,
        ...(sendAt ? { sendAt } : {}),
        ...(sendAtLocal ? { sendAtLocal } : {}),
        ...(quietHours ? { quietHours } : {}),
      });
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'teal', message: t('saved') });
      queryClient.setQueryData(['campaigns', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      if (!campaign) void navigate(`/campaigns/${saved.id}`, { replace: true });
    },
    onError: (err) =>
      notifications.show({ color: 'red', message: t('failed', { message: errorText(err) }) }),
  });

  return (
    <Stack gap="md">
      {campaign && campaign.status !== 'draft' && (
        <Alert color="blue" variant="light">
          {t('readOnly', { status: t(`status.${campaign.status}`) })}{' '}
          <Anchor component={Link} to={`/campaigns/${campaign.id}/report`}>
            {t('report')}
          </Anchor>
        </Alert>
      )}
      {campaign && campaign.status !== 'draft' && (
        <Group gap="lg" wrap="wrap" data-testid="campaign-figures">
          {HEADLINE.map((k) => (
            <Text key={k} size="sm">
              <b>{campaign.counts[k] ?? 0}</b> {t(`figure.${k}`)}
            </Text>
          ))}
        </Group>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Fieldset disabled={!editable} variant="unstyled" style={{ minWidth: 0 }}>
          <Stack gap="md">
            <TextInput
              label={t('name')}
              required
              maxLength={120}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              data-testid="campaign-name"
            />
            <AudienceFields form={form} setForm={setForm} audience={audience} />
            <Paper withBorder p="sm" radius="md">
              <Stack gap="sm">
                <Title order={2} fz="h4">
                  {t('content')}
                </Title>
                {form.channel === 'whatsapp' ? (
                  <TemplateFields
                    template={form.template}
                    audience={audience.data}
                    canSync={editable}
                    onChange={(template) => setForm({ ...form, template })}
                  />
                ) : (
                  <MessageFields
                    message={form.message}
                    channel={form.channel}
                    audience={audience.data}
                    onChange={(message) => setForm({ ...form, message })}
                    testId="campaign"
                  />
                )}
              </Stack>
            </Paper>
            {form.channel !== 'whatsapp' && (
              <Paper withBorder p="sm" radius="md">
                <Stack gap="sm">
                  <Title order={2} fz="h4">
                    {t('variants')}
                  </Title>
                  <Variants form={form} setForm={setForm} audience={audience.data} />
                </Stack>
              </Paper>
            )}
            <Schedule form={form} setForm={setForm} />
            {editable && (
              <Group justify="flex-end">
                <Button
                  type="submit"
                  loading={save.isPending}
                  disabled={campaign !== null && !dirty}
                  data-testid="campaign-save"
                >
                  {t('save')}
                </Button>
              </Group>
            )}
          </Stack>
        </Fieldset>
      </form>
      {campaign && canWriteCampaigns(user.role) && (
        <CampaignActions
          campaign={campaign}
          audienceCount={audience.data?.count ?? null}
          dirty={dirty}
        />
      )}
    </Stack>
  );
}

export default function CampaignPage() {
  const t = useCampaignT();
  const { id } = useParams();
  const query = useQuery({
    queryKey: ['campaigns', id],
    queryFn: () => getCampaign(id!),
    enabled: Boolean(id),
    refetchInterval: (q) =>
      q.state.data && ['sending', 'scheduled'].includes(q.state.data.status) ? 4000 : false,
  });
  const campaign = id ? query.data : null;
  return (
    <Stack gap="sm">
      <Anchor component={Link} to="/campaigns" size="sm">
        ← {t('back')}
      </Anchor>
      <PageHeader title={campaign ? campaign.name : t('newTitle')}>
        {campaign && <StatusBadge status={campaign.status} />}
      </PageHeader>
      {id && query.isPending ? (
        <LoadingState />
      ) : id && query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        // Keyed by the stored version: a save or a status change starts the form afresh.
        <Editor
          key={
            campaign
              ? `${campaign.id}:${campaign.status}:${JSON.stringify(formOf(campaign))}`
              : 'new'
          }
          campaign={campaign ?? null}
        />
      )}
    </Stack>
  );
}
