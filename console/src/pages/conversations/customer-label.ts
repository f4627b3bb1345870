/**
 * How the inbox names a customer: the name the server found (contact, lead or email), else a
 * readable label such as "Visitor · web chat" — never a bare id or "Unnamed customer".
 */
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';
import { useInboxT } from './texts';

export function useCustomerLabel(): (
  name: string | null | undefined,
  channel: string | null | undefined,
) => string {
  const { t } = useI18n();
  const ti = useInboxT();
  return (name, channel) => {
    if (name?.trim()) return name.trim();
    return channel ? `${ti('visitor')} · ${t(`channel.${channel}` as MessageKey)}` : ti('visitor');
  };
}
