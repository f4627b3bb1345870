/**
 * Search (issue 19.7): a query of two common words. The database is asked for one term only and
 * the others are checked on a bounded cursor over its matches (src/features/search/query.ts), so
 * the answer must still hold every word (AND) and find every conversation that does when the
 * scan reaches them; a scan stopped at its cap says `more` and returns only true matches. Real
 * FerretDB; roles still apply over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTermStats } from '../../../src/features/search/common-terms.js';
import { searchConversations } from '../../../src/features/search/query.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { searchTerms } from '../../../src/kernel/search-terms.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// 40 conversations of 15 messages: 450 with "pedido" alone, 140 with "envío" alone, and one
// message holding both in each of 10 conversations (the last of theirs, so at the scan's end).
const CONVERSATIONS = 40;
const PER = 15;
const BOTH = 10;

describe('search: two common words', () => {
  let app: TestApp;
  let agent: Staff;
  let marketer: Staff;
  const withBoth = new Set<string>();

  beforeAll(async () => {
    app = await startTestApp();
    [agent, marketer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'marketer'),
    ]);
    const contacts = await Contact.insertMany(
      Array.from({ length: CONVERSATIONS }, (_, i) => ({ name: `Cliente común ${i}` })),
    );
    const conversations = contacts.map((c, i) => ({
      _id: new Types.ObjectId(),
      contactId: c._id,
      channel: 'webchat',
      platformConversationId: `common-words-${i}`,
      status: 'closed',
    }));
    await Conversation.collection.insertMany(conversations);
    const at = Date.now() - 1e7;
    const docs = [];
    for (let m = 0; m < PER; m++) {
      for (let i = 0; i < CONVERSATIONS; i++) {
        const c = conversations[i]!;
        const n = m * CONVERSATIONS + i;
        const both = m === PER - 1 && i < BOTH;
        if (both) withBoth.add(c._id.toHexString());
        const text = both
          ? `¿Dónde está mi pedido? El envío ${n} no llega`
          : i % 4 === 3
            ? `Consulta sobre el envío ${n}`
            : `Consulta sobre el pedido ${n}`;
        docs.push({
          conversationId: c._id,
          contactId: c.contactId,
          channel: 'webchat',
          direction: 'in',
          author: 'customer',
          text,
          terms: searchTerms(text),
          internal: false,
          dedupeKey: `common-words:${n}`,
          status: 'processed',
          attempts: 0,
          createdAt: new Date(at + n * 1000),
          updatedAt: new Date(at + n * 1000),
        });
      }
    }
    await Message.collection.insertMany(docs);
  });
  afterAll(() => app?.stop());

  const conversationsOf = (body: Json) =>
    (body.groups as Json[]).find((g) => g.type === 'conversations');

  it('finds exactly the conversations holding both words, whichever word leads', async () => {
    for (const q of ['pedido envío', 'ENVIO pedido']) {
      const res = await agent.call('GET', `/api/search?q=${encodeURIComponent(q)}&limit=20`);
      expect(res.status).toBe(200);
      const group = conversationsOf(res.body);
      expect(new Set(group.items.map((i: Json) => i.id))).toEqual(withBoth);
      expect(group.more).toBe(false);
      for (const item of group.items) expect(item.snippet).toMatch(/pedido.*envío/);
    }
    // One word alone finds many more; a word none of them holds finds nothing.
    const one = await agent.call('GET', `/api/search?q=pedido&limit=20`);
    expect(conversationsOf(one.body).items).toHaveLength(20);
    expect(conversationsOf(one.body).more).toBe(true);
    const none = await agent.call('GET', `/api/search?q=${encodeURIComponent('pedido paraguas')}`);
    expect(conversationsOf(none.body).items).toEqual([]);
  });

  it('stops at the read cap: only true matches, and says there may be more', async () => {
    const stats = createTermStats();
    const input = { terms: ['pedido', 'envio'], caseNumber: null, limit: 20, stats };
    const capped = await searchConversations({ ...input, readCap: 30 });
    expect(capped.more).toBe(true);
    for (const item of capped.items) expect(withBoth.has(item.id)).toBe(true);
    const full = await searchConversations(input);
    expect(new Set(full.items.map((i) => i.id))).toEqual(withBoth);
    expect(full.more).toBe(false);
  });

  it('keeps roles: the agent gets no leads group for two words, the marketer no cases', async () => {
    const q = encodeURIComponent('pedido envío');
    const agentRes = await agent.call('GET', `/api/search?q=${q}`);
    expect((agentRes.body.groups as Json[]).map((g) => g.type)).toEqual([
      'contacts',
      'conversations',
      'cases',
    ]);
    expect((await agent.call('GET', `/api/search?q=${q}&types=leads`)).status).toBe(403);
    const marketerRes = await marketer.call('GET', `/api/search?q=${q}`);
    expect((marketerRes.body.groups as Json[]).map((g) => g.type)).not.toContain('cases');
  });
});
