/**
 * Reply from the case page (issue 19.3): a composer under the case's transcript that writes to
 * the customer in the case's conversation, taking it over from the bot (or the queue) if needed;
 * `/` inserts a canned reply with this case's variables. Refusals (a closed WhatsApp window…)
 * are explained as the server gives them.
 */
import { Paper, Title } from '@mantine/core';
import type { CaseDetail } from './types';
import { roleAllows } from '../../auth/session';
import { useCurrentUser } from '../../shell/current-user';
import { REPLY_TEXTS, TextForm } from '../conversations/AgentActions';
import { TakeOverReply } from '../outreach/TakeOverReply';
import { useOutreachT } from '../outreach/texts';

export function CaseReply({ c }: { c: CaseDetail }) {
  const t = useOutreachT();
  const user = useCurrentUser();
  const conversation = c.conversation;
  if (!conversation || conversation.status === 'closed' || !roleAllows(user.role, ['agent'])) {
    return null;
  }
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-labelledby="case-reply">
      <Title order={2} size="h5" id="case-reply" mb="xs">
        {t('caseReply')}
      </Title>
      <TakeOverReply
        conversationId={conversation.id}
        status={conversation.status}
        hint={t('caseReplyHint')}
        refresh={[['case', c.id]]}
      >
        {(send, sending) => (
          <TextForm
            onSend={send}
            sending={sending}
            texts={{ ...REPLY_TEXTS, testId: 'case-reply' }}
            target={{
              conversationId: conversation.id,
              caseId: c.id,
              language: conversation.locale,
            }}
          />
        )}
      </TakeOverReply>
    </Paper>
  );
}
