/** The event bus on its own (no app boot): order, awaiting, isolation of failures, unsubscribe. */
import { Types } from 'mongoose';
import { describe, expect, it, vi } from 'vitest';
import type { LeadDoc } from '../../src/kernel/db/models/lead.js';
import { createEventBus, NO_EVENTS, subscribeAll } from '../../src/kernel/events.js';

const lead = { _id: new Types.ObjectId(), channel: 'webchat' } as unknown as LeadDoc;

describe('event bus', () => {
  it('runs subscribers in order and resolves once all have finished', async () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.subscribe('lead.created', async () => {
      await new Promise((r) => setTimeout(r, 20));
      seen.push('first');
    });
    bus.subscribe('lead.created', ({ lead: l }) => void seen.push(`second:${String(l._id)}`));
    await bus.publish('lead.created', { lead });
    expect(seen).toEqual(['first', `second:${String(lead._id)}`]);
  });

  it('delivers an event only to its own subscribers', async () => {
    const bus = createEventBus();
    const created = vi.fn();
    const updated = vi.fn();
    bus.subscribe('lead.created', created);
    bus.subscribe('lead.updated', updated);
    await bus.publish('lead.updated', { lead });
    expect(created).not.toHaveBeenCalled();
    expect(updated).toHaveBeenCalledWith({ lead });
  });

  it('logs a failing subscriber and still runs the others; publish never throws', async () => {
    const logger = { error: vi.fn() };
    const bus = createEventBus(logger);
    const after = vi.fn();
    bus.subscribe('case.created', () => {
      throw new Error('queue down');
    });
    bus.subscribe('case.created', after);
    await expect(bus.publish('case.created', { case: {} as never })).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledOnce();
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ event: 'case.created' }),
      'event subscriber failed',
    );
  });

  it('unsubscribes one handler, or a feature’s whole subscription list', async () => {
    const bus = createEventBus();
    const one = vi.fn();
    const off = bus.subscribe('lead.created', one);
    const turn = vi.fn();
    const consent = vi.fn();
    const offAll = subscribeAll(bus, {
      'conversation.turn': turn,
      'contact.consent_changed': consent,
    });
    off();
    offAll();
    await bus.publish('lead.created', { lead });
    await bus.publish('conversation.turn', { messageId: new Types.ObjectId() });
    await bus.publish('contact.consent_changed', {
      contactId: new Types.ObjectId(),
      granted: false,
    });
    expect(one).not.toHaveBeenCalled();
    expect(turn).not.toHaveBeenCalled();
    expect(consent).not.toHaveBeenCalled();
  });

  it('NO_EVENTS tells nobody', async () => {
    await expect(NO_EVENTS.publish('lead.created', { lead })).resolves.toBeUndefined();
  });
});
