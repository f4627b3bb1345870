/**
 * Canned replies (issue 19.4) against a real Charla (FerretDB, Redis, web chat): admins manage the
 * shared ones, each agent their own; each language keeps its shortcuts; bad input is a 400, a
 * taken shortcut a 409; variables are filled for a conversation and its case, and a missing value
 * is left out gracefully and named; every change is audited; other roles are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { webchatClient } from '../../channels/webchat/client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('canned replies', () => {
  let app: TestApp;
  let admin: Staff;
  let agent: Staff;
  let other: Staff;
  let marketer: Staff;
  let viewer: Staff;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, agent, other, marketer, viewer] = await Promise.all([
      staffWithRole(app, 'admin'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'viewer'),
    ]);
  });
  afterAll(() => app?.stop());

  const shared = {
    scope: 'shared',
    language: 'es',
    shortcut: 'saludo',
    title: 'Saludo',
    text: 'Hola {{contact.name}}, soy {{agent.name}}. Sobre tu caso {{case.number}}: ¿en qué te ayudo?',
  };

  it('admins manage shared replies, agents their own; each sees shared and their own', async () => {
    const created = await admin.call('POST', '/api/canned-replies', shared);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: 'shared', shortcut: 'saludo', editable: true });
    // An agent may not add or change shared ones.
    expect(
      (await agent.call('POST', '/api/canned-replies', { ...shared, shortcut: 'x' })).status,
    ).toBe(403);
    const patchShared = await agent.call('PATCH', `/api/canned-replies/${created.body.id}`, {
      title: 'Mío',
    });
    expect(patchShared.status).toBe(403);
    expect(patchShared.body.error.code).toBe('shared_admin_only');

    const mine = await agent.call('POST', '/api/canned-replies', {
      scope: 'personal',
      language: 'en',
      shortcut: 'Thanks',
      title: 'Thanks',
      text: 'Thanks {{contact.name}}!',
    });
    expect(mine.status).toBe(201);
    expect(mine.body.shortcut).toBe('thanks');
    // The same shortcut in the same scope and language is taken; in the other language it is not.
    const again = await agent.call('POST', '/api/canned-replies', {
      scope: 'personal',
      language: 'en',
      shortcut: 'thanks',
      title: 'Again',
      text: 'Thanks again',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('shortcut_taken');
    expect(
      (
        await agent.call('POST', '/api/canned-replies', {
          scope: 'personal',
          language: 'es',
          shortcut: 'thanks',
          title: 'Gracias',
          text: '¡Gracias!',
        })
      ).status,
    ).toBe(201);

    const agentList = await agent.call('GET', '/api/canned-replies');
    expect(agentList.status).toBe(200);
    const listed = (agentList.body.items as Json[]).map((i) => [
      i.shortcut,
      i.language,
      i.editable,
    ]);
    expect(listed).toEqual([
      ['saludo', 'es', false],
      ['thanks', 'en', true],
      ['thanks', 'es', true],
    ]);
    // Another agent sees only the shared one, and cannot touch this agent's reply (404).
    const otherList = await other.call('GET', '/api/canned-replies');
    expect((otherList.body.items as Json[]).map((i) => i.shortcut)).toEqual(['saludo']);
    expect(
      (await other.call('PATCH', `/api/canned-replies/${mine.body.id}`, { title: 'x' })).status,
    ).toBe(404);
    expect((await other.call('DELETE', `/api/canned-replies/${mine.body.id}`)).status).toBe(404);
    // Search and language filters.
    const search = await agent.call('GET', '/api/canned-replies?q=gracias&language=es');
    expect((search.body.items as Json[]).map((i) => i.title)).toEqual(['Gracias']);

    const patched = await agent.call('PATCH', `/api/canned-replies/${mine.body.id}`, {
      text: 'Thank you, {{contact.name}}.',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.text).toBe('Thank you, {{contact.name}}.');
    expect((await agent.call('DELETE', `/api/canned-replies/${mine.body.id}`)).status).toBe(204);

    const actions = (await AuditEntry.find({ targetType: 'CannedReply' }).lean()).map(
      (a) => a.action,
    );
    expect(actions.filter((a) => a === 'canned_reply.create')).toHaveLength(3);
    expect(actions).toContain('canned_reply.update');
    expect(actions).toContain('canned_reply.delete');
  });

  it('refuses bad input and other roles', async () => {
    const bad = (body: unknown) => agent.call('POST', '/api/canned-replies', body);
    const ok = { scope: 'personal', language: 'es', shortcut: 'ok', title: 'T', text: 'x' };
    expect((await bad({ ...ok, shortcut: 'with space' })).status).toBe(400);
    expect((await bad({ ...ok, shortcut: '' })).status).toBe(400);
    expect((await bad({ ...ok, language: 'fr' })).status).toBe(400);
    expect((await bad({ ...ok, scope: 'team' })).status).toBe(400);
    expect((await bad({ ...ok, text: '   ' })).status).toBe(400);
    expect((await bad({ ...ok, text: 'x'.repeat(4001) })).status).toBe(400);
    const unknownVar = await bad({ ...ok, text: 'Hola {{contact.email}}' });
    expect(unknownVar.status).toBe(400);
    expect(JSON.stringify(unknownVar.body)).toContain('unknown variable');
    expect((await bad({ ...ok, extra: true })).status).toBe(400);
    expect((await agent.call('PATCH', '/api/canned-replies/nope', { title: 'x' })).status).toBe(
      404,
    );
    expect(
      (await agent.call('PATCH', '/api/canned-replies/0123456789abcdef01234567', {})).status,
    ).toBe(400);
    for (const who of [marketer, viewer]) {
      expect((await who.call('GET', '/api/canned-replies')).status).toBe(403);
      expect((await who.call('POST', '/api/canned-replies', ok)).status).toBe(403);
    }
  });

  it('fills the variables for a conversation and its case, leaving out what is unknown', async () => {
    const web = webchatClient(app.url);
    const s = await web.createSession('es');
    const conversation = (await Conversation.findById(s.conversationId).lean())!;
    const list = await agent.call('GET', '/api/canned-replies?language=es&q=saludo');
    const id = (list.body.items as Json[])[0].id as string;

    // Nothing known but the agent: the name and case number are left out, tidily.
    const bare = await agent.call(
      'GET',
      `/api/canned-replies/${id}/render?conversationId=${s.conversationId}`,
    );
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({
      text: `Hola, soy ${agent.user.name}. Sobre tu caso: ¿en qué te ayudo?`,
      missing: ['contact.name', 'case.number'],
    });

    await Contact.updateOne({ _id: conversation.contactId }, { name: 'Lucía Gómez' });
    const theCase = await Case.create({
      number: `CS-9${String(Date.now()).slice(-5)}`,
      conversationId: conversation._id,
      contactId: conversation.contactId,
      channel: 'webchat',
      description: 'La nevera no enfría',
    });
    const full = await agent.call(
      'GET',
      `/api/canned-replies/${id}/render?conversationId=${s.conversationId}`,
    );
    expect(full.body).toEqual({
      text: `Hola Lucía Gómez, soy ${agent.user.name}. Sobre tu caso ${theCase.number}: ¿en qué te ayudo?`,
      missing: [],
    });
    // From a case page: the case names the customer too.
    const fromCase = await agent.call(
      'GET',
      `/api/canned-replies/${id}/render?caseId=${theCase._id.toHexString()}`,
    );
    expect(fromCase.body.text).toContain(`Hola Lucía Gómez`);
    expect(fromCase.body.text).toContain(theCase.number);
  });
});
