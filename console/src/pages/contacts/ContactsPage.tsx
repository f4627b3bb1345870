import { Title } from '@mantine/core';

export default function ContactsPage() {
  return <Title order={1}>ContactsPage</Title>;
}
