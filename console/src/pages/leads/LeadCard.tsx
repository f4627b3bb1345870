/** One lead on the board: name (link to its page), company, score, channel, owner. */
import { Badge, Group, Menu, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import type { CSSProperties, Ref } from 'react';
import { Link } from 'react-router';
import { ChannelBadge } from '../../components/badges';
import { Truncated } from '../../components/truncated';
import { useI18n } from '../../i18n/i18n';
import { CustomerValueBadge } from './CustomerValue';
import { PropensityBadge } from './Propensity';
import { useLeadsT } from './texts';
import { LEAD_STATUSES, type Lead, type LeadStatus } from './types';

export function ScoreBadge({ score }: { score: number | undefined }) {
  const t = useLeadsT();
  if (score === undefined) return null;
  const color = score >= 70 ? 'green' : score >= 40 ? 'yellow' : 'gray';
  return (
    <Badge
      size="sm"
      variant="light"
      color={color}
      c={`${color}.9`}
      tt="none"
      title={t('scoreOf', { score })}
      aria-label={t('scoreOf', { score })}
      data-testid="lead-score"
      style={{ flexShrink: 0 }}
    >
      {score}
    </Badge>
  );
}

export function LeadCardBody({
  lead,
  ownerName,
  onMove,
}: {
  lead: Lead;
  ownerName?: string;
  /** Shown as a "Move to" menu where dragging is not offered (phone width). */
  onMove?: (to: LeadStatus) => void;
}) {
  const { t: tc } = useI18n();
  const t = useLeadsT();
  const name = lead.name || t('unnamed');
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Group gap={6} wrap="nowrap" justify="space-between" align="flex-start">
        <Text
          component={Link}
          to={`/leads/${lead.id}`}
          fw={600}
          size="sm"
          lineClamp={2}
          title={name}
          aria-label={t('open', { name })}
          c="blue.8"
          style={{ minWidth: 0, overflowWrap: 'anywhere' }}
          data-testid="lead-link"
          draggable={false}
        >
          {name}
        </Text>
        <ScoreBadge score={lead.score} />
      </Group>
      {(lead.company || lead.interest) && (
        <Truncated size="xs" c="dimmed">
          {lead.company || lead.interest || ''}
        </Truncated>
      )}
      <Group gap={4} wrap="nowrap" justify="space-between">
        <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
          <ChannelBadge channel={lead.channel} />
          <PropensityBadge lead={lead} />
          <CustomerValueBadge lead={lead} />
        </Group>
        {ownerName && (
          <Truncated size="xs" c="dimmed" data-testid="lead-owner">
            {ownerName}
          </Truncated>
        )}
      </Group>
      {onMove && (
        <Menu withinPortal position="bottom-start">
          <Menu.Target>
            <UnstyledButton
              fz="xs"
              c="blue.8"
              aria-label={t('moveCard', { name })}
              data-testid="lead-move-menu"
            >
              {t('moveTo')} ▾
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            {LEAD_STATUSES.filter((s) => s !== lead.status).map((s) => (
              <Menu.Item key={s} onClick={() => onMove(s)} data-testid={`move-to-${s}`}>
                {tc(`lead.${s}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
    </Stack>
  );
}

export function LeadCardFrame({
  lead,
  children,
  innerRef,
  style,
  dragging,
  ...rest
}: {
  lead: Lead;
  children: React.ReactNode;
  innerRef?: Ref<HTMLDivElement>;
  style?: CSSProperties;
  dragging?: boolean;
} & Record<string, unknown>) {
  return (
    <Paper
      ref={innerRef}
      withBorder
      radius="sm"
      p="xs"
      shadow={dragging ? 'md' : undefined}
      data-testid="lead-card"
      data-lead-id={lead.id}
      data-status={lead.status}
      style={{ background: 'var(--mantine-color-body)', ...style }}
      {...rest}
    >
      {children}
    </Paper>
  );
}
