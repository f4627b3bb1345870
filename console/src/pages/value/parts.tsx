/** Pieces the value page and the contact page share: money, segment names, churn reasons. */
import { List } from '@mantine/core';
import type { z } from 'zod';
import type { churnReasonSchema } from '../../../../src/features/value/schemas';
import { useI18n } from '../../i18n/i18n';
import { useValueT, type ValueKey } from './texts';

type Reason = z.infer<typeof churnReasonSchema>;

export function useMoney() {
  const { language } = useI18n();
  return (amount: number, currency: string) =>
    new Intl.NumberFormat(language, {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amount);
}

export function useSegmentName() {
  const t = useValueT();
  return (segment: string) => t(`segment.${segment}` as ValueKey);
}

export function useReasonText() {
  const t = useValueT();
  const segmentName = useSegmentName();
  return (r: Reason) => {
    switch (r.code) {
      case 'probability_active_low':
        return t('reason.probability_active_low', { value: Math.round(r.value * 100) });
      case 'lapsed':
        return r.days === null ? t('reason.lapsedUnknown') : t('reason.lapsed', { days: r.days });
      case 'rfm_segment':
        return t('reason.rfm_segment', { segment: segmentName(r.segment) });
      case 'open_case':
      case 'reopened_case':
      case 'unanswered':
        return t(`reason.${r.code}`, { count: r.count });
      case 'frustrated':
        return t('reason.frustrated');
    }
  };
}

export function ReasonList({ reasons }: { reasons: Reason[] }) {
  const text = useReasonText();
  return (
    <List size="xs" spacing={0}>
      {reasons.map((r) => (
        <List.Item key={r.code}>{text(r)}</List.Item>
      ))}
    </List>
  );
}
