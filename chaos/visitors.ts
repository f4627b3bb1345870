/**
 * Web chat visitors in the lead-capture flow, as the widget behaves: each line is posted with a
 * clientMessageId and re-posted with the same id after a network error, a 5xx or a 429, and the
 * next line is written once the bot answered. Then the accounting, read from the database: for
 * every acknowledged message, how many times it was answered, and whether the answer asked for
 * the step the visitor was at (a reply awaiting another slot, or a lead saved with the wrong
 * fields, is a wrong step).
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';

export interface VisitorPlan {
  index: number;
  run: string;
  name: string;
  email: string;
  phone: string;
  /** E.164 form the lead must hold. */
  phoneE164: string;
  company: string;
  lines: string[];
}

const FIRST = [
  'Ana',
  'Luis',
  'Marta',
  'Jorge',
  'Lucía',
  'Pablo',
  'Elena',
  'Sergio',
  'Nuria',
  'Raúl',
];
const LAST = ['García', 'Pérez', 'López', 'Sánchez', 'Romero', 'Navarro', 'Torres', 'Ruiz'];
const COMPANIES = ['Construcciones Norte', 'Panadería Sol', 'Talleres Vega', 'Clínica Mar'];
const LETTERS = 'abcdefghij';

/** A visitor's lines: asks for sales, then name, email, phone, company, opts in, and confirms. */
export function planVisitor(run: string, index: number): VisitorPlan {
  const name = `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`;
  const digits = String(100000 + index).slice(-6);
  const phone = `+34 612 ${digits.slice(0, 3)} ${digits.slice(3)}`;
  const tag = [...String(index)].map((d) => LETTERS[Number(d)]).join('');
  const company = `${COMPANIES[index % COMPANIES.length]} ${tag}`;
  const email = `visitante${index}.${run}@example.com`;
  return {
    index,
    run,
    name,
    email,
    phone,
    phoneE164: `+34612${digits}`,
    company,
    lines: [
      'quiero información para contratar vuestro servicio',
      name,
      email,
      phone,
      company,
      'sí', // the marketing opt-in (issue 18.4)
      'sí', // the summary
    ],
  };
}

export interface VisitorOutcome {
  plan: VisitorPlan;
  sessionId?: string;
  conversationId?: string;
  /** Lines the visitor tried to send. */
  sent: number;
  /** Message ids the server acknowledged (202), in order. */
  acked: string[];
  /** True when the visitor gave up waiting for an answer and stopped. */
  stalled: boolean;
  /** Where it gave up: the session, a line's acknowledgement, or its answer (and when). */
  stalledAt?: { step: 'session' | 'ack' | 'answer'; line: number; at: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function request(url: string, init: RequestInit): Promise<HttpAnswer | undefined> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  } catch {
    return undefined; // connection refused or reset (the process is down), timeout
  }
}

const retryable = (a: HttpAnswer | undefined) =>
  a === undefined || a.status >= 500 || a.status === 429;

/** Repeats `call` like the widget while the answer is retryable, until `deadline`. */
async function withRetries(call: () => Promise<HttpAnswer | undefined>, deadline: number) {
  for (;;) {
    const answer = await call();
    if (!retryable(answer) || Date.now() > deadline) return answer;
    await sleep(500);
  }
}

export interface VisitorOptions {
  /** Where the visitor's requests go (may change when an instance is replaced). */
  baseUrl: () => string;
  /** How long one line may wait for its acknowledgement and then for its answer. */
  stepTimeoutMs?: number;
}

export async function runVisitor(plan: VisitorPlan, opts: VisitorOptions): Promise<VisitorOutcome> {
  const stepTimeout = opts.stepTimeoutMs ?? 90_000;
  const outcome: VisitorOutcome = { plan, sent: 0, acked: [], stalled: false };
  const json = { 'content-type': 'application/json' };
  const created = await withRetries(
    () =>
      request(`${opts.baseUrl()}/api/webchat/sessions`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ locale: 'es' }),
      }),
    Date.now() + stepTimeout,
  );
  if (created?.status !== 201) {
    outcome.stalled = true;
    outcome.stalledAt = { step: 'session', line: 0, at: Date.now() };
    return outcome;
  }
  const { sessionId, token, conversationId } = created.body as Record<string, string>;
  outcome.sessionId = sessionId;
  outcome.conversationId = conversationId;
  const auth = { ...json, authorization: `Bearer ${token}` };
  const repliesSoFar = async (): Promise<number | undefined> => {
    const listed = await request(`${opts.baseUrl()}/api/webchat/sessions/${sessionId}/messages`, {
      headers: auth,
    });
    const items = (listed?.body.messages ?? undefined) as Array<{ direction: string }> | undefined;
    return items?.filter((m) => m.direction === 'out').length;
  };

  let replies = 0;
  for (const text of plan.lines) {
    outcome.sent++;
    const clientMessageId = randomUUID();
    const deadline = Date.now() + stepTimeout;
    const ack = await withRetries(
      () =>
        request(`${opts.baseUrl()}/api/webchat/sessions/${sessionId}/messages`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ text, clientMessageId }),
        }),
      deadline,
    );
    if (ack?.status !== 202) {
      outcome.stalled = true;
      outcome.stalledAt = { step: 'ack', line: outcome.sent, at: Date.now() };
      return outcome;
    }
    outcome.acked.push(String(ack.body.messageId));
    // The next line is written once the bot answered this one.
    let answered = false;
    while (!answered && Date.now() < deadline) {
      await sleep(700);
      const now = await repliesSoFar();
      if (now !== undefined && now > replies) {
        replies = now;
        answered = true;
      }
    }
    if (!answered) {
      outcome.stalled = true;
      outcome.stalledAt = { step: 'answer', line: outcome.sent, at: Date.now() };
      return outcome;
    }
  }
  return outcome;
}

