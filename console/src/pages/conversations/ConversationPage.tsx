import { Title } from '@mantine/core';

export default function ConversationPage() {
  return <Title order={1}>ConversationPage</Title>;
}
