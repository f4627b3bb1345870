/** Small labels shown across pages: channel, conversation status, language, role. */
import { Badge } from '@mantine/core';
import type { ConversationStatus, Role } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { en, type MessageKey } from '../i18n/en';

/** A badge's text is never cut: its cell or row makes room instead. */
const WHOLE = { root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } };

const hasKey = (key: string): key is MessageKey => key in en;

const STATUS_COLOR: Record<ConversationStatus, string> = {
  bot: 'gray',
  queued: 'orange',
  assigned: 'teal',
  closed: 'dark',
};

export function ChannelBadge({ channel }: { channel: string }) {
  const { t } = useI18n();
  const key = `channel.${channel}` as MessageKey;
  return (
    <Badge
      variant="outline"
      color="blue.8"
      size="sm"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={WHOLE}
    >
      {hasKey(key) ? t(key) : channel}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: ConversationStatus | string }) {
  const { t } = useI18n();
  const known = status in STATUS_COLOR;
  return (
    <Badge
      color={known ? STATUS_COLOR[status as ConversationStatus] : 'gray'}
      c={`${known ? STATUS_COLOR[status as ConversationStatus] : 'gray'}.9`}
      variant="light"
      size="sm"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={WHOLE}
      title={known ? t(`status.${status as ConversationStatus}`) : status}
      data-testid="status-badge"
      data-status={status}
    >
      {known ? t(`status.${status as ConversationStatus}`) : status}
    </Badge>
  );
}

export function LanguageBadge({ language }: { language: string | null | undefined }) {
  const { t } = useI18n();
  if (!language) return <>{t('state.none')}</>;
  return (
    <Badge
      variant="default"
      size="sm"
      tt="none"
      title={language === 'es' || language === 'en' ? t(`language.${language}`) : language}
    >
      {language.toUpperCase()}
    </Badge>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" c="blue.9" size="sm" tt="none">
      {t(`role.${role}`)}
    </Badge>
  );
}

/** A value of a closed set (lead status, case status…) in the UI language, else as stored. */
export function ValueBadge({
  value,
  prefix,
  color = 'gray',
}: {
  value: string;
  prefix: 'lead' | 'case' | 'priority';
  color?: string;
}) {
  const { t } = useI18n();
  const key = `${prefix}.${value}` as MessageKey;
  const label = hasKey(key) ? t(key) : value;
  return (
    <Badge
      variant="light"
      color={color}
      c={`${color}.9`}
      size="sm"
      tt="none"
      style={{ flexShrink: 0 }}
      styles={WHOLE}
    >
      {label}
    </Badge>
  );
}