export interface Tally {
  sent: number;
  acknowledged: number;
  answeredOnce: number;
  answeredTwice: number;
  never: number;
  wrongStep: number;
  /** Visitors whose lead was saved with exactly the details they typed. */
  leadsRight: number;
  visitors: number;
  /** Visitors who gave up: a line not acknowledged, or not answered, within the step timeout. */
  gaveUp: number;
}

export const emptyTally = (): Tally => ({
  sent: 0,
  acknowledged: 0,
  answeredOnce: 0,
  answeredTwice: 0,
  never: 0,
  wrongStep: 0,
  leadsRight: 0,
  visitors: 0,
  gaveUp: 0,
});

export function addTallies(a: Tally, b: Tally): Tally {
  const out = emptyTally();
  for (const k of Object.keys(out) as Array<keyof Tally>) out[k] = a[k] + b[k];
  return out;
}

type Doc = Record<string, unknown> & { _id: mongoose.Types.ObjectId };

/** Which slot each reply of the script awaits, learnt from a visitor run without faults. */
export type ExpectedSteps = Array<string | undefined>;

const awaitedSlot = (replies: Doc[]): string | undefined => {
  const withSlot = replies.find((r) => (r.awaiting as { slot?: string } | undefined)?.slot);
  return (withSlot?.awaiting as { slot?: string } | undefined)?.slot;
};

/**
 * Counts, for every acknowledged message, its delivered replies (sent, with `replyTo` = it):
 * none is "never", a repeated reply text is "twice", else "once"; a first reply awaiting another
 * slot than the fault-free run's is a "wrong step", and so is a lead with other details.
 */
export async function account(
  mongoUri: string,
  outcomes: VisitorOutcome[],
  expected: ExpectedSteps,
): Promise<Tally> {
  const db = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const tally = emptyTally();
    const ids = outcomes.flatMap((o) => o.acked).map((id) => new mongoose.Types.ObjectId(id));
    const replies = (await db
      .collection('messages')
      .find({ replyTo: { $in: ids } })
      .toArray()) as Doc[];
    const emails = outcomes.map((o) => o.plan.email);
    const leads = (await db
      .collection('leads')
      .find({ email: { $in: emails } })
      .toArray()) as Doc[];
    for (const o of outcomes) {
      tally.visitors++;
      if (o.stalled) tally.gaveUp++;
      tally.sent += o.sent;
      tally.acknowledged += o.acked.length;
      o.acked.forEach((id, step) => {
        const mine = replies.filter((r) => String(r.replyTo) === id);
        const delivered = mine.filter((r) => r.status === 'sent');
        const texts = delivered.map((r) => String(r.text ?? ''));
        if (delivered.length === 0) tally.never++;
        else if (new Set(texts).size < texts.length) tally.answeredTwice++;
        else tally.answeredOnce++;
        if (delivered.length > 0 && awaitedSlot(delivered) !== expected[step]) tally.wrongStep++;
      });
      const lead = leads.filter((l) => l.email === o.plan.email);
      const right =
        lead.length === 1 &&
        lead[0]!.name === o.plan.name &&
        lead[0]!.phone === o.plan.phoneE164 &&
        lead[0]!.company === o.plan.company;
      if (right) tally.leadsRight++;
      // Every line answered, yet no lead or another one: some answer went to the wrong step.
      else if (!o.stalled && o.acked.length === o.plan.lines.length) tally.wrongStep++;
    }
    return tally;
  } finally {
    await db.close();
  }
}

/** The slot each reply of the script awaits, from one visitor's fault-free run. */
export async function learnExpectedSteps(
  mongoUri: string,
  o: VisitorOutcome,
): Promise<ExpectedSteps> {
  const db = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const ids = o.acked.map((id) => new mongoose.Types.ObjectId(id));
    const replies = (await db
      .collection('messages')
      .find({ replyTo: { $in: ids } })
      .toArray()) as Doc[];
    return o.acked.map((id) => awaitedSlot(replies.filter((r) => String(r.replyTo) === id)));
  } finally {
    await db.close();
  }
}
