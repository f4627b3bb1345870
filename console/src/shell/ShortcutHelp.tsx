/**
 * The keyboard help (issue 19.8), opened by `?` anywhere outside a text box: the console's own
 * shortcuts (search, this help) and, for roles with the inbox, the inbox's (implemented in
 * pages/conversations/shortcuts.tsx).
 */
import { Kbd, Modal, Table } from '@mantine/core';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';
import { searchKeyLabel } from './GlobalSearch';

type Row = [keys: string[], label: MessageKey];

const everywhere = (): Row[] => [
  [[searchKeyLabel(), '/'], 'keys.search'],
  [['?'], 'keys.help'],
  [['Esc'], 'keys.escape'],
];
const INBOX: Row[] = [
  [['j'], 'keys.next'],
  [['k'], 'keys.previous'],
  [['r'], 'keys.reply'],
  [['n'], 'keys.note'],
  [['e'], 'keys.close'],
  [['a'], 'keys.assign'],
];

export function ShortcutHelp({
  opened,
  onClose,
  inbox,
}: {
  opened: boolean;
  onClose: () => void;
  /** The role has the inbox: list its shortcuts too. */
  inbox: boolean;
}) {
  const { t } = useI18n();
  const sections: Array<[MessageKey, Row[]]> = [['keys.everywhere', everywhere()]];
  if (inbox) sections.push(['keys.inbox', INBOX]);
  return (
    <Modal opened={opened} onClose={onClose} title={t('keys.title')} size="md">
      <Table data-testid="shortcut-help" verticalSpacing={6}>
        {sections.map(([heading, rows]) => (
          <Table.Tbody key={heading}>
            <Table.Tr>
              <Table.Th colSpan={2} scope="rowgroup">
                {t(heading)}
              </Table.Th>
            </Table.Tr>
            {rows.map(([keys, label]) => (
              <Table.Tr key={label}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ` ${t('keys.or')} `}
                      <Kbd>{k}</Kbd>
                    </span>
                  ))}
                </Table.Td>
                <Table.Td>{t(label)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        ))}
      </Table>
    </Modal>
  );
}
