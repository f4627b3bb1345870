/**
 * Cases for the console's cases pages (screenshots, test/browser/cases.test.ts), on top of
 * seedConsoleData: the seeded support case assigned, re-prioritised and noted through
 * PATCH /api/cases/:id, plus an urgent one past its first-response target, one at risk, one
 * pending and one resolved with a CSAT answer (deadlines and the rating set in the store, as a
 * clock and a customer would have).
 */
import type { Types } from 'mongoose';
import { createCase } from '../src/kernel/db/cases.js';
import { Case } from '../src/kernel/db/models/case.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import type { SeededData } from './console-seed.js';

const H = 3600_000;

async function patch(baseUrl: string, admin: Record<string, string>, id: string, body: unknown) {
  const res = await fetch(`${baseUrl}/api/cases/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...admin },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`seed: PATCH case → ${res.status} ${await res.text()}`);
}

export interface SeededCases {
  /** The queued customer's support case (long name), assigned to the seeded agent. */
  main: string;
  breached: string;
  resolved: string;
}

export async function seedCases(
  baseUrl: string,
  admin: Record<string, string>,
  seeded: SeededData,
): Promise<SeededCases> {
  const main = await Case.findOne({ conversationId: seeded.queued.conversationId }).lean();
  if (!main) throw new Error('seed: the seeded case is missing');
  const mainId = main._id.toHexString();
  await patch(baseUrl, admin, mainId, {
    assignee: seeded.users.agent,
    priority: 'high',
    note: 'Llamar a contabilidad antes de las 14:00. <b>Ojo</b>: pide factura rectificativa.',
  });

  const english = (await Conversation.findById(seeded.english.conversationId).lean())!;
  const base = { contactId: english.contactId as Types.ObjectId, channel: 'webchat' as const };
  const breached = await createCase({
    ...base,
    type: 'support',
    conversationId: english._id,
    subject: 'Order #A-1029 arrived damaged and the replacement never shipped',
  });
  await patch(baseUrl, admin, breached._id.toHexString(), { priority: 'urgent' });
  const now = Date.now();
  await Case.updateOne(
    { _id: breached._id },
    {
      $set: {
        firstResponseRiskAt: new Date(now - 3 * H),
        firstResponseDueAt: new Date(now - 2 * H),
        resolutionRiskAt: new Date(now + H),
        resolutionDueAt: new Date(now + 2 * H),
      },
    },
  );
  const atRisk = await createCase({
    ...base,
    type: 'callback',
    phone: '+44 20 7946 0958',
    preferredTime: 'Weekday mornings',
    subject: 'Call me back about the enterprise plan',
  });
  await Case.updateOne(
    { _id: atRisk._id },
    { $set: { firstResponseRiskAt: new Date(now - H / 2), firstResponseDueAt: new Date(now + H) } },
  );
  const pending = await createCase({ ...base, type: 'privacy', subject: 'Copy of my data' });
  await patch(baseUrl, admin, pending._id.toHexString(), { status: 'pending', priority: 'low' });
  const resolved = await createCase({
    ...base,
    type: 'support',
    conversationId: english._id,
    subject: 'Wrong delivery address',
  });
  await patch(baseUrl, admin, resolved._id.toHexString(), { status: 'resolved' });
  await Case.updateOne(
    { _id: resolved._id },
    {
      $set: { 'csat.rating': 4, 'csat.at': new Date() },
      // The status mail to the customer (no SMTP_URL here: the timeline entry it leaves).
      $push: {
        timeline: {
          $each: [
            { at: new Date(), kind: 'customer_mailed', to: 'resolved' },
            { at: new Date(), kind: 'csat', to: '4' },
          ],
        },
      },
    },
  );
  return {
    main: mainId,
    breached: breached._id.toHexString(),
    resolved: resolved._id.toHexString(),
  };
}
