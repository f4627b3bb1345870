/**
 * The lead's customer value (src/features/value via the lead API's `customerValue`): a badge with
 * the 12-month CLV on board cards and table rows (historic revenue and orders in its tooltip and
 * accessible name), and the figures in full on the lead page.
 */
import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useMoney } from '../value/parts';
import { useLeadsT } from './texts';
import type { Lead } from './types';

function useValueLabel() {
  const t = useLeadsT();
  const money = useMoney();
  return (v: NonNullable<Lead['customerValue']>) => {
    const revenue = money(v.historicRevenue, v.currency);
    return v.clv12m === null
      ? t('customerValueSpent', { revenue, orders: v.orders })
      : t('customerValueOf', { clv: money(v.clv12m, v.currency), revenue, orders: v.orders });
  };
}

/** The CLV (or, without one, the revenue so far) as a small badge; nothing without orders. */
export function CustomerValueBadge({ lead }: { lead: Lead }) {
  const money = useMoney();
  const label = useValueLabel();
  const v = lead.customerValue;
  if (!v) return null;
  const shown = money(v.clv12m ?? v.historicRevenue, v.currency);
  return (
    <Tooltip label={label(v)} multiline w={240} withinPortal>
      <Badge
        size="sm"
        variant="light"
        color="grape"
        c="grape.9"
        tt="none"
        style={{ flexShrink: 0 }}
        aria-label={label(v)}
        data-testid="lead-value"
        data-clv={v.clv12m ?? ''}
      >
        {shown}
      </Badge>
    </Tooltip>
  );
}

/** The lead page's block: CLV and revenue so far, or that there are no orders. */
export function CustomerValueDetail({ lead }: { lead: Lead }) {
  const t = useLeadsT();
  const money = useMoney();
  const v = lead.customerValue;
  if (!v) {
    return (
      <Text size="xs" c="dimmed" data-testid="lead-value-detail">
        {t('noCustomerValue')}
      </Text>
    );
  }
  return (
    <Stack gap={0} data-testid="lead-value-detail">
      {v.clv12m !== null && (
        <Text size="sm">
          <b>{money(v.clv12m, v.currency)}</b>{' '}
          <Text span size="xs" c="dimmed">
            {t('valueClv')}
          </Text>
        </Text>
      )}
      <Text size="sm">
        <b>{money(v.historicRevenue, v.currency)}</b>{' '}
        <Text span size="xs" c="dimmed">
          {t('valueRevenue', { orders: v.orders })}
        </Text>
      </Text>
    </Stack>
  );
}
