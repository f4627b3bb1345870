/**
 * A lead's learned likelihood to be won (src/features/propensity/) beside its rule score: a badge
 * with the top factors as its tooltip (and in its accessible name), the factors as a list on the
 * lead page, and — while the model has too little won/lost history or has not scored the lead —
 * a "rule score" label saying the rule score is the guide. Closed leads (won, lost) show neither.
 */
import { Badge, Group, List, Stack, Text, Tooltip } from '@mantine/core';
import { useI18n } from '../../i18n/i18n';
import { en as sharedEn, type MessageKey } from '../../i18n/en';
import { useLeadsT, type LeadsKey } from './texts';
import type { Lead } from './types';

type Factor = NonNullable<Lead['propensity']>['factors'][number];

const OPEN = new Set(['new', 'contacted', 'qualified']);
const isOpen = (lead: Lead) => OPEN.has(lead.status);
const pct = (p: number) => Math.round(p * 100);

const FACTOR_KEYS: Record<string, true> = Object.fromEntries(
  [
    'channel',
    'language',
    'intent',
    'consent',
    'returned',
    'messages',
    'sentiment',
    'frustrated',
    'escalated',
    'staffWait',
    'customerOrders',
    'customerRevenue',
  ].map((k) => [`factor.${k}`, true]),
);

/** `intent:pricing` → "asked about pricing"; unknown features read as they are. */
export function useFactorText() {
  const t = useLeadsT();
  const { t: tc } = useI18n();
  const shared = (key: string, fallback: string) =>
    key in sharedEn ? tc(key as MessageKey) : fallback;
  return (feature: string) => {
    const [kind = feature, value = ''] = feature.split(':', 2);
    const key = `factor.${kind}` as LeadsKey;
    const shown =
      kind === 'channel'
        ? shared(`channel.${value}`, value)
        : kind === 'language'
          ? shared(`language.${value}`, value)
          : value;
    return key in FACTOR_KEYS ? t(key, { value: shown }) : feature;
  };
}

function useFactorLine() {
  const text = useFactorText();
  return (f: Factor) => `${f.weight >= 0 ? '▲' : '▼'} ${text(f.feature)}`;
}

function useReasons() {
  const t = useLeadsT();
  const text = useFactorText();
  return (factors: Factor[]) =>
    factors.map((f) => `${text(f.feature)} (${t(f.weight >= 0 ? 'raises' : 'lowers')})`).join('; ');
}

/** The badge beside the score (board cards, table rows, the lead page). */
export function PropensityBadge({ lead }: { lead: Lead }) {
  const t = useLeadsT();
  const line = useFactorLine();
  const reasons = useReasons();
  if (!isOpen(lead)) return null;
  const p = lead.propensity;
  if (!p) {
    return (
      <Tooltip label={t('ruleScoreHint')} multiline w={260} withinPortal>
        <Badge
          size="sm"
          variant="outline"
          color="gray"
          c="gray.8"
          tt="none"
          style={{ flexShrink: 0 }}
          aria-label={t('ruleScoreHint')}
          data-testid="lead-rule-fallback"
        >
          {t('ruleScore')}
        </Badge>
      </Tooltip>
    );
  }
  const value = pct(p.p);
  const color = value >= 60 ? 'teal' : value >= 30 ? 'blue' : 'gray';
  const label = `${t('propensityOf', { pct: value })}${
    p.factors.length ? `. ${t('propensityWhy', { reasons: reasons(p.factors) })}` : ''
  }`;
  return (
    <Tooltip
      withinPortal
      multiline
      w={240}
      label={
        <Stack gap={2}>
          <Text size="xs" fw={600}>
            {t('propensityOf', { pct: value })}
          </Text>
          {p.factors.map((f) => (
            <Text size="xs" key={f.feature}>
              {line(f)}
            </Text>
          ))}
        </Stack>
      }
    >
      <Badge
        size="sm"
        variant="filled"
        color={`${color}.8`}
        tt="none"
        style={{ flexShrink: 0 }}
        aria-label={label}
        data-testid="lead-propensity"
        data-p={p.p}
      >
        {value} %
      </Badge>
    </Tooltip>
  );
}

/** The lead page's block: the likelihood and its reasons as a list, or the fallback said plainly. */
export function PropensityDetail({ lead }: { lead: Lead }) {
  const t = useLeadsT();
  const text = useFactorText();
  if (!isOpen(lead)) return null;
  const p = lead.propensity;
  return (
    <Stack gap={4} data-testid="lead-propensity-detail">
      <Group gap={6}>
        <PropensityBadge lead={lead} />
      </Group>
      {p ? (
        <>
          <List size="xs" spacing={0} aria-label={t('propensity')} data-testid="propensity-factors">
            {p.factors.map((f) => (
              <List.Item key={f.feature} data-feature={f.feature}>
                {text(f.feature)} — {t(f.weight >= 0 ? 'raises' : 'lowers')}
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed">
            {t('propensityHint')}
          </Text>
        </>
      ) : (
        <Text size="xs" c="dimmed">
          {t('ruleScoreHint')}
        </Text>
      )}
    </Stack>
  );
}
