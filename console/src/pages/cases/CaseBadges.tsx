/** Case status, priority and SLA badges: colour and text, never colour alone. */
import { Badge } from '@mantine/core';
import type { CasePriority, CaseStatus, CaseSummary } from './types';
import { shortDuration, useCasesT } from './texts';

const WHOLE = { root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } };

const STATUS_COLOR: Record<CaseStatus, string> = {
  open: 'blue',
  pending: 'yellow',
  resolved: 'teal',
  closed: 'gray',
};
const PRIORITY_COLOR: Record<CasePriority, string> = {
  urgent: 'red',
  high: 'orange',
  normal: 'blue',
  low: 'gray',
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const t = useCasesT();
  const color = STATUS_COLOR[status] ?? 'gray';
  return (
    <Badge
      color={color}
      c={`${color}.9`}
      variant="light"
      size="sm"
      tt="none"
      styles={WHOLE}
      style={{ flexShrink: 0 }}
      data-testid="case-status"
      data-status={status}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: CasePriority }) {
  const t = useCasesT();
  const color = PRIORITY_COLOR[priority] ?? 'gray';
  return (
    <Badge
      color={color}
      variant="outline"
      size="sm"
      tt="none"
      styles={WHOLE}
      style={{ flexShrink: 0 }}
      data-testid="case-priority"
    >
      {t(`priority.${priority}`)}
    </Badge>
  );
}

const SLA_COLOR = { ok: 'green', at_risk: 'yellow', breached: 'red' } as const;
const SLA_ICON = { ok: '✓', at_risk: '!', breached: '✕' } as const;

/** "3 h left" / "2 d over": the time to (or past) the next running deadline, if any. */
export function useSlaTime(c: CaseSummary, now = Date.now()): string | null {
  const t = useCasesT();
  const due = c.sla.nextDueAt ? new Date(c.sla.nextDueAt).getTime() : null;
  if (due === null) return null;
  return due >= now
    ? t('sla.left', { time: shortDuration(t, due - now) })
    : t('sla.over', { time: shortDuration(t, now - due) });
}

/** "At risk · 3 h left", "Breached · 2 d over", "On track" for a done case. */
export function SlaBadge({ c, withTime = true }: { c: CaseSummary; withTime?: boolean }) {
  const t = useCasesT();
  const state = c.sla.state;
  const time = useSlaTime(c);
  const label = `${t(`sla.${state}`)}${withTime && time ? ` · ${time}` : ''}`;
  return (
    <Badge
      color={SLA_COLOR[state]}
      c={state === 'breached' ? undefined : `${SLA_COLOR[state]}.9`}
      variant={state === 'breached' ? 'filled' : 'light'}
      size="sm"
      tt="none"
      styles={WHOLE}
      style={{ flexShrink: 0 }}
      leftSection={<span aria-hidden="true">{SLA_ICON[state]}</span>}
      data-testid="sla-badge"
      data-sla={state}
      title={time ? `${t(`sla.${state}`)} · ${time}` : t(`sla.${state}`)}
    >
      {label}
    </Badge>
  );
}
