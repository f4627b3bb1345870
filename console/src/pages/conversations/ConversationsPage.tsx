import { Title } from '@mantine/core';

export default function ConversationsPage() {
  return <Title order={1}>ConversationsPage</Title>;
}
