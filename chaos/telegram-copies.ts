/**
 * The "5 concurrent copies" scenario: 20 new Telegram customers go through lead capture, and
 * every line reaches Charla as 5 copies of one platform update at once (Telegram redelivers while
 * the first delivery is still being handled). Each copy is retried like Telegram does on a 5xx or
 * a refused connection. Replies are read from the fake Bot API on 127.0.0.1.
 */
import mongoose from 'mongoose';
import { startFakeTelegramApi } from '../test/fakes/telegram-api.js';
import { startChildCharla, type ChildCharla } from '../test/support/child-charla.js';
import type { ScenarioResult } from './scenario.js';
import {
  account,
  learnExpectedSteps,
  planVisitor,
  type VisitorOutcome,
  type VisitorPlan,
} from './visitors.js';

const BOT_TOKEN = '123456:chaos-bot-token';
const SECRET = 'chaos-telegram-webhook-secret';
const COPIES = 5;
const CUSTOMERS = 20;
const STEP_TIMEOUT_MS = 90_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function update(chatId: number, messageId: number, text: string) {
  const from = { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'es' };
  return {
    update_id: chatId * 100 + messageId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      from,
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      text,
    },
  };
}

async function postCopy(url: string, body: unknown, deadline: number): Promise<boolean> {
  for (;;) {
    try {
      const res = await fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': SECRET,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      await res.text();
      if (res.status < 300) return true;
      if (res.status < 500 && res.status !== 429) return false;
    } catch {
      /* refused or reset: Telegram retries */
    }
    if (Date.now() > deadline) return false;
    await sleep(500);
  }
}

interface Customer {
  plan: VisitorPlan;
  chatId: number;
  sent: number;
  ackedSteps: number;
  stalled: boolean;
}

async function runCustomer(
  url: string,
  fake: Awaited<ReturnType<typeof startFakeTelegramApi>>,
  c: Customer,
): Promise<void> {
  const repliesTo = () => fake.sent.filter((s) => Number(s.body.chat_id) === c.chatId).length;
  let replies = 0;
  for (const [step, text] of c.plan.lines.entries()) {
    c.sent++;
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    const body = update(c.chatId, step + 1, text);
    const acks = await Promise.all(
      Array.from({ length: COPIES }, () => postCopy(url, body, deadline)),
    );
    if (!acks.some(Boolean)) {
      c.stalled = true;
      return;
    }
    c.ackedSteps++;
    while (repliesTo() <= replies && Date.now() < deadline) await sleep(300);
    if (repliesTo() <= replies) {
      c.stalled = true;
      return;
    }
    replies = repliesTo();
  }
}

/** The stored inbound message ids of what each customer had acknowledged, as outcomes. */
async function outcomesOf(mongoUri: string, customers: Customer[]): Promise<VisitorOutcome[]> {
  const db = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const keys = customers.flatMap((c) =>
      Array.from({ length: c.ackedSteps }, (_, i) => `telegram:${c.chatId}:${i + 1}`),
    );
    const stored = await db
      .collection('messages')
      .find({ dedupeKey: { $in: keys } })
      .toArray();
    const idOf = new Map(stored.map((m) => [String(m.dedupeKey), String(m._id)]));
    return customers.map((c) => ({
      plan: c.plan,
      sent: c.sent,
      // An acknowledged line that is not stored counts as acknowledged and never answered.
      acked: Array.from(
        { length: c.ackedSteps },
        (_, i) =>
          idOf.get(`telegram:${c.chatId}:${i + 1}`) ?? new mongoose.Types.ObjectId().toHexString(),
      ),
      stalled: c.stalled,
    }));
  } finally {
    await db.close();
  }
}

async function extraConversations(mongoUri: string, customers: Customer[]): Promise<number> {
  const db = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const conversations = await db
      .collection('conversations')
      .find({
        channel: 'telegram',
        platformConversationId: { $in: customers.map((c) => String(c.chatId)) },
      })
      .toArray();
    return conversations.length - new Set(conversations.map((c) => c.platformConversationId)).size;
  } finally {
    await db.close();
  }
}

export async function runCopiesScenario(opts: {
  env: Record<string, string>;
  mongoUri: string;
  run: string;
}): Promise<ScenarioResult> {
  const fake = await startFakeTelegramApi(BOT_TOKEN);
  let started: ChildCharla | undefined;
  const customer = (index: number): Customer => ({
    plan: planVisitor(opts.run, index),
    chatId: 700_000_000 + index,
    sent: 0,
    ackedSteps: 0,
    stalled: false,
  });
  try {
    const app = (started = await startChildCharla({
      ...opts.env,
      MONGODB_URI: opts.mongoUri,
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
    }));
    const warm = customer(9999);
    await runCustomer(app.url, fake, warm);
    if (warm.stalled) throw new Error('the warm-up customer did not get through');
    const [warmOutcome] = await outcomesOf(opts.mongoUri, [warm]);
    const expected = await learnExpectedSteps(opts.mongoUri, warmOutcome!);

    const customers = Array.from({ length: CUSTOMERS }, (_, i) => customer(i));
    await Promise.all(customers.map((c) => runCustomer(app.url, fake, c)));
    await sleep(5000);
    const tally = await account(
      opts.mongoUri,
      await outcomesOf(opts.mongoUri, customers),
      expected,
    );
    const extra = await extraConversations(opts.mongoUri, customers);
    return {
      name: 'copies',
      fault: `${COPIES} concurrent copies of every Telegram update, ${CUSTOMERS} new customers in lead capture`,
      tally,
      notes: [`extra conversations opened: ${extra}`],
    };
  } finally {
    await started?.stop();
    await fake.close();
  }
}
