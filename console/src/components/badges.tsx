/** Small labels shown across pages: channel, conversation status, language, role. */
import { Badge } from '@mantine/core';
import type { ConversationStatus, Role } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';

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
    <Badge variant="outline" color="blue" size="sm" tt="none">
      {key in KNOWN_CHANNEL_KEYS ? t(key) : channel}
    </Badge>
  );
}
const KNOWN_CHANNEL_KEYS: Record<string, true> = {
  'channel.webchat': true,
  'channel.whatsapp': true,
  'channel.whatsapp-web': true,
  'channel.telegram': true,
  'channel.twitter': true,
  'channel.slack': true,
  'channel.botframework': true,
};

export function StatusBadge({ status }: { status: ConversationStatus | string }) {
  const { t } = useI18n();
  const known = status in STATUS_COLOR;
  return (
    <Badge
      color={known ? STATUS_COLOR[status as ConversationStatus] : 'gray'}
      variant="light"
      size="sm"
      tt="none"
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
    <Badge variant="light" size="sm" tt="none">
      {t(`role.${role}`)}
    </Badge>
  );
}
