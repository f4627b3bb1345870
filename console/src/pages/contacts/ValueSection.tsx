/**
 * The contact page's customer value (the contact view's `value` block: CLV, P(active), RFM
 * segment, churn risk with its reasons) and the contact's orders (status, amount, tracking link).
 */
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';
import type { ContactView } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { ReasonList, useMoney, useSegmentName } from '../value/parts';
import { useValueT, type ValueKey } from '../value/texts';

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </Stack>
  );
}

export function ValueSection({ v }: { v: ContactView }) {
  const t = useValueT();
  const money = useMoney();
  const segmentName = useSegmentName();
  const value = v.value;
  if (!value) return null;
  const pct = (n: number | null) => (n === null ? '—' : `${Math.round(n * 100)} %`);
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={t('valueBlock')}
      data-testid="contact-value"
    >
      <Group gap="xs" mb="xs">
        <Title order={2} size="h5">
          {t('valueBlock')}
        </Title>
        <Badge size="sm" variant="light">
          {segmentName(value.rfm.segment)}
        </Badge>
        {value.churn.atRisk && (
          <Badge size="sm" color="red" data-testid="contact-at-risk">
            {t('atRisk')}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
        <Figure
          label={t('clv12m')}
          value={value.clv12m === null ? '—' : money(value.clv12m, value.currency)}
        />
        <Figure label={t('pActive')} value={pct(value.probabilityActive)} />
        <Figure
          label={t('expected90')}
          value={value.expectedPurchases90d === null ? '—' : value.expectedPurchases90d.toFixed(1)}
        />
        <Figure label={t('revenue')} value={money(value.historicRevenue, value.currency)} />
        <Figure label={t('orders')} value={String(value.orders)} />
        <Figure label={t('risk')} value={pct(value.churn.risk)} />
      </SimpleGrid>
      {value.churn.reasons.length > 0 && (
        <Stack gap={2} mt="xs">
          <Text size="xs" c="dimmed">
            {t('reasons')}
          </Text>
          <ReasonList reasons={value.churn.reasons} />
        </Stack>
      )}
    </Paper>
  );
}

export function OrdersSection({ contactId }: { contactId: string }) {
  const t = useValueT();
  const { formatDate } = useI18n();
  const money = useMoney();
  const q = useQuery({
    queryKey: ['contact-orders', contactId],
    queryFn: () => call('GET /api/orders', { query: { contactId, limit: 20 } }),
  });
  const items = q.data?.items ?? [];
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      component="section"
      aria-label={t('ordersTitle')}
      data-testid="contact-orders"
    >
      <Group gap="xs" mb="xs">
        <Title order={2} size="h5">
          {t('ordersTitle')}
        </Title>
        <Badge size="xs" variant="default">
          {q.data?.total ?? 0}
        </Badge>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noOrders')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((o) => (
            <Group component="li" key={o.id} gap={6} wrap="wrap" data-testid="contact-order">
              <Text size="sm" fw={600}>
                #{o.number}
              </Text>
              <Badge size="xs" variant="light">
                {t(`status.${o.status}` as ValueKey)}
              </Badge>
              <Text size="sm">{money(o.amount, o.currency)}</Text>
              <Text size="xs" c="dimmed">
                {formatDate(o.placedAt)}
              </Text>
              {o.trackingUrl && (
                <Anchor href={o.trackingUrl} target="_blank" rel="noopener noreferrer" size="sm">
                  {t('track')}
                </Anchor>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
