/** The publish report: cross-validated accuracy per intent, confused pairs, thin intents, shared phrases. */
import { Badge, List, Stack, Table, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n/i18n';
import type { Report } from './api';
import { useStudioT } from './texts';

export function ReportView({ report }: { report: Report }) {
  const t = useStudioT();
  const { formatPercent } = useI18n();
  const worst = [...report.intents].sort((a, b) => a.accuracy - b.accuracy);
  return (
    <Stack gap="sm" data-testid="publish-report">
      <Text fw={600}>{t('accuracy', { value: formatPercent(report.accuracy) })}</Text>
      <Text size="sm" c="dimmed">
        {t('fallbackRate', { value: formatPercent(report.fallbackRate) })}
      </Text>
      <Title order={3} size="h5">
        {t('perIntent')}
      </Title>
      <div className="table-scroll">
        <Table fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intent')}</Table.Th>
              <Table.Th>{t('phrases')}</Table.Th>
              <Table.Th>%</Table.Th>
              <Table.Th>{t('fallbacks')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {worst.map((i) => (
              <Table.Tr key={i.intent}>
                <Table.Td>{i.intent}</Table.Td>
                <Table.Td>
                  {i.phrases.es} / {i.phrases.en}
                </Table.Td>
                <Table.Td>
                  <Badge
                    tt="none"
                    variant="light"
                    color={i.accuracy >= 0.8 ? 'teal' : i.accuracy >= 0.5 ? 'yellow' : 'red'}
                  >
                    {formatPercent(i.accuracy)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {i.fallbacks} / {i.tested}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <Title order={3} size="h5">
        {t('confusions')}
      </Title>
      {report.confusions.length === 0 ? (
        <Text size="sm">{t('none')}</Text>
      ) : (
        <List size="sm">
          {report.confusions.slice(0, 5).map((c) => (
            <List.Item key={c.intents.join()}>
              {c.intents[0]} ↔ {c.intents[1]}: {t('times', { count: c.count })}
            </List.Item>
          ))}
        </List>
      )}
      <Title order={3} size="h5">
        {t('fewPhrases')}
      </Title>
      {report.fewPhrases.length === 0 ? (
        <Text size="sm">{t('none')}</Text>
      ) : (
        <List size="sm">
          {report.fewPhrases.map((f) => (
            <List.Item key={`${f.intent}:${f.language}`}>{t('fewPhrase', { ...f })}</List.Item>
          ))}
        </List>
      )}
      <Title order={3} size="h5">
        {t('duplicates')}
      </Title>
      {report.duplicates.length === 0 ? (
        <Text size="sm">{t('none')}</Text>
      ) : (
        <List size="sm">
          {report.duplicates.map((d) => (
            <List.Item key={d.phrase}>
              “{d.phrase}”: {d.intents.join(', ')}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
