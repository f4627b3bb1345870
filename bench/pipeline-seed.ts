/**
 * Seeds a Charla database for bench:pipeline's "seeded" run: contacts with their identities, one
 * closed-out conversation each, and messages spread over them, shaped like the ones Charla
 * writes. insertMany in batches straight into the collections: it is a benchmark.
 */
import mongoose from 'mongoose';
import { Contact, ContactIdentity } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Message } from '../src/kernel/db/models/message.js';

const { ObjectId } = mongoose.Types;
const BATCH = 1000;

export async function seedDatabase(
  uri: string,
  counts: { messages: number; contacts: number },
): Promise<void> {
  const client = await new mongoose.mongo.MongoClient(
    uri.replace(/monitorCommands=true&?/, ''),
  ).connect();
  try {
    const db = client.db();
    const col = (m: { collection: { collectionName: string } }) =>
      db.collection(m.collection.collectionName);
    const conversations: Array<{
      _id: InstanceType<typeof ObjectId>;
      contactId: InstanceType<typeof ObjectId>;
    }> = [];
    const at = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    for (let i = 0; i < counts.contacts; i += BATCH) {
      const contacts = [];
      const identities = [];
      const convs = [];
      for (let j = i; j < Math.min(counts.contacts, i + BATCH); j++) {
        const contactId = new ObjectId();
        const user = `seed-U${j}`;
        contacts.push({
          _id: contactId,
          name: `Cliente ${j}`,
          identities: [{ channel: 'slack', platformUserId: user }],
          emails: [`cliente${j}@example.com`],
          phones: [],
          tags: [],
          marketingConsent: { granted: false },
          createdAt: at,
          updatedAt: at,
        });
        identities.push({
          key: `slack:${user}`,
          channel: 'slack',
          platformUserId: user,
          contactId,
        });
        const conv = {
          _id: new ObjectId(),
          contactId,
          channel: 'slack',
          platformConversationId: `seed-D${j}`,
          platformUserId: user,
          status: 'closed',
          statusHistory: [{ status: 'closed', at }],
          lastMessageAt: at,
          createdAt: at,
          updatedAt: at,
        };
        convs.push(conv);
        conversations.push({ _id: conv._id, contactId });
      }
      await col(Contact).insertMany(contacts, { ordered: false });
      await col(ContactIdentity).insertMany(identities, { ordered: false });
      await col(Conversation).insertMany(convs, { ordered: false });
    }
    for (let i = 0; i < counts.messages; i += BATCH) {
      const messages = [];
      for (let j = i; j < Math.min(counts.messages, i + BATCH); j++) {
        const conv = conversations[j % conversations.length]!;
        const inbound = j % 2 === 0;
        const _id = new ObjectId();
        messages.push({
          _id,
          conversationId: conv._id,
          contactId: conv.contactId,
          channel: 'slack',
          direction: inbound ? 'in' : 'out',
          author: inbound ? 'customer' : 'bot',
          text: inbound ? '¿cuál es vuestro horario?' : 'Abrimos de lunes a viernes de 9 a 18 h.',
          platformMessageId: inbound ? `seed-${j}` : undefined,
          dedupeKey: inbound ? `slack:seed-${j}` : `out:${_id.toHexString()}`,
          status: inbound ? 'processed' : 'sent',
          attempts: inbound ? 0 : 1,
          internal: false,
          createdAt: new Date(at.getTime() + j * 1000),
          updatedAt: new Date(at.getTime() + j * 1000),
        });
      }
      await col(Message).insertMany(messages, { ordered: false });
    }
  } finally {
    await client.close();
  }
}

/**
 * What autovacuum does within a minute or two of a bulk load (statistics, visibility map), done
 * now so the seeded run measures Charla, not one-off maintenance competing for the CPU.
 */
export async function vacuumAnalyze(postgresUrl: string, database: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      'SELECT format($$%I.%I$$, schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname = $1',
      [database],
    );
    for (const { t } of rows) await client.query(`VACUUM ANALYZE ${t}`);
  } finally {
    await client.end();
  }
}
