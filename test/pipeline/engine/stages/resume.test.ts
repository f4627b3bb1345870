import { describe, expect, it } from 'vitest';
import { resumeConversation } from '../../../../src/pipeline/engine/resume.js';
import { say } from '../../../../src/pipeline/engine/texts.js';
import { conversation, harness } from './support.js';

describe('resume (the bot gets a conversation back)', () => {
  it('the suspended flow runs again from its step, asked again after "let us pick up"', async () => {
    const h = await harness();
    const suspended = {
      name: 'lead_capture',
      slot: 'email',
      slots: { name: 'Ana' },
      attempts: 2,
      startedAt: new Date(),
    };
    const c = conversation(h, { suspendedFlow: suspended, locale: 'en' });
    await resumeConversation(h.env, c._id.toHexString());
    const saved = (await h.store.find(c._id))!;
    expect(saved.suspendedFlow).toBeNull();
    expect(saved.flow).toMatchObject({
      name: 'lead_capture',
      slot: 'email',
      attempts: 0,
    });
    expect(h.outbox.sent.map((drafts) => drafts.map((d) => d.text))).toEqual([
      [say('resumed', 'en'), "Thanks, Ana. What's your email address?"],
    ]);
  });

  it('a suspended flow gone from the catalogue is dropped, silently', async () => {
    const h = await harness();
    const c = conversation(h, {
      suspendedFlow: {
        name: 'retired_flow',
        slot: 'x',
        slots: {},
        attempts: 0,
        startedAt: new Date(),
      },
    });
    await resumeConversation(h.env, c._id.toHexString());
    expect(h.store.writes).toEqual(['dropSuspendedFlow']);
    expect(h.outbox.sent).toEqual([]);
  });

  it('nothing happens while staff still own it, or with no flow', async () => {
    const h = await harness();
    const owned = conversation(h, {
      status: 'assigned',
      suspendedFlow: {
        name: 'lead_capture',
        slot: 'email',
        slots: {},
        attempts: 0,
        startedAt: new Date(),
      },
    });
    await resumeConversation(h.env, owned._id.toHexString());
    await resumeConversation(h.env, conversation(h)._id.toHexString());
    expect(h.store.writes).toEqual([]);
    expect(h.outbox.sent).toEqual([]);
  });
});
