/**
 * The inbox as agents read it (real Charla, FerretDB, Redis, web chat): customers named by their
 * contact, lead or email instead of "unnamed"; staff named instead of `user:<id>` on the status
 * timeline; the views (mine, unassigned, open, closed) with their counts from one aggregation,
 * each role seeing only the views it has; unread markers cleared by opening the conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { webchatClient, type Session } from '../../channels/webchat/client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('inbox names', () => {
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let agent: Staff;
  let viewer: Staff;
  const sessions: Session[] = [];

  const contactOf = async (s: Session) => {
    const res = await agent.call('GET', `/api/conversations/${s.conversationId}`);
    return res.body.contactId as string;
  };

  beforeAll(async () => {
    app = await startTestApp();
    web = webchatClient(app.url);
    [agent, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
    for (const locale of ['es', 'en', 'es', 'en'] as const) {
      sessions.push(await web.createSession(locale));
    }
  });
  afterAll(() => app?.stop());

  it('names a customer by contact name, else lead, else email, else null', async () => {
    const [named, withLead, withEmail, anonymous] = sessions as [
      Session,
      Session,
      Session,
      Session,
    ];
    await Contact.updateOne({ _id: await contactOf(named) }, { name: 'Lucía Gómez' });
    await Lead.create({
      contactId: await contactOf(withLead),
      channel: 'webchat',
      name: 'Pedro Lead',
    });
    await Contact.updateOne({ _id: await contactOf(withEmail) }, { emails: ['ana@example.com'] });
    const list = await viewer.call('GET', '/api/conversations');
    expect(list.status).toBe(200);
    const nameOf = (s: Session) =>
      (list.body.items as Json[]).find((i) => i.id === s.conversationId)?.contact.name;
    expect(nameOf(named)).toBe('Lucía Gómez');
    expect(nameOf(withLead)).toBe('Pedro Lead');
    expect(nameOf(withEmail)).toBe('ana@example.com');
    expect(nameOf(anonymous)).toBeNull();
    const detail = await viewer.call('GET', `/api/conversations/${withLead.conversationId}`);
    expect(detail.body.contact.name).toBe('Pedro Lead');
  });

  it('names staff on the status timeline and keeps the raw reason for the console to translate', async () => {
    const s = sessions[0]!;
    await app.charla.services.escalator.escalate(s.conversationId, 'customer_request');
    expect((await agent.call('POST', `/api/conversations/${s.conversationId}/claim`)).status).toBe(
      200,
    );
    expect((await agent.call('POST', `/api/conversations/${s.conversationId}/close`)).status).toBe(
      200,
    );
    const detail = await viewer.call('GET', `/api/conversations/${s.conversationId}`);
    const history = detail.body.statusHistory as Json[];
    expect(history.map((h) => h.status)).toEqual(['bot', 'queued', 'assigned', 'bot']);
    expect(history[2]).toMatchObject({ by: `user:${agent.user.id}`, byName: agent.user.name });
    expect(history[3]).toMatchObject({ byName: agent.user.name, reason: 'closed' });
    expect(history[1]).toMatchObject({ byName: null, reason: 'customer_request' });
  });

  describe('views and counts', () => {
    let otherAgent: Staff;
    let marketer: Staff;
    const views = async (who: Staff) => {
      const res = await who.call('GET', '/api/conversations/views');
      expect(res.status).toBe(200);
      return res.body as Json;
    };
    const viewIds = async (who: Staff, view: string, extra = '') => {
      const res = await who.call('GET', `/api/conversations?view=${view}${extra}`);
      expect(res.status).toBe(200);
      return (res.body.items as Json[]).map((i) => i.id as string);
    };

    beforeAll(async () => {
      [otherAgent, marketer] = await Promise.all([
        staffWithRole(app, 'agent'),
        staffWithRole(app, 'marketer'),
      ]);
      // sessions[0] is back with the bot (previous test); 1 and 2 wait, 2 is then claimed; 3 stays with the bot.
      const escalator = app.charla.services.escalator;
      await escalator.escalate(sessions[1]!.conversationId, 'customer_request');
      await escalator.escalate(sessions[2]!.conversationId, 'fallback');
      await agent.call('POST', `/api/conversations/${sessions[2]!.conversationId}/claim`);
    });

    it('counts mine, unassigned, open and by channel for an agent', async () => {
      const counts = await views(agent);
      expect(counts).toMatchObject({
        mine: 1,
        unassigned: 1,
        open: 4,
        mineIds: [sessions[2]!.conversationId],
      });
      expect(counts.channels).toMatchObject({ webchat: 4, telegram: 0 });
      expect((await views(otherAgent)).mine).toBe(0);
    });

    it('lists each view: mine is yours only, unassigned waits longest first', async () => {
      expect(await viewIds(agent, 'mine')).toEqual([sessions[2]!.conversationId]);
      expect(await viewIds(otherAgent, 'mine')).toEqual([]);
      expect(await viewIds(agent, 'unassigned')).toEqual([sessions[1]!.conversationId]);
      const open = await viewIds(agent, 'open');
      expect(open).toHaveLength(4);
      expect(await viewIds(agent, 'open', '&channel=telegram')).toEqual([]);
      expect(await viewIds(agent, 'closed')).toEqual([]);
      // A second waiting conversation queues behind the first.
      await app.charla.services.escalator.escalate(sessions[3]!.conversationId, 'admin');
      expect(await viewIds(agent, 'unassigned')).toEqual([
        sessions[1]!.conversationId,
        sessions[3]!.conversationId,
      ]);
      expect((await views(agent)).unassigned).toBe(2);
    });

    it('gives roles that are never assigned no "mine" view (403) and no mine count', async () => {
      for (const who of [marketer, viewer]) {
        const res = await who.call('GET', '/api/conversations?view=mine');
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        const counts = await views(who);
        expect(counts).toMatchObject({ mine: null, mineUnread: null, mineIds: [] });
        expect(counts.unassigned).toBe(2);
        expect(await viewIds(who, 'unassigned')).toHaveLength(2);
      }
      const bad = await agent.call('GET', '/api/conversations?view=everything');
      expect(bad.status).toBe(400);
    });

    it('marks unread until the member of staff opens the conversation', async () => {
      const id = sessions[2]!.conversationId;
      await web.post(sessions[2]!, { text: 'sigo esperando' });
      const unreadFor = async (who: Staff) => {
        const res = await who.call('GET', '/api/conversations?view=open');
        return (res.body.items as Json[]).find((i) => i.id === id)?.unread as boolean;
      };
      await eventually(async () => (await unreadFor(agent)) === true);
      expect((await views(agent)).mineUnread).toBe(1);
      expect((await agent.call('POST', `/api/conversations/${id}/seen`)).status).toBe(204);
      expect(await unreadFor(agent)).toBe(false);
      expect((await views(agent)).mineUnread).toBe(0);
      // Another agent's mark is theirs: still unread for them.
      expect(await unreadFor(otherAgent)).toBe(true);
      expect(
        (await viewer.call('POST', '/api/conversations/0123456789abcdef01234567/seen')).status,
      ).toBe(404);
    });
  });
});
